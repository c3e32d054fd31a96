/** Failures talking to the sync server, shared by the client's calls and its file transfers. */
import { AppError } from '../../shared/errors';

/** A refusal or failure talking to the server: `code` is an i18n key (sync.offline, sync.badCredential…). */
export class SyncFailure extends AppError {}

/** TLS failures Node reports (a certificate not trusted, expired, for another name; a plain-http port). */
const TLS_CODES = /CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

/**
 * Why a request got no answer, as an i18n code: the address does not resolve (sync.serverNotFound),
 * the TLS handshake failed (sync.tls), it took too long (sync.timeout), or nobody answered (sync.offline).
 */
export function noAnswerCode(err: unknown): string {
  const codes: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (name === 'TimeoutError') return 'sync.timeout';
  }
  if (codes.some((c) => TLS_CODES.test(c))) return 'sync.tls';
  if (codes.includes('ENOTFOUND')) return 'sync.serverNotFound';
  return 'sync.offline';
}

