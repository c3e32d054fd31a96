/**
 * `npm run server` — the central sync server. PGlite in SYNC_DATA_DIR (default ./.sync-data)
 * unless DATABASE_URL names a PostgreSQL server. PORT (default 8787) and HOST (default 127.0.0.1).
 *
 *   npm run server                              serves sync, the customer portal (/portal) and the
 *                                               administration pages (/admin); while no administrator
 *                                               exists it prints the first-run page's setup code
 *   npm run server -- --setup --username NAME   creates the server administrator (password from
 *                                               SYNC_ADMIN_PASSWORD or asked on the terminal)
 *   npm run server -- --verify-audit            verifies the server-wide audit chain and every device chain in it
 *
 * The portal's mail (sign-in links, acknowledgements): SMTP_HOST, SMTP_PORT, SMTP_SECURITY
 * (tls | starttls | none), SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_CA_FILE, and PORTAL_URL (the
 * address customers reach the portal at, for links). All but the password can also be given as
 * --smtp-host, --smtp-port, --smtp-security, --smtp-user, --smtp-from, --portal-url.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { buildServer } from './app';
import { firstRunCode } from './admin/commands';
import { setupAdmin } from './commands/admin';
import { verifyServerAudit } from './commands/audit';
import { openPglite, openPostgres, type Db } from './db';
import { migrateServer } from './migrate';

export async function openServerDb(env: NodeJS.ProcessEnv = process.env): Promise<Db> {
  if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL);
  return openPglite(resolve(env.SYNC_DATA_DIR ?? '.sync-data'));
}

async function askPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    return await rl.question('Password for the server administrator (12+ characters): ');
  } finally {
    rl.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      setup: { type: 'boolean' }, username: { type: 'string' }, 'verify-audit': { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' },
      'smtp-host': { type: 'string' }, 'smtp-port': { type: 'string' }, 'smtp-security': { type: 'string' }, 'smtp-user': { type: 'string' },
      'smtp-from': { type: 'string' }, 'portal-url': { type: 'string' },
    },
  });
  // Command-line mail settings over the environment's (the password only from the environment: not in the process list).
  const env = { ...process.env };
  const flags = { 'smtp-host': 'SMTP_HOST', 'smtp-port': 'SMTP_PORT', 'smtp-security': 'SMTP_SECURITY', 'smtp-user': 'SMTP_USER', 'smtp-from': 'SMTP_FROM', 'portal-url': 'PORTAL_URL' } as const;
  for (const [flag, name] of Object.entries(flags)) {
    const v = values[flag as keyof typeof flags];
    if (v !== undefined) env[name] = v;
  }
  const db = await openServerDb();
  await migrateServer(db);
  if (values.setup) {
    const username = values.username ?? process.env.SYNC_ADMIN_USERNAME;
    if (!username) {
      console.error('Usage: npm run server -- --setup --username NAME (password in SYNC_ADMIN_PASSWORD or asked)');
      await db.close();
      return 2;
    }
    const password = process.env.SYNC_ADMIN_PASSWORD ?? (await askPassword());
    try {
      await db.tx((sql) => setupAdmin(sql, username, password, Date.now()));
      console.log(`Server administrator "${username}" created.`);
      return 0;
    } catch (err) {
      console.error(`ERROR: ${(err as Error).message}`);
      return 1;
    } finally {
      await db.close();
    }
  }
  if (values['verify-audit']) {
    const t0 = performance.now();
    const result = await verifyServerAudit(db);
    await db.close();
    const seconds = ((performance.now() - t0) / 1000).toFixed(2);
    if (result.ok) {
      console.log(`OK: ${result.checked.toLocaleString('en-US')} audit entries from ${result.devices} devices verified on the server chain (${seconds} s)`);
      return 0;
    }
    const b = result.firstBroken!;
    console.log(`BROKEN: server chain entry ${b.chainSeq} (device ${b.deviceId ?? '-'}, seq ${b.seq ?? '-'}): ${b.reason}; ${result.checked} entries before it verified`);
    return 1;
  }
  const setupCode = await firstRunCode(db);
  const app = buildServer({ db, logger: true, env });
  const close = async () => {
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  const address = await app.listen({ port: Number(values.port ?? process.env.PORT ?? 8787), host: values.host ?? process.env.HOST ?? '127.0.0.1' });
  if (setupCode) {
    console.log(`Primera configuración: abra ${address}/admin/ y escriba el código ${setupCode}`);
    console.log(`First run: open ${address}/admin/ and type the code ${setupCode}`);
  }
  return -1; // keeps running
}

if (process.argv[1] && /server[\\/]main\.[cm]?[jt]s$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exitCode = code;
  }, (err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
