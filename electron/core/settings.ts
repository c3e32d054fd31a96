/** Organization settings, stored as JSON in `settings` under `org`. */
import type { z } from 'zod';
import type { settingsUpdateSchema } from '../shared/contract';
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../shared/domain';
import type { OrgSettings } from '../shared/types';
import { diff } from './users';
import type { Workspace } from './workspace';

export const DEFAULT_SETTINGS: OrgSettings = {
  closedTicketPolicy: 'new_linked', // seeds 001/004: a closed ticket is never reopened
  reopenWithinDays: 7,
  maxAttachmentBytes: DEFAULT_MAX_ATTACHMENT_BYTES,
  defaultLocale: 'es-MX',
  keepBackups: 10,
  dailyBackups: true,
  keepBackupDays: 14,
};

export class Settings {
  constructor(private readonly ws: Workspace) {}

  get(): OrgSettings {
    const raw = this.ws.getSetting('org');
    return raw ? { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as Partial<OrgSettings>) } : { ...DEFAULT_SETTINGS };
  }

  update(actorId: string, input: z.output<typeof settingsUpdateSchema>): OrgSettings {
    return this.ws.write({ kind: 'user', userId: actorId }, (tx) => {
      const before = this.get();
      const after: OrgSettings = { ...before, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
      tx.setSetting('org', JSON.stringify(after));
      tx.audit('settings.changed', 'settings', 'org', diff({ ...before }, { ...after }));
      tx.outbox('settings', 'org', 'update', after);
      return after;
    });
  }
}
