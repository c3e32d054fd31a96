/** Tickets and customers for the palette's query, looked up after a short pause in typing; a newer query wins. */
import { useEffect, useState } from 'react';
import type { CustomerSummary, TicketSummary } from '../../../electron/shared/types';
import { call } from '../../app/api';
import { MIN_RECORD_QUERY } from './search';

export interface RecordResults {
  tickets: TicketSummary[];
  customers: CustomerSummary[];
  loading: boolean;
  failed: boolean;
}

const EMPTY: RecordResults = { tickets: [], customers: [], loading: false, failed: false };
const DEBOUNCE_MS = 120;
const TICKETS = 6;
const CUSTOMERS = 5;

export function usePaletteResults(query: string): RecordResults {
  const [results, setResults] = useState<RecordResults>(EMPTY);
  useEffect(() => {
    const q = query.trim();
    if (q.length < MIN_RECORD_QUERY) {
      setResults(EMPTY);
      return;
    }
    let current = true;
    setResults((r) => ({ ...r, loading: true, failed: false }));
    const timer = setTimeout(() => {
      Promise.all([
        call('tickets.list', { query: q, limit: TICKETS }),
        call('customers.list', { query: q, limit: CUSTOMERS }),
      ]).then(
        ([tickets, customers]) => current && setResults({ tickets: tickets.rows, customers, loading: false, failed: false }),
        () => current && setResults({ ...EMPTY, failed: true }),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);
  return results;
}
