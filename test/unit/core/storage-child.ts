/**
 * Run by storage.test.ts as an unprivileged user (tests run as root, and root ignores permission
 * bits): opens a host on the data folder given as argv[2], makes the calls in argv[3] (JSON list of
 * [method, input]) and prints their results as one JSON line.
 */
import { openHost } from '../../../electron/core/host';

const host = openHost({ dataDir: process.argv[2]!, now: () => Date.parse('2026-03-02T16:00:00Z'), sweepIntervalMs: 0 });
const calls = JSON.parse(process.argv[3] ?? '[]') as [string, unknown][];
const results: unknown[] = [];
for (const [method, input] of calls) results.push(await host.call(method, input, null));
host.close();
console.log(JSON.stringify(results));
