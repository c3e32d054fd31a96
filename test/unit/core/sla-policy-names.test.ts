import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE } from '../../../electron/core/db/connection';
import { loadMigrations, migrate } from '../../../electron/core/db/migrate';
import { DEFAULT_SLA_CONFIG, slaConfigSchema } from '../../../electron/shared/sla';
import { tempDir } from '../../fixtures/workspace';

const OLD_NAMES: Record<string, string> = {
  'complaints-2-8': 'Quejas y severidad 3: 2 h / 8 h (seeds 002, 003)',
  'severity3-2-8': 'Falla del servicio (severidad 3): 2 h / 8 h (seed 002)',
  'phone-chat': 'Teléfono y chat: atención inmediata, resolución 48 h (seed 000)',
  'ticket-email': 'Ticket web y correo: respuesta 24 h, resolución 48 h (seed 000)',
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SLA policy names speak to users, not developers (issue 14, defect 4)', () => {
  it('no default policy name mentions a seed number', () => {
    for (const p of DEFAULT_SLA_CONFIG.policies) expect(p.name).not.toMatch(/seed/i);
  });

  it('an older workspace that stored the defaults gets the new names; a name the administrator edited stays', () => {
    const dir = tempDir('helpdesk-sla-names-');
    dirs.push(dir);
    const db = new Database(join(dir, DB_FILE));
    const all = loadMigrations();
    migrate(db, all.filter((m) => m.version < 8));
    // What SlaEngine.saveConfig stored before the rename: the defaults, one of them renamed by hand.
    const stored = {
      ...DEFAULT_SLA_CONFIG,
      policies: DEFAULT_SLA_CONFIG.policies.map((p) => ({ ...p, name: p.id === 'phone-chat' ? 'Teléfono: la nuestra' : OLD_NAMES[p.id]! })),
    };
    db.prepare("INSERT INTO settings (key, value) VALUES ('sla', ?)").run(JSON.stringify(stored));

    migrate(db, all);

    const after = slaConfigSchema.parse(JSON.parse(db.prepare("SELECT value FROM settings WHERE key = 'sla'").pluck().get() as string));
    const names = Object.fromEntries(after.policies.map((p) => [p.id, p.name]));
    const defaults = Object.fromEntries(DEFAULT_SLA_CONFIG.policies.map((p) => [p.id, p.name]));
    expect(names).toEqual({ ...defaults, 'phone-chat': 'Teléfono: la nuestra' });
    // Everything else in the stored settings is untouched.
    expect({ ...after, policies: [] }).toEqual({ ...slaConfigSchema.parse(stored), policies: [] });
    db.close();
  });
});
