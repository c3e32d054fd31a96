/** The web host over real HTTP: a real host on a temp data folder, requests with chosen headers. */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiCall, exchangeLink, hostPool, raw } from './helpers';

const hosts = hostPool();

describe('web host: malformed requests', () => {
  it('answers 400, not 500, to malformed percent escapes in a page path or an API method', async () => {
    const web = await hosts.start();
    const host = new URL(web.url).host;
    const cookie = await exchangeLink(web);
    for (const path of ['/%', '/%E0%A4%A', '/assets/%zz']) {
      const res = await raw(web.url, { path, headers: { host, cookie } });
      expect(res.status, path).toBe(400);
    }
    const api = await apiCall(web, cookie, '%', {});
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body)).toStrictEqual({ ok: false, error: { code: 'api.badEnvelope' } });
  });
});

describe('web host: access through a one-time link and a cookie', () => {
  it('serves a page without any secret to a browser without the cookie, explaining where the link is (es-MX and English)', async () => {
    const web = await hosts.start();
    const host = new URL(web.url).host;
    const secret = new URL(web.openUrl()).searchParams.get('token')!;
    for (const path of ['/', '/index.html']) {
      const res = await raw(web.url, { path, headers: { host } });
      expect(res.status).toBe(401);
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain('id="root"');
      expect(res.body).toContain('enlace de acceso que aparece en la terminal');
      expect(res.body).toContain('access link shown in the terminal');
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('trades the link once for an HttpOnly, SameSite=Strict cookie and redirects to the clean address; the page then carries no secret', async () => {
    const links: string[] = [];
    const web = await hosts.start({ onNewLink: (url) => links.push(url) });
    const host = new URL(web.url).host;
    const link = new URL(web.openUrl());
    const first = await raw(web.url, { path: link.pathname + link.search, headers: { host } });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^helpdesk-\d+=[\w-]{20,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const cookie = setCookie.split(';')[0]!;

    const page = await raw(web.url, { path: '/', headers: { host, cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('id="root"');
    expect(page.body).not.toContain(link.searchParams.get('token')!);
    expect(page.body).not.toContain('helpdesk-token');

    // Spent: the same link in another browser (no cookie) gets the explanation and no cookie.
    const again = await raw(web.url, { path: link.pathname + link.search, headers: { host } });
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    // The terminal was given a new link, which works once for that other browser.
    expect(links).toHaveLength(1);
    expect(links[0]).toBe(web.openUrl());
    expect(links[0]).not.toBe(link.href);
    const next = new URL(links[0]!);
    expect((await raw(web.url, { path: next.pathname + next.search, headers: { host } })).status).toBe(303);
    // The browser that already has the cookie and opens an old link just lands on the app.
    const withCookie = await raw(web.url, { path: link.pathname + link.search, headers: { host, cookie } });
    expect(withCookie.status).toBe(303);
    expect(withCookie.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a wrong secret and a made-up cookie', async () => {
    const web = await hosts.start();
    const host = new URL(web.url).host;
    expect((await raw(web.url, { path: '/?token=guess', headers: { host } })).status).toBe(401);
    const port = new URL(web.url).port;
    const res = await apiCall(web, `helpdesk-${port}=made-up`, 'app.status', {});
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toStrictEqual({ ok: false, error: { code: 'api.badToken' } });
  });

  it('answers API calls only with the cookie and the host’s own Origin', async () => {
    const web = await hosts.start();
    const host = new URL(web.url).host;
    const cookie = await exchangeLink(web);
    const ok = await apiCall(web, cookie, 'app.status', {});
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { initialized: false } });

    expect((await apiCall(web, '', 'app.status', {})).status).toBe(401);
    for (const origin of ['http://evil.example', 'null', `https://${host}`, 'http://127.0.0.1:1']) {
      const res = await apiCall(web, cookie, 'app.status', {}, { origin });
      expect(res.status, origin).toBe(403);
    }
    const noOrigin = await raw(web.url, {
      method: 'POST',
      path: '/api/app.status',
      headers: { host, cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ input: {}, session: null }),
    });
    expect(noOrigin.status).toBe(403);
  });

  it('keeps refusing other Host names (DNS rebinding), even with the cookie and a matching Origin', async () => {
    const web = await hosts.start();
    const cookie = await exchangeLink(web);
    const port = new URL(web.url).port;
    const evil = `rebind.example:${port}`;
    const res = await apiCall(web, cookie, 'app.status', {}, { host: evil, origin: `http://${evil}` });
    expect(res.status).toBe(421);
    expect((await raw(web.url, { path: '/', headers: { host: evil, cookie } })).status).toBe(421);
    expect((await raw(web.url, { path: '/', headers: { host: `localhost:${port}`, cookie } })).status).toBe(200);
  });
});

/** A raw socket that sends `head` (and optionally part of a body), then waits; resolves what came back and when it closed. */
function halfRequest(url: string, head: string, bodyPart: string): Promise<{ response: string; closedAfterMs: number; socket: Socket }> {
  const { port } = new URL(url);
  return new Promise((ok) => {
    const started = Date.now();
    let response = '';
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(head + bodyPart));
    socket.on('data', (c) => (response += c.toString()));
    socket.on('error', () => {});
    socket.on('close', () => ok({ response, closedAfterMs: Date.now() - started, socket }));
  });
}

function postHead(web: { url: string }, cookie: string, length: number | null): string {
  const host = new URL(web.url).host;
  const lengthHeader = length === null ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`;
  return `POST /api/app.status HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\n${lengthHeader}\r\n\r\n`;
}

describe('web host: bounded requests', () => {
  it('sizes the body limit to the largest legitimate call: one 50 MiB attachment in base64 plus its envelope', async () => {
    const { MAX_BODY_BYTES } = await import('../../../electron/web/server');
    expect(MAX_BODY_BYTES).toBeGreaterThan((50 * 1024 * 1024 * 4) / 3);
    expect(MAX_BODY_BYTES).toBeLessThan(70 * 1024 * 1024);
  });

  it('refuses a body declared larger than the limit at once (413), and one that grows past it while arriving', async () => {
    const web = await hosts.start({ maxBodyBytes: 4096 });
    const cookie = await exchangeLink(web);
    const declared = await halfRequest(web.url, postHead(web, cookie, 10_000_000), '{"input":');
    expect(declared.response).toMatch(/^HTTP\/1\.1 413/);
    expect(declared.response).toContain('attachments.tooLarge');
    expect(declared.closedAfterMs).toBeLessThan(2000);
    const chunk = 'x'.repeat(5000);
    const chunked = await halfRequest(web.url, postHead(web, cookie, null), `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    expect(chunked.response).toMatch(/^HTTP\/1\.1 413/);
    // A call within the limit still works.
    expect((await apiCall(web, cookie, 'app.status', {})).status).toBe(200);
  });

  it('receives only a few large bodies at once: another one meanwhile gets 503 api.busy', async () => {
    const web = await hosts.start({ maxLargeBodies: 1 });
    const cookie = await exchangeLink(web);
    const { port } = new URL(web.url);
    const big = 2 * 1024 * 1024;
    const first = connect(Number(port), '127.0.0.1');
    await new Promise((r) => first.once('connect', r));
    first.write(postHead(web, cookie, big) + '{"input":{},"session":null}');
    await new Promise((r) => setTimeout(r, 200));
    const second = await halfRequest(web.url, postHead(web, cookie, big), '{"input":');
    expect(second.response).toMatch(/^HTTP\/1\.1 503/);
    expect(second.response).toContain('api.busy');
    first.destroy();
    await new Promise((r) => setTimeout(r, 200));
    // The slot is free again once the first body is gone.
    expect((await apiCall(web, cookie, 'app.status', {})).status).toBe(200);
  });

  it('drops a half-sent body within the request timeout (408), instead of holding the connection open', async () => {
    const web = await hosts.start({ requestTimeoutMs: 1500 });
    const cookie = await exchangeLink(web);
    const half = await halfRequest(web.url, postHead(web, cookie, 1000), '{"input":{},');
    expect(half.response).toMatch(/^HTTP\/1\.1 408/);
    expect(half.closedAfterMs).toBeGreaterThanOrEqual(1400);
    expect(half.closedAfterMs).toBeLessThan(4000);
  });
});

describe('web host: static files', () => {
  it('does not follow a symlink out of the build, and still serves one that stays inside', async () => {
    const web = await hosts.start();
    const host = new URL(web.url).host;
    const outside = mkdtempSync(join(tmpdir(), 'helpdesk-outside-'));
    try {
      writeFileSync(join(outside, 'secret.txt'), 'contraseñas');
      symlinkSync(join(outside, 'secret.txt'), join(web.rendererDir, 'assets', 'leak.js'));
      symlinkSync(outside, join(web.rendererDir, 'assets', 'dir'));
      symlinkSync(join(web.rendererDir, 'assets', 'app.js'), join(web.rendererDir, 'assets', 'alias.js'));
      for (const path of ['/assets/leak.js', '/assets/dir/secret.txt']) {
        const res = await raw(web.url, { path, headers: { host } });
        expect({ path, status: res.status, leaked: res.body.includes('contraseñas') }).toEqual({ path, status: 404, leaked: false });
      }
      expect((await raw(web.url, { path: '/assets/alias.js', headers: { host } })).status).toBe(200);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('serves source maps only when asked to (development)', async () => {
    const prod = await hosts.start();
    expect((await raw(prod.url, { path: '/assets/app.js.map', headers: { host: new URL(prod.url).host } })).status).toBe(404);
    expect((await raw(prod.url, { path: '/assets/app.js', headers: { host: new URL(prod.url).host } })).status).toBe(200);
    const dev = await hosts.start({ sourceMaps: true });
    expect((await raw(dev.url, { path: '/assets/app.js.map', headers: { host: new URL(dev.url).host } })).status).toBe(200);
  });
});
