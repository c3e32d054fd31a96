// Bundles the Electron main process, core's process (core.cjs) and the preload with esbuild into
// dist/electron/, and copies the SQL migrations next to them (core reads them from
// join(__dirname, 'migrations')).
// Usage: node build/build-electron.mjs
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist', 'electron');
const migrationsSource = join(root, 'electron', 'core', 'db', 'migrations');

const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 45 ships Node 22 / Chromium 140.
  target: ['node22', 'chrome140'],
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: root,
};

async function main() {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  // Main, and core's own process (a utilityProcess main starts: the host behind a message protocol).
  for (const [entry, out] of [[['electron', 'main', 'main.ts'], 'main.cjs'], [['electron', 'core', 'host-child.ts'], 'core.cjs']]) {
    await build({
      ...common,
      entryPoints: [join(root, ...entry)],
      outfile: join(outDir, out),
      external: ['electron', 'better-sqlite3'],
      // Core is ESM-first and may read import.meta.url; give it the bundle's real URL in CJS.
      define: { 'import.meta.url': '__importMetaUrl' },
      banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    });
  }

  const preload = await build({
    ...common,
    entryPoints: [join(root, 'electron', 'preload', 'preload.ts')],
    outfile: join(outDir, 'preload.cjs'),
    external: ['electron'],
  });
  assertNarrowPreload(preload.metafile);

  const migrationsOut = join(outDir, 'migrations');
  mkdirSync(migrationsOut, { recursive: true });
  const sqlFiles = readdirSync(migrationsSource).filter((name) => name.endsWith('.sql'));
  if (sqlFiles.length === 0) throw new Error(`no migrations found in ${relative(root, migrationsSource)}`);
  for (const name of sqlFiles) copyFileSync(join(migrationsSource, name), join(migrationsOut, name));

  console.log(`built ${relative(root, outDir)}: main.cjs, core.cjs, preload.cjs, ${sqlFiles.length} migration(s) (Electron ${electronVersion})`);
}

/**
 * The sandboxed preload may only contain itself, the method-name list and the OS-notification
 * channel names: no zod, no core, nothing from node_modules. Fails the build if an import sneaks in.
 */
function assertNarrowPreload(metafile) {
  const allowed = new Set(['electron/preload/preload.ts', 'electron/shared/methods.ts', 'electron/shared/os-notify.ts']);
  const extra = Object.keys(metafile.inputs).filter((input) => !allowed.has(input.replaceAll('\\', '/')));
  if (extra.length > 0) {
    throw new Error(`the preload bundle must stay narrow, but it pulls in: ${extra.join(', ')}`);
  }
}

main().catch((error) => {
  // esbuild already printed located diagnostics; add a one-line summary instead of a stack.
  console.error(`build-electron failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  process.exit(1);
});
