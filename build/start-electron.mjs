// Starts the built app in Electron (`npm start` builds first). Checks the two things this machine
// may lack — the Electron binary and an Electron-ABI better-sqlite3 — and explains instead of
// printing a stack trace. Extra arguments are passed to Electron.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectronNative, NativeBuildError } from './electron-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronPackage = join(root, 'node_modules', 'electron');

/**
 * The Electron executable if it is already on disk, else null. Reads what `require('electron')`
 * reads, without its side effect of starting a download.
 */
function installedElectron() {
  const pathFile = join(electronPackage, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relativePath = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronPackage, 'dist');
  const executable = join(dist, relativePath);
  return existsSync(executable) ? executable : null;
}

/** Tries `require('electron')`, which downloads the binary when missing; its noisy output is kept quiet. */
function downloadElectron() {
  console.log('The Electron binary is not installed; trying to download it…');
  const result = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 5 * 60_000,
  });
  const executable = result.status === 0 ? result.stdout.trim() : '';
  return executable && existsSync(executable) ? executable : null;
}

function fail(lines) {
  console.error(lines.join('\n'));
  process.exit(1);
}

const electron = installedElectron() ?? downloadElectron();
if (!electron) {
  fail([
    'The Electron binary is not available on this machine and could not be downloaded.',
    'Run `npm run web` to use the app in a browser instead,',
    'or install Electron where it can be downloaded (`npx install-electron`), then `npm start` again.',
  ]);
}

if (!existsSync(join(root, 'dist', 'electron', 'main.cjs')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  fail(['The app is not built. Run `npm start` (it builds first) or `npm run build`.']);
}

try {
  ensureElectronNative();
} catch (error) {
  if (!(error instanceof NativeBuildError)) throw error;
  fail([error.message, '', 'Without it Electron cannot open the database. Run `npm run web` to use the app in a browser instead.']);
}

const env = { ...process.env };
// Set by some tools (and by Electron itself for child processes); it would start Electron as plain Node.
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electron, [root, ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (!child.killed) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (error) => fail([`Could not start Electron (${electron}): ${error.message}`]));
