/**
 * Full-text search helpers. The FTS5 tables are contentless (the text lives once, in tickets and
 * ticket_events), so highlighting is done here on the fetched text, with the same
 * accent-insensitive matching the unicode61 tokenizer uses.
 */

/** Splits what the user typed into search terms, the way FTS5's unicode61 tokenizer would. */
export function searchTerms(query: string): string[] {
  return fold(query)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0)
    .slice(0, 12);
}

/**
 * An FTS5 MATCH expression: every term must appear. With `prefix`, the last term also matches
 * longer words (search as you type) — an order of magnitude slower on a large index, so callers
 * try the exact terms first and widen only when that finds too little.
 */
export function matchExpression(terms: string[], prefix = false): string | null {
  if (terms.length === 0) return null;
  return terms.map((t, i) => `"${t.replace(/"/g, '""')}"${prefix && i === terms.length - 1 ? '*' : ''}`).join(' ');
}

const foldedChars = new Map<string, string>();

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** Lowercase and strip diacritics ("Facturación" → "facturacion"), keeping one char per char. */
export function fold(s: string): string {
  // Plain ASCII (most text) needs no Unicode normalization: fold it the cheap way.
  if (isAscii(s)) return s.toLowerCase();
  let out = '';
  for (const c of s) {
    let f = foldedChars.get(c);
    if (f === undefined) {
      f = c.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      if (foldedChars.size < 4096) foldedChars.set(c, f);
    }
    out += f;
  }
  return out;
}

/**
 * A fragment of `text` around the first match with every match wrapped in [[ ]]. Matching runs on
 * the folded text; positions map back to the original because folding is done per character.
 */
export function highlight(text: string, terms: string[], width = 160): string | null {
  if (terms.length === 0 || !text) return null;
  const chars = [...text];
  const folded = chars.map((c) => (c.charCodeAt(0) < 128 ? c.toLowerCase() : fold(c)));
  const flat = folded.join('');
  // Map each position in `flat` back to its index in `chars`.
  const owner: number[] = [];
  folded.forEach((f, i) => {
    for (let k = 0; k < f.length; k++) owner.push(i);
  });
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    let from = 0;
    for (;;) {
      const at = flat.indexOf(term, from);
      if (at < 0) break;
      ranges.push([owner[at]!, owner[at + term.length - 1]! + 1]);
      from = at + term.length;
    }
  }
  if (ranges.length === 0) return null;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  const start = Math.max(0, merged[0]![0] - Math.floor(width / 3));
  const end = Math.min(chars.length, start + width);
  let out = start > 0 ? '…' : '';
  let pos = start;
  for (const [a, b] of merged) {
    if (a >= end) break;
    if (a < pos) continue;
    out += chars.slice(pos, a).join('') + '[[' + chars.slice(a, Math.min(b, end)).join('') + ']]';
    pos = Math.min(b, end);
  }
  out += chars.slice(pos, end).join('') + (end < chars.length ? '…' : '');
  return out.replace(/\s+/g, ' ');
}
