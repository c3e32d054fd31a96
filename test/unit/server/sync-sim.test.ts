/**
 * The seeded sync simulator (test/sim/simulator.ts) over 200 seeds: three branches' real
 * workspaces and the sync server on PGlite (two server instances in some seeds), with partitions,
 * dropped, duplicated and late deliveries, clocks a day off and kills mid-batch and mid-apply;
 * after healing, every replica equals the server's view, every mutation is applied or rejected
 * with a reason, tracking numbers are unique and every audit chain verifies. A failing seed says
 * how to replay it (`npm run sim -- --seed N --verbose`); the long run is `npm run sim -- --seeds 2000`.
 * Seeds that once failed are listed first, each with the bug it found.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFor, World } from '../../sim/simulator';

/** Seeds that found a bug (fixed): each stays a regression test. */
const FOUND = [
  { seed: 6, bug: 'a development specialist\'s intake registered a customer the server refused (customer inserts are for whoever may open a ticket)' },
  { seed: 4, bug: 'a ticket escalated after another branch had pulled past its creation reached that branch without its row (the server now shares the ticket whole)' },
  { seed: 8, bug: 'a device pulled an older value of a field its own later write had won (pulled changes carry the row\'s current values)' },
];
const SEEDS = 200;
/** Small seeds keep npm test cheap (about 1 s of CPU each); the long run (`npm run sim`) takes 36 steps a seed. */
const STEPS = 12;

describe('sync simulator (seeded)', () => {
  let world: World;
  beforeAll(async () => {
    world = await World.open();
  }, 600_000);
  afterAll(async () => {
    await world?.close();
  }, 60_000);

  it.each(FOUND)('seed $seed: $bug', async ({ seed }) => {
    const r = await world.run(planFor(seed, 36));
    expect(r.ops).toBeGreaterThan(0);
  }, 600_000);

  it(`${SEEDS} seeds converge after healing`, async () => {
    const totals = { ops: 0, syncs: 0, applied: 0, faults: 0 };
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = await world.run(planFor(seed, STEPS));
      totals.ops += r.ops;
      totals.syncs += r.syncs;
      totals.applied += r.mutations.applied;
      totals.faults += Object.values(r.faults).reduce((a, b) => a + b, 0);
    }
    // The seeds really did something: operations, syncs, faults.
    expect(totals.ops).toBeGreaterThan(SEEDS * 4);
    expect(totals.faults).toBeGreaterThan(SEEDS / 2);
    console.log(`[sync simulator] ${SEEDS} seeds: ${totals.ops} operations, ${totals.syncs} syncs, ${totals.applied} mutations applied, ${totals.faults} faults`);
    // Generous: this machine is shared, and a seed's wall time grows with the load (its CPU does not).
  }, 3_600_000);
});
