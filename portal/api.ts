/** The portal's calls to its server: the CSRF token from the session, JSON in and out, errors as `{ code, fields }`. */
import {
  leadingZeroBits, powInput, type PortalAccount, type PortalArticle, type PortalArticleHit, type PortalChallenge, type PortalSurvey, type PortalTicketCreated, type PortalTicketStatus,
} from '../electron/shared/portal';
import { portalBrandingSchema, type PortalBranding } from '../electron/shared/branding';
import { sha256 } from './sha256';

export class PortalError extends Error {
  constructor(
    readonly code: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(code);
  }
}

const BASE = '/portal/api';
let csrf: Promise<string> | null = null;

function session(): Promise<string> {
  csrf ??= fetch(`${BASE}/session`, { credentials: 'same-origin' })
    .then((r) => r.json() as Promise<{ csrfToken: string }>)
    .then((b) => b.csrfToken)
    .catch((err) => {
      csrf = null;
      throw err;
    });
  return csrf;
}

async function post<T>(path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': await session() },
      body: JSON.stringify(body),
    });
  } catch {
    throw new PortalError('portal.offline');
  }
  const json = (await res.json().catch(() => null)) as { error?: { code: string; details?: { fields?: Record<string, string> } } } | null;
  if (!res.ok) throw new PortalError(json?.error?.code ?? 'errors.internal', json?.error?.details?.fields ?? {});
  return json as T;
}

async function get<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, { credentials: 'same-origin' });
  } catch {
    throw new PortalError('portal.offline');
  }
  const json = (await res.json().catch(() => null)) as { error?: { code: string } } | null;
  if (!res.ok) throw new PortalError(json?.error?.code ?? 'errors.internal');
  return json as T;
}

/** The organization's name, logo and colours; checked here too, since they become CSS (a bad answer keeps the portal's own look). */
export const branding = (): Promise<PortalBranding | null> =>
  get<unknown>('/branding').then((b) => portalBrandingSchema.safeParse(b).data ?? null, () => null);

export const requestSignInLink = (email: string) => post<{ requested: true }>('/sign-in-link', { email });
export const signIn = (token: string) => post<{ signedIn: true }>('/sign-in', { token });
export const signOut = () => post<{ signedIn: false }>('/sign-out', {});
export const accountTickets = (filters: { status: string; requestType: string }) =>
  get<PortalAccount>(`/account/tickets?${new URLSearchParams(filters).toString()}`);
export const accountTicket = (trackingNumber: string) => post<PortalTicketStatus>('/account/ticket', { trackingNumber });
export const accountMessage = (body: { trackingNumber: string; message: string; attachments: unknown[] }) => post<PortalTicketStatus>('/account/messages', body);
export const surveyInfo = (token: string) => post<PortalSurvey>('/survey/info', { token });
export const answerSurvey = (body: { token: string; rating: number; comment: string }) => post<PortalSurvey>('/survey', body);

/** This visit's id (one per tab): article reads and a ticket opened in the same visit are counted together (deflection). */
export const VISIT = (() => {
  const kept = sessionStorage.getItem('portal.visit');
  if (kept) return kept;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  sessionStorage.setItem('portal.visit', id);
  return id;
})();

export const searchArticles = (q: string, limit = 8) =>
  get<{ articles: PortalArticleHit[] }>(`/articles?${new URLSearchParams({ q, limit: String(limit) }).toString()}`).then((r) => r.articles);
export const readArticle = (id: string) => get<PortalArticle>(`/articles/${encodeURIComponent(id)}?visit=${VISIT}`);

export const openTicket = (body: object) => post<PortalTicketCreated>('/tickets', { ...body, visit: VISIT });
export const ticketStatus = (body: { trackingNumber: string; email: string }) => post<PortalTicketStatus>('/status', body);
export const addInformation = (body: unknown) => post<PortalTicketStatus>('/messages', body);

/**
 * A bot challenge, solved while the customer fills the form: the nonce whose hash clears the
 * difficulty, found in slices so the page stays responsive.
 */
export async function solvedChallenge(): Promise<{ answer: { token: string; nonce: string }; notBefore: number }> {
  const res = await fetch(`${BASE}/challenge`, { credentials: 'same-origin' });
  if (!res.ok) throw new PortalError(res.status === 429 ? 'portal.tooManyRequests' : 'portal.offline');
  const c = (await res.json()) as PortalChallenge;
  const encoder = new TextEncoder();
  for (let n = 0; ; n++) {
    if (leadingZeroBits(sha256(encoder.encode(powInput(c.token, String(n))))) >= c.difficulty) {
      // The server's clock decides; the page only waits out the same interval from when it asked.
      return { answer: { token: c.token, nonce: String(n) }, notBefore: Date.now() + (c.notBefore - Number(c.token.split('.')[0])) };
    }
    if (n % 2000 === 1999) await new Promise((r) => setTimeout(r, 0));
  }
}

/** A chosen file as the form sends it (base64). */
export async function readFileForUpload(file: File): Promise<{ fileName: string; mimeType: string; contentBase64: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { fileName: file.name, mimeType: file.type || 'application/octet-stream', contentBase64: btoa(binary) };
}
