/**
 * The audit chain's entry and the exact text its hash covers, shared by the workspace (which
 * writes and verifies chains) and the sync server (which checks every uploaded chain). Pure: the
 * caller applies SHA-256 to `prevHash + "\n" + canonicalEntry(entry)`.
 */

/** One entry as stored and exported. */
export interface AuditEntry {
  seq: number;
  id: string;
  deviceId: string;
  at: number;
  actorId: string | null;
  actorKind: string;
  action: string;
  entity: string;
  entityId: string | null;
  data: string;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

const q = JSON.stringify;

/**
 * JCS (RFC 8785) of the hashed fields, written out by hand on the verification hot path: keys in
 * sorted order, and every value a string, an integer or null — for which JSON.stringify already
 * produces RFC 8785 output (a unit test checks it equals the `canonicalize` package's output).
 */
export function canonicalEntry(e: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  return (
    '{"action":' + q(e.action) + ',"actorId":' + q(e.actorId) + ',"actorKind":' + q(e.actorKind) + ',"at":' + q(e.at) +
    ',"data":' + q(e.data) + ',"deviceId":' + q(e.deviceId) + ',"entity":' + q(e.entity) + ',"entityId":' + q(e.entityId) +
    ',"id":' + q(e.id) + ',"seq":' + q(e.seq) + '}'
  );
}
