/**
 * The open ticket: its detail (ticket, customer, timeline), the user directory for assignment, and
 * every mutation. Each mutation returns the updated TicketDetail, which replaces the state.
 */
import { create } from 'zustand';
import type { MethodInput } from '../../../electron/shared/contract';
import type { ContactMethod, Severity, Tier, WaitingOn } from '../../../electron/shared/domain';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { TicketDetail, TicketSla, UserSummary } from '../../../electron/shared/types';
import { ApiError, call } from '../../app/api';
import { handleSessionLoss } from '../../app/useApiAction';
import { useNav } from '../../stores/nav';
import { toErrorInfo, type AttachmentUpload } from './evidence';
import { useFlash } from './flash';

export type ComposerMode = 'reply' | 'note' | 'contact_attempt' | 'customer_message';

export type ComposerInput =
  | { mode: 'reply' | 'note' | 'customer_message'; body: string; attachments: AttachmentUpload[] }
  | { mode: 'contact_attempt'; body: string; method: ContactMethod; reached: boolean };

/** Status choices the agent can set; closing has its own dialog. */
export type StatusChoice = 'open' | `waiting:${WaitingOn}`;

interface TicketState {
  ticketId: string | null;
  detail: TicketDetail | null;
  loading: boolean;
  /** Error loading the ticket (the screen shows only this). */
  loadError: ErrorInfo | null;
  /** Error of the last action (banner above the ticket). */
  actionError: ErrorInfo | null;
  busy: boolean;
  directory: UserSummary[];
  /** The SLA clocks of the loaded ticket (tickets.sla), refreshed after every change. */
  sla: TicketSla | null;
  slaError: ErrorInfo | null;
  load: (ticketId: string) => Promise<void>;
  loadSla: () => Promise<void>;
  /** Moves one tier up or down with a reason (optionally re-grading the severity); field errors or null. */
  moveTier: (toTier: Tier, reason: string, severity?: Severity) => Promise<Record<string, string> | null>;
  /** Hands the answer back down one tier (cause and solution); field errors or null. */
  handBack: (cause: string, solution: string) => Promise<Record<string, string> | null>;
  /** Sends the composer; resolves to field errors from core (path → i18n key), or null on success. */
  send: (input: ComposerInput) => Promise<Record<string, string> | null>;
  assign: (assigneeId: string | null) => Promise<void>;
  setStatus: (choice: StatusChoice) => Promise<void>;
  /** Resolves to field errors (cause/solution) or null on success. */
  close: (cause: string, solution: string) => Promise<Record<string, string> | null>;
  /** Merges the loaded ticket into `intoTicketId` (same customer) and opens the target; true on success. */
  merge: (intoTicketId: string) => Promise<boolean>;
  dismissError: () => void;
}

export const useTicket = create<TicketState>((set, get) => {
  /** Runs a mutation, replaces the detail with its result; returns field errors if core sent any. */
  async function mutate(run: () => Promise<TicketDetail>): Promise<Record<string, string> | null> {
    const before = get().detail;
    set({ busy: true, actionError: null });
    try {
      const detail = await run();
      if (before && detail.ticket.id !== before.ticket.id) {
        // A closed ticket that may not be reopened: core opened a new ticket linked to it.
        useFlash.getState().show({
          key: 'ticket.flash.linkedOpened',
          ticketId: detail.ticket.id,
          params: { trackingNumber: detail.ticket.trackingNumber, old: before.ticket.trackingNumber },
        });
        set({ ticketId: detail.ticket.id, detail, busy: false });
        useNav.getState().go({ name: 'ticket', ticketId: detail.ticket.id });
      } else {
        if (before && before.ticket.status === 'closed' && detail.ticket.status !== 'closed') {
          useFlash.getState().show({ key: 'ticket.flash.reopened', ticketId: detail.ticket.id, params: { trackingNumber: detail.ticket.trackingNumber } });
        }
        set({ detail, busy: false });
      }
      void get().loadSla();
      return null;
    } catch (error) {
      const info = toErrorInfo(error);
      handleSessionLoss(info);
      set({ busy: false, actionError: info });
      return error instanceof ApiError && info.fields ? info.fields : null;
    }
  }

  function requireId(): string {
    const id = get().detail?.ticket.id;
    if (!id) throw new Error('no ticket loaded');
    return id;
  }

  return {
    ticketId: null,
    detail: null,
    loading: false,
    loadError: null,
    actionError: null,
    busy: false,
    directory: [],
    sla: null,
    slaError: null,

    load: async (ticketId) => {
      const keep = get().detail?.ticket.id === ticketId ? get().detail : null;
      const keepSla = get().sla && keep ? get().sla : null;
      set({ ticketId, detail: keep, sla: keepSla, slaError: null, loading: true, loadError: null, actionError: null });
      void get().loadSla();
      try {
        const [detail, directory] = await Promise.all([
          call('tickets.get', { ticketId }),
          get().directory.length ? Promise.resolve(get().directory) : call('users.directory', {}).catch(() => [] as UserSummary[]),
        ]);
        if (get().ticketId !== ticketId) return;
        set({ detail, directory, loading: false });
      } catch (error) {
        const info = toErrorInfo(error);
        handleSessionLoss(info);
        if (get().ticketId !== ticketId) return;
        set({ loading: false, loadError: info });
      }
    },

    send: (input) =>
      mutate(() => {
        const ticketId = requireId();
        switch (input.mode) {
          case 'contact_attempt': {
            const payload: MethodInput<'tickets.contactAttempt'> = { ticketId, method: input.method, reached: input.reached, body: input.body };
            return call('tickets.contactAttempt', payload);
          }
          case 'reply':
            return call('tickets.reply', { ticketId, body: input.body, attachments: input.attachments });
          case 'note':
            return call('tickets.note', { ticketId, body: input.body, attachments: input.attachments });
          case 'customer_message':
            return call('tickets.customerMessage', { ticketId, body: input.body, attachments: input.attachments });
        }
      }),

    assign: async (assigneeId) => {
      await mutate(() => call('tickets.assign', { ticketId: requireId(), assigneeId }));
    },

    setStatus: async (choice) => {
      await mutate(() => {
        const ticketId = requireId();
        if (choice === 'open') return call('tickets.setStatus', { ticketId, status: 'open' });
        const waitingOn = choice.slice('waiting:'.length) as WaitingOn;
        return call('tickets.setStatus', { ticketId, status: 'waiting', waitingOn });
      });
    },

    close: (cause, solution) => mutate(() => call('tickets.close', { ticketId: requireId(), cause, solution })),

    loadSla: async () => {
      const ticketId = get().ticketId;
      if (!ticketId) return;
      try {
        const sla = await call('tickets.sla', { ticketId });
        if (get().ticketId === ticketId) set({ sla, slaError: null });
      } catch (error) {
        const info = toErrorInfo(error);
        handleSessionLoss(info);
        if (get().ticketId === ticketId) set({ slaError: info });
      }
    },

    moveTier: (toTier, reason, severity) =>
      mutate(() => call('tickets.moveTier', { ticketId: requireId(), toTier, reason, ...(severity ? { severity } : {}) })),

    handBack: (cause, solution) => mutate(() => call('tickets.handBack', { ticketId: requireId(), cause, solution })),

    merge: async (intoTicketId) => {
      const source = get().detail?.ticket;
      if (!source) return false;
      set({ busy: true, actionError: null });
      try {
        const target = await call('tickets.merge', { ticketId: source.id, intoTicketId });
        useFlash.getState().show({ key: 'ticket.flash.merged', ticketId: target.ticket.id, params: { source: source.trackingNumber } });
        set({ ticketId: target.ticket.id, detail: target, busy: false, sla: null });
        useNav.getState().go({ name: 'ticket', ticketId: target.ticket.id });
        void get().loadSla();
        return true;
      } catch (error) {
        const info = toErrorInfo(error);
        handleSessionLoss(info);
        set({ busy: false, actionError: info });
        return false;
      }
    },

    dismissError: () => set({ actionError: null }),
  };
});

/** The status select's value for a ticket's status. */
export function statusChoiceOf(detail: TicketDetail): StatusChoice | 'closed' {
  const { status, waitingOn } = detail.ticket;
  if (status === 'closed') return 'closed';
  if (status === 'waiting') return `waiting:${waitingOn ?? 'customer'}`;
  return 'open';
}
