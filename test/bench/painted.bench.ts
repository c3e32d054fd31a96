/**
 * Painted times in real Chromium (issue 16, item 7): the web host (`electron/web/server.ts`, as
 * `npm run web`) on a big workspace, Debian's Chromium driven by Playwright, each time measured in
 * the page from the user's input event (keydown, click or change, taken in a capturing listener)
 * to the first animation frame after the screen shows the answer:
 * - type a word + Enter → the search results painted;
 * - click each view tab in turn (Todos, Mis tickets, … Por vencer), change the sort, change the
 *   direction (the "last page": keyset paging has no OFFSET, the last page is the first in the
 *   other direction) → rows painted;
 * - Enter on the highlighted row → the ticket with its timeline painted (and Esc back to the list).
 * "The list answered": the grid's `data-answered` (the question whose answer its rows show, set in
 * the same render as the rows) changed to a new question; a MutationObserver in the page sees it,
 * so Playwright's polling adds nothing. (Waiting for the first rows to differ never ended when two
 * questions had the same first rows.)
 *
 * The web host is started on the workspace as `npm run web` does (it refuses one with pending
 * migrations: the app would copy it whole first); its start is given 10 minutes on a big workspace.
 * Needs `dist/renderer` (`npm run build:renderer`). Standalone:
 * `npx tsx test/bench/painted.bench.ts --data DIR --password P [--user admin] [--samples 10]`.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { startOwnedHost } from '../e2e/fixtures';
import type { BenchResult } from './calendar.bench';
import { pendingMigrations } from './at-scale.bench';

declare global {
  interface Window {
    __t0: number;
    __arm: (kind: 'list' | 'ticket') => void;
    __pending: Promise<number>;
  }
}

/**
 * Installed in the page: input timestamps, and a waiter for "the answer is on screen and painted".
 * Plain JavaScript text: a function passed to page.evaluate would carry tsx's name helpers.
 */
const INSTRUMENT = `(() => {
  const mark = () => { window.__t0 = performance.now(); };
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') mark(); }, true);
  document.addEventListener('click', mark, true);
  document.addEventListener('change', mark, true);
  window.__arm = (kind) => { window.__pending = new Promise((resolve) => {
    const answered = () => document.querySelector('[role="grid"]')?.getAttribute('data-answered') ?? null;
    const before = answered();
    const ready = () => {
      if (kind === 'ticket') return document.querySelector('[data-testid="tracking-number"]') !== null && document.querySelector('.timeline ol li') !== null;
      const now = answered();
      return now !== null && now !== before;
    };
    const observer = new MutationObserver(() => {
      if (!ready()) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - window.__t0), 0));
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    setTimeout(() => { observer.disconnect(); resolve(-1); }, 60000);
  }); };
})()`;

/** CPU spent per interaction: the page's main thread (DevTools' TaskDuration) and the web host process (/proc, 10 ms ticks). */
interface Costs {
  rendererMs: number;
  hostMs: number;
}

/** Arms the waiter (installed before the input, so no answer can come first), acts, and waits for the paint. */
async function timed(page: Page, kind: 'list' | 'ticket', action: () => Promise<void>, costs?: Costs[]): Promise<number> {
  const before = costs ? await spent() : null;
  await page.evaluate((k) => window.__arm(k), kind);
  await action();
  const ms = await page.evaluate(() => window.__pending);
  if (costs && before) {
    const after = await spent();
    costs.push({ rendererMs: after.rendererMs - before.rendererMs, hostMs: after.hostMs - before.hostMs });
  }
  return ms; // -1: nothing changed on screen within a minute (left out of the summary, and counted)
}

let spent: () => Promise<Costs> = () => Promise.resolve({ rendererMs: 0, hostMs: 0 });

function hostCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 100 Hz ticks
  } catch {
    return 0;
  }
}

export interface PaintedRow extends BenchResult {
  /** Mean CPU per interaction: the page's main thread and the host process. */
  rendererMs: number;
  hostMs: number;
  /** Waits that never saw the answer painted (a minute). */
  timedOut: number;
  load: string;
}

const loadNow = () => loadavg().map((l) => l.toFixed(1)).join(' ');

function summary(name: string, xs: number[], costs: Costs[] = []): PaintedRow {
  const s = xs.filter((x) => x >= 0).sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  const mean = (f: (c: Costs) => number) => costs.reduce((a, c) => a + f(c), 0) / Math.max(1, costs.length);
  return {
    name, n: s.length, p50ms: p(0.5), p95ms: p(0.95), totalMs: s.reduce((a, b) => a + b, 0), timedOut: xs.length - s.length, load: loadNow(),
    rendererMs: mean((c) => c.rendererMs), hostMs: mean((c) => c.hostMs),
  };
}

export async function benchPainted(dataDir: string, username: string, password: string, samples: number, log: (l: string) => void): Promise<PaintedRow[]> {
  const pending = pendingMigrations(dataDir);
  if (pending.length > 0) throw new Error(`${dataDir} lacks migrations ${pending.join(', ')}: the host would copy the whole workspace first. Apply them with sqlite3.`);
  const started = performance.now();
  const host = await startOwnedHost(dataDir, {}, 600_000);
  log(`  painted: web host ready in ${((performance.now() - started) / 1000).toFixed(1)} s (load ${loadNow()})`);
  // For a measurement run only: the host's CPU group raised like the bench's own (see README, at scale).
  if (process.env.BENCH_AUTOGROUP && host.pid) {
    try {
      writeFileSync(`/proc/${host.pid}/autogroup`, process.env.BENCH_AUTOGROUP);
    } catch {
      log('  painted: could not raise the host\'s CPU group');
    }
  }
  const browser = await chromium.launch({
    executablePath: process.env.HELPDESK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'es-MX', timezoneId: 'America/Mexico_City' });
    page.setDefaultTimeout(30_000);
    await page.goto(host.url);
    await page.getByLabel('Usuario', { exact: true }).fill(username);
    await page.getByLabel('Contraseña', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor();
    await page.evaluate(INSTRUMENT);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    spent = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
      return { rendererMs: (metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000, hostMs: hostCpuMs(host.pid) };
    };
    await page.getByRole('button', { name: 'Tickets', exact: true }).click();
    await page.locator('[role="row"][data-ticket-id]').first().waitFor();
    log('  painted: signed in, list shown');

    const results: PaintedRow[] = [];
    /** `samples` timed runs of `step(i)` after one warm-up, summarised under `name`. */
    const series = async (name: string, kind: 'list' | 'ticket', step: (i: number) => Promise<void>, before?: () => Promise<void>, after?: () => Promise<void>) => {
      const xs: number[] = [];
      const costs: Costs[] = [];
      for (let i = 0; i <= samples; i++) {
        await before?.();
        const ms = await timed(page, kind, () => step(i), i > 0 ? costs : undefined);
        if (i > 0) xs.push(ms);
        await after?.();
      }
      results.push(summary(name, xs, costs));
      log(`  painted: ${name}: ${xs.map((x) => x.toFixed(0)).join(' ')}`);
    };
    const tab = (name: string) => page.getByRole('tab', { name, exact: true });
    const tabs = ['Todos', 'Mis tickets', 'Sin asignar', 'En espera', 'Abiertos', 'Cerrados', 'Vencidos', 'Por vencer'];
    const byTab = new Map<string, { xs: number[]; costs: Costs[] }>(tabs.map((name) => [name, { xs: [], costs: [] }]));
    for (let round = 0; round < Math.max(2, Math.ceil(samples / 2)) + 1; round++) {
      for (const name of tabs) {
        if ((await tab(name).getAttribute('aria-selected')) === 'true') continue;
        const into = byTab.get(name)!;
        const ms = await timed(page, 'list', () => tab(name).click(), round > 0 ? into.costs : undefined);
        if (round > 0) into.xs.push(ms);
      }
    }
    for (const [name, { xs, costs }] of byTab) results.push(summary(`click the view tab ${name} → rows painted`, xs, costs));
    results.push(summary('click a view tab (every view) → rows painted', [...byTab.values()].flatMap((v) => v.xs), [...byTab.values()].flatMap((v) => v.costs)));
    log('  painted: view tabs done');
    await timed(page, 'list', () => tab('Abiertos').click());

    const sortBy = page.getByLabel('Ordenar por');
    await series('change the sort (prioridad ↔ última actualización) → rows painted', 'list',
      (i) => sortBy.selectOption(i % 2 === 0 ? 'priority' : 'updatedAt').then(() => undefined));
    const direction = page.getByLabel('Sentido');
    await series('change the direction (the last page) → rows painted', 'list',
      (i) => direction.selectOption(i % 2 === 0 ? 'asc' : 'desc').then(() => undefined));
    await series('Enter on a row → the ticket with its timeline painted', 'ticket', () => page.keyboard.press('Enter'),
      async () => {
        await page.locator('[role="row"][data-ticket-id]').first().waitFor();
        // The list's keys work when no field has the focus (the sort and direction selects had it).
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await page.keyboard.press('j');
      },
      async () => {
        await page.keyboard.press('Escape');
        await page.locator('[role="row"][data-ticket-id]').first().waitFor();
      });
    const words = ['factura', 'addenda', 'timbrar', 'donataria', 'error', 'porte'];
    const search = page.getByRole('searchbox');
    let word = 0;
    await series('type a word + Enter → results painted', 'list', () => search.press('Enter'), () => search.fill(words[word++ % words.length]!));
    return results;
  } finally {
    await browser.close();
    await host.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string' }, password: { type: 'string' }, user: { type: 'string', default: 'admin' }, samples: { type: 'string', default: '10' } } });
  if (!values.data || !values.password) throw new Error('--data DIR --password P');
  const before = loadNow();
  const rows = await benchPainted(values.data, values.user!, values.password, Number(values.samples), (l) => console.error(l));
  console.log(`${values.data} · load average before ${before}, after ${loadNow()}`);
  console.log('| painted in Chromium | n | p50 (ms) | p95 (ms) | page CPU ms | host CPU ms | never painted | load |\n|---|---:|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.n} | ${r.p50ms.toFixed(0)} | ${r.p95ms.toFixed(0)} | ${r.rendererMs.toFixed(0)} | ${r.hostMs.toFixed(0)} | ${r.timedOut} | ${r.load} |`);
  }
}

if (process.argv[1]?.endsWith('painted.bench.ts')) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
