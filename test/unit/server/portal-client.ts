/** A customer's browser on the portal for tests: the CSRF cookie and header, the bot challenge solved in Node. */
import { createHash } from 'node:crypto';
import { leadingZeroBits, powInput, type PortalChallenge, type PortalTicketInput } from '../../../electron/shared/portal';

export interface PortalResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

/** The nonce a browser would find: the first whose hash clears the challenge's difficulty. */
export function solveChallenge(c: Pick<PortalChallenge, 'token' | 'difficulty'>): string {
  for (let n = 0; ; n++) {
    if (leadingZeroBits(createHash('sha256').update(powInput(c.token, String(n))).digest()) >= c.difficulty) return String(n);
  }
}

export class PortalClient {
  csrf = '';
  /** The session cookie a sign-in link gave this browser (kept from Set-Cookie). */
  session = '';
  constructor(readonly url: string) {}

  async open(): Promise<this> {
    const res = await fetch(`${this.url}/portal/api/session`);
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    return this;
  }

  async get(path: string): Promise<PortalResponse> {
    const res = await fetch(this.url + path, { headers: { cookie: this.cookies(this.csrf) } });
    this.keepSession(res);
    return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
  }

  async post(path: string, body: unknown, opts: { csrf?: string | null; cookie?: string | null } = {}): Promise<PortalResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const cookie = opts.cookie === undefined ? this.csrf : opts.cookie;
    const header = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (cookie !== null) headers.cookie = this.cookies(cookie);
    if (header !== null) headers['x-csrf-token'] = header;
    const res = await fetch(this.url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    this.keepSession(res);
    return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
  }

  private cookies(csrf: string): string {
    return `portal_csrf=${csrf}${this.session ? `; portal_session=${this.session}` : ''}`;
  }

  private keepSession(res: Response): void {
    const m = /portal_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '');
    if (m) this.session = m[1]!;
  }

  async challenge(): Promise<{ token: string; nonce: string }> {
    const c = (await this.get('/portal/api/challenge')).body as PortalChallenge;
    return { token: c.token, nonce: solveChallenge(c) };
  }
}

/** A valid web form (invented customer), with overrides. */
export function webForm(overrides: Partial<PortalTicketInput> = {}): Omit<PortalTicketInput, 'challenge'> {
  return {
    email: 'compras@refaccionaria-lupe.mx',
    rfc: 'RLU0502143A3',
    name: 'Refaccionaria Lupe SA de CV',
    subject: 'No puedo timbrar facturas',
    message: 'Desde ayer el timbrado marca error 301 en todas las facturas.',
    priority: 'high',
    requestType: 'technical',
    attachments: [],
    website: '',
    ...overrides,
  };
}
