/** The type of `window.helpdesk`, shared by the preload (which builds it) and the renderer. */
import type { MethodName, MethodResult } from '../shared/contract';
import type { Result } from '../shared/errors';

export type HelpdeskMethods = {
  [M in MethodName]: (input: unknown, session: string | null) => Promise<Result<MethodResult<M>>>;
};

export interface HelpdeskApi {
  /** One named function per API method; each goes to its own validated IPC channel. */
  methods: HelpdeskMethods;
  platform: string;
}
