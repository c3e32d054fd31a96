/** What the app's sync methods answer (contract.ts `sync.*`). Pure types. */

export interface SyncStatus {
  enrolled: boolean;
  url: string | null;
  deviceId: string;
  /** Local mutations the server has not answered yet. */
  pending: number;
  /** Mutations the server refused (shown with their reason). */
  rejected: number;
  lastSyncAt: number | null;
  /** The i18n code of the last failure (sync.offline, sync.deviceRevoked…), null after a success. */
  lastError: string | null;
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
