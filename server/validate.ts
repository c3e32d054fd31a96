/** Request parsing for every route: a zod schema, and a 400 naming each bad field with its i18n key. */
import type { z } from 'zod';
import { ServerError } from './errors';

export function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.join('.') || '_';
    fields[path] ??= /^(sync|validation|portal|rfc|admin)\./.test(issue.message) ? issue.message : 'validation.invalid';
  }
  throw new ServerError(400, 'validation.failed', { fields });
}
