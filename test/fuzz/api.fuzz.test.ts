/**
 * The API fuzzer (issue 10): every contract method × random and adversarial payloads (fast-check),
 * through the real host and dispatcher on a real SQLite file, as every role and anonymous; then a
 * few hundred raw requests through HTTP against the real web host. Asserts: no `errors.internal`,
 * no HTTP 500, a refused call changes no data row (a checksum of every table but the audit log,
 * which records refusals, and sessions), and the audit chain verifies afterwards.
 *
 * `npm test` runs FUZZ_RUNS (default 1,000) dispatcher calls; `npm run fuzz` runs 20,000 (FUZZ_SEED replays a run).
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../electron/core/audit';
import { METHODS, type MethodName } from '../../electron/shared/contract';
import { ROLES, type Role } from '../../electron/shared/domain';
import { phoneIntake, TestDesk } from '../fixtures/workspace';
import { b64 } from '../unit/core/helpers';
import { apiCall, exchangeLink, hostPool } from '../unit/web/helpers';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const HTTP_RUNS = Math.max(100, Math.round(RUNS / 10));
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const METHOD_LIST = Object.keys(METHODS) as MethodName[];

/** Refusals of these record the failed attempt on the account (lockout counters): that write is the point. */
const COUNTS_FAILED_ATTEMPTS = new Set<string>(['auth.signIn', 'emergency.signIn']);
const ACCOUNT_TABLES = new Set(['users', 'emergency_accounts', 'outbox']);

/** SHA-256 of every row of every data table (not the audit log and its checkpoint, sessions, or SQLite's own). */
function dataChecksums(desk: TestDesk): Map<string, string> {
  const db = desk.services.ws.db;
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'audit%' AND name <> 'sessions' ORDER BY name")
    .pluck()
    .all() as string[];
  const out = new Map<string, string>();
  for (const t of tables) {
    const hash = createHash('sha256');
    // The audit chain's checkpoint lives in settings (`audit.head.<device>`): part of the audit log.
    // `sync.lastError` is the sync indicator's record of the last failed attempt: a refused sync.now writes it on purpose.
    const rows = t === 'settings' ? "SELECT * FROM settings WHERE key NOT LIKE 'audit.%' AND key <> 'sync.lastError'" : `SELECT * FROM "${t}"`;
    for (const row of db.prepare(rows).raw().iterate()) hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? String(v) : v)));
    out.set(t, hash.digest('hex'));
  }
  return out;
}

function changedTables(before: Map<string, string>, after: Map<string, string>, ignore: Set<string>): string[] {
  return [...after.keys()].filter((t) => !ignore.has(t) && before.get(t) !== after.get(t));
}

/** Keys the method's schema knows (when it is an object), so payloads reach past "unknown key" checks. */
function schemaKeys(method: MethodName): string[] {
  const schema = METHODS[method].input as unknown as { shape?: Record<string, unknown> };
  return schema.shape ? Object.keys(schema.shape) : [];
}

const COMMON_KEYS = ['ticketId', 'customerId', 'requestId', 'userId', 'attachmentId', 'accountId', 'username', 'password', 'fileName', 'query', 'limit', 'cursor', 'body', 'roles', 'status'];

const ADVERSARIAL_STRINGS = [
  '', ' ', '\u0000', '\ud800', 'a\udfffb', '\udc00\ud800', '\r\n', 'x\r\nSet-Cookie: a=b', '%', '%zz', '../../etc/passwd', '__proto__', 'constructor',
  "' OR 1=1 --", '"; DROP TABLE tickets; --', '<script>alert(1)</script>', '=HYPERLINK("http://x")', '+cmd', '@SUM(1)', '\u202e', '\ufeff', '𝕏',
  'x'.repeat(70_000), '0', '-1', '1e309', 'NaN', 'null', '{}', '[]', 'ñandú ÁÉÍÓÚ', 'MTY-000001', 'XAXX010101000',
];

function valueArb(ids: string[]): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.constantFrom(...ADVERSARIAL_STRINGS),
    fc.constantFrom(...ids),
    fc.uuid(),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.integer(),
    fc.constantFrom(0, -1, 1, 2 ** 31, Number.MAX_SAFE_INTEGER, -0, 0.5, NaN, Infinity, -Infinity),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  );
  return fc.oneof({ weight: 4, arbitrary: leaf }, { weight: 1, arbitrary: fc.array(leaf, { maxLength: 4 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
}

function inputArb(method: MethodName, ids: string[]): fc.Arbitrary<unknown> {
  const keys = [...new Set([...schemaKeys(method), ...COMMON_KEYS])];
  const value = valueArb(ids);
  return fc.oneof(
    { weight: 5, arbitrary: fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }) },
    { weight: 1, arbitrary: value },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}')) },
  );
}

type Caller = 'anonymous' | 'admin' | Role;

describe('API fuzz', () => {
  it(`${RUNS} random and adversarial calls over every method and role change nothing when refused, never fail internally, and keep the audit chain valid`, { timeout: 600_000 }, async () => {
    const started = Date.now();
    const desk = await new TestDesk().setup();
    try {
      // Something to aim at: a customer, a ticket with an attachment.
      const ticket = await desk.call('tickets.create', phoneIntake({ attachments: [{ fileName: 'acuse.txt', mimeType: 'text/plain', contentBase64: b64('acuse') }] }));
      const detail = await desk.call('tickets.get', { ticketId: ticket.id });
      const attachmentIds = JSON.stringify(detail).match(/"attachmentId":"([^"]+)"|"id":"([0-9a-f-]{36})"/g) ?? [];
      const ids = [ticket.id, ticket.customerId, ...attachmentIds.map((m) => m.split('"').at(-2)!)];

      const tokens = new Map<Caller, string | null>([['anonymous', null], ['admin', desk.token]]);
      for (const role of ROLES) {
        const username = `fuzz-${role.replace(/_/g, '-')}`;
        tokens.set(role, (await desk.userWithRoles(username, [role])).token);
      }
      const callers = [...tokens.keys()];
      console.log(`[fuzz] workspace with ${callers.length - 1} signed-in callers ready in ${Date.now() - started} ms`);
      const fuzzStarted = Date.now();
      const totalChanges = () => desk.services.ws.db.prepare('SELECT total_changes()').pluck().get() as number;
      let checksums = dataChecksums(desk);
      const seen = new Map<string, number>();
      const slow = new Map<string, number>();

      await fc.assert(
        fc.asyncProperty(
          // auth.signOut would end a caller's session, and signing in again costs a password hash
          // (seconds on a busy machine): it is fuzzed anonymously, and signed-in below, once per caller.
          fc.constantFrom(...METHOD_LIST).chain((method) => fc.tuple(fc.constant(method), method === 'auth.signOut' ? fc.constant<Caller>('anonymous') : fc.constantFrom(...callers), inputArb(method, ids))),
          async ([method, caller, input]) => {
            const changesBefore = totalChanges();
            const t0 = performance.now();
            const result = await desk.raw(method, input, tokens.get(caller) ?? null);
            slow.set(method, (slow.get(method) ?? 0) + performance.now() - t0);
            const code = result.ok ? 'ok' : result.error.code;
            seen.set(code, (seen.get(code) ?? 0) + 1);
            expect({ method, caller, code }).not.toEqual({ method, caller, code: 'errors.internal' });
            // Checksums only when the connection changed rows (even rolled-back ones count): exact, and half the cost.
            if (totalChanges() === changesBefore) return;
            const before = checksums;
            checksums = dataChecksums(desk);
            if (!result.ok) {
              const ignore = COUNTS_FAILED_ATTEMPTS.has(method) ? ACCOUNT_TABLES : new Set<string>();
              expect({ method, caller, code, changed: changedTables(before, checksums, ignore) }).toEqual({ method, caller, code, changed: [] });
            }
          },
        ),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );

      console.log(`[fuzz] ${RUNS} calls in ${Date.now() - fuzzStarted} ms: ${JSON.stringify(Object.fromEntries(seen))}`);
      for (const caller of callers) {
        const r = await desk.raw('auth.signOut', { junk: '\ud800' }, tokens.get(caller) ?? null);
        expect({ caller, code: r.ok ? 'ok' : r.error.code }).toEqual({ caller, code: caller === 'anonymous' ? 'auth.required' : 'ok' });
      }
      console.log(`[fuzz] slowest: ${JSON.stringify([...slow].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([m, ms]) => `${m} ${Math.round(ms)} ms`))}`);
      const verification = verifyAuditLog(desk.services.ws.db);
      expect(verification).toMatchObject({ ok: true });
      // The fuzz reached past the front door: some calls were refused for their content, some succeeded.
      expect(seen.get('validation.failed') ?? 0).toBeGreaterThan(0);
      expect(seen.get('ok') ?? 0).toBeGreaterThan(0);
      expect(seen.get('auth.forbidden') ?? 0).toBeGreaterThan(0);
    } finally {
      desk.close();
    }
  });
});

const hosts = hostPool();

describe('API fuzz over HTTP', () => {
  it(`${HTTP_RUNS} random requests to the web host never answer 500 or errors.internal`, { timeout: 300_000 }, async () => {
    const web = await hosts.start();
    const cookie = await exchangeLink(web);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...METHOD_LIST), fc.constantFrom('%', '%zz', '..%2F..%2Fetc', 'app.status%00', '__proto__', 'constructor'), fc.string({ maxLength: 20 })),
        fc.anything({ maxDepth: 2 }),
        async (method, input) => {
          const res = await apiCall(web, cookie, encodeURI(method).replace(/\//g, '%2F').replace(/\?/g, '%3F').replace(/#/g, '%23'), input);
          expect({ method, status: res.status }).not.toEqual({ method, status: 500 });
          expect(res.body).not.toContain('errors.internal');
        },
      ),
      { numRuns: HTTP_RUNS, seed: SEED, endOnFailure: true },
    );
  });
});
