/** The pages' calls to the server: the session cookie travels by itself; every write carries the CSRF token. Errors as `{ code, fields }`. */
import type { AdminSession } from '../electron/shared/server-admin';

export class AdminError extends Error {
  constructor(
    readonly code: string,
    readonly fields: Record<string, string> = {},
    readonly status = 0,
  ) {
    super(code);
  }
}

const BASE = '/admin/api';
let csrf: string | null = null;
/** Told when the server says the session ended (idle, expired, signed out elsewhere). */
let onSignedOut: () => void = () => undefined;

export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      credentials: 'same-origin',
      headers: method === 'POST' ? { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) } : {},
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
    });
  } catch {
    throw new AdminError('admin.offline');
  }
  const json = (await res.json().catch(() => null)) as ({ error?: { code: string; details?: { fields?: Record<string, string> } } } & Record<string, unknown>) | null;
  if (!res.ok) {
    const code = json?.error?.code ?? 'errors.internal';
    if (res.status === 401 && code === 'admin.signInRequired') onSignedOut();
    throw new AdminError(code, json?.error?.details?.fields ?? {}, res.status);
  }
  if (json && typeof json.csrfToken === 'string') csrf = json.csrfToken;
  return json as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => call<T>('POST', path, body);
export const session = () => get<AdminSession>('/session');
export function forgetSession(): void {
  csrf = null;
}
