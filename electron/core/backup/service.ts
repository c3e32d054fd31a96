/**
 * The backups of one open workspace: manual, as a job, and daily by themselves — all through the
 * same runner, so only one copy is ever made at a time — each recorded in the audit log.
 */
import type { BackupInfo, BackupPreview, BackupReason, BackupStatus } from '../../shared/types';
import type { Actor } from '../audit';
import type { Settings } from '../settings';
import type { Workspace } from '../workspace';
import { BackupRunner, DAY_MS, listBackups, previewBackup, type BackupStep } from './backups';

/** With no backup newer than this, administrators and supervisors are warned. */
export const BACKUP_STALE_MS = 2 * DAY_MS;
/** A daily backup that failed is tried again after this long, not at every sweep. */
const SCHEDULED_RETRY_MS = 60 * 60 * 1000;

export class Backups {
  private readonly runner: BackupRunner;
  private lastScheduledFailure = -Infinity;

  constructor(
    private readonly ws: Workspace,
    private readonly settings: Settings,
  ) {
    this.runner = new BackupRunner(ws.dataDir, ws.nativeBinding, ws.freeSpace);
  }

  get busy(): boolean {
    return this.runner.busy;
  }

  /** Keeps backups from starting while a restore copies (manual and daily alike answer backup.busy); returns the release. */
  holdForRestore(): () => void {
    return this.runner.hold();
  }

  /** Makes a backup now and records it (`backup.created`, with why it was made). */
  async create(actor: Actor, reason: BackupReason = 'manual', step?: BackupStep): Promise<BackupInfo> {
    const { keepBackups, keepBackupDays } = this.settings.get();
    const info = await this.runner.run(this.ws.now(), { keep: keepBackups, keepDays: keepBackupDays }, step, reason);
    this.ws.write(actor, (tx) =>
      tx.audit('backup.created', 'backup', info.fileName, { sizeBytes: info.sizeBytes, reason, attachments: info.attachments }),
    );
    return info;
  }

  list(): BackupInfo[] {
    return listBackups(this.ws.dataDir);
  }

  status(): BackupStatus {
    const lastAt = this.list()[0]?.createdAt ?? null;
    return { lastAt, stale: lastAt === null || this.ws.now() - lastAt > BACKUP_STALE_MS, daily: this.settings.get().dailyBackups };
  }

  /** Reads a backup without opening it as the workspace; the look is recorded (a backup holds personal data). */
  async preview(userId: string, fileName: string): Promise<BackupPreview> {
    const preview = await previewBackup(this.ws.dataDir, fileName, this.ws.nativeBinding);
    this.ws.write({ kind: 'user', userId }, (tx) => tx.audit('backup.previewed', 'backup', preview.fileName, { integrity: preview.integrity }));
    return preview;
  }

  /**
   * The daily backup, asked at every sweep: made as a system action when daily backups are on and
   * the newest backup is a day old or more, unless one is being made. Never throws.
   */
  async runScheduled(): Promise<BackupInfo | null> {
    const now = this.ws.now();
    if (!this.settings.get().dailyBackups || this.runner.busy || now - this.lastScheduledFailure < SCHEDULED_RETRY_MS) return null;
    const last = this.list()[0];
    if (last && now - last.createdAt < DAY_MS) return null;
    try {
      return await this.create({ kind: 'system' }, 'scheduled');
    } catch (err) {
      this.lastScheduledFailure = now;
      console.error('[core] scheduled backup failed', err);
      return null;
    }
  }
}
