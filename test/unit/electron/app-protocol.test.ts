import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_INDEX_URL, appResponse, resolveAppFile } from '../../../electron/main/app-protocol';

// A real renderer folder on disk with a secret next to it, and symbolic links that lead out.
let scratch: string;
let root: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  root = join(scratch, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Mesa de Ayuda</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'index-abc.js.map'), '{"sources":[]}');
  writeFileSync(join(root, 'assets', 'logo Ñ.svg'), '<svg/>');
  writeFileSync(join(scratch, 'secret.txt'), 'secret');
  mkdirSync(join(scratch, 'renderer-evil'));
  writeFileSync(join(scratch, 'renderer-evil', 'x.js'), 'evil');
  symlinkSync(join(scratch, 'secret.txt'), join(root, 'assets', 'link.txt'));
  symlinkSync(join(scratch, 'renderer-evil'), join(root, 'assets', 'outside'));
  symlinkSync(join(root, 'index.html'), join(root, 'assets', 'inside.html'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('resolveAppFile', () => {
  it('serves the renderer document and its assets with their types', async () => {
    expect(await resolveAppFile(APP_INDEX_URL, root)).toStrictEqual({ ok: true, path: join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(await resolveAppFile('app://mesa/', root)).toMatchObject({ ok: true, path: join(root, 'index.html') });
    expect(await resolveAppFile('app://mesa/assets/index-abc.js?v=1#x', root)).toMatchObject({ ok: true, contentType: 'text/javascript; charset=utf-8' });
    expect(await resolveAppFile('app://mesa/assets/logo%20%C3%91.svg', root)).toMatchObject({ ok: true, path: join(root, 'assets', 'logo Ñ.svg') });
    // A link that stays inside the build is followed.
    expect(await resolveAppFile('app://mesa/assets/inside.html', root)).toMatchObject({ ok: true, path: join(root, 'index.html') });
  });

  it.each([
    ['app://mesa/../secret.txt'],
    ['app://mesa/%2e%2e/secret.txt'],
    ['app://mesa/assets/%2e%2e/%2e%2e/secret.txt'],
    ['app://mesa/..%2fsecret.txt'],
    ['app://mesa/..%5csecret.txt'],
    ['app://mesa/assets%2f..%2f..%2fsecret.txt'],
    ['app://mesa/%00index.html'],
    ['app://mesa/index.html%00.js'],
    ['app://mesa/%'],
    ['app://mesa/%E0%A4%A'],
    ['app://mesa/assets//index-abc.js'],
  ])('refuses %s', async (url) => {
    const answer = await resolveAppFile(url, root);
    expect(answer.ok).toBe(false);
  });

  it('never reads through a link that leads out of the build, nor source maps, other hosts or schemes', async () => {
    expect(await resolveAppFile('app://mesa/assets/link.txt', root)).toStrictEqual({ ok: false, status: 404 });
    expect(await resolveAppFile('app://mesa/assets/outside/x.js', root)).toStrictEqual({ ok: false, status: 404 });
    expect(await resolveAppFile('app://mesa/assets/index-abc.js.map', root)).toStrictEqual({ ok: false, status: 404 });
    expect(await resolveAppFile('app://other/index.html', root)).toStrictEqual({ ok: false, status: 404 });
    expect(await resolveAppFile('app://user:pw@mesa/index.html', root)).toStrictEqual({ ok: false, status: 404 });
    expect(await resolveAppFile('file:///etc/passwd', root)).toStrictEqual({ ok: false, status: 404 });
    expect(await resolveAppFile('app://mesa/missing.js', root)).toStrictEqual({ ok: false, status: 404 });
    expect(await resolveAppFile('not a url', root)).toStrictEqual({ ok: false, status: 400 });
  });
});

describe('appResponse', () => {
  it('answers the file with nosniff, and HEAD without a body', async () => {
    const get = await appResponse('GET', APP_INDEX_URL, root);
    expect(get.status).toBe(200);
    expect(get.headers).toMatchObject({ 'Content-Type': 'text/html; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    expect(Buffer.from(get.body).toString()).toContain('Mesa de Ayuda');
    const head = await appResponse('HEAD', APP_INDEX_URL, root);
    expect(head.status).toBe(200);
    expect(head.body).toHaveLength(0);
  });

  it('refuses writes and answers traversal without any file content', async () => {
    expect((await appResponse('POST', APP_INDEX_URL, root)).status).toBe(405);
    const traversal = await appResponse('GET', 'app://mesa/assets/link.txt', root);
    expect(traversal.status).toBe(404);
    expect(String(traversal.body)).not.toContain('secret');
  });
});
