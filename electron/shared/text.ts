/**
 * The one building block of every string that enters through the contract (IPC, HTTP, sync):
 * well-formed Unicode without NUL. A lone UTF-16 surrogate (a bad paste, a crafted request)
 * cannot be stored as it is — SQLite turns it into U+FFFD — so anything hashed before storing
 * (the audit chain) would no longer match what was stored. Refused at the boundary with the
 * translated key 'validation.invalidText', before any other check of the field.
 */
import { z } from 'zod';

/** Well-formed UTF-16 (no lone surrogate) and no NUL, which no legitimate text carries. */
export function isValidText(s: string): boolean {
  return s.isWellFormed() && !s.includes('\u0000');
}

/** A string schema that refuses invalid text first; chain trim/min/max/regex on it as on z.string(). */
export function str() {
  return z.string().refine(isValidText, { message: 'validation.invalidText', abort: true });
}

/** A key made by Workspace.newId (UUIDv7): customers, contacts, tickets, attachments, requests, emergency accounts, users. */
export function uuid() {
  return str().trim().min(1, 'validation.required').pipe(z.uuid('validation.invalid'));
}
