/**
 * `npm run sim -- --seeds 2000` (the long run), `npm run sim -- --seed 17 --verbose` (replays one
 * seed and prints every step). Exit code 1 if any seed fails; each failure says how to replay it.
 */
import { parseArgs } from 'node:util';
import { planFor, SimFailure, World } from './simulator';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '200' },
    from: { type: 'string', default: '1' },
    seed: { type: 'string' },
    steps: { type: 'string', default: '36' },
    verbose: { type: 'boolean', default: false },
  },
});
const steps = Number(values.steps);
const seeds = values.seed !== undefined ? [Number(values.seed)] : Array.from({ length: Number(values.seeds) }, (_x, i) => Number(values.from) + i);

const world = await World.open();
world.verbose = values.verbose;
const started = performance.now();
const failures: SimFailure[] = [];
const timing: Record<string, number> = {};
const totals = { ops: 0, syncs: 0, applied: 0, rejected: 0, faults: {} as Record<string, number>, reasons: {} as Record<string, number> };
for (const seed of seeds) {
  try {
    const r = await world.run(planFor(seed, steps));
    totals.ops += r.ops;
    totals.syncs += r.syncs;
    totals.applied += r.mutations.applied;
    totals.rejected += r.mutations.rejected;
    for (const [k, v] of Object.entries(r.faults)) totals.faults[k] = (totals.faults[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.reasons)) totals.reasons[k] = (totals.reasons[k] ?? 0) + v;
    for (const [k, v] of Object.entries(r.timing)) timing[k] = (timing[k] ?? 0) + v;
  } catch (err) {
    if (!(err instanceof SimFailure)) throw err;
    failures.push(err);
    console.error(err.message);
  }
  const done = seeds.indexOf(seed) + 1;
  if (done % 50 === 0) console.log(`${done}/${seeds.length} seeds, ${failures.length} failed, ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
await world.close();
const seconds = (performance.now() - started) / 1000;
console.log(`sync simulator: ${seeds.length} seeds (${seeds[0]}…${seeds[seeds.length - 1]}), ${failures.length} failed, ${seconds.toFixed(1)} s (${(seconds * 1000 / seeds.length).toFixed(0)} ms a seed)`);
console.log(`  ${totals.ops} operations, ${totals.syncs} syncs, server mutations ${totals.applied} applied / ${totals.rejected} rejected`);
console.log(`  time (s): ${Object.entries(timing).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ')}`);
console.log(`  faults: ${JSON.stringify(totals.faults)}`);
console.log(`  rejections: ${JSON.stringify(totals.reasons)}`);
if (failures.length > 0) {
  console.log(`  failed seeds: ${failures.map((f) => f.seed).join(' ')}`);
  process.exitCode = 1;
}
