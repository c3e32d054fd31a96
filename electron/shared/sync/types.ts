/** What the app's sync methods answer (contract.ts `sync.*`). Pure types. */

export interface SyncStatus {
  enrolled: boolean;
  url: string | null;
  /** The branch the server enrolled this device as (its site code). */
  branch: string | null;
  deviceId: string;
  /** Local mutations the server has not answered yet, counted up to a bound. */
  pending: number;
  /** There are more pending mutations than `pending` says ("más de 10 000"). */
  pendingCapped: boolean;
  /** Mutations the server refused (shown with their reason). */
  rejected: number;
  /** The last run that pushed, pulled and uploaded the audit chain without a failure. */
  lastSyncAt: number | null;
  /** The last time the server answered a push (even with nothing to send) and a pull. */
  lastPushAt: number | null;
  lastPullAt: number | null;
  /** The i18n code of the last failure (sync.offline, sync.deviceRevoked…), null after a success. */
  lastError: string | null;
  lastErrorAt: number | null;
  /** How far the server's clock is ahead of this device's (ms, negative: behind), when more than SKEW_TOLERANCE_MS at the last answer. */
  clockSkewMs: number | null;
  /** The last time pulled changes were applied here (open screens reload when it moves). */
  lastChangeAt: number | null;
  /** A run is going on now. */
  running: boolean;
  /** When background sync will next try on its own (null: not scheduled, e.g. not enrolled or waiting for the administrator). */
  nextAttemptAt: number | null;
  /** How far the run going now has come (null or absent: none going). */
  progress?: SyncProgress | null;
  /** Files pulled from other branches whose bytes are not on this device yet. */
  pendingDownloads?: number;
}

/**
 * A run's progress, for a first sync of a large organization above all: the phase, what is done
 * and the estimated total of that phase (null while unknown). Pull's total is estimated from how
 * far through the server's change feed the pages have come.
 */
export interface SyncProgress {
  phase: 'push' | 'files' | 'pull' | 'audit' | 'download';
  /** The first pull: the organization's whole history arrives. */
  firstSync: boolean;
  done: number;
  total: number | null;
  startedAt: number;
}

export interface PushSummary {
  applied: number;
  rejected: number;
  duplicate: number;
}

export interface ApplySummary {
  applied: number;
  /** Kinds of change this version does not store locally (yet). */
  ignored: number;
  /** Changes that could not apply here (a constraint of the local data), as entity:id. */
  failed: string[];
}

export interface SyncRunSummary {
  push: PushSummary;
  pull: ApplySummary;
  auditEntries: number;
  /** Evidence files: sent to the server, already there, held back (with a reason), fetched from it. */
  files: { sent: number; already: number; held: number; fetched: number };
}

/** A mutation the server refused: its reason (an i18n code) and what it would have changed. */
export interface RejectedMutation {
  pushSeq: number;
  entity: string;
  entityId: string;
  op: string;
  payload: Record<string, unknown>;
  reason: string;
  createdAt: number;
}
