/** The web host over real HTTP: a real host on a temp data folder, requests with chosen headers. */
import { describe, expect, it } from 'vitest';
import { hostPool, raw } from './helpers';

const hosts = hostPool();

describe('web host: malformed requests', () => {
  it('answers 400, not 500, to malformed percent escapes in a page path or an API method', async () => {
    const web = await hosts.start();
    const host = new URL(web.url).host;
    for (const path of ['/%', '/%E0%A4%A', '/assets/%zz']) {
      const res = await raw(web.url, { path, headers: { host } });
      expect(res.status, path).toBe(400);
    }
    const api = await raw(web.url, {
      method: 'POST',
      path: '/api/%',
      headers: { host, 'content-type': 'application/json', 'x-helpdesk-token': web.token },
      body: JSON.stringify({ input: {}, session: null }),
    });
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body)).toStrictEqual({ ok: false, error: { code: 'api.badEnvelope' } });
  });
});
