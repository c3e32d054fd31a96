// Builds an Electron-ABI copy of better-sqlite3's addon into dist/native/electron/better_sqlite3.node.
//
// node_modules/better-sqlite3 stays compiled for Node (unit tests, the web host and the CLI need
// it), so this works on a temporary copy of the package: first a prebuilt binary for Electron
// (prebuild-install, from GitHub), then a source build against Electron's headers (node-gyp with
// --target/--dist-url, from electronjs.org). Both need internet; a source build also needs a C++
// toolchain and Python. main passes the result to core as `nativeBinding`.
//
//   node build/electron-native.mjs [--force] [--arch=x64|arm64|ia32|armv7l]
//
// Also an electron-builder `beforePack` hook (build/electron-builder.yml), so every package gets
// the binary for its own arch; npmRebuild is off there so node_modules is never rebuilt in place.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageDir = join(root, 'node_modules', 'better-sqlite3');
export const NATIVE_DIR = join(root, 'dist', 'native', 'electron');
export const NATIVE_BINDING = join(NATIVE_DIR, 'better_sqlite3.node');
const INFO_FILE = join(NATIVE_DIR, 'build-info.json');
const ELECTRON_HEADERS = 'https://electronjs.org/headers';

/** A failure whose message is already written for a person; printed without a stack trace. */
export class NativeBuildError extends Error {
  constructor(message) {
    super(message);
    this.name = 'NativeBuildError';
  }
}

function readVersion(dir) {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}

export function electronVersion() {
  return readVersion(join(root, 'node_modules', 'electron'));
}

/**
 * Makes sure dist/native/electron/better_sqlite3.node matches the installed Electron and
 * better-sqlite3 for `platform`/`arch`, building it when it does not. Returns its path.
 * Throws NativeBuildError with an explanation when it cannot be built.
 */
export function ensureElectronNative({ arch = process.arch, platform = process.platform, force = false, version, log = console.log } = {}) {
  const wanted = {
    electron: version ?? electronVersion(),
    betterSqlite3: readVersion(packageDir),
    platform,
    arch,
  };
  if (!force && isUpToDate(wanted)) return NATIVE_BINDING;
  if (platform !== process.platform) {
    throw new NativeBuildError(
      `better-sqlite3 for Electron can only be built on the platform it runs on (asked for ${platform}, this is ${process.platform}).\n` +
        `Package for ${platform} on a ${platform} machine or CI runner.`,
    );
  }
  if (arch === 'universal') {
    throw new NativeBuildError('A universal macOS build needs one binary per arch; package x64 and arm64 separately.');
  }

  log(`better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} (${platform}-${arch}): building…`);
  const work = mkdtempSync(join(tmpdir(), 'helpdesk-native-'));
  try {
    const copy = join(work, 'better-sqlite3');
    // The package sources without its Node build output, so nothing Node-specific is reused.
    cpSync(packageDir, copy, {
      recursive: true,
      filter: (source) => {
        const path = relative(packageDir, source).replaceAll('\\', '/');
        return path !== 'build' && path !== 'node_modules' && !path.startsWith('build/') && !path.startsWith('node_modules/');
      },
    });
    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    const attempts = [];
    for (const attempt of [prebuilt, fromSource]) {
      const outcome = attempt(copy, wanted, log);
      if (outcome.ok && existsSync(built)) break;
      attempts.push(outcome);
    }
    if (!existsSync(built)) throw new NativeBuildError(explainFailure(wanted, attempts));

    mkdirSync(NATIVE_DIR, { recursive: true });
    copyFileSync(built, NATIVE_BINDING);
    writeFileSync(INFO_FILE, `${JSON.stringify(wanted, null, 2)}\n`);
    log(`wrote ${relative(root, NATIVE_BINDING)}`);
    return NATIVE_BINDING;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function isUpToDate(wanted) {
  if (!existsSync(NATIVE_BINDING) || !existsSync(INFO_FILE)) return false;
  try {
    const have = JSON.parse(readFileSync(INFO_FILE, 'utf8'));
    return Object.entries(wanted).every(([key, value]) => have[key] === value);
  } catch {
    return false;
  }
}

/**
 * The child environment without npm's build settings: under `npm run`, npm exports its config
 * (e.g. `nodedir`, `target`, `runtime`) as npm_config_*, and node-gyp would then build for Node.
 */
function cleanEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|target_arch|platform|build_from_source)$/i.test(key)) delete env[key];
  }
  return env;
}

function run(label, args, cwd, timeoutMinutes) {
  const result = spawnSync(process.execPath, args, {
    cwd,
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: timeoutMinutes * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) return { ok: false, label, output: `${output}\n${result.error.message}` };
  return { ok: result.status === 0, label, output };
}

/** A prebuilt binary published by better-sqlite3 for this Electron ABI, when there is one. */
function prebuilt(copy, wanted, log) {
  let bin;
  try {
    bin = createRequire(join(root, 'package.json')).resolve('prebuild-install/bin.js');
  } catch {
    return { ok: false, label: 'prebuild-install', output: 'prebuild-install is not installed' };
  }
  log('  trying a prebuilt binary (prebuild-install)…');
  return run(
    'prebuild-install',
    [bin, '--runtime=electron', `--target=${wanted.electron}`, `--arch=${wanted.arch}`, `--platform=${wanted.platform}`, '--verbose'],
    copy,
    3,
  );
}

/** Compiles against Electron's headers, like `@electron/rebuild` does, without touching node_modules. */
function fromSource(copy, wanted, log) {
  const gyp = findNodeGyp();
  if (!gyp) return { ok: false, label: 'node-gyp', output: 'node-gyp was not found (neither in node_modules nor bundled with npm)' };
  log('  compiling from source against Electron headers (node-gyp; this takes a few minutes)…');
  return run(
    'node-gyp',
    [
      gyp,
      'rebuild',
      '--release',
      `--target=${wanted.electron}`,
      `--arch=${wanted.arch}`,
      `--dist-url=${ELECTRON_HEADERS}`,
      `--devdir=${join(homedir(), '.electron-gyp')}`,
    ],
    copy,
    20,
  );
}

function findNodeGyp() {
  try {
    return createRequire(join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    // npm ships node-gyp: <prefix>/lib/node_modules/npm (Unix) or <prefix>/node_modules/npm (Windows).
    const prefix = dirname(process.execPath);
    return [
      join(prefix, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
      join(prefix, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    ].find((candidate) => existsSync(candidate));
  }
}

function explainFailure(wanted, attempts) {
  const output = attempts.map((attempt) => attempt.output).join('\n');
  const offline = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|fetch failed|socket hang up|network connectivity/i.test(output);
  const toolchain = /gyp ERR! find Python|not found: make|make: not found|No Xcode|could not find any Visual Studio|g\+\+: not found|cc: not found|command not found/i.test(output);
  const reasons = [];
  if (offline) {
    reasons.push(`It needs internet access to GitHub (prebuilt binaries) or ${ELECTRON_HEADERS} (Electron headers), and this machine could not reach them.`);
  }
  if (toolchain) reasons.push('A source build also needs Python 3 and a C++ toolchain (build-essential, Xcode command line tools or Visual Studio Build Tools).');
  if (reasons.length === 0) reasons.push('See the last lines of each attempt below.');
  const tails = attempts
    .map((attempt) => {
      // Stack frames say where the tool failed, not why; keep the messages.
      const lines = attempt.output.trim().split('\n').filter((line) => !/^\s*(gyp ERR! stack\s+)?at /.test(line));
      return `--- ${attempt.label} ---\n${lines.slice(-8).join('\n')}`;
    })
    .join('\n');
  return [
    `Could not build better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} (${wanted.platform}-${wanted.arch}).`,
    ...reasons,
    'node_modules was left untouched; unit tests and `npm run web` keep working.',
    tails,
  ].join('\n');
}

const BUILDER_ARCHES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

/** electron-builder hook: builds the addon for the platform/arch being packaged, before files are copied. */
export async function beforePack(context) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const arch = BUILDER_ARCHES[context.arch] ?? String(context.arch);
  const version = context.packager?.config?.electronVersion ?? undefined;
  ensureElectronNative({ platform, arch, version });
}

function parseArgs(argv) {
  const options = { force: false };
  for (const arg of argv) {
    if (arg === '--force') options.force = true;
    else if (arg.startsWith('--arch=')) options.arch = arg.slice('--arch='.length);
    else throw new NativeBuildError(`Unknown option ${arg}. Usage: node build/electron-native.mjs [--force] [--arch=<arch>]`);
  }
  return options;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureElectronNative(parseArgs(process.argv.slice(2)));
  } catch (error) {
    console.error(error instanceof NativeBuildError ? error.message : `electron-native failed: ${String(error)}`);
    process.exit(1);
  }
}
