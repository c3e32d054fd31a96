/**
 * The evidence files of backups. Attachments are content-addressed and never change, so every
 * backup shares one store, backups/attachments/<sha256>: a daily backup copies only the files
 * that are not there yet (a copy-on-write clone where the filesystem offers one). Each backup has
 * a small manifest beside it (<name>.json) listing the files it references, so pruning a backup
 * can delete the store files no kept backup needs, and a restore knows what to put back.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, copyFileSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { BackupReason } from '../../shared/types';
import { PRIVATE_DIR, PRIVATE_FILE } from '../db/connection';

export function backupDir(dataDir: string): string {
  return join(dataDir, 'backups');
}

export function storeDir(dataDir: string): string {
  return join(backupDir(dataDir), 'attachments');
}

export function liveAttachmentsDir(dataDir: string): string {
  return join(dataDir, 'attachments');
}

const SHA256 = /^[0-9a-f]{64}$/;

/** What a backup holds besides its database file. */
export interface BackupManifest {
  version: 1;
  createdAt: number;
  reason: BackupReason;
  /** The newest migration applied in the copy. */
  schemaVersion: number | null;
  /** Every evidence file the copy references, by content hash. */
  attachments: string[];
  /** Referenced files that were missing or damaged in the live folder when the backup was made. */
  missing: string[];
}

export function manifestPath(dataDir: string, fileName: string): string {
  return join(backupDir(dataDir), fileName.replace(/\.sqlite$/, '.json'));
}

export function readManifest(dataDir: string, fileName: string): BackupManifest | null {
  try {
    const m = JSON.parse(readFileSync(manifestPath(dataDir, fileName), 'utf8')) as BackupManifest;
    return m.version === 1 && Array.isArray(m.attachments) ? m : null;
  } catch {
    return null;
  }
}

export function writeManifest(dataDir: string, fileName: string, manifest: BackupManifest): void {
  const path = manifestPath(dataDir, fileName);
  writeFileSync(`${path}.tmp`, JSON.stringify(manifest), { mode: PRIVATE_FILE });
  renameSync(`${path}.tmp`, path);
}

/** SHA-256 of a file, read in 1 MiB slices (evidence files can be large); null when it cannot be read. */
export function hashFile(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.alloc(1 << 20);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
    return hash.digest('hex');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Copies `source` to `target` through a temporary name, cloning where the filesystem can, and
 * keeps it only when its content hashes to `sha256` (a damaged source never enters a copy).
 */
function copyVerified(source: string, target: string, sha256: string): boolean {
  const temp = `${target}.${process.pid}.tmp`;
  try {
    copyFileSync(source, temp, constants.COPYFILE_FICLONE);
    if (hashFile(temp) !== sha256) {
      rmSync(temp, { force: true });
      return false;
    }
    renameSync(temp, target);
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}

/** Puts one live evidence file into the store unless it is there already; false when the live file is missing or damaged. */
export function storeAttachment(dataDir: string, sha256: string): boolean {
  const target = join(storeDir(dataDir), sha256);
  if (existsSync(target)) return true;
  mkdirSync(storeDir(dataDir), { recursive: true, mode: PRIVATE_DIR });
  return copyVerified(join(liveAttachmentsDir(dataDir), sha256), target, sha256);
}

/** Deletes the store files that no remaining backup's manifest references. Returns how many went. */
export function collectStore(dataDir: string, keptBackups: string[]): number {
  const dir = storeDir(dataDir);
  if (!existsSync(dir)) return 0;
  const referenced = new Set<string>();
  for (const name of keptBackups) for (const sha of readManifest(dataDir, name)?.attachments ?? []) referenced.add(sha);
  let removed = 0;
  for (const f of readdirSync(dir)) {
    if (referenced.has(f)) continue;
    // Leftover temporaries of an interrupted copy go as well; anything else is not ours.
    if (SHA256.test(f) || /^[0-9a-f]{64}\.\d+\.tmp$/.test(f)) {
      rmSync(join(dir, f), { force: true });
      removed++;
    }
  }
  return removed;
}

/**
 * SHA-256 of a file streamed in 1 MiB slices, reading off core's thread and hashing one slice per
 * turn (evidence files can be tens of megabytes); null when it cannot be read.
 */
export async function hashFileAsync(path: string): Promise<string | null> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    return hash.digest('hex');
  } catch {
    return null;
  }
}

/** copyVerified without holding core's thread: the copy in libuv's pool, the hash streamed. */
async function copyVerifiedAsync(source: string, target: string, sha256: string): Promise<boolean> {
  const temp = `${target}.${process.pid}.tmp`;
  try {
    await copyFile(source, temp, constants.COPYFILE_FICLONE);
    if ((await hashFileAsync(temp)) !== sha256) {
      rmSync(temp, { force: true });
      return false;
    }
    renameSync(temp, target);
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}

/** storeAttachment for a backup made while the app runs: other calls are answered meanwhile. */
export async function storeAttachmentAsync(dataDir: string, sha256: string): Promise<boolean> {
  const target = join(storeDir(dataDir), sha256);
  if (existsSync(target)) return true;
  mkdirSync(storeDir(dataDir), { recursive: true, mode: PRIVATE_DIR });
  return copyVerifiedAsync(join(liveAttachmentsDir(dataDir), sha256), target, sha256);
}

/**
 * For a restore: every referenced evidence file missing from the live folder, or whose content no
 * longer matches its hash, is copied back from the store. Returns what was put back and what could
 * not be (not in the store either). Stops (jobs.cancelled) between files once `stopped` says so.
 */
export async function restoreAttachments(dataDir: string, attachments: string[], stopped: () => boolean = () => false): Promise<{ restored: number; missing: number }> {
  const live = liveAttachmentsDir(dataDir);
  mkdirSync(live, { recursive: true, mode: PRIVATE_DIR });
  let restored = 0;
  let missing = 0;
  for (const sha of attachments) {
    if (stopped()) throw new AppError('jobs.cancelled');
    if (!SHA256.test(sha)) continue;
    const target = join(live, sha);
    if (existsSync(target) && (await hashFileAsync(target)) === sha) continue;
    if (await copyVerifiedAsync(join(storeDir(dataDir), sha), target, sha)) restored++;
    else missing++;
  }
  return { restored, missing };
}

/** How many of `attachments` neither the store nor the live folder has. */
export function countUnavailable(dataDir: string, attachments: string[]): number {
  return attachments.filter((sha) => !existsSync(join(storeDir(dataDir), sha)) && !existsSync(join(liveAttachmentsDir(dataDir), sha))).length;
}
