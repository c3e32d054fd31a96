/**
 * Starts core in an Electron utilityProcess and returns the call target IPC forwards to. No
 * 'electron' import at runtime: main passes `utilityProcess.fork` in, tests pass a fake.
 */
import { HostClient, type OpenOptions, type ParentPort } from '../core/host-process';

/** The parts of Electron's `UtilityProcess` used here. */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export type ForkUtility = (modulePath: string, args: string[], options: { serviceName: string; stdio: 'inherit' }) => UtilityProcessLike;

export function utilityPort(child: UtilityProcessLike): ParentPort {
  return {
    send: (message) => child.postMessage(message),
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.on('exit', listener),
    kill: () => void child.kill(),
  };
}

/** Forks dist/electron/core.cjs and opens the workspace in it; rejects with the reason it could not. */
export async function startCore(fork: ForkUtility, entry: string, opts: OpenOptions, onUnexpectedExit?: (code: number | null) => void): Promise<HostClient> {
  const child = fork(entry, [], { serviceName: 'Mesa de Ayuda core', stdio: 'inherit' });
  const client = new HostClient(utilityPort(child), onUnexpectedExit);
  await client.open(opts);
  return client;
}
