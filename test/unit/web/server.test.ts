/** The web host over real HTTP: a real host on a temp data folder, requests with chosen headers. */
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
