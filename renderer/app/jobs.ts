/**
 * Following a core job (issue 16): poll jobs.status until it ends, and bring a finished job's
 * file down slice by slice as a download (the slices go into a Blob, which the browser may keep
 * on disk, so a year of the audit log never sits in one string).
 */
import type { JobInfo } from '../../electron/shared/types';
import { call } from './api';
import { base64ToBlob, saveBlob } from './files';

const POLL_MS = 250;

/** Calls `onUpdate` with each status until the job is no longer running; resolves to the last one. */
export async function followJob(job: JobInfo, onUpdate: (job: JobInfo) => void): Promise<JobInfo> {
  let current = job;
  onUpdate(current);
  while (current.state === 'running') {
    await new Promise((r) => setTimeout(r, POLL_MS));
    current = await call('jobs.status', { jobId: job.id });
    onUpdate(current);
  }
  return current;
}

/** Saves a finished job's file as a download under its own name. */
export async function downloadJobFile(job: JobInfo): Promise<void> {
  if (!job.result) return;
  const parts: Blob[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const slice: { contentBase64: string; next: number | null } = await call('jobs.file', { jobId: job.id, offset });
    parts.push(base64ToBlob(slice.contentBase64, job.result.mimeType));
    offset = slice.next;
  }
  saveBlob(new Blob(parts, { type: job.result.mimeType }), job.result.fileName);
}
