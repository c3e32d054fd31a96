/**
 * The branch's incoming mailboxes (Administración → Correo): IMAP settings per mailbox, the
 * password sealed like the outgoing one (secret.ts) — never returned, never audited, never
 * written to the sync outbox; the mailboxes belong to this machine.
 */
import type { z } from 'zod';
import type { InboxInfo, InboxPurpose, InboxStatus, inboxSaveSchema } from '../../shared/mail-intake';
import type { MailSecurity } from '../../shared/mail';
import { AppError } from '../../shared/errors';
import type { Workspace } from '../workspace';
import type { SecretBox } from './secret';

/** An inbox as the fetcher needs it, password opened. */
export type InboxConnection = Pick<InboxInfo, 'id' | 'name' | 'host' | 'port' | 'security' | 'username' | 'folder' | 'purpose'> & {
  password: string;
};

interface InboxRow {
  id: string; name: string; host: string; port: number; security: MailSecurity; username: string; passwordSealed: string | null;
  folder: string; purpose: InboxPurpose; enabled: number;
}

const COLUMNS = `id, name, host, port, security, username, password_sealed AS passwordSealed, folder, purpose, enabled`;

export class Inboxes {
  constructor(
    private readonly ws: Workspace,
    private readonly secrets: SecretBox,
  ) {}

  list(status: (id: string) => InboxStatus): InboxInfo[] {
    const rows = this.ws.sql(`SELECT ${COLUMNS} FROM mail_inboxes ORDER BY created_at, rowid`).all() as InboxRow[];
    const counts = new Map((this.ws.sql(
      "SELECT inbox_id AS id, count(*) AS n FROM mail_messages WHERE outcome IN ('ticket', 'reply') GROUP BY inbox_id",
    ).all() as Array<{ id: string; n: number }>).map((r) => [r.id, r.n]));
    return rows.map(({ passwordSealed, enabled, ...r }) => ({
      ...r, enabled: enabled === 1, hasPassword: passwordSealed !== null, imported: counts.get(r.id) ?? 0, status: status(r.id),
    }));
  }

  /** Enabled mailboxes with their passwords opened, for the fetcher. */
  connections(): InboxConnection[] {
    const rows = this.ws.sql(`SELECT ${COLUMNS} FROM mail_inboxes WHERE enabled = 1 ORDER BY created_at, rowid`).all() as InboxRow[];
    return rows.map(({ passwordSealed, enabled: _e, ...r }) => ({ ...r, password: passwordSealed ? this.secrets.open(passwordSealed) : '' }));
  }

  purpose(inboxId: string): InboxPurpose {
    const p = this.ws.sql('SELECT purpose FROM mail_inboxes WHERE id = ?').pluck().get(inboxId) as InboxPurpose | undefined;
    if (!p) throw new AppError('mail.inboxNotFound');
    return p;
  }

  save(actorId: string, input: z.output<typeof inboxSaveSchema>): string {
    const { inboxId, password, acceptInsecure: _accepted, ...fields } = input;
    void _accepted;
    return this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = inboxId ? (tx.sql(`SELECT ${COLUMNS} FROM mail_inboxes WHERE id = ?`).get(inboxId) as InboxRow | undefined) : undefined;
      if (inboxId && !before) throw new AppError('mail.inboxNotFound');
      if (!before && password === undefined) throw new AppError('validation.failed', undefined, { password: 'validation.required' });
      const sealed = password === undefined ? before!.passwordSealed : this.secrets.seal(password);
      const id = before?.id ?? tx.id();
      // Another server or account is another mailbox: its messages are numbered anew.
      const moved = before !== undefined && (before.host !== fields.host || before.username !== fields.username || before.folder !== fields.folder);
      if (before) {
        tx.sql(
          `UPDATE mail_inboxes SET name = ?, host = ?, port = ?, security = ?, username = ?, password_sealed = ?, folder = ?, purpose = ?, enabled = ?,
             uid_validity = CASE WHEN ? THEN NULL ELSE uid_validity END, last_uid = CASE WHEN ? THEN 0 ELSE last_uid END, updated_at = ? WHERE id = ?`,
        ).run(fields.name, fields.host, fields.port, fields.security, fields.username, sealed, fields.folder, fields.purpose, fields.enabled ? 1 : 0,
          moved ? 1 : 0, moved ? 1 : 0, tx.at, id);
      } else {
        tx.sql(
          `INSERT INTO mail_inboxes (id, name, host, port, security, username, password_sealed, folder, purpose, enabled, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(id, fields.name, fields.host, fields.port, fields.security, fields.username, sealed, fields.folder, fields.purpose, fields.enabled ? 1 : 0, tx.at, tx.at);
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(fields) as Array<keyof typeof fields>) {
        const was = before ? (key === 'enabled' ? before.enabled === 1 : before[key]) : null;
        if (was !== fields[key]) changes[key] = { from: was, to: fields[key] };
      }
      // Whether the password changed, never the password (nor its ciphertext).
      tx.audit('mail.inboxSaved', 'mail_inbox', id, { changes, passwordChanged: password !== undefined, created: !before });
      return id;
    });
  }

  remove(actorId: string, inboxId: string): void {
    this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const name = tx.sql('SELECT name FROM mail_inboxes WHERE id = ?').pluck().get(inboxId) as string | undefined;
      if (name === undefined) throw new AppError('mail.inboxNotFound');
      // The messages already fetched stay (they are the record of what became of each mail): the mailbox is turned off.
      tx.sql('UPDATE mail_inboxes SET enabled = 0, password_sealed = NULL, updated_at = ? WHERE id = ?').run(tx.at, inboxId);
      tx.audit('mail.inboxDisabled', 'mail_inbox', inboxId, { name });
    });
  }
}
