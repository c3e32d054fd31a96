/**
 * Search fragments from core wrap matches in [[ and ]]. They are split into text and <mark>
 * nodes: React escapes every piece, so nothing in the fragment is ever parsed as HTML.
 */

export interface HighlightSegment {
  text: string;
  match: boolean;
}

/** Splits "a [[b]] c" into [{a,false},{b,true},{c,false}]; an unclosed [[ is plain text. */
export function splitHighlight(fragment: string): HighlightSegment[] {
  const out: HighlightSegment[] = [];
  let rest = fragment;
  while (rest.length > 0) {
    const open = rest.indexOf('[[');
    const close = open >= 0 ? rest.indexOf(']]', open + 2) : -1;
    if (open < 0 || close < 0) {
      out.push({ text: rest, match: false });
      break;
    }
    if (open > 0) out.push({ text: rest.slice(0, open), match: false });
    const inner = rest.slice(open + 2, close);
    if (inner) out.push({ text: inner, match: true });
    rest = rest.slice(close + 2);
  }
  return out;
}

/**
 * Shortens the text before the first match to about `lead` characters ("…text [[match]]"), so the
 * match stays visible in a narrow, one-line cell.
 */
export function focusHighlight(fragment: string, lead = 24): string {
  const open = fragment.indexOf('[[');
  if (open <= lead) return fragment;
  let start = open - lead;
  const space = fragment.indexOf(' ', start);
  if (space > 0 && space < open) start = space + 1;
  return `…${fragment.slice(start).replace(/^[.…\s]+/, '')}`;
}

export function Highlighted({ text, className }: { text: string; className?: string }) {
  return (
    <span className={className}>
      {splitHighlight(text).map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
    </span>
  );
}
