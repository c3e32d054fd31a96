/** A refusal with an HTTP status and a stable code (an i18n key on the client); answered as `{ error: { code, details } }`. */
export class ServerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
  }
}
