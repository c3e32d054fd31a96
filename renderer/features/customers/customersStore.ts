/** Customer list (search), creation, and the open customer with its tickets. */
import { create } from 'zustand';
import type { MethodInput } from '../../../electron/shared/contract';
import type { ErrorInfo } from '../../../electron/shared/errors';
import type { Customer, CustomerSummary, TicketSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { toErrorInfo } from '../../app/errors';
import { handleSessionLoss } from '../../app/useApiAction';

function fail(error: unknown): ErrorInfo {
  const info = toErrorInfo(error);
  handleSessionLoss(info);
  return info;
}

interface CustomerListState {
  query: string;
  rows: CustomerSummary[];
  loading: boolean;
  error: ErrorInfo | null;
  /** Sets the query and searches after a short pause in typing. */
  setQuery: (query: string) => void;
  search: () => Promise<void>;
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
let searchGeneration = 0;

export const useCustomerList = create<CustomerListState>((set, get) => ({
  query: '',
  rows: [],
  loading: false,
  error: null,
  setQuery: (query) => {
    set({ query });
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void get().search(), 200);
  },
  search: async () => {
    const mine = ++searchGeneration;
    set({ loading: true, error: null });
    try {
      const rows = await call('customers.list', { query: get().query, limit: 100 });
      if (mine === searchGeneration) set({ rows, loading: false });
    } catch (error) {
      if (mine === searchGeneration) set({ loading: false, error: fail(error) });
    }
  },
}));

interface NewCustomerState {
  saving: boolean;
  error: ErrorInfo | null;
  create: (input: MethodInput<'customers.create'>) => Promise<Customer | null>;
  clearError: () => void;
}

export const useNewCustomer = create<NewCustomerState>((set) => ({
  saving: false,
  error: null,
  create: async (input) => {
    set({ saving: true, error: null });
    try {
      const customer = await call('customers.create', input);
      set({ saving: false });
      return customer;
    } catch (error) {
      set({ saving: false, error: fail(error) });
      return null;
    }
  },
  clearError: () => set({ error: null }),
}));

interface CustomerDetailState {
  customerId: string | null;
  customer: Customer | null;
  tickets: TicketSummary[];
  loading: boolean;
  loadError: ErrorInfo | null;
  saving: boolean;
  saveError: ErrorInfo | null;
  savedAt: number | null;
  load: (customerId: string) => Promise<void>;
  update: (input: Omit<MethodInput<'customers.update'>, 'customerId'>) => Promise<boolean>;
  clearSaveError: () => void;
}

export const useCustomerDetail = create<CustomerDetailState>((set, get) => ({
  customerId: null,
  customer: null,
  tickets: [],
  loading: false,
  loadError: null,
  saving: false,
  saveError: null,
  savedAt: null,
  load: async (customerId) => {
    const keep = get().customer?.id === customerId;
    set({ customerId, loading: true, loadError: null, saveError: null, savedAt: null, ...(keep ? {} : { customer: null, tickets: [] }) });
    try {
      const [customer, page] = await Promise.all([
        call('customers.get', { customerId }),
        call('tickets.list', { customerId, sort: 'updatedAt', direction: 'desc', limit: 200 }),
      ]);
      if (get().customerId === customerId) set({ customer, tickets: page.rows, loading: false });
    } catch (error) {
      if (get().customerId === customerId) set({ loading: false, loadError: fail(error) });
    }
  },
  update: async (input) => {
    const customerId = get().customer?.id;
    if (!customerId) return false;
    set({ saving: true, saveError: null, savedAt: null });
    try {
      const customer = await call('customers.update', { ...input, customerId });
      set({ customer, saving: false, savedAt: Date.now() });
      return true;
    } catch (error) {
      set({ saving: false, saveError: fail(error) });
      return false;
    }
  },
  clearSaveError: () => set({ saveError: null }),
}));
