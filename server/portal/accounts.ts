/**
 * Signing in to the portal with a link sent to the customer's e-mail (issue 13, seed 004): the
 * customer gives an e-mail; if it is a customer's registered e-mail or one of its contacts', a
 * one-time link that expires in 30 minutes is mailed to it. Whether it is known or not, the answer
 * is the same and the same rows are written (a link row always; the mail only for a known
 * address), so the form tells nobody which e-mails are customers'. The link opens a session (an
 * HttpOnly, SameSite=Strict cookie) listing every ticket of the customers that e-mail speaks for;
 * account and sensitive-data requests (tickets with a change request) only to a contact marked
 * legal representative with that e-mail.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  PORTAL_SESSION_TTL_MS, SIGN_IN_LINK_TTL_MS, type accountTicketsSchema, type PortalAccount, type PortalAccountTicket,
} from '../../electron/shared/portal';
import type { Sql } from '../db';
import { ServerError } from '../errors';
import type { PortalTicketRow, TicketData } from './commands';
import { queueSignInLink, type MailContext } from './notices';

/** 32 random bytes as links and cookies carry them, and the digest kept instead. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}
export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

interface AccountCustomer {
  id: string;
  name: string;
  legalRepresentative: boolean;
}

/** The customers an e-mail speaks for: their registered e-mail, or one of their contacts'. */
export async function customersOf(sql: Sql, email: string): Promise<AccountCustomer[]> {
  const rows = await sql.query<{ entity_id: string; name: string | null; contacts: Array<{ email?: string; isLegalRepresentative?: boolean }> | null }>(
    `SELECT entity_id, data->>'name' AS name, data->'contacts' AS contacts FROM entities
     WHERE entity = 'customer' AND (lower(data->>'registeredEmail') = $1 OR data->'contacts' @> $2::jsonb) AND data->>'blockedAt' IS NULL
     ORDER BY updated_seq LIMIT 50`,
    [email, JSON.stringify([{ email }])],
  );
  return rows.map((r) => ({
    id: r.entity_id,
    name: r.name ?? '',
    legalRepresentative: (r.contacts ?? []).some((c) => c.email?.toLowerCase() === email && c.isLegalRepresentative === true),
  }));
}

/** Asks for a link: always the same outcome for the caller. */
export async function requestSignInLink(sql: Sql, email: string, baseUrl: string, mail: MailContext, now: number): Promise<void> {
  const known = (await customersOf(sql, email)).length > 0;
  const { token, hash } = newToken();
  await sql.query('DELETE FROM portal_sign_in_links WHERE expires_at < $1', [now - 24 * 60 * 60_000]);
  await sql.query('INSERT INTO portal_sign_in_links (token_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4)', [hash, email, now, now + SIGN_IN_LINK_TTL_MS]);
  if (known) await queueSignInLink(sql, email, token, hash, baseUrl, mail, now);
}

/** Spends a link (once, before it expires) and opens a session; returns the session's token. */
export async function signIn(sql: Sql, token: string, now: number): Promise<{ sessionToken: string; expiresAt: number }> {
  const [link] = await sql.query<{ email: string }>(
    'UPDATE portal_sign_in_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING email',
    [tokenHash(token), now],
  );
  if (!link) throw new ServerError(400, 'portal.linkInvalid');
  const session = newToken();
  const expiresAt = now + PORTAL_SESSION_TTL_MS;
  await sql.query('DELETE FROM portal_sessions WHERE expires_at < $1', [now]);
  await sql.query('INSERT INTO portal_sessions (token_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4)', [session.hash, link.email, now, expiresAt]);
  return { sessionToken: session.token, expiresAt };
}

/** The e-mail of a live session, or 401. */
export async function sessionEmail(sql: Sql, sessionToken: string | undefined, now: number): Promise<string> {
  if (!sessionToken || !/^[A-Za-z0-9_-]{43}$/.test(sessionToken)) throw new ServerError(401, 'portal.signedOut');
  const [row] = await sql.query<{ email: string }>('SELECT email FROM portal_sessions WHERE token_hash = $1 AND expires_at > $2', [tokenHash(sessionToken), now]);
  if (!row) throw new ServerError(401, 'portal.signedOut');
  return row.email;
}

export async function signOut(sql: Sql, sessionToken: string | undefined): Promise<void> {
  if (sessionToken) await sql.query('DELETE FROM portal_sessions WHERE token_hash = $1', [tokenHash(sessionToken)]);
}

/** The most tickets one list shows (the newest first). */
const LIST_LIMIT = 200;

/** Which of these tickets are account or sensitive-data requests (a change request names them). */
async function sensitiveOf(sql: Sql, ticketIds: string[]): Promise<Set<string>> {
  if (ticketIds.length === 0) return new Set();
  const rows = await sql.query<{ id: string }>(
    "SELECT DISTINCT data->>'ticketId' AS id FROM entities WHERE entity = 'change_request' AND data->>'ticketId' = ANY($1)", [ticketIds],
  );
  return new Set(rows.map((r) => r.id));
}

/** Every ticket of the session's customers, filtered by status and type; sensitive ones only for a legal representative. */
export async function accountTickets(sql: Sql, email: string, filters: z.output<typeof accountTicketsSchema>): Promise<PortalAccount> {
  const customers = await customersOf(sql, email);
  const byId = new Map(customers.map((c) => [c.id, c]));
  const rows = customers.length === 0 ? [] : await sql.query<{ entity_id: string; data: TicketData & { mergedIntoId?: string | null } }>(
    `SELECT entity_id, data FROM entities WHERE entity = 'ticket' AND data->>'customerId' = ANY($1)
       AND ($2 = 'all' OR data->>'status' = $2) AND ($3 = 'all' OR data->>'requestType' = $3)
     ORDER BY updated_seq DESC LIMIT ${LIST_LIMIT + 1}`,
    [customers.map((c) => c.id), filters.status, filters.requestType],
  );
  const sensitive = await sensitiveOf(sql, rows.map((r) => r.entity_id));
  const tickets: PortalAccountTicket[] = [];
  for (const r of rows.slice(0, LIST_LIMIT)) {
    const customer = byId.get(r.data.customerId)!;
    const isSensitive = sensitive.has(r.entity_id);
    if (isSensitive && !customer.legalRepresentative) continue;
    tickets.push({
      trackingNumber: r.data.trackingNumber, subject: r.data.subject, status: r.data.status, waitingOn: r.data.waitingOn ?? null,
      requestType: r.data.requestType, customerName: customer.name, sensitive: isSensitive, updatedAt: r.data.updatedAt ?? null,
    });
  }
  return {
    email,
    customers: customers.map((c) => ({ name: c.name, legalRepresentative: c.legalRepresentative })),
    tickets,
    truncated: rows.length > LIST_LIMIT,
  };
}

/** One of the session's tickets by folio; the same 404 for a folio that is not theirs, not visible to them, or not there. */
export async function accountTicket(sql: Sql, email: string, trackingNumber: string): Promise<PortalTicketRow> {
  const customers = await customersOf(sql, email);
  const [ticket] = await sql.query<{ entity_id: string; branch_code: string; data: TicketData }>(
    "SELECT entity_id, branch_code, data FROM entities WHERE entity = 'ticket' AND data->>'trackingNumber' = $1 LIMIT 1", [trackingNumber],
  );
  const customer = customers.find((c) => c.id === ticket?.data.customerId);
  if (!ticket || !customer) throw new ServerError(404, 'portal.notFound');
  if (!customer.legalRepresentative && (await sensitiveOf(sql, [ticket.entity_id])).size > 0) throw new ServerError(404, 'portal.notFound');
  return { id: ticket.entity_id, branch: ticket.branch_code, data: ticket.data };
}
