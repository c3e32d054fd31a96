/**
 * The renderer's only way to reach core. In Electron it calls the preload's `window.helpdesk`;
 * in the web host it POSTs to /api/<method> with the per-start token. Either way the answer is a
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

let sessionToken: string | null = null;
export function setSessionToken(token: string | null): void {
  sessionToken = token;
}

function webToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="helpdesk-token"]')?.content ?? '';
}

async function transport(method: MethodName, input: unknown): Promise<Result<unknown>> {
  if (window.helpdesk) return window.helpdesk.methods[method](input, sessionToken);
  const response = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-helpdesk-token': webToken() },
    body: JSON.stringify({ input, session: sessionToken }),
  });
  return (await response.json()) as Result<unknown>;
}

export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
  const result = await transport(method, input);
  if (!result.ok) throw new ApiError(result.error);
  return result.value as MethodResult<M>;
}
