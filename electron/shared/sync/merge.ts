/**
 * The server's merge rule for row fields (issue 11): last writer wins per field, ordered by HLC.
 * An encoded HLC (shared/hlc.ts) ends with the writing device's id and its string order equals
 * clock order, so comparing the strings orders by (HLC, device id) and every replica that merges
 * the same writes in any order reaches the same row. Pure.
 */

export interface MergedRow {
  data: Record<string, unknown>;
  /** Per field, the HLC of the write that set it. */
  versions: Record<string, string>;
}

/** Merges one write into a row (null: not seen yet). `changed` lists the fields the write won. */
export function mergeFields(current: MergedRow | null, payload: Record<string, unknown>, hlc: string): MergedRow & { changed: string[] } {
  const data = { ...(current?.data ?? {}) };
  const versions = { ...(current?.versions ?? {}) };
  const changed: string[] = [];
  for (const [field, value] of Object.entries(payload)) {
    const seen = versions[field];
    if (seen !== undefined && seen >= hlc) continue;
    data[field] = value;
    versions[field] = hlc;
    changed.push(field);
  }
  return { data, versions, changed };
}
