/**
 * The renderer's only way to reach core. In Electron it calls the preload's `window.helpdesk`;
 * in the web host it POSTs to /api/<method>, and the browser adds the host's HttpOnly cookie
 * and the page's Origin, which is how the host knows the call comes from its own page. Either way the answer is a
 * `Result`, and `call` throws an `ApiError` carrying the structured, translatable error.
 */
import type { MethodInput, MethodName, MethodResult } from '../../electron/shared/contract';
import type { ErrorInfo, Result } from '../../electron/shared/errors';
import type { HelpdeskApi } from '../../electron/preload/api-type';

declare global {
  interface Window {
    helpdesk?: HelpdeskApi;
  }
}

export class ApiError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.code);
    this.name = 'ApiError';
  }
}

/**
 * The session token is kept in the tab's sessionStorage so a reload (F5, Ctrl+R, the desktop
 * window's reload) keeps the user signed in; a new window or tab starts signed out, and closing
 * the window forgets it. Core still decides whether the token is valid (idle lock, sign-out).
 */
const SESSION_KEY = 'helpdesk.session';

let sessionToken: string | null = readStoredToken();
export function setSessionToken(token: string | null): void {
  sessionToken = token;
  try {
    if (token) window.sessionStorage.setItem(SESSION_KEY, token);
    else window.sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // Storage refused (privacy mode): the session then lasts until the page is reloaded.
  }
}

/** The token a reloaded page inherited from before the reload, if any. */
export function storedSessionToken(): string | null {
  return sessionToken;
}

function readStoredToken(): string | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

async function transport(method: MethodName, input: unknown): Promise<Result<unknown>> {
  if (window.helpdesk) return window.helpdesk.methods[method](input, sessionToken);
  const response = await fetch(`/api/${method}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input, session: sessionToken }),
  });
  return (await response.json()) as Result<unknown>;
}

export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
  const result = await transport(method, input);
  if (!result.ok) throw new ApiError(result.error);
  return result.value as MethodResult<M>;
}
