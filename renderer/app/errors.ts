/** Turns whatever a failed call threw into a translatable ErrorInfo. */
import type { ErrorInfo } from '../../electron/shared/errors';
import { ApiError } from './api';

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ApiError) return error.info;
  if (isErrorInfo(error)) return error;
  // fetch() rejects with a TypeError when the local service cannot be reached.
  if (error instanceof TypeError) return { code: 'errors.network' };
  return { code: 'errors.unexpected', params: { code: error instanceof Error ? error.name : 'unknown' } };
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string' && !(value instanceof Error);
}
