/**
 * Hooks that wrap API calls with pending / error state so screens only render. Errors arrive as
 * ErrorInfo (translate with errorMessage or show an <ErrorBanner>). A call answered with
 * auth.required or auth.sessionExpired returns the window to sign-in (saying why when it expired).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodName, MethodResult } from '../../electron/shared/contract';
import type { ErrorInfo } from '../../electron/shared/errors';
import { useSession } from '../stores/session';
import { call } from './api';
import { toErrorInfo } from './errors';

/** Drops a session the service no longer recognises, without calling auth.signOut. */
export function handleSessionLoss(info: ErrorInfo): void {
  if ((info.code === 'auth.required' || info.code === 'auth.sessionExpired') && useSession.getState().user) useSession.getState().lost(info);
}

export interface ApiAction<A extends unknown[], R> {
  /** Runs the action; resolves to its result, or undefined when it failed (see `error`). */
  run: (...args: A) => Promise<R | undefined>;
  pending: boolean;
  error: ErrorInfo | null;
  setError: (error: ErrorInfo | null) => void;
  reset: () => void;
}

/** `const save = useApiAction((input) => call('users.create', input));` then `save.run(values)`. */
export function useApiAction<A extends unknown[], R>(
  action: (...args: A) => Promise<R>,
  options: { onError?: (error: ErrorInfo) => void } = {},
): ApiAction<A, R> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const actionRef = useRef(action);
  actionRef.current = action;
  const onErrorRef = useRef(options.onError);
  onErrorRef.current = options.onError;
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (...args: A): Promise<R | undefined> => {
    setPending(true);
    setError(null);
    try {
      const result = await actionRef.current(...args);
      if (mounted.current) setPending(false);
      return result;
    } catch (e) {
      const info = toErrorInfo(e);
      handleSessionLoss(info);
      if (mounted.current) {
        setError(info);
        setPending(false);
        onErrorRef.current?.(info);
      }
      return undefined;
    }
  }, []);

  const reset = useCallback(() => setError(null), []);
  return { run, pending, error, setError, reset };
}

export interface ApiQuery<T> {
  data: T | undefined;
  error: ErrorInfo | null;
  loading: boolean;
  reload: () => Promise<void>;
  /** Replace the data locally (after a mutation answered with the new value). */
  setData: (update: T | ((previous: T | undefined) => T)) => void;
}

/** Loads `method(input)` when mounted and whenever the input changes (compared as JSON). */
export function useApiQuery<M extends MethodName>(method: M, input: MethodInput<M>, options: { enabled?: boolean } = {}): ApiQuery<MethodResult<M>> {
  const enabled = options.enabled ?? true;
  const key = JSON.stringify(input);
  const [data, setDataState] = useState<MethodResult<M> | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loading, setLoading] = useState(enabled);
  const generation = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const result = await call(method, JSON.parse(key) as MethodInput<M>);
      if (mine === generation.current) {
        setDataState(result);
        setLoading(false);
      }
    } catch (e) {
      const info = toErrorInfo(e);
      handleSessionLoss(info);
      if (mine === generation.current) {
        setError(info);
        setLoading(false);
      }
    }
  }, [method, key]);

  useEffect(() => {
    if (enabled) void reload();
    return () => {
      generation.current += 1;
    };
  }, [enabled, reload]);

  const setData = useCallback((update: MethodResult<M> | ((previous: MethodResult<M> | undefined) => MethodResult<M>)) => {
    setDataState((prev) => (typeof update === 'function' ? (update as (p: MethodResult<M> | undefined) => MethodResult<M>)(prev) : update));
  }, []);

  return { data, error, loading, reload, setData };
}
