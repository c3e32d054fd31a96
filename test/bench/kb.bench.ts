/**
 * Knowledge base search (issue 12, item 5) over N articles (default 2,000) plus the starter set,
 * written through the real commands (kb.create, kb.setStatus: row + revision + audit + outbox),
 * then searched through the dispatcher as the screen and the ticket do: a common word, a rare
 * word, two words typed with the last one half-written, a question in the customer's words (the
 * any-word fall-back), browsing a category, and the suggestions for a ticket.
 *
 * `npx tsx test/bench/kb.bench.ts [--articles N] [--samples S]`; also part of `npm run bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openHost, type Host } from '../../electron/core/host';
import { CATEGORIES } from '../../electron/shared/domain';
import { call, measure, withTarget, type BenchRow } from './workspace.bench';

const PASSWORD = 'bench-clave-segura';
/** What an agent waits for while typing in the search box. */
const TARGET_P95_MS = 50;

const SUBJECTS = [
  'Error al timbrar', 'Cancelación de factura', 'Complemento de pago', 'Recibo de nómina', 'Certificado de sello digital', 'e.firma vencida',
  'Descarga de XML', 'PDF que no abre', 'Usuario bloqueado', 'Cambio de correo registrado', 'Créditos agotados', 'Renovación del servicio',
  'Factura global', 'Régimen fiscal del receptor', 'Código postal del receptor', 'Uso del CFDI', 'Carta porte', 'Comercio exterior',
];
const WORDS = (
  'factura receptor emisor timbrado sello certificado constancia situación fiscal régimen código postal nombre razón social RFC ' +
  'cancelación motivo sustitución folio UUID aceptación plazo días hábiles complemento pago parcialidad saldo método forma PPD PUE ' +
  'nómina trabajador percepciones deducciones periodo CURP portal usuario contraseña correo registrado créditos paquete renovación ' +
  'descarga XML PDF navegador equipo conexión error mensaje validación catálogo clave uso global público general extranjero'
).split(' ');
/** Rare words: each in about 1 % of the articles. */
const RARE = ['addenda', 'donataria', 'retenciones', 'arrendamiento'];

/** A small deterministic generator, so every run writes the same articles. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function article(i: number, rand: () => number) {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const paragraphs = Array.from({ length: 4 + Math.floor(rand() * 4) }, () => `${sentence(12 + Math.floor(rand() * 20))}.`);
  if (i % 100 === 7) paragraphs.push(`Caso con ${pick(RARE)}.`);
  return {
    category: CATEGORIES[i % CATEGORIES.length]!,
    title: `${pick(SUBJECTS)}: ${sentence(3)} (${i + 1})`,
    body: `## ${pick(SUBJECTS)}\n\n${paragraphs.join('\n\n')}\n\n- ${sentence(6)}\n- ${sentence(6)}\n- **${sentence(3)}**`,
    visibility: i % 3 === 0 ? ('internal' as const) : ('public' as const),
  };
}

export async function benchKnowledgeBase(articles: number, samples: number, log: (line: string) => void): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-kb-'));
  const host = openHost({ dataDir, sweepIntervalMs: 0, backgroundSync: false, mail: { start: false } });
  try {
    const setup = await host.call('auth.setup', {
      branchCode: 'KB', branchName: 'Base de conocimiento', timeZone: 'America/Mexico_City', username: 'admin', fullName: 'Ana Administradora',
      password: PASSWORD, confirmPassword: PASSWORD, locale: 'es-MX',
    }, null);
    if (!setup.ok) throw new Error(JSON.stringify(setup.error));
    const token = (setup.value as { token: string }).token;
    const rand = rng(12);
    const t0 = performance.now();
    for (let i = 0; i < articles; i++) {
      const created = (await call(host, token, 'kb.create', article(i, rand))) as { id: string };
      // Most are published; the rest stay drafts (search shows both; suggestions only the published).
      if (i % 5 !== 0) await call(host, token, 'kb.setStatus', { articleId: created.id, status: 'published' });
    }
    log(`  ${articles.toLocaleString('en-US')} articles written in ${((performance.now() - t0) / 1000).toFixed(1)} s (load ${loadavg()[0]!.toFixed(1)})`);
    const ticket = (await call(host, token, 'tickets.create', {
      customer: { kind: 'new', rfc: 'TEC0503155C6', name: 'Tecnologías del Cerro SA de CV', email: 'facturas@tecnocerro.example.mx', phone: '' },
      channel: 'email', requestType: 'technical', supportType: 'web', category: 'query_cancel_cfdi', priority: 'normal', severity: 1,
      subject: 'No puede cancelar una factura', description: 'Emitió una factura con el RFC del receptor equivocado y el código postal no coincide. ¿Qué motivo de cancelación usa?',
    })) as { id: string };
    return await measureSearches(host, token, ticket.id, articles, samples);
  } finally {
    host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measureSearches(host: Host, token: string, ticketId: string, articles: number, samples: number): Promise<BenchRow[]> {
  const n = `${articles.toLocaleString('en-US')} articles`;
  const search = (query: string, extra: object = {}) => () => call(host, token, 'kb.list', { query, ...extra });
  const common = ['factura', 'receptor', 'certificado', 'nomina'];
  const rows: BenchRow[] = [
    withTarget(await measure(`search, one common word (${n}, first page of 30)`, samples, (i) => search(common[i % common.length]!)()), TARGET_P95_MS),
    withTarget(await measure(`search, one rare word (${n})`, samples, (i) => search(RARE[i % RARE.length]!)()), TARGET_P95_MS),
    withTarget(await measure(`search as you type, "codigo postal recep" (${n})`, samples, search('codigo postal recep')), TARGET_P95_MS),
    withTarget(await measure(`a question, any-word fall-back (${n})`, samples, search('¿cómo hago para cancelar una factura con addenda y complemento?')), TARGET_P95_MS),
    withTarget(await measure(`browse one classification, newest first (${n})`, samples, (i) => call(host, token, 'kb.list', { query: '', category: CATEGORIES[i % CATEGORIES.length]! })), TARGET_P95_MS),
    withTarget(await measure(`suggestions for a ticket (${n})`, samples, () => call(host, token, 'kb.suggest', { ticketId })), TARGET_P95_MS),
  ];
  return rows;
}

if (process.argv[1]?.endsWith('kb.bench.ts')) {
  const { values } = parseArgs({ options: { articles: { type: 'string', default: '2000' }, samples: { type: 'string', default: '200' } } });
  const log = (line: string) => console.error(line);
  benchKnowledgeBase(Number(values.articles), Number(values.samples), log).then((rows) => {
    console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log('| Benchmark | n | p50 (ms) | p95 (ms) | Target | Met |');
    console.log('|---|---:|---:|---:|---|:-:|');
    for (const r of rows) console.log(`| ${r.name} | ${r.n} | ${r.p50ms.toFixed(2)} | ${r.p95ms.toFixed(2)} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? '✅' : '❌'} |`);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
