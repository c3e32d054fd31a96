/**
 * The handler map: one function per contract method, and `dispatch`, which every transport
 * (Electron IPC, the web host, tests) goes through: known method → session → role → zod parse →
 * handler → `Result`. Permissions live here, in core, never only in the UI.
 */
import type { Upload } from './attachments';
import { z } from 'zod';
import { METHODS, type MethodName, type MethodResult, type ParsedInput } from '../shared/contract';
import { DEFAULT_TIME_ZONE, type Role } from '../shared/domain';
import { AppError, type ErrorInfo, type Result } from '../shared/errors';
import { verifyAuditLog, type Actor } from './audit';
import { exportAudit, listAudit } from './audit-export';
import { accountForViewer, auditRecordForViewer, emergencyActor, type Viewer } from './emergency';
import type { ChangeRequest } from '../shared/request-types';
import type { Services } from './services';
import { slaReport } from './reports/sla';
import { supervisorHome } from './reports/home';
import { periodReport } from './reports/period';
import { bulkTickets } from './tickets/bulk';
import { ListSettings } from './tickets/list-prefs';
import { Branding } from './branding';
import { exportPersonalData } from './personal-data/export';
import { refuseIfBlocked } from './personal-data/visibility';
import { MUST_CHANGE_ALLOWED, type Session } from './users';

export interface CallContext {
  session: Session | null;
}

/** `rawInput` is the input before parsing (the schema strips unknown keys; some handlers must see them). */
type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: CallContext & { userId: string; rawInput?: unknown }) => MethodResult<M> | Promise<MethodResult<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };

/** Methods whose handlers live in the host (they replace the database itself). */
export type HostMethods = 'app.status' | 'app.resetDatabase' | 'app.restoreBackup' | 'app.previewBackup' | 'app.retryOpen' | 'app.migrateWithoutBackup' | 'backup.restore';

export function createHandlers(s: Services): Omit<Handlers, HostMethods> {
  const listSettings = new ListSettings(s.ws);
  const branding = new Branding(s.ws);
  return {
    'auth.setup': async (input) => {
      const session = await s.users.setup(input);
      s.kb.installStarter(); // a new workspace starts with the knowledge base's articles
      return session;
    },
    'auth.signIn': async (input) => {
      // A user created at another branch signs in here the first time through the central server.
      const pulled = s.users.withoutLocalPassword(input.username);
      // Without the server it is refused like any wrong password: the answer never tells which names exist.
      if (pulled && s.sync.status().enrolled && (await s.sync.verifyCentral(input.username, input.password).catch(() => false))) {
        await s.users.cacheCentralPassword(pulled, input.password);
      }
      return s.users.signIn(input);
    },
    'auth.signOut': (_input, ctx) => {
      if (ctx.session?.emergency) s.emergency.signOut(ctx.session);
      else if (ctx.session) s.users.signOut(ctx.session.token);
      return null;
    },
    'auth.me': (_input, ctx) => ({ ...s.users.me(ctx.userId), ...(ctx.session?.emergency ? { emergency: ctx.session.emergency } : {}) }),
    'auth.changePassword': (input, ctx) => s.users.changePassword(ctx.session!, input),
    'users.directory': () => s.users.directory(),
    'users.list': () => s.users.list(),
    'users.create': (input, ctx) => s.users.create(ctx.userId, input),
    'users.update': (input, ctx) => s.users.update(ctx.userId, input),
    'users.unlock': (input, ctx) => s.users.unlock(ctx.userId, input.userId),
    'users.resetPassword': (input, ctx) => s.users.resetPassword(ctx.userId, input.userId, input.password),
    'customers.list': (input) => s.customers.list(input.query, input.limit),
    'customers.get': (input) => s.customers.get(input.customerId),
    'customers.findByRfc': (input) => s.customers.findByRfc(input.rfc, input),
    'customers.create': (input, ctx) => s.customers.create(ctx.userId, input),
    'customers.update': (input, ctx) => {
      s.customers.refuseProtectedFields(ctx.userId, ctx.rawInput);
      return s.customers.update(ctx.userId, input);
    },
    'tickets.list': (input, ctx) => s.tickets.list(ctx.userId, input),
    'tickets.get': (input) => s.tickets.get(input.ticketId),
    'tickets.create': (input, ctx) => s.tickets.create(ctx.userId, input),
    'tickets.update': (input, ctx) => s.tickets.update(ctx.userId, input),
    'tickets.reply': (input, ctx) => s.tickets.addMessage(ctx.userId, 'reply', input),
    'tickets.note': (input, ctx) => s.tickets.addMessage(ctx.userId, 'note', input),
    'tickets.customerMessage': (input, ctx) => s.tickets.customerMessage(ctx.userId, input),
    'tickets.contactAttempt': (input, ctx) => s.tickets.contactAttempt(ctx.userId, input),
    'tickets.assign': (input, ctx) => s.tickets.assign(ctx.userId, input),
    'tickets.setStatus': (input, ctx) => s.tickets.setStatus(ctx.userId, input),
    'tickets.close': (input, ctx) => s.tickets.close(ctx.userId, input),
    'tickets.merge': (input, ctx) => s.tickets.merge(ctx.userId, ctx.session?.roles ?? [], input),
    'tickets.bulk': (input, ctx) => bulkTickets(s.ws, s.tickets, ctx.userId, ctx.session?.roles ?? [], input, toErrorInfo),
    'listViews.list': (_input, ctx) => listSettings.views(ctx.userId),
    'listViews.save': (input, ctx) => listSettings.saveView(ctx.userId, input),
    'listViews.pin': (input, ctx) => listSettings.pinView(ctx.userId, input.viewId, input.pinned),
    'listViews.delete': (input, ctx) => listSettings.deleteView(ctx.userId, input.viewId),
    'listPrefs.get': (_input, ctx) => listSettings.prefs(ctx.userId),
    'listPrefs.save': (input, ctx) => listSettings.savePrefs(ctx.userId, input.columns),
    'attachments.read': async (input) => {
      // A file pulled from another branch is fetched when someone opens it (offline: "pendiente de descargar").
      const sha256 = s.attachments.pendingDownload(input.attachmentId);
      if (sha256 && s.sync.isEnrolled()) await s.sync.blobs.fetch(sha256).catch(() => undefined);
      return s.attachments.read(input.attachmentId);
    },
    'settings.get': () => s.settings.get(),
    'settings.update': (input, ctx) => s.settings.update(ctx.userId, input),
    'branding.get': () => branding.get(),
    'branding.update': (input, ctx) => branding.update(ctx.userId, input),
    'backup.create': (_input, ctx) => s.backups.create({ kind: 'user', userId: ctx.userId }),
    'backup.start': (_input, ctx) => s.jobs.startBackup(ctx.userId, (step) => s.backups.create({ kind: 'user', userId: ctx.userId }, 'manual', step)),
    'backup.list': () => s.backups.list(),
    'backup.status': () => s.backups.status(),
    'backup.preview': (input, ctx) => s.backups.preview(ctx.userId, input.fileName),
    'audit.verify': (_input, ctx) => {
      const result = verifyAuditLog(s.ws.db, { nativeBinding: s.ws.nativeBinding });
      s.ws.write({ kind: 'user', userId: ctx.userId }, (tx) => tx.audit('audit.verified', 'audit_log', null, { ...result }));
      return result;
    },
    'tickets.moveTier': (input, ctx) => s.tickets.moveTier(ctx.userId, ctx.session?.roles ?? [], input),
    'tickets.handBack': (input, ctx) => s.tickets.handBack(ctx.userId, ctx.session?.roles ?? [], input),
    'tickets.sla': (input) => {
      const { policy, sla } = s.sla.status(input.ticketId);
      return { policyId: policy.id, policyName: policy.name, state: sla.state, now: s.ws.now(), metrics: sla.metrics };
    },
    'board.load': (input) => s.sla.board(input, input.perColumn),
    'board.version': () => boardVersion(s),
    'sla.config': () => s.sla.config(),
    'sla.saveConfig': (input, ctx) => s.sla.saveConfig(ctx.userId, input),
    'reports.sla': (input) => slaReport(s.ws.db, input, s.ws.now(), s.users.branch()?.timeZone ?? DEFAULT_TIME_ZONE),
    'reports.run': (input) => {
      const branch = s.users.branch();
      return periodReport({ db: s.ws.db, now: s.ws.now(), timeZone: branch?.timeZone ?? DEFAULT_TIME_ZONE, home: branch }, input);
    },
    'reports.home': (_input, ctx) => supervisorHome(s.ws, s.users, s.emergency, ctx.userId, s.users.branch()?.timeZone ?? DEFAULT_TIME_ZONE),
    // Change requests, emergency accounts and the audit log API (issue 4).
    'requests.list': (input, ctx) => s.requests.list(ctx.userId, input),
    'requests.get': (input, ctx) => requestForViewer(s.requests.get(input.requestId), ctx),
    'requests.create': (input, ctx) => requestForViewer(s.requests.create(ctx.userId, input), ctx),
    'requests.submit': (input, ctx) => requestForViewer(s.requests.submit(ctx.userId, input), ctx),
    'requests.approve': (input, ctx) => requestForViewer(s.requests.approve(ctx.userId, input), ctx),
    'requests.reject': (input, ctx) => requestForViewer(s.requests.reject(ctx.userId, input), ctx),
    'requests.cancel': (input, ctx) => requestForViewer(s.requests.cancel(ctx.userId, input), ctx),
    'requests.implementerOptions': (input) => s.requests.implementerOptions(input.requestId),
    'requests.designateImplementer': (input, ctx) => requestForViewer(s.requests.designateImplementer(ctx.userId, input), ctx),
    'requests.apply': (input, ctx) => requestForViewer(s.requests.apply(ctx.session ? emergencyActor(ctx.session) : { kind: 'anonymous' }, input), ctx),
    'requests.secondReview': (input, ctx) => requestForViewer(s.requests.secondReview(ctx.userId, input), ctx),
    'requests.markReviewed': (input, ctx) => requestForViewer(s.requests.markReviewed(ctx.userId, input), ctx),
    'emergency.create': (input, ctx) => s.emergency.create(ctx.userId, input),
    'emergency.signIn': (input) => s.emergency.signIn(input),
    'emergency.revoke': (input, ctx) => s.emergency.revoke(ctx.userId, input),
    'emergency.reviewQueue': () => s.emergency.reviewQueue(),
    'emergency.review': (input, ctx) => s.emergency.review(ctx.userId, input),
    'emergency.overdueReviews': (input, ctx) => s.emergency.overdueReviews(input.days).map((o) => ({ ...o, account: accountForViewer(o.account, viewerOf(ctx)) })),
    'emergency.settings': () => s.emergency.settings(),
    'emergency.updateSettings': (input, ctx) => s.emergency.updateSettings(ctx.userId, input),
    'sync.status': () => ({ ...s.sync.status(), nextAttemptAt: s.syncBackground.nextAttemptAt() }),
    'sync.enrol': async (input, ctx) => {
      const status = await s.sync.enrol(ctx.userId, input.url, input.code, input.allowLanHttp);
      s.syncBackground.enrolledNow();
      return status;
    },
    'sync.now': () => s.sync.syncNow(),
    'sync.rejected': () => s.sync.rejected(),
    'sync.unenrol': (_input, ctx) => {
      const status = s.sync.unenrol(ctx.userId);
      s.syncBackground.unenrolledNow();
      return status;
    },
    'audit.list': (input, ctx) => {
      const page = listAudit(s.ws.db, input);
      return { ...page, rows: page.rows.map((r) => auditRecordForViewer(r, viewerOf(ctx))) };
    },
    'audit.export': (input, ctx) => exportAudit(s.ws, ctx.userId, input),
    'audit.exportStart': (input, ctx) => s.jobs.startAuditExport(ctx.userId, input),
    'jobs.status': (input, ctx) => s.jobs.status(ctx.userId, input.jobId),
    'jobs.cancel': (input, ctx) => s.jobs.cancel(ctx.userId, input.jobId),
    'jobs.file': (input, ctx) => s.jobs.file(ctx.userId, input.jobId, input.offset),
    'notifications.list': (input, ctx) => s.inbox.list(ctx.userId, input),
    'notifications.unreadCount': (_input, ctx) => s.inbox.unreadCount(ctx.userId),
    'notifications.markRead': (input, ctx) => s.inbox.markRead(ctx.userId, input.notificationId),
    'notifications.markAllRead': (_input, ctx) => s.inbox.markAllRead(ctx.userId),
    'notifications.preferences': (_input, ctx) => s.inbox.preferences(ctx.userId),
    'notifications.setPreferences': (input, ctx) => s.inbox.setPreferences(ctx.userId, input),
    'personalData.list': (input) => s.personalData.list(input),
    'personalData.create': (input, ctx) => s.personalData.create(ctx.userId, input),
    'personalData.setStatus': (input, ctx) => s.personalData.setStatus(ctx.userId, input),
    'personalData.linkChangeRequest': (input, ctx) => s.personalData.linkChangeRequest(ctx.userId, input),
    'personalData.block': (input, ctx) => s.personalData.block(ctx.userId, input),
    'personalData.unblock': (input, ctx) => s.personalData.unblock(ctx.userId, input),
    'personalData.export': (input, ctx) => {
      const data = exportPersonalData(s.ws, input.customerId);
      const rows = Object.values(data.sections).reduce((n, rows) => n + rows.length, 0);
      s.ws.write({ kind: 'user', userId: ctx.userId }, (tx) =>
        tx.audit('personalData.exported', 'customer', input.customerId, { rows, ...(input.requestId ? { requestId: input.requestId } : {}) }));
      return data;
    },
    'mail.mailbox': () => s.mailbox.info(),
    'mail.saveMailbox': (input, ctx) => {
      const info = s.mailbox.save(ctx.userId, input);
      s.mail.kick();
      return info;
    },
    'mail.verify': () => s.mailbox.verify(),
    'mail.sendTest': (input, ctx) => s.mailbox.sendTest(ctx.userId, input.to),
    'mail.queue': (input) => s.mail.queue(input),
    'mail.retry': (input, ctx) => s.mail.retry(ctx.userId, input.noticeId),
    'mail.cancel': (input, ctx) => s.mail.cancel(ctx.userId, input.noticeId),
    'mail.ticketNotices': (input) => s.mail.ticketNotices(input.ticketId),
    'kb.list': (input) => s.kb.list(input),
    'kb.get': (input, ctx) => s.kb.get(viewerOf(ctx), input.articleId),
    'kb.create': (input, ctx) => s.kb.create(viewerOf(ctx), input),
    'kb.update': (input, ctx) => s.kb.update(viewerOf(ctx), input),
    'kb.setStatus': (input, ctx) => s.kb.setStatus(viewerOf(ctx), input),
    'kb.suggest': (input) => s.kb.suggest(input.ticketId, input.limit),
    'kb.preview': (input) => s.kb.preview(input.body),
    'kb.history': (input, ctx) => s.kb.history(viewerOf(ctx), input.articleId),
    'kb.restore': (input, ctx) => s.kb.restore(viewerOf(ctx), input),
    'kb.feedback': (input, ctx) => s.kb.giveFeedback(viewerOf(ctx), input.articleId, input.helpful),
    'mail.inboxes': () => s.inboxes.list((id) => s.fetcher.status(id)),
    'mail.saveInbox': (input, ctx) => {
      s.inboxes.save(ctx.userId, input);
      s.fetcher.reload();
      return s.inboxes.list((id) => s.fetcher.status(id));
    },
    'mail.removeInbox': (input, ctx) => {
      s.inboxes.remove(ctx.userId, input.inboxId);
      s.fetcher.reload();
      return s.inboxes.list((id) => s.fetcher.status(id));
    },
    'mail.fetchNow': (input) => {
      s.inboxes.purpose(input.inboxId);
      s.fetcher.kick(input.inboxId);
      return null;
    },
    'mail.received': (input) => s.intake.received(input),
    'mail.view': (input) => s.intake.view(input.mailId, input.remoteImages),
    'mail.ticketMail': (input) => s.intake.ticketMail(input.ticketId),
    'mail.original': (input, ctx) => s.intake.original(viewerOf(ctx), input.mailId),
    'mail.linkSender': (input, ctx) => {
      s.intake.linkSender(ctx.userId, input);
      return s.tickets.get(input.ticketId);
    },
    'mail.templates': () => s.tickets.templates.get(),
    'mail.saveTemplate': (input, ctx) => s.tickets.templates.save(ctx.userId, input),
    'mail.resetTemplate': (input, ctx) => s.tickets.templates.reset(ctx.userId, input.kind),
    'mail.saveTemplateSettings': (input, ctx) => s.tickets.templates.saveSettings(ctx.userId, input),
    'surveys.record': (input, ctx) => s.surveys.record(ctx.userId, input),
    'quickReplies.list': (_input, ctx) => s.quickReplies.list(viewerOf(ctx)),
    'quickReplies.save': (input, ctx) => s.quickReplies.save(viewerOf(ctx), input),
    'quickReplies.delete': (input, ctx) => s.quickReplies.remove(viewerOf(ctx), input.quickReplyId),
    'quickReplies.render': (input, ctx) => s.quickReplies.render(viewerOf(ctx), input),
  };
}

/** A change request as the caller may see it: emergency account names only to who needs them. */
function requestForViewer(request: ChangeRequest, ctx: CallContext & { userId: string }): ChangeRequest {
  const viewer = viewerOf(ctx);
  return { ...request, emergencyAccounts: request.emergencyAccounts.map((a) => accountForViewer(a, viewer)) };
}

/** The caller, for what only some may see (emergency account names). */
function viewerOf(ctx: CallContext & { userId: string }): Viewer {
  return { userId: ctx.userId, roles: ctx.session?.roles ?? [] };
}

/** Changes whenever any ticket or timeline changes; the board polls it to update live. */
function boardVersion(s: Services): string {
  const events = s.ws.sql('SELECT MAX(rowid) FROM ticket_events').pluck().get() as number | null;
  // One seek per status partition of tickets_status_updated.
  const updated = s.ws.sql(
    "SELECT MAX(m) FROM (SELECT MAX(updated_at) AS m FROM tickets WHERE status = 'open' UNION ALL SELECT MAX(updated_at) FROM tickets WHERE status = 'waiting' UNION ALL SELECT MAX(updated_at) FROM tickets WHERE status = 'closed')",
  ).pluck().get() as number | null;
  // Pulled rows keep their own times, which may be older than local ones: the last pull that changed something counts too.
  return `${events ?? 0}:${updated ?? 0}:${s.ws.getSetting('sync.lastChangeAt') ?? 0}`;
}

/** Checks access for a method given the caller's roles (null = not signed in). Pure, for the permission matrix. */
export function isAllowed(method: MethodName, roles: readonly Role[] | null): boolean {
  const access = METHODS[method].access;
  if (access === 'public') return true;
  if (roles === null) return false;
  if (access === 'session') return true;
  return roles.some((r) => (access as readonly Role[]).includes(r));
}

/**
 * Turns a zod failure into field → i18n key. The schemas' messages are i18n keys; zod's own
 * messages are sentences, so a field absent from the raw input becomes 'validation.required'
 * and anything else 'validation.invalid'.
 */
export function validationError(error: z.ZodError, rawInput?: unknown): AppError {
  const fields: Record<string, string> = {};
  // A too-long text's limit goes with the error so the message can say it ("máximo 20 000 caracteres").
  const params: Record<string, number> = {};
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '_';
    if (fields[path]) continue;
    if (issue.code === 'too_big' && issue.origin === 'string' && issue.message === 'validation.tooLong') {
      params[`${path}.max`] = Number(issue.maximum);
      params.max ??= Number(issue.maximum);
    }
    if (issue.message.includes('.') && !issue.message.includes(' ')) fields[path] = issue.message;
    else if (issue.path.length > 0 && valueAt(rawInput, issue.path) === undefined) fields[path] = 'validation.required';
    else fields[path] = 'validation.invalid';
  }
  return new AppError('validation.failed', Object.keys(params).length > 0 ? params : undefined, fields);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * Storage failures the person at the desk can act on, from SQLite's codes and Node's errno codes:
 * a read-only file or folder, a full disk, no permission. Each has its own translated message
 * saying what happened and what to do (the transaction rolled back, so nothing was lost).
 */
export type StorageErrorCode = 'storage.readOnly' | 'storage.full' | 'storage.denied';

export function storageErrorCode(err: unknown): StorageErrorCode | null {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return null;
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'storage.readOnly';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'storage.full';
  if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_PERM') return 'storage.denied';
  return null;
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof AppError) return err.toInfo();
  if (err instanceof z.ZodError) return validationError(err).toInfo();
  const storage = storageErrorCode(err);
  if (storage) {
    console.error('[core] storage failure', err);
    return { code: storage };
  }
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return { code: 'db.conflict' };
  if (typeof code === 'string' && (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')) return { code: 'db.corrupt' };
  console.error('[core] unexpected error', err);
  return { code: 'errors.internal' };
}

export interface Dispatcher {
  call(method: string, input: unknown, sessionToken: string | null | undefined): Promise<Result<unknown>>;
}

export function createDispatcher(s: Services, hostHandlers: Pick<Handlers, HostMethods>): Dispatcher {
  const handlers = { ...createHandlers(s), ...hostHandlers } as Record<MethodName, Handler<MethodName>>;
  return {
    async call(method, rawInput, sessionToken) {
      // An emergency session that passed its guard: the call is audited whatever its outcome (issue 4).
      let emergencyCall: Session | null = null;
      let session: Session | null = null;
      // The audit entries this call appended itself (a refusal core already recorded, a failed sign-in).
      const ownAudit = { audited: 0 };
      try {
        const name = method as MethodName;
        const value = await s.ws.trackCall(ownAudit, async () => {
          session = s.users.resolve(sessionToken);
          if (!Object.hasOwn(METHODS, method)) throw new AppError('api.unknownMethod', { method: String(method).slice(0, 80) });
          if (session?.emergency) {
            s.emergency.guard(session, name, rawInput);
            emergencyCall = session;
          }
          // A session that ended by the clock (idle limit, 7-day lifetime) or the per-user cap: say so,
          // and the window goes back to sign-in with that message.
          if (!session && sessionToken && METHODS[name].access !== 'public' && s.users.hasExpired(sessionToken)) throw new AppError('auth.sessionExpired');
          if (!isAllowed(name, session?.roles ?? null)) throw new AppError(session ? 'auth.forbidden' : 'auth.required');
          // After an administrator's reset the session may only change the password, say who it is or sign out
          // (issue 10); public methods (app.status) answer as for anyone.
          if (session?.mustChangePassword && METHODS[name].access !== 'public' && !MUST_CHANGE_ALLOWED.includes(name)) throw new AppError('auth.mustChangePassword');
          const parsed = METHODS[name].input.safeParse(rawInput ?? {});
          if (!parsed.success) throw validationError(parsed.error, rawInput ?? {});
          // A blocked customer (derechos ARCO) and its tickets are closed to everyone but who handles the request.
          if (!name.startsWith('personalData.')) refuseIfBlocked(s.ws, session?.roles ?? [], parsed.data);
          // Evidence files are decoded, hashed and written a slice per turn before the command runs.
          const uploads = uploadsIn(parsed.data);
          if (uploads.length > 0) await s.attachments.stage(uploads, s.settings.get().maxAttachmentBytes);
          return handlers[name](parsed.data as never, { session, userId: session?.userId ?? '', rawInput });
        });
        if (emergencyCall) s.emergency.recordCall(emergencyCall, name, null);
        return { ok: true, value };
      } catch (err) {
        const error = toErrorInfo(err);
        if (emergencyCall) s.emergency.recordCall(emergencyCall, String(method), error.code);
        else if (ownAudit.audited === 0) recordRefusal(s, String(method), rawInput, session, error);
        return { ok: false, error };
      }
    },
  };
}

/** The evidence files a call's input carries (tickets' `attachments`, a request's `signedForm`). */
function uploadsIn(input: unknown): Upload[] {
  if (typeof input !== 'object' || input === null) return [];
  const { attachments, signedForm } = input as { attachments?: unknown; signedForm?: unknown };
  const isUpload = (u: unknown): u is Upload => typeof u === 'object' && u !== null && typeof (u as Upload).contentBase64 === 'string';
  return [...(Array.isArray(attachments) ? attachments : []), signedForm].filter(isUpload);
}

/** How much of a refused call's method name and attempted user name the audit entry keeps. */
const REFUSAL_TEXT_MAX = 80;

/**
 * Issue 10: every refused call leaves an audit entry — malformed input, unknown methods, a role
 * that may not call the method, a rule core refused — unless core already recorded the refusal
 * (counted per call by Workspace.trackCall: failed sign-ins, refused request commands). A failure of the
 * machine rather than a refusal (isRefusal) is not recorded either. A call without a
 * session to a method that needs one, or any call before the branch is set up, is not recorded:
 * there is no one to name, and nothing was reached.
 */
function recordRefusal(s: Services, method: string, rawInput: unknown, session: Session | null, error: ErrorInfo): void {
  if (error.code === 'auth.required' || error.code === 'auth.sessionExpired' || !isRefusal(error.code)) return;
  // A restore that could not reopen the workspace leaves these services closed: nothing to record into.
  if (!s.ws.db.open || !s.users.isInitialized()) return;
  const actor: Actor = session?.emergency ? emergencyActor(session) : session ? { kind: 'user', userId: session.userId } : { kind: 'anonymous' };
  const name = method.slice(0, REFUSAL_TEXT_MAX);
  try {
    s.ws.write(actor, (tx) => {
      if (error.code === 'auth.forbidden') tx.audit('auth.forbidden', 'api', name, { roles: session?.roles ?? [] });
      else if (error.code === 'api.unknownMethod') tx.audit('api.unknownMethod', 'api', name);
      else if (name === 'auth.signIn' || name === 'emergency.signIn') {
        // A guess with malformed input is still a guess: recorded as the failed sign-in it is.
        tx.audit(`${name}.failed`, name === 'auth.signIn' ? 'user' : 'emergency_account', null, {
          username: attemptedUsername(rawInput), reason: 'invalid_input', ...(error.fields ? { fields: error.fields } : {}),
        });
      } else tx.audit(error.code === 'validation.failed' ? 'api.invalidInput' : 'api.refused', 'api', name, {
        error: error.code, ...(error.fields ? { fields: error.fields } : {}),
      });
    });
  } catch (err) {
    // The refusal stands; a store that cannot write it (disk full, read-only) says so elsewhere.
    console.warn('[core] could not record a refused call in the audit log', err);
  }
}

/** A failure of the machine (storage, a damaged file, a bug), not a call core refused: nothing to record, and often no way to. */
function isRefusal(code: string): boolean {
  return code !== 'errors.internal' && code !== 'db.corrupt' && !code.startsWith('storage.');
}

/** The user name a sign-in attempt carried, cut to a bounded length (the writer makes it well-formed). */
function attemptedUsername(rawInput: unknown): string | null {
  const username = (rawInput as { username?: unknown } | null | undefined)?.username;
  return typeof username === 'string' ? username.slice(0, REFUSAL_TEXT_MAX) : null;
}
