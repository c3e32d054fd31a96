/** New-request behaviour: find the customer, its open tickets, the signed form, create (and submit). */
import { create } from 'zustand';
import type { MethodInput } from '../../../electron/shared/contract';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { ChangeRequest } from '../../../electron/shared/request-types';
import type { Customer, CustomerSummary, TicketSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { fail } from './requestsStore';
import { readAsBase64 } from '../../app/files';

export interface SignedForm {
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  contentBase64: string;
}

interface NewRequestState {
  query: string;
  results: CustomerSummary[];
  customer: Customer | null;
  openTickets: TicketSummary[];
  loadingCustomer: boolean;
  signedForm: SignedForm | null;
  signedFormError: ErrorInfo | null;
  saving: boolean;
  error: ErrorInfo | null;
  reset: () => void;
  search: (query: string) => Promise<void>;
  selectCustomer: (customerId: string) => Promise<void>;
  pickSignedForm: (file: File | null) => Promise<void>;
  /** Creates the draft and, when `submit`, sends it to review. Returns the request or null. */
  create: (input: MethodInput<'requests.create'>, submit: boolean) => Promise<ChangeRequest | null>;
  clearError: () => void;
}

const initial = {
  query: '', results: [], customer: null, openTickets: [], loadingCustomer: false, signedForm: null, signedFormError: null, saving: false, error: null,
};

let searchGeneration = 0;

export const useNewRequest = create<NewRequestState>((set) => ({
  ...initial,
  reset: () => set(initial),
  search: async (query) => {
    const mine = ++searchGeneration;
    set({ query });
    try {
      const results = await call('customers.list', { query, limit: 50 });
      if (mine === searchGeneration) set({ results });
    } catch (error) {
      if (mine === searchGeneration) set({ error: fail(error) });
    }
  },
  selectCustomer: async (customerId) => {
    if (!customerId) {
      set({ customer: null, openTickets: [] });
      return;
    }
    set({ loadingCustomer: true, error: null });
    try {
      const [customer, page] = await Promise.all([
        call('customers.get', { customerId }),
        call('tickets.list', { customerId, status: ['open', 'waiting'], sort: 'updatedAt', direction: 'desc', limit: 200 }),
      ]);
      set({ customer, openTickets: page.rows, loadingCustomer: false });
    } catch (error) {
      set({ loadingCustomer: false, error: fail(error) });
    }
  },
  pickSignedForm: async (file) => {
    if (!file) {
      set({ signedForm: null });
      return;
    }
    try {
      const contentBase64 = await readAsBase64(file);
      set({ signedForm: { fileName: file.name, mimeType: file.type || 'application/octet-stream', sizeBytes: file.size, contentBase64 }, signedFormError: null });
    } catch {
      set({ signedForm: null, signedFormError: { code: 'attachments.badContent', params: { fileName: file.name } } });
    }
  },
  create: async (input, submit) => {
    set({ saving: true, error: null });
    try {
      const draft = await call('requests.create', input);
      if (!submit) {
        set({ saving: false });
        return draft;
      }
      // A draft that could not be submitted is still registered: its screen offers "Enviar a revisión".
      const submitted = await call('requests.submit', { requestId: draft.id }).catch(() => draft);
      set({ saving: false });
      return submitted;
    } catch (error) {
      set({ saving: false, error: fail(error) });
      return null;
    }
  },
  clearError: () => set({ error: null }),
}));
