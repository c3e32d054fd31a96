/**
 * The satisfaction survey (issue 12, item 4): the customer answers the closing notice by replying
 * with a number from 1 to 5 and, if they like, a comment. `parseSurveyReply` reads that answer
 * from a reply's text: only what the customer wrote above the quoted message counts, the rating
 * must open the reply ("5", "cinco", "5 - excelente", "4/5", "Calificación: 4"), and a reply that
 * offers two ratings ("4 o 5", "3-4") is refused as ambiguous rather than guessed.
 */
import { z } from 'zod';
import { str, uuid } from './text';

export const SURVEY_SOURCES = ['email', 'agent', 'portal'] as const;
export type SurveySource = (typeof SURVEY_SOURCES)[number];

export interface SurveyAnswer {
  id: string;
  ticketId: string;
  rating: number;
  comment: string;
  source: SurveySource;
  answeredAt: number;
}

export type SurveyParse =
  | { ok: true; rating: number; comment: string }
  | { ok: false; reason: 'noRating' | 'outOfRange' | 'ambiguous'; ratings?: number[] };

const WORDS: Record<string, number> = {
  cero: 0, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10,
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
};
const NUMBER = `(\\d{1,3}|${Object.keys(WORDS).join('|')})`;
/** Words a customer may put before the number: "Calificación: 5", "Mi respuesta es 4", "Rating 3". */
const LEAD = /^(?:(?:mi\s+)?(?:calificaci[oó]n|calificar[ií]a|califico|respuesta|puntuaci[oó]n|rating|score|encuesta|le\s+doy|doy|my\s+rating\s+is|i\s+give)\s*(?:es|is|de|:|-|=)?\s*)+/i;
/** The first lines of a quoted reply as mail programs write them. */
const QUOTE_START = [
  /^>/, /^-{2,}\s*(mensaje original|original message|forwarded message|mensaje reenviado)/i,
  /^(el|on)\s.+(escribi[oó]|wrote)\s*:?\s*$/i, /^(de|from)\s*:\s.+/i, /^_{5,}\s*$/, /^enviado desde mi|^sent from my/i,
];

/** What the customer wrote above the quoted message (and above their signature's "--"). */
export function ownText(reply: string): string {
  const lines = reply.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    const t = line.trim();
    if (t === '--' || QUOTE_START.some((r) => r.test(t))) break;
    kept.push(line);
  }
  return kept.join('\n').trim();
}

const toNumber = (token: string) => (/^\d+$/.test(token) ? Number(token) : WORDS[fold(token)] ?? NaN);
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** Reads the rating and comment a customer replied with; see the file's comment for the rules. */
export function parseSurveyReply(reply: string): SurveyParse {
  const text = ownText(reply);
  if (!text) return { ok: false, reason: 'noRating' };
  const head = fold(text).replace(LEAD, '');
  const first = new RegExp(`^[\\s*"'«“(\\[]*${NUMBER}(?![\\p{L}\\d])`, 'u').exec(head);
  if (!first) return { ok: false, reason: 'noRating' };
  const rating = toNumber(first[1]!);
  let rest = head.slice(first[0].length);
  // "4/5", "4 de 5", "4 out of 5": the scale, not a second rating.
  rest = rest.replace(/^\s*(?:\/|de|sobre|out of|of)\s*(?:5|cinco|five)(?![\p{L}\d])/u, '');
  // "4 o 5", "3-4", "3 y 4", "4, 5", "4 or 5": two ratings offered.
  const second = new RegExp(`^\\s*(?:o|y|u|a|or|and|to|-|–|,|/)\\s*${NUMBER}(?![\\p{L}\\d])`, 'u').exec(rest);
  if (second) {
    const other = toNumber(second[1]!);
    if (other !== rating) return { ok: false, reason: 'ambiguous', ratings: [rating, other] };
    rest = rest.slice(second[0].length);
  }
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) return { ok: false, reason: 'outOfRange' };
  // The comment keeps the customer's own letters (not the folded copy): cut at the same length from the end.
  const original = text.normalize('NFC');
  const comment = original.slice(Math.max(0, original.length - rest.length)).replace(/^[\s\-–—:.,;)\]"'»”!]+/u, '').trim();
  return { ok: true, rating, comment: comment.slice(0, 2000) };
}

/** An agent records an answer given by phone or chat (the e-mail path goes through the reply's text). */
export const surveyRecordSchema = z.object({
  ticketId: uuid(),
  rating: z.number().int().min(1, 'survey.outOfRange').max(5, 'survey.outOfRange'),
  comment: str().trim().max(2000, 'validation.tooLong').default(''),
});
