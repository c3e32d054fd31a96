/**
 * Issue 16 item 3: core in its own process. Electron's utilityProcess cannot run here, so the
 * child is started with child_process.fork (the same message protocol): the real host-child entry
 * on a real SQLite file, driven through HostClient as main drives it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HostClient, type ParentPort } from '../../../electron/core/host-process';
import { startCore, type UtilityProcessLike } from '../../../electron/main/core-process';
import type { JobInfo, SessionInfo } from '../../../electron/shared/types';
import { ADMIN_PASSWORD, tempDir } from '../../fixtures/workspace';

const ENTRY = fileURLToPath(new URL('../../../electron/core/host-child.ts', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];

function forkCore(): ChildProcess {
  const child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  children.push(child);
  return child;
}

function forkPort(child: ChildProcess): ParentPort {
  return {
    send: (message) => void child.send(message as never),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.on('exit', listener),
    kill: () => void child.kill(),
  };
}

function dataDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)));

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited(child);
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(client: HostClient, method: string, input: unknown, session: string | null = null): Promise<T> {
  const result = await client.call(method, input, session);
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

describe('core in its own process', () => {
  it('answers calls over messages, overlapping ones included, and closes the workspace before exiting', async () => {
    const child = forkCore();
    const client = new HostClient(forkPort(child));
    expect(await client.call('app.status', {}, null)).toEqual({ ok: false, error: { code: 'api.unavailable' } });
    await client.open({ dataDir: dataDir() });
    expect(await ok(client, 'app.status', {})).toMatchObject({ initialized: false });
    const session = await ok<SessionInfo>(client, 'auth.setup', {
      branchCode: 'MTY', branchName: 'Sucursal Monterrey', username: 'admin', fullName: 'Ana Administradora', password: ADMIN_PASSWORD, confirmPassword: ADMIN_PASSWORD,
    });
    // Several calls in flight at once each get their own answer.
    const [me, list, status, refused] = await Promise.all([
      client.call('auth.me', {}, session.token), client.call('tickets.list', {}, session.token), client.call('app.status', {}, null),
      client.call('tickets.list', {}, 'not-a-session'),
    ]);
    expect(me).toMatchObject({ ok: true, value: { username: 'admin' } });
    expect(list).toMatchObject({ ok: true, value: { rows: [] } });
    expect(status).toMatchObject({ ok: true, value: { initialized: true } });
    expect(refused).toEqual({ ok: false, error: { code: 'auth.required' } });
    // A job's start answers at once; its status is asked like any call.
    const job = await ok<JobInfo>(client, 'audit.exportStart', { from: 0, to: Date.now() + 86_400_000, format: 'csv' }, session.token);
    expect(job.state).toBe('running');
    await client.close();
    await exited(child);
    expect(child.exitCode).toBe(0);
    expect(await client.call('app.status', {}, null)).toEqual({ ok: false, error: { code: 'api.unavailable' } });
  });

  it('a crash of the core process answers the calls in flight with api.unavailable and tells main', async () => {
    const child = forkCore();
    const exits: Array<number | null> = [];
    const client = new HostClient(forkPort(child), (code) => exits.push(code));
    await client.open({ dataDir: dataDir() });
    // Stopped first, so the call is surely still in flight (unanswered) when the process dies.
    child.kill('SIGSTOP');
    const inFlight = client.call('app.status', {}, null);
    child.kill('SIGKILL');
    expect(await inFlight).toEqual({ ok: false, error: { code: 'api.unavailable' } });
    await exited(child);
    expect(exits).toHaveLength(1);
  });

  it('main starts it through utilityProcess.fork with the core entry and a service name', async () => {
    const forks: Array<{ entry: string; options: unknown }> = [];
    const dir = dataDir();
    const client = await startCore((entry, _args, options) => {
      forks.push({ entry, options });
      const child = forkCore();
      // utilityProcess has postMessage where child_process has send.
      const utility: UtilityProcessLike = {
        postMessage: (message) => void child.send(message as never),
        on: ((event: 'message' | 'exit', listener: (value: unknown) => void) => child.on(event, listener)) as UtilityProcessLike['on'],
        kill: () => child.kill(),
      };
      return utility;
    }, 'dist/electron/core.cjs', { dataDir: dir });
    expect(forks).toEqual([{ entry: 'dist/electron/core.cjs', options: { serviceName: 'Mesa de Ayuda core', stdio: 'inherit' } }]);
    expect(await ok(client, 'app.status', {})).toMatchObject({ initialized: false });
    await client.close();
  });
});
