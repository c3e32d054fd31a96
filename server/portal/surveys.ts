/**
 * The satisfaction survey answered on the portal (issue 13, item 4): the closing e-mail carries a
 * link with a random token; the closing timeline entry the branch synced carries its SHA-256, which
 * is how the portal finds the ticket. One answer per ticket, whichever way it came (portal, e-mail
 * reply, an agent): the answer goes into the change feed as a `satisfaction_survey` row and a
 * `survey_answered` timeline entry for the ticket's branch, which pulls it into its reports.
 */
import { createHash } from 'node:crypto';
import type { PortalSurvey } from '../../electron/shared/portal';
import type { Sql } from '../db';
import { ServerError } from '../errors';
import type { TicketData } from './commands';
import { FeedWriter, type PortalIdentity } from './feed';

interface SurveyTicket {
  id: string;
  branch: string;
  data: TicketData & { assigneeId?: string | null };
  /** Who closed it (the closing entry's actor). */
  closedBy: string | null;
}

/** The ticket whose closing entry holds this token's digest, or the same 404 for any other token. */
async function ticketOfToken(sql: Sql, token: string): Promise<SurveyTicket> {
  const hash = createHash('sha256').update(token).digest('hex');
  const [row] = await sql.query<{ entity_id: string; branch_code: string; data: SurveyTicket['data']; closed_by: string | null }>(
    `SELECT t.entity_id, t.branch_code, t.data, (SELECT actor_id FROM mutations WHERE server_seq = e.updated_seq) AS closed_by FROM entities e
     JOIN entities t ON t.entity = 'ticket' AND t.entity_id = e.data->>'ticketId'
     WHERE e.entity = 'ticket_event' AND e.data->>'kind' = 'closed' AND e.data->'data'->>'surveyTokenHash' = $1 LIMIT 1`,
    [hash],
  );
  if (!row) throw new ServerError(404, 'portal.surveyNotFound');
  return { id: row.entity_id, branch: row.branch_code, data: row.data, closedBy: row.closed_by };
}

async function answerOf(sql: Sql, ticketId: string): Promise<PortalSurvey['answered']> {
  const [row] = await sql.query<{ rating: number; comment: string | null }>(
    "SELECT (data->>'rating')::int AS rating, data->>'comment' AS comment FROM entities WHERE entity = 'satisfaction_survey' AND data->>'ticketId' = $1 ORDER BY updated_seq LIMIT 1",
    [ticketId],
  );
  return row ? { rating: row.rating, comment: row.comment ?? '' } : null;
}

export async function surveyInfo(sql: Sql, token: string): Promise<PortalSurvey> {
  const t = await ticketOfToken(sql, token);
  return { trackingNumber: t.data.trackingNumber, subject: t.data.subject, answered: await answerOf(sql, t.id) };
}

/** Records the answer once per ticket; a second answer (from here or already synced from a branch) is 409. */
export async function answerSurvey(
  sql: Sql, portal: PortalIdentity, input: { token: string; rating: number; comment: string }, now: number,
): Promise<PortalSurvey> {
  const t = await ticketOfToken(sql, input.token);
  if (await answerOf(sql, t.id)) throw new ServerError(409, 'portal.surveyAnswered');
  // Two answers sent at once: the first insert wins, the other waits for it and finds the row.
  const first = await sql.query('INSERT INTO portal_survey_answers (ticket_id, answered_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1', [t.id, now]);
  if (first.length === 0) throw new ServerError(409, 'portal.surveyAnswered');
  const feed = new FeedWriter(sql, portal, now);
  // As the desk records one (core/mail/survey.ts): the agent (assignee, else who closed it), tier and channel the ticket had.
  await feed.emit(t.branch, 'satisfaction_survey', FeedWriter.newId(), 'insert', {
    ticketId: t.id, rating: input.rating, comment: input.comment, source: 'portal',
    agentId: t.data.assigneeId ?? t.closedBy, tier: t.data.tier, channel: t.data.channel, answeredAt: now,
  });
  await feed.emit(t.branch, 'ticket_event', FeedWriter.newId(), 'insert', {
    ticketId: t.id, kind: 'survey_answered', body: input.comment, data: { rating: input.rating, source: 'portal' },
  });
  return { trackingNumber: t.data.trackingNumber, subject: t.data.subject, answered: { rating: input.rating, comment: input.comment } };
}
