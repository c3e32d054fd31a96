/**
 * The installer configuration (issue 15): electron-builder's platform downloads cannot run on this
 * machine, so this test holds what `npm run dist` would be given — validated against
 * electron-builder's own schema — and the files it points to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
type Target = { target: string; arch: string[] };
type Platform = { target: Target[]; [option: string]: unknown };
/** The parts of the configuration this test reads (electron-builder's own schema checks the rest). */
interface BuilderConfig {
  win: Platform;
  mac: Platform & { entitlements: string; entitlementsInherit: string; hardenedRuntime: boolean };
  linux: Platform & { maintainer: string };
  nsis: Record<string, unknown>;
  electronFuses: Record<string, boolean>;
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  npmRebuild: boolean;
  beforePack: string;
  icon: string;
  publish: unknown;
}
const config = parse(readFileSync(join(root, 'build', 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const require = createRequire(import.meta.url);

const targets = (platform: 'win' | 'mac' | 'linux') => Object.fromEntries(config[platform].target.map((t) => [t.target, [...t.arch].sort()]));

describe('electron-builder configuration', () => {
  it("is valid for the installed electron-builder's schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The check is real: an unknown option is refused.
    await expect(validateConfiguration({ ...config, nsis: { ...config.nsis, perUserOnly: true } }, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object[\s\S]*nsis/);
  });

  it('builds Windows NSIS (assisted, per user, shortcuts), macOS dmg + zip for x64 and arm64, Linux AppImage and deb', () => {
    expect(targets('win')).toStrictEqual({ nsis: ['x64'] });
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, createDesktopShortcut: 'always', createStartMenuShortcut: true, deleteAppDataOnUninstall: false });
    expect(targets('mac')).toStrictEqual({ dmg: ['arm64', 'x64'], zip: ['arm64', 'x64'] });
    expect(targets('linux')).toStrictEqual({ AppImage: ['x64'], deb: ['x64'] });
    expect(config.linux.maintainer).toMatch(/<[^@>]+@[^>]+>/);
  });

  it('signs macOS with the hardened runtime and entitlements that exist and stay minimal', () => {
    expect(config.mac.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(join(root, config.mac.entitlements), 'utf8');
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
    const keys = [...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]).sort();
    expect(keys).toStrictEqual(['com.apple.security.cs.allow-jit', 'com.apple.security.cs.disable-library-validation']);
  });

  it('flips every fuse the security review asks for', () => {
    expect(config.electronFuses).toStrictEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    // Core runs in a utilityProcess: nothing may depend on ELECTRON_RUN_AS_NODE, which the fuse disables.
    const mainSources = ['main.ts', 'core-process.ts'].map((file) => readFileSync(join(root, 'electron', 'main', file), 'utf8')).join('\n');
    expect(mainSources).not.toMatch(/ELECTRON_RUN_AS_NODE|child_process/);
    expect(mainSources).toContain('utilityProcess');
  });

  it('packs the built app in ASAR with the native module unpacked and no sources or maps', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('dist/native/**');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json', '!dist/**/*.map', '!**/*.{ts,tsx,md,markdown}']));
    expect(config.npmRebuild).toBe(false);
    expect(existsSync(join(root, config.beforePack))).toBe(true);
  });

  it('has a 1024-pixel icon and bakes in no update feed', () => {
    const png = readFileSync(join(root, config.icon));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toStrictEqual([1024, 1024]);
    expect(config.publish).toBeNull();
  });
});
