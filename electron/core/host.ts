/**
 * The host owns the open workspace for a transport (Electron main or the web host). When the
 * database cannot be opened it stays up in recovery mode: only `app.*` methods answer, so the
 * UI can explain the problem and offer to restore a backup or start anew — never a blank window.
 */
import { queueWaitingReminders } from './mail/reminders';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../shared/errors';
import { AppError } from '../shared/errors';
import type { AppStatus, BackupInfo, BackupRestoreResult, JobInfo } from '../shared/types';
import type { ErrorInfo } from '../shared/errors';
import { randomUUID } from 'node:crypto';
import { jobIdSchema, METHODS, type MethodName } from '../shared/contract';
import { createDispatcher, storageErrorCode, toErrorInfo, validationError, type Dispatcher } from './api';
import Database from 'better-sqlite3';
import { createBackup, listBackups, listedBackup, moveAside, previewBackup, restoreBackup } from './backup/backups';
import { checkSpaceForBackup, migrationPending } from './backup/space';
import { DUMMY_HASH, verifyPassword } from './passwords';
import { DB_FILE, PRIVATE_FILE } from './db/connection';
import { createServices, type MailServiceOptions, type Services } from './services';
import type { BackgroundSyncOptions } from './sync/background';
import { Workspace, type WorkspaceOptions } from './workspace';

export interface Host {
  call(method: string, input: unknown, session: string | null | undefined): Promise<Result<unknown>>;
  /** The open services, or null in recovery mode. */
  services(): Services | null;
  /** What the host's timer does every minute: catch up with the clock, then the daily backup if one is due. */
  tick(): Promise<void>;
  /** Settles when the workspace is open or in recovery mode (the backup before an update runs first, off core's thread). */
  ready(): Promise<void>;
  close(): void;
}

/** Files up to this size are integrity-checked at every open (about 0.2 s here). */
const QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** How often the host catches up with the clock (SLA breaches, auto-close) while it runs. */
export const SWEEP_INTERVAL_MS = 60_000;

export interface SweepResult {
  breaches: number;
  autoClosed: number;
  emergencyDisabled: number;
}

/**
 * One step of catching up with the clock: disables emergency accounts whose window ended (NIST
 * AC-2(2); each call also checks) and runs a step of the SLA sweep (records breaches,
 * auto-closes). `more` says another step has work left. Errors are logged, never thrown into a timer.
 */
export function runSweepStep(services: Services): (SweepResult & { more: boolean }) | null {
  try {
    const emergencyDisabled = services.emergency.sweep();
    const sla = services.sla.sweep((tx, ticketId, cause, solution) => services.tickets.closeInTx(tx, ticketId, cause, solution));
    // "En espera" reminders to customers who have not answered (issue 12); a step at a time like the rest.
    queueWaitingReminders(services.ws, services.tickets, services.sla);
    // Move the WAL into the database file between commands, so commands rarely pay for it.
    services.ws.db.pragma('wal_checkpoint(PASSIVE)');
    return { ...sla, emergencyDisabled };
  } catch (err) {
    console.error('[core] sweep failed', err);
    return null;
  }
}

/** Catches up completely, step after step, without yielding (tests, command-line tools). */
export function runSweep(services: Services): SweepResult | null {
  const total: SweepResult = { breaches: 0, autoClosed: 0, emergencyDisabled: 0 };
  for (;;) {
    const step = runSweepStep(services);
    if (!step) return null;
    total.breaches += step.breaches;
    total.autoClosed += step.autoClosed;
    total.emergencyDisabled += step.emergencyDisabled;
    if (!step.more) return total;
  }
}

/**
 * Catches up step after step, letting calls in between: after a long sleep with many open
 * tickets the catch-up takes seconds, and the window must answer meanwhile. `current` is asked
 * before each step, so a closed or replaced workspace stops the loop.
 */
function sweepInBackground(current: () => Services | null): void {
  const services = current();
  if (!services) return;
  if (runSweepStep(services)?.more) setImmediate(() => current() === services && sweepInBackground(current));
}

/** The backups to offer in recovery mode; none when the folder itself cannot be read. */
function backupsIfReadable(dataDir: string): BackupInfo[] {
  try {
    return listBackups(dataDir);
  } catch {
    return [];
  }
}

const STORAGE_REASONS = { 'storage.readOnly': 'readOnly', 'storage.full': 'full', 'storage.denied': 'denied' } as const;

function recoveryReason(err: unknown): NonNullable<AppStatus['recovery']>['reason'] {
  const storage = storageErrorCode(err);
  if (storage) return STORAGE_REASONS[storage];
  return toErrorInfo(err).code === 'db.corrupt' ? 'corrupt' : 'unreadable';
}

export interface HostOptions extends WorkspaceOptions {
  sweepIntervalMs?: number;
  /** Background sync with the central server while enrolled (default on; tests turn it off or pass their timers). */
  backgroundSync?: BackgroundSyncOptions | false;
  /** Outgoing mail (issue 12); start: false keeps the sender from running on its own (tests call it). */
  mail?: MailServiceOptions & { start?: boolean };
  /** Install the knowledge base's starter articles at open and setup (default on; unit tests turn it off to count rows). */
  kbStarter?: boolean;
  /** How sync reaches the central server (default the global fetch; the sync simulator passes its faulty network). */
  syncFetch?: typeof fetch;
}

export function openHost(opts: HostOptions): Host {
  const now = opts.now ?? Date.now;
  // Present while a workspace is open; found at start, it means the last session crashed.
  const openMarker = join(opts.dataDir, `${DB_FILE}.open`);
  let services: Services | null = null;
  let dispatcher: Dispatcher | null = null;
  let recovery: AppStatus['recovery'] = null;

  /** The backup before an update, while it runs: the window shows its progress. */
  let preparing: { done: number; total: number | null; startedAt: number } | null = null;
  let ready: Promise<void> = Promise.resolve();
  let closed = false;
  /** The sizes behind a noSpace recovery, kept for the audit entry of an update without backup. */
  let skipBackup: { userId: string; username: string; neededBytes: number; freeBytes: number } | null = null;
  /** The restore from the app, running or the last one (its outcome is asked after every session ended). */
  let restoring: { info: JobInfo; swapped: boolean; cancel: () => void; copiedAt: number | null; copiedIn: number | null } | null = null;

  const status = (): AppStatus => {
    if (preparing) {
      const { done, total, startedAt } = preparing;
      const elapsed = Date.now() - startedAt;
      const etaMs = total && done > 0 ? Math.round((elapsed / done) * Math.max(0, total - done)) : null;
      return { initialized: false, branch: null, recovery: null, preparing: { task: 'backupBeforeUpdate', done, total, etaMs } };
    }
    if (!services) return { initialized: false, branch: null, recovery };
    const branch = services.users.branch();
    return { initialized: branch !== null, branch, recovery: null };
  };

  /** Stops background work (sync, jobs) and closes the database of the open workspace, if any. */
  const closeServices = () => {
    services?.syncBackground.stop();
    services?.mail.stop();
    services?.fetcher.stop();
    services?.jobs.cancelAll();
    services?.ws.close();
  };

  /**
   * Opens the workspace. When that will update a database that holds data, the backup comes first:
   * only if the disk has room for it (else recovery `noSpace`: nothing copied, nothing migrated),
   * and on a worker thread with its progress in app.status, the workspace opening when it is done.
   */
  const open = () => {
    closeServices();
    services = null;
    dispatcher = null;
    if (!skipBackup && migrationPending(opts.dataDir, opts.nativeBinding)) {
      const space = checkSpaceForBackup(opts.dataDir, opts.freeSpace);
      if (!space.enough) {
        recovery = {
          reason: 'noSpace', detail: '', backups: backupsIfReadable(opts.dataDir),
          space: { neededBytes: space.neededBytes, freeBytes: space.freeBytes, folder: space.folder },
        };
        return;
      }
      recovery = null;
      preparing = { done: 0, total: null, startedAt: Date.now() };
      ready = createBackup(opts.dataDir, now(), {
        reason: 'migration', nativeBinding: opts.nativeBinding,
        step: (done, total) => {
          if (closed) throw new AppError('jobs.cancelled');
          preparing = { ...preparing!, done, total };
        },
      }).then(
        () => {
          preparing = null;
          if (!closed) openNow(true);
        },
        (err: unknown) => {
          preparing = null;
          if (closed) return;
          console.error('[core] backup before the update failed', err);
          recovery = { reason: recoveryReason(err), detail: err instanceof Error ? err.message : String(err), backups: backupsIfReadable(opts.dataDir) };
        },
      );
      return;
    }
    openNow(skipBackup !== null);
  };

  /** `backedUp`: the backup before an update is made (or an administrator chose to go without). */
  const openNow = (backedUp: boolean) => {
    try {
      const uncleanShutdown = existsSync(openMarker);
      const ws = new Workspace({ ...opts, now, ...(backedUp ? { beforeMigrate: () => undefined } : {}) });
      try {
        // A damaged file can open fine and fail later, so check it while we can still offer a way
        // out — but reading a multi-gigabyte file at every start costs seconds, so only when it is
        // small or the last session did not close cleanly. Later damage is caught per call (below).
        if (uncleanShutdown || fileSize(join(opts.dataDir, DB_FILE)) <= QUICK_CHECK_MAX_BYTES) {
          const check = ws.db.pragma('quick_check', { simple: true });
          if (check !== 'ok') throw Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' });
        }
        // SQLite opens a file it may not write as read-only without a word, and every sign-in would
        // fail later: write the header's user_version (unchanged) now, so a read-only file says so.
        ws.db.pragma(`user_version = ${Number(ws.db.pragma('user_version', { simple: true }))}`);
        writeFileSync(openMarker, String(process.pid), { mode: PRIVATE_FILE });
      } catch (err) {
        ws.close();
        throw err;
      }
      services = createServices(ws, opts.backgroundSync || {}, opts.mail ?? {}, { kbStarter: opts.kbStarter }, opts.syncFetch);
      // The knowledge base's starter articles: added to an existing workspace once (new ones get them at setup).
      if (services.users.isInitialized()) services.kb.installStarter();
      dispatcher = createDispatcher(services, hostHandlers);
      if (opts.backgroundSync !== false) services.syncBackground.start();
      if (opts.mail?.start !== false) {
        services.mail.start();
        services.fetcher.start();
      }
      recovery = null;
      if (skipBackup) {
        const { userId, ...facts } = skipBackup;
        ws.write({ kind: 'user', userId }, (tx) => tx.audit('backup.skipped', 'backup', null, { reason: 'noSpace', ...facts }));
        skipBackup = null;
      }
      // Catch up at start (the app may have been closed over a weekend), then periodically.
      if (services.users.isInitialized()) sweepInBackground(() => services);
    } catch (err) {
      recovery = {
        reason: recoveryReason(err),
        detail: err instanceof Error ? err.message : String(err),
        backups: backupsIfReadable(opts.dataDir),
      };
    }
  };

  const hostHandlers = {
    'app.status': () => status(),
    'app.resetDatabase': () => {
      if (services && !recovery) return status(); // only a damaged workspace may be reset from the UI
      moveAside(opts.dataDir, now());
      open();
      return status();
    },
    'app.restoreBackup': async (input: { fileName: string }) => {
      if (services && !recovery) return status();
      // Nothing else is open to answer meanwhile; the copy and its check still run on the worker.
      const outcome = await restoreBackup(opts.dataDir, input.fileName, now, { nativeBinding: opts.nativeBinding });
      open();
      await ready;
      // No one is signed in during recovery: the restore is recorded as the system's.
      const restored = services as Services | null;
      if (restored?.users.isInitialized()) {
        restored.ws.write({ kind: 'system' }, (tx) => tx.audit('backup.restored', 'backup', input.fileName, { recovery: true, ...outcome }));
      }
      return status();
    },
    'app.retryOpen': () => {
      if (preparing || (services && !recovery)) return status();
      open();
      return status();
    },
    /**
     * Only when the backup before an update does not fit: an active administrator of the database
     * as it is (user name and password) chooses to update without it; recorded as backup.skipped.
     */
    'app.migrateWithoutBackup': async (input: { username: string; password: string }) => {
      if (recovery?.reason !== 'noSpace' || !recovery.space) throw new AppError('auth.forbidden');
      const { neededBytes, freeBytes } = recovery.space;
      const db = new Database(join(opts.dataDir, DB_FILE), { readonly: true, fileMustExist: true, nativeBinding: opts.nativeBinding });
      let row: { id: string; roles: string; active: number; password_hash: string } | undefined;
      try {
        row = db.prepare('SELECT id, roles, active, password_hash FROM users WHERE username = ?').get(input.username) as typeof row;
      } finally {
        db.close();
      }
      const ok = await verifyPassword(input.password, row?.password_hash ?? DUMMY_HASH);
      if (!row || !ok) throw new AppError('auth.invalidCredentials');
      if (!row.active || !(JSON.parse(row.roles) as string[]).includes('admin')) throw new AppError('auth.forbidden');
      skipBackup = { userId: row.id, username: input.username, neededBytes, freeBytes };
      open();
      if (recovery) skipBackup = null;
      return status();
    },
    'app.previewBackup': async (input: { fileName: string }) => {
      if (services && !recovery) throw new AppError('auth.forbidden'); // signed in, backup.preview answers
      return await previewBackup(opts.dataDir, input.fileName, opts.nativeBinding);
    },
    /**
     * Restore from the app (an administrator; the dispatcher checked the role and the input), as a
     * job: the backup is copied beside the database and the copy checked on a worker thread while the
     * workspace stays open and every call answers; Cancelar until then changes nothing. Then, in one
     * turn, jobs are cancelled, the workspace closed, the current file set aside and the copy put in
     * its place, and the workspace opened again — with new services, so every session ends and
     * everyone signs in again (an older backup first goes through the update, with its backup). The
     * restore is recorded in the restored audit chain. Backups and restores exclude each other.
     */
    'backup.restore': (input: { fileName: string }, ctx: { userId: string }): JobInfo => {
      const current = services;
      if (!current) throw new AppError('api.unavailable');
      if (restoring?.info.state === 'running') throw new AppError('backup.busy');
      listedBackup(opts.dataDir, input.fileName); // backup.notFound before any job starts
      const release = current.backups.holdForRestore();
      const username = current.users.me(ctx.userId).username;
      const cancel = new Int32Array(new SharedArrayBuffer(4));
      // The id outlives every session (they all end at the swap): random, so only the window that started it knows it.
      const info: JobInfo = {
        id: `job-restore-${randomUUID()}`, kind: 'backup.restore', state: 'running', done: 0, total: null, startedAt: Date.now(), etaMs: null,
        result: null, backup: null, error: null, phase: 'copying', restored: null,
      };
      const job = { info, swapped: false, cancel: () => Atomics.store(cancel, 0, 1), copiedAt: null as number | null, copiedIn: null as number | null };
      restoring = job;
      const end = (state: Exclude<JobInfo['state'], 'running'>, error: ErrorInfo | null = null) => {
        info.state = state;
        info.error = error;
      };
      void restoreBackup(opts.dataDir, input.fileName, now, {
        nativeBinding: opts.nativeBinding, cancel,
        progress: (done, total) => {
          info.done = done;
          info.total = total;
        },
        phase: (phase) => {
          info.phase = phase;
          if (phase === 'checking') {
            job.copiedAt = Date.now();
            job.copiedIn = job.copiedAt - info.startedAt;
          }
        },
        beforeSwap: () => {
          job.swapped = true;
          release();
          closeServices();
          // Closed cleanly, and the copy was checked on the worker: the reopen must not take the
          // marker for a crash and quick_check gigabytes on core's thread (16 s at 5 GB in the bench).
          rmSync(openMarker, { force: true });
          services = null;
          dispatcher = null;
        },
      }).then(
        async (outcome) => {
          info.phase = 'updating';
          open();
          await ready; // an older backup: its backup before the update, then the update
          const reopened = services as Services | null;
          if (!reopened) return end('failed', { code: 'api.unavailable' });
          const result: BackupRestoreResult = { fileName: input.fileName, ...outcome };
          reopened.ws.write({ kind: 'user', userId: ctx.userId }, (tx) => tx.audit('backup.restored', 'backup', input.fileName, { username, ...outcome }));
          info.restored = result;
          info.done = info.total ?? info.done;
          end('done');
        },
        (err: unknown) => {
          if (job.swapped) {
            // The rename itself failed: reopen what is there (the untouched file, or the set-aside one back).
            open();
          } else {
            release();
          }
          if (Atomics.load(cancel, 0) === 1) return end('cancelled');
          if (toErrorInfo(err).code === 'errors.internal') console.error('[core] restore failed', err);
          end('failed', toErrorInfo(err));
        },
      ).catch((err: unknown) => {
        console.error('[core] restore failed after the swap', err);
        end('failed', toErrorInfo(err));
      });
      return { ...info };
    },
  };

  /** A restore's job: answered by the host, since the services that saw it start are replaced at its swap. */
  const restoreJobCall = (method: string, input: unknown): Result<unknown> | null => {
    if ((method !== 'jobs.status' && method !== 'jobs.cancel') || !restoring) return null;
    const parsed = jobIdSchema.safeParse(input ?? {});
    if (!parsed.success || parsed.data.jobId !== restoring.info.id) return null;
    const { info } = restoring;
    if (method === 'jobs.cancel' && info.state === 'running' && !restoring.swapped) restoring.cancel();
    let etaMs: number | null = null;
    let progress = { done: info.done, total: info.total };
    if (info.state === 'running' && info.phase === 'updating' && preparing) {
      // After the swap, an older backup's own backup before the update: its pages.
      progress = { done: preparing.done, total: preparing.total };
      etaMs = status().preparing?.etaMs ?? null;
    } else if (info.state === 'running' && info.total && info.done > 0) {
      // The check reads the copy once more, about as long as the copy took: the estimate counts both.
      const elapsed = Date.now() - info.startedAt;
      if (info.phase === 'copying') etaMs = Math.round((elapsed / info.done) * (2 * info.total - info.done));
      else if (restoring.copiedIn !== null && restoring.copiedAt !== null) etaMs = Math.max(1000, restoring.copiedIn - (Date.now() - restoring.copiedAt));
    }
    return { ok: true, value: { ...info, ...progress, etaMs } };
  };

  open();
  const tick = async () => {
    sweepInBackground(() => services);
    // A workspace not set up yet holds nothing worth a backup.
    if (services?.users.isInitialized()) await services.backups.runScheduled();
  };
  const interval = opts.sweepIntervalMs ?? SWEEP_INTERVAL_MS;
  const timer = interval > 0 ? setInterval(() => void tick(), interval) : null;
  timer?.unref();

  /** Damage found while working: close the workspace and answer from recovery mode from now on. */
  const enterRecovery = (detail: string) => {
    closeServices();
    services = null;
    dispatcher = null;
    recovery = { reason: 'corrupt', detail, backups: backupsIfReadable(opts.dataDir) };
  };

  return {
    async call(method, input, session) {
      const restoreAnswer = restoreJobCall(method, input);
      if (restoreAnswer) return restoreAnswer;
      if (dispatcher) {
        const result = await dispatcher.call(method, input, session);
        if (!result.ok && result.error.code === 'db.corrupt') enterRecovery(method);
        return result;
      }
      // Recovery mode: only the app.* methods, which need no session.
      if (method in hostHandlers) {
        try {
          if (!method.startsWith('app.')) return { ok: false, error: { code: 'api.unavailable' } };
          // While the backup before an update runs, only its progress is asked.
          if (preparing && method !== 'app.status') return { ok: false, error: { code: 'backup.busy' } };
          const handler = hostHandlers[method as keyof typeof hostHandlers] as (i: unknown) => unknown;
          const parsed = METHODS[method as MethodName].input.safeParse(input ?? {});
          if (!parsed.success) throw validationError(parsed.error, input ?? {});
          return { ok: true, value: await handler(parsed.data) };
        } catch (err) {
          return { ok: false, error: toErrorInfo(err) };
        }
      }
      return { ok: false, error: { code: 'api.unavailable' } };
    },
    services: () => services,
    tick,
    ready: () => ready,
    close: () => {
      closed = true;
      if (timer) clearInterval(timer);
      if (services) {
        closeServices();
        rmSync(openMarker, { force: true });
      }
      // A background catch-up step still scheduled finds no workspace and stops.
      services = null;
      dispatcher = null;
    },
  };
}
