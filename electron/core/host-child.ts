/**
 * Entry of the core process (bundled to dist/electron/core.cjs): the host behind the protocol of
 * host-process.ts. Under Electron it is a utilityProcess and talks through `process.parentPort`;
 * under plain Node (tests, `child_process.fork`) through `process.send`.
 */
import { openHost } from './host';
import { serveHost, type ChildPort } from './host-process';

interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function childPort(): ChildPort {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (message) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on('message', (event) => listener(event.data)),
    };
  }
  if (!process.send) throw new Error('host-child must be started as a child process with a message channel');
  return {
    send: (message) => process.send!(message),
    onMessage: (listener) => process.on('message', listener),
  };
}

serveHost(childPort(), ({ mailKeyBase64, ...opts }) =>
  openHost({ ...opts, mail: mailKeyBase64 ? { unwrappedKey: Buffer.from(mailKeyBase64, 'base64') } : {} }));
