import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPaths, nativeBindingPath, resolveDataDir } from '../../../electron/main/paths';

describe('appPaths', () => {
  it('finds the preload next to main.cjs and the renderer beside dist/electron', () => {
    const mainDir = join(sep, 'app', 'dist', 'electron');
    const paths = appPaths(mainDir);
    expect(paths.preload).toBe(join(mainDir, 'preload.cjs'));
    expect(paths.rendererRoot).toBe(join(sep, 'app', 'dist', 'renderer'));
    expect(paths.rendererUrl).toBe('app://mesa/index.html');
  });
});

describe('resolveDataDir', () => {
  it('prefers HELPDESK_DATA_DIR and otherwise uses <userData>/data', () => {
    expect(resolveDataDir({ HELPDESK_DATA_DIR: '/tmp/e2e-1' }, '/home/ana/.config/Mesa de Ayuda')).toBe('/tmp/e2e-1');
    expect(resolveDataDir({}, '/home/ana/.config/Mesa de Ayuda')).toBe(join('/home/ana/.config/Mesa de Ayuda', 'data'));
    expect(resolveDataDir({ HELPDESK_DATA_DIR: '  ' }, '/u')).toBe(join('/u', 'data'));
  });
});

describe('nativeBindingPath', () => {
  it('points at dist/native/electron during development', () => {
    const mainDir = join(sep, 'repo', 'dist', 'electron');
    const expected = join(sep, 'repo', 'dist', 'native', 'electron', 'better_sqlite3.node');
    expect(nativeBindingPath(mainDir, (path) => path === expected)).toBe(expected);
  });

  it('points into app.asar.unpacked inside a packaged app', () => {
    const mainDir = join(sep, 'opt', 'Mesa de Ayuda', 'resources', 'app.asar', 'dist', 'electron');
    const expected = join(sep, 'opt', 'Mesa de Ayuda', 'resources', 'app.asar.unpacked', 'dist', 'native', 'electron', 'better_sqlite3.node');
    expect(nativeBindingPath(mainDir, (path) => path === expected)).toBe(expected);
  });

  it('is undefined when the Electron build of the addon is missing', () => {
    expect(nativeBindingPath(join(sep, 'repo', 'dist', 'electron'), () => false)).toBeUndefined();
  });
});
