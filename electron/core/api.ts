/**
 * The handler map: one function per contract method, and `dispatch`, which every transport
 * (Electron IPC, the web host, tests) goes through: known method → session → role → zod parse →
 * handler → `Result`. Permissions live here, in core, never only in the UI.
 */
import { z } from 'zod';
import { METHODS, type MethodName, type MethodResult, type ParsedInput } from '../shared/contract';
import type { Role } from '../shared/domain';
import { AppError, type ErrorInfo, type Result } from '../shared/errors';
import { verifyAuditLog } from './audit';
import { createBackup, listBackups } from './backup';
import type { Services } from './services';
import type { Session } from './users';

export interface CallContext {
  session: Session | null;
}

type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: CallContext & { userId: string }) => MethodResult<M> | Promise<MethodResult<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };

/** Methods whose handlers live in the host (they replace the database itself). */
export type HostMethods = 'app.status' | 'app.resetDatabase' | 'app.restoreBackup';

export function createHandlers(s: Services): Omit<Handlers, HostMethods> {
  return {
    'auth.setup': (input) => s.users.setup(input),
    'auth.signIn': (input) => s.users.signIn(input),
    'auth.signOut': (_input, ctx) => {
      if (ctx.session) s.users.signOut(ctx.session.token);
      return null;
    },
    'auth.me': (_input, ctx) => s.users.me(ctx.userId),
    'users.directory': () => s.users.directory(),
    'users.list': () => s.users.list(),
    'users.create': (input, ctx) => s.users.create(ctx.userId, input),
    'users.update': (input, ctx) => s.users.update(ctx.userId, input),
    'users.unlock': (input, ctx) => s.users.unlock(ctx.userId, input.userId),
    'users.resetPassword': (input, ctx) => s.users.resetPassword(ctx.userId, input.userId, input.password),
    'customers.list': (input) => s.customers.list(input.query, input.limit),
    'customers.get': (input) => s.customers.get(input.customerId),
    'customers.findByRfc': (input) => s.customers.findByRfc(input.rfc),
    'customers.create': (input, ctx) => s.customers.create(ctx.userId, input),
    'customers.update': (input, ctx) => s.customers.update(ctx.userId, input),
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
    'attachments.read': (input) => s.attachments.read(input.attachmentId),
    'settings.get': () => s.settings.get(),
    'settings.update': (input, ctx) => s.settings.update(ctx.userId, input),
    'backup.create': async (_input, ctx) => {
      const info = await createBackup(s.ws.db, s.ws.dataDir, s.ws.now());
      s.ws.write({ kind: 'user', userId: ctx.userId }, (tx) => tx.audit('backup.created', 'backup', info.fileName, { sizeBytes: info.sizeBytes }));
      return info;
    },
    'backup.list': () => listBackups(s.ws.dataDir),
    'audit.verify': (_input, ctx) => {
      const result = verifyAuditLog(s.ws.db);
      s.ws.write({ kind: 'user', userId: ctx.userId }, (tx) => tx.audit('audit.verified', 'audit_log', null, { ...result }));
      return result;
    },
  };
}

/** Checks access for a method given the caller's roles (null = not signed in). Pure, for the permission matrix. */
export function isAllowed(method: MethodName, roles: readonly Role[] | null): boolean {
  const access = METHODS[method].access;
  if (access === 'public') return true;
  if (roles === null) return false;
  if (access === 'session') return true;
  return roles.some((r) => (access as readonly Role[]).includes(r));
}

/** Turns a zod failure into field → i18n key (the schemas' messages are i18n keys). */
export function validationError(error: z.ZodError): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '_';
    if (!fields[path]) fields[path] = issue.message.includes('.') && !issue.message.includes(' ') ? issue.message : 'validation.invalid';
  }
  return new AppError('validation.failed', undefined, fields);
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof AppError) return err.toInfo();
  if (err instanceof z.ZodError) return validationError(err).toInfo();
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
      try {
        if (!Object.hasOwn(METHODS, method)) throw new AppError('api.unknownMethod', { method: String(method).slice(0, 80) });
        const name = method as MethodName;
        const session = s.users.resolve(sessionToken);
        if (!isAllowed(name, session?.roles ?? null)) {
          if (!session) throw new AppError('auth.required');
          s.ws.write({ kind: 'user', userId: session.userId }, (tx) => tx.audit('auth.forbidden', 'api', name, { roles: session.roles }));
          throw new AppError('auth.forbidden');
        }
        const parsed = METHODS[name].input.safeParse(rawInput ?? {});
        if (!parsed.success) throw validationError(parsed.error);
        const value = await handlers[name](parsed.data as never, { session, userId: session?.userId ?? '' });
        return { ok: true, value };
      } catch (err) {
        return { ok: false, error: toErrorInfo(err) };
      }
    },
  };
}
