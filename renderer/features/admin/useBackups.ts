/**
 * The backups tab's behaviour: the list, a backup as a job (progress, Cancelar), how old the last
 * backup is, the preview of one backup, and its restore (typed confirmation; afterwards everyone
 * signs in again, so the window returns to sign-in with a notice of what happened).
 */
import { useState } from 'react';
import { create } from 'zustand';
import type { BackupPreview, BackupRestoreResult, JobInfo } from '../../../electron/shared/types';
import { ApiError, call, setSessionToken } from '../../app/api';
import { followJob } from '../../app/jobs';
import { useApiAction, useApiQuery } from '../../app/useApiAction';
import { useSession } from '../../stores/session';

/** The last restore's outcome, shown above the sign-in screen until dismissed. */
export const useRestoreNotice = create<{ result: BackupRestoreResult | null; dismiss: () => void }>((set) => ({
  result: null,
  dismiss: () => set({ result: null }),
}));

export function useBackupStatus(enabled = true) {
  return useApiQuery('backup.status', {}, { enabled });
}

export function useBackups() {
  const list = useApiQuery('backup.list', {});
  const status = useBackupStatus();
  const [outcome, setOutcome] = useState<{ key: string; params?: Record<string, string> } | null>(null);
  const [job, setJob] = useState<JobInfo | null>(null);
  const create = useApiAction(async () => {
    setOutcome(null);
    const end = await followJob(await call('backup.start', {}), setJob);
    setJob(null);
    if (end.state === 'failed') throw new ApiError(end.error ?? { code: 'errors.internal' });
    if (end.state === 'cancelled') setOutcome({ key: 'admin.backups.cancelled' });
    if (end.backup) setOutcome({ key: 'admin.backups.created', params: { fileName: end.backup.fileName } });
    await Promise.all([list.reload(), status.reload()]);
  }, { onError: () => setJob(null) });
  const cancel = useApiAction(async (jobId: string) => call('jobs.cancel', { jobId }));
  const backups = [...(list.data ?? [])].sort((a, b) => b.createdAt - a.createdAt);
  return {
    backups, loading: list.loading, listError: list.error, status: status.data ?? null,
    create: () => void create.run(), pending: create.pending, error: create.error ?? cancel.error, outcome,
    job, cancel: () => job && void cancel.run(job.id), cancelling: cancel.pending,
  };
}

/** One backup under review: its preview, then the restore once the confirmation word is typed. */
export function useBackupReview(confirmWord: string) {
  const [fileName, setFileName] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const preview = useApiQuery('backup.preview', { fileName: fileName ?? '' }, { enabled: fileName !== null });
  const [job, setJob] = useState<JobInfo | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const restore = useApiAction(async (name: string) => {
    setCancelled(false);
    // A job: the copy and its check run while everyone keeps working; Cancelar until the swap changes nothing.
    const end = await followJob(await call('backup.restore', { fileName: name }), setJob);
    setJob(null);
    if (end.state === 'cancelled') return setCancelled(true);
    if (end.state === 'failed' || !end.restored) throw new ApiError(end.error ?? { code: 'errors.internal' });
    // Core ended every session: back to sign-in, with the outcome on top.
    useRestoreNotice.setState({ result: end.restored });
    setSessionToken(null);
    useSession.setState({ user: null });
  }, { onError: () => setJob(null) });
  const cancel = useApiAction(async (jobId: string) => call('jobs.cancel', { jobId }));
  const data: BackupPreview | undefined = fileName && preview.data?.fileName === fileName ? preview.data : undefined;
  return {
    fileName,
    open: (name: string) => {
      setTyped('');
      setCancelled(false);
      restore.reset();
      setFileName(name);
    },
    close: () => setFileName(null),
    preview: data,
    previewLoading: preview.loading,
    previewError: preview.error,
    typed,
    setTyped,
    canRestore: data?.integrity === 'ok' && typed.trim().toUpperCase() === confirmWord,
    restore: () => fileName && void restore.run(fileName),
    restoring: restore.pending,
    restoreError: restore.error ?? cancel.error,
    /** The running restore; `cancel` only until the swap (then there is no way back). */
    job,
    cancel: job && job.phase !== 'updating' ? () => void cancel.run(job.id) : undefined,
    cancelling: cancel.pending,
    cancelled,
  };
}
