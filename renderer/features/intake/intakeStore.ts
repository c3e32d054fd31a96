/**
 * Intake ("Nuevo ticket") behaviour: RFC check and customer look-up, the open tickets of a known
 * customer (one problem per ticket, seed 001), creating the ticket, or adding the information to
 * an open ticket as a customer message instead.
 *
 * A generic RFC (público en general, extranjeros) identifies no one: the look-up stays 'generic'
 * (the agent types name, e-mail and phone as for a new customer) and only name + e-mail or phone
 * may find a registered person, whose open tickets are then offered — never someone else's.
 */
import { create } from 'zustand';
import type { MethodInput } from '../../../electron/shared/contract';
import type { ErrorInfo } from '../../../electron/shared/errors';
import { checkRfc, isGenericRfc, type RfcCheck } from '../../../electron/shared/rfc';
import type { Customer, Ticket, TicketDetail, TicketSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';

export type LookupStatus = 'idle' | 'loading' | 'known' | 'unknown' | 'generic' | 'error';

interface IntakeState {
  /** Result of checkRfc on the typed RFC (null before anything was typed). */
  rfcCheck: RfcCheck | null;
  /** Whether to show the RFC error (after blur or once the RFC has its full length). */
  showRfcError: boolean;
  lookupStatus: LookupStatus;
  /** The normalized RFC the current look-up belongs to. */
  lookupRfc: string;
  customer: Customer | null;
  openTickets: TicketSummary[];
  lookupError: ErrorInfo | null;
  submitting: boolean;
  submitError: ErrorInfo | null;
  rfcChanged: (value: string, final: boolean) => void;
  lookUp: (rfc: string) => Promise<LookupStatus>;
  /** With a generic RFC: finds the person with this name and e-mail or phone, if registered. */
  identify: (who: { name: string; email: string; phone: string }) => Promise<void>;
  create: (input: MethodInput<'tickets.create'>) => Promise<Ticket | null>;
  addToTicket: (input: MethodInput<'tickets.customerMessage'>) => Promise<TicketDetail | null>;
  clearSubmitError: () => void;
  reset: () => void;
}

const initial = {
  rfcCheck: null,
  showRfcError: false,
  lookupStatus: 'idle' as LookupStatus,
  lookupRfc: '',
  customer: null,
  openTickets: [],
  lookupError: null,
  submitting: false,
  submitError: null,
};

export const useIntake = create<IntakeState>((set, get) => {
  async function submit<T>(run: () => Promise<T>): Promise<T | null> {
    set({ submitting: true, submitError: null });
    try {
      const result = await run();
      set({ submitting: false });
      return result;
    } catch (error) {
      const info = toErrorInfo(error);
      handleSessionLoss(info);
      set({ submitting: false, submitError: info });
      return null;
    }
  }

  return {
    ...initial,

    rfcChanged: (value, final) => {
      const check = value.trim() === '' ? null : checkRfc(value);
      const normalized = check?.normalized ?? '';
      const fullLength = normalized.length >= 12;
      set((s) => ({
        rfcCheck: check,
        showRfcError: final || fullLength || (s.showRfcError && normalized.length > 0),
      }));
      if (check?.ok) {
        if (get().lookupRfc !== normalized) void get().lookUp(normalized);
      } else if (get().lookupStatus !== 'idle') {
        set({ lookupStatus: 'idle', lookupRfc: '', customer: null, openTickets: [], lookupError: null });
      }
    },

    lookUp: async (rfc) => {
      if (isGenericRfc(rfc)) {
        set({ lookupStatus: 'generic', lookupRfc: rfc, customer: null, openTickets: [], lookupError: null });
        return 'generic';
      }
      set({ lookupStatus: 'loading', lookupRfc: rfc, customer: null, openTickets: [], lookupError: null });
      try {
        const customer = await call('customers.findByRfc', { rfc });
        if (get().lookupRfc !== rfc) return get().lookupStatus;
        if (!customer) {
          set({ lookupStatus: 'unknown' });
          return 'unknown';
        }
        const page = await call('tickets.list', { customerId: customer.id, status: ['open', 'waiting'], sort: 'updatedAt', direction: 'desc', limit: 20 });
        if (get().lookupRfc !== rfc) return get().lookupStatus;
        set({ lookupStatus: 'known', customer, openTickets: page.rows });
        return 'known';
      } catch (error) {
        const info = toErrorInfo(error);
        handleSessionLoss(info);
        if (get().lookupRfc === rfc) set({ lookupStatus: 'error', lookupError: info });
        return 'error';
      }
    },

    identify: async (who) => {
      const rfc = get().lookupRfc;
      if (get().lookupStatus !== 'generic') return;
      const name = who.name.trim();
      if (!name || (!who.email.trim() && !who.phone.trim())) {
        set({ customer: null, openTickets: [] });
        return;
      }
      try {
        const customer = await call('customers.findByRfc', { rfc, name, email: who.email, phone: who.phone });
        const page = customer
          ? await call('tickets.list', { customerId: customer.id, status: ['open', 'waiting'], sort: 'updatedAt', direction: 'desc', limit: 20 })
          : null;
        if (get().lookupRfc !== rfc || get().lookupStatus !== 'generic') return;
        set({ customer, openTickets: page?.rows ?? [] });
      } catch (error) {
        const info = toErrorInfo(error);
        handleSessionLoss(info);
        set({ customer: null, openTickets: [], lookupError: info });
      }
    },

    create: (input) => submit(() => call('tickets.create', input)),

    addToTicket: (input) => submit(() => call('tickets.customerMessage', input)),

    clearSubmitError: () => set({ submitError: null }),

    reset: () => set({ ...initial }),
  };
});
