import { describe, expect, it, vi } from 'vitest';
import { startUpdates, updateFeed, type Updater } from '../../../electron/main/updater';

const noFile = () => {
  throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
};

describe('updateFeed', () => {
  it('is off when nothing is configured', () => {
    expect(updateFeed({}, '/u', noFile)).toStrictEqual({ url: null, reason: 'not-configured' });
  });

  it('takes an https feed from the environment first, then from update-feed.json', () => {
    expect(updateFeed({ HELPDESK_UPDATE_URL: 'https://updates.example.mx/mesa/' }, '/u', noFile)).toStrictEqual({ url: 'https://updates.example.mx/mesa/' });
    const read = vi.fn(() => '{"url":"https://intranet.example.mx/mesa"}');
    expect(updateFeed({}, '/u', read)).toStrictEqual({ url: 'https://intranet.example.mx/mesa' });
    expect(read).toHaveBeenCalledWith(expect.stringMatching(/update-feed\.json$/));
  });

  it.each([
    [{ HELPDESK_UPDATE_URL: 'http://updates.example.mx/' }, noFile],
    [{ HELPDESK_UPDATE_URL: 'file:///tmp/feed' }, noFile],
    [{ HELPDESK_UPDATE_URL: 'not a url' }, noFile],
    [{}, () => '{"url":"http://x.example/"}'],
    [{}, () => '{"url":"https://x.example/","extra":1}'],
    [{}, () => '{not json'],
  ])('turns updates off for a malformed feed (%o)', (env, read) => {
    expect(updateFeed(env, '/u', read)).toStrictEqual({ url: null, reason: 'invalid' });
  });
});

function fakeUpdater(check: () => Promise<unknown> = async () => null): Updater & { feeds: unknown[] } {
  const feeds: unknown[] = [];
  return { autoDownload: false, autoInstallOnAppQuit: false, feeds, setFeedURL: (options) => feeds.push(options), checkForUpdatesAndNotify: check };
}

describe('startUpdates', () => {
  it('never loads the updater (no network) when no feed is configured or the build is not packaged', async () => {
    const loadUpdater = vi.fn(async () => fakeUpdater());
    const log = vi.fn();
    expect(await startUpdates({ isPackaged: true, feed: { url: null, reason: 'not-configured' }, loadUpdater, log })).toBe(false);
    expect(await startUpdates({ isPackaged: true, feed: { url: null, reason: 'invalid' }, loadUpdater, log })).toBe(false);
    expect(await startUpdates({ isPackaged: false, feed: { url: 'https://u.example/' }, loadUpdater, log })).toBe(false);
    expect(loadUpdater).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('not a valid https URL'));
  });

  it('checks the configured generic feed once in a packaged app, and an offline failure is only logged', async () => {
    const updater = fakeUpdater(async () => {
      throw new Error('net::ERR_INTERNET_DISCONNECTED');
    });
    const log = vi.fn();
    expect(await startUpdates({ isPackaged: true, feed: { url: 'https://u.example/mesa' }, loadUpdater: async () => updater, log })).toBe(true);
    expect(updater.feeds).toStrictEqual([{ provider: 'generic', url: 'https://u.example/mesa' }]);
    expect(updater.autoDownload).toBe(true);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('ERR_INTERNET_DISCONNECTED'));
  });
});
