/**
 * Structured errors that cross every boundary. `code` is an i18n key (renderer/i18n), `params`
 * fill its placeholders, `fields` maps a form field path to its own i18n key.
 */
export interface ErrorInfo {
  code: string;
  params?: Record<string, string | number>;
  fields?: Record<string, string>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export class AppError extends Error {
  readonly code: string;
  readonly params?: Record<string, string | number>;
  readonly fields?: Record<string, string>;

  constructor(code: string, params?: Record<string, string | number>, fields?: Record<string, string>) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.params = params;
    this.fields = fields;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code };
    if (this.params) info.params = this.params;
    if (this.fields) info.fields = this.fields;
    return info;
  }
}
