/**
 * The IPC transport: one `ipcMain.handle('helpdesk:<method>')` per API method, nothing else.
 * Like VS Code's validatedIpcMain, every call first proves it comes from the app's own top frame;
 * then the envelope is parsed and handed to core. Input validation and authorization are core's.
 * No 'electron' import at runtime: main passes `ipcMain` in, tests pass a fake.
 */
import { callEnvelopeSchema } from '../shared/contract';
import type { Result } from '../shared/errors';
import { METHOD_NAMES, type MethodName } from '../shared/methods';
import { isAppUrl } from './security';

/** Must match the preload's prefix; test/unit/electron checks both sides. */
export const CHANNEL_PREFIX = 'helpdesk:';

export function channelFor(method: MethodName): string {
  return CHANNEL_PREFIX + method;
}

/** The fields of Electron's `WebFrameMain` the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

/** The fields of Electron's `IpcMainInvokeEvent` the sender check reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number; readonly mainFrame: FrameLike };
  readonly senderFrame: FrameLike | null;
}

export interface SenderPolicy {
  /** file:// URL of dist/renderer/index.html. */
  rendererUrl: string;
  /** True for the web contents of a window this app created (not devtools, not a stray contents). */
  isAppContents: (webContentsId: number) => boolean;
}

/**
 * True only for the top frame of one of our windows showing our own renderer document.
 * Subframes, other documents, other schemes and frames already gone (null, or throwing because
 * they were destroyed mid-call) are refused.
 */
export function isTrustedSender(event: InvokeEventLike, policy: SenderPolicy): boolean {
  try {
    const frame = event.senderFrame;
    if (!frame) return false;
    if (frame.parent !== null) return false;
    const main = event.sender.mainFrame;
    if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
    if (!policy.isAppContents(event.sender.id)) return false;
    return isAppUrl(frame.url, policy.rendererUrl);
  } catch {
    return false;
  }
}

/** What the IPC layer needs from core's Host. */
export interface CallTarget {
  call(method: string, input: unknown, session: string | null): Promise<Result<unknown>>;
}

/** The part of Electron's `ipcMain` that registration touches. */
export interface IpcMainLike<E extends InvokeEventLike = InvokeEventLike> {
  handle(channel: string, listener: (event: E, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface RegisterIpcOptions extends SenderPolicy {
  /** Core, or null while it is not open (startup failed, or the app is quitting). */
  host: () => CallTarget | null;
  log?: (message: string) => void;
}

/**
 * Handles one call: sender check → envelope parse → core. Always resolves to a `Result`, so the
 * renderer never sees a rejected promise (whose message Electron would rewrite anyway).
 */
export async function handleCall(
  method: MethodName,
  event: InvokeEventLike,
  payload: unknown,
  options: RegisterIpcOptions,
): Promise<Result<unknown>> {
  const log = options.log ?? ((message: string) => console.warn(message));
  if (!isTrustedSender(event, options)) {
    log(`[ipc] refused ${method} from an untrusted sender (webContents ${safeId(event)}, frame ${safeUrl(event)})`);
    return { ok: false, error: { code: 'api.badToken' } };
  }
  const envelope = callEnvelopeSchema.safeParse(payload);
  if (!envelope.success) return { ok: false, error: { code: 'api.badEnvelope' } };
  const host = options.host();
  if (!host) return { ok: false, error: { code: 'api.unavailable' } };
  try {
    return await host.call(method, envelope.data.input, envelope.data.session ?? null);
  } catch (error) {
    // Core maps its own errors to Results; anything thrown here is a bug, not the caller's fault.
    log(`[ipc] ${method} threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { ok: false, error: { code: 'errors.internal' } };
  }
}

/** Registers one handler per API method and returns a function that removes them all. */
export function registerIpc<E extends InvokeEventLike>(ipcMain: IpcMainLike<E>, options: RegisterIpcOptions): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(channelFor(method), (event, payload) => handleCall(method, event, payload, options));
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(channelFor(method));
  };
}

function safeId(event: InvokeEventLike): string {
  try {
    return String(event.sender.id);
  } catch {
    return '?';
  }
}

function safeUrl(event: InvokeEventLike): string {
  try {
    return event.senderFrame?.url ?? 'none';
  } catch {
    return 'destroyed';
  }
}
