/**
 * The satisfaction survey's answers (issue 12, item 4): one per ticket, audited, shown on the
 * ticket's timeline ('survey_answered'), counted by the CSAT reports.
 *
 * Mail intake calls `recordReply` / `recordReplyInTx` with the text of a customer's reply to a
 * closing notice: the rating is read with `parseSurveyReply` (shared/survey.ts). Nothing throws for
 * an answer that cannot be recorded; the result says why, so intake can file the reply as an
 * ordinary customer message instead.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { SURVEY_FRAGMENT } from '../../shared/portal';
import { AppError } from '../../shared/errors';
import { parseSurveyReply, type SurveyAnswer, type surveyRecordSchema, type SurveySource } from '../../shared/survey';
import type { Tickets } from '../tickets';
import type { Workspace, WriteTx } from '../workspace';

/**
 * The one-click survey link of a closing notice, on the central server's customer portal: a new
 * random token (in the e-mail only) and its SHA-256 (in the synced closing entry, which is how the
 * portal finds the ticket). Null when the branch has no central server.
 */
export function surveyLink(serverUrl: string | null): { url: string; hash: string } | null {
  if (!serverUrl) return null;
  const token = randomBytes(32).toString('base64url');
  try {
    return { url: new URL(`/portal/#${SURVEY_FRAGMENT}=${token}`, serverUrl).toString(), hash: createHash('sha256').update(token).digest('hex') };
  } catch {
    return null;
  }
}

export type SurveyRefusal = 'noRating' | 'outOfRange' | 'ambiguous' | 'alreadyAnswered' | 'notClosed' | 'notFound';
export type SurveyReplyResult = { recorded: true; survey: SurveyAnswer } | { recorded: false; reason: SurveyRefusal; ratings?: number[] };

export interface SurveyReplyMeta {
  /** The reply's Message-ID, kept with the answer (and in the audit entry). */
  messageId?: string | null;
  /** The address it came from, for the audit entry. */
  from?: string | null;
}

const ANSWER_COLUMNS = 'id, ticket_id AS ticketId, rating, comment, source, answered_at AS answeredAt';

export class Surveys {
  constructor(
    private readonly ws: Workspace,
    private readonly tickets: Tickets,
  ) {}

  /** A customer's e-mail reply to the closing notice, in its own transaction (actor: the system). */
  recordReply(ticketId: string, replyText: string, meta: SurveyReplyMeta = {}): SurveyReplyResult {
    return this.ws.write({ kind: 'system' }, (tx) => this.recordReplyInTx(tx, ticketId, replyText, meta));
  }

  /** `recordReply` inside the caller's transaction (mail intake's import of the message). A refusal is audited too. */
  recordReplyInTx(tx: WriteTx, ticketId: string, replyText: string, meta: SurveyReplyMeta = {}): SurveyReplyResult {
    const parsed = parseSurveyReply(replyText);
    const refusal = parsed.ok ? this.refusal(ticketId) : parsed.reason;
    if (refusal) {
      if (refusal !== 'notFound') {
        tx.audit('survey.refused', 'ticket', ticketId, {
          reason: refusal, ...(!parsed.ok && parsed.ratings ? { ratings: parsed.ratings } : {}), messageId: meta.messageId ?? null, from: meta.from ?? null,
        });
      }
      return { recorded: false, reason: refusal, ...(!parsed.ok && parsed.ratings ? { ratings: parsed.ratings } : {}) };
    }
    if (!parsed.ok) throw new Error('unreachable');
    return { recorded: true, survey: this.insert(tx, ticketId, parsed.rating, parsed.comment, 'email', meta.messageId ?? null) };
  }

  /** An answer the customer gave an agent (phone, chat); refused like a reply would be. */
  record(actorId: string, input: z.output<typeof surveyRecordSchema>): SurveyAnswer {
    return this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const refusal = this.refusal(input.ticketId);
      if (refusal === 'notFound') throw new AppError('tickets.notFound');
      if (refusal) throw new AppError(`survey.${refusal}`);
      return this.insert(tx, input.ticketId, input.rating, input.comment, 'agent', null);
    });
  }

  /** The ticket's answer, if any. */
  forTicket(ticketId: string): SurveyAnswer | null {
    return (this.ws.sql(`SELECT ${ANSWER_COLUMNS} FROM satisfaction_surveys WHERE ticket_id = ?`).get(ticketId) as SurveyAnswer | undefined) ?? null;
  }

  private refusal(ticketId: string): SurveyRefusal | null {
    // A ticket that was closed (and so sent the survey), even if the reply has just reopened it under the closed-ticket policy.
    const t = this.ws.sql("SELECT status, EXISTS (SELECT 1 FROM ticket_events WHERE ticket_id = tickets.id AND kind = 'closed') AS wasClosed FROM tickets WHERE id = ?")
      .get(ticketId) as { status: string; wasClosed: number } | undefined;
    if (!t) return 'notFound';
    if (t.status !== 'closed' && !t.wasClosed) return 'notClosed';
    if (this.ws.sql('SELECT 1 FROM satisfaction_surveys WHERE ticket_id = ?').get(ticketId)) return 'alreadyAnswered';
    return null;
  }

  private insert(tx: WriteTx, ticketId: string, rating: number, comment: string, source: SurveySource, messageId: string | null): SurveyAnswer {
    // The agent it rates: whoever had the ticket, or else whoever closed it.
    const t = tx.sql(
      `SELECT t.tier, t.channel, COALESCE(t.assignee_id,
         (SELECT actor_id FROM ticket_events WHERE ticket_id = t.id AND kind = 'closed' ORDER BY created_at DESC, rowid DESC LIMIT 1)) AS agentId
       FROM tickets t WHERE t.id = ?`,
    ).get(ticketId) as { tier: string; channel: string; agentId: string | null };
    const id = tx.id();
    const recordedBy = tx.actor.kind === 'user' ? tx.actor.userId : null;
    tx.sql(
      `INSERT INTO satisfaction_surveys (id, ticket_id, rating, comment, source, message_id, recorded_by, agent_id, tier, channel, answered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, ticketId, rating, comment, source, messageId, recordedBy, t.agentId, t.tier, t.channel, tx.at);
    const record = { ticketId, rating, comment, source, agentId: t.agentId, tier: t.tier, channel: t.channel, answeredAt: tx.at };
    this.tickets.addEvent(tx, ticketId, 'survey_answered', comment, { rating, source });
    tx.audit('survey.answered', 'ticket', ticketId, { surveyId: id, rating, comment, source, messageId });
    tx.outbox('satisfaction_survey', id, 'insert', record);
    return { id, ticketId, rating, comment, source, answeredAt: tx.at };
  }
}
