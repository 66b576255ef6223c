// Small typed hooks over `call`: one place turns a failure into the clerk's words, and no promise
// is ever left rejected without a handler.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract';
import { AppError, errorMessages } from '../../../shared/api/app-error';
import { call } from './client';

/** What the clerk reads for a failed call: the service's zh-CN message, never a stack or `Error:`. */
export function messageOf(e: unknown): string {
  if (e instanceof AppError) return e.message;
  return errorMessages.INTERNAL;
}

/**
 * Runs actions one at a time with a shared busy flag and error: `run` resolves with the value,
 * or with undefined after setting `error` — it never rejects.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inflight = useRef(false);
  const run = useCallback(async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    if (inflight.current) return undefined;
    inflight.current = true;
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(messageOf(e));
      return undefined;
    } finally {
      inflight.current = false;
      setBusy(false);
    }
  }, []);
  return { run, busy, error, setError };
}

/** Loads a method's output when `input` (compared as JSON) changes; `reload` fetches again. */
export function useQuery<M extends MethodName>(method: M, input: MethodInput<M> | null) {
  const [data, setData] = useState<MethodOutput<M> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const key = input === null ? null : JSON.stringify(input);
  useEffect(() => {
    if (key === null) return;
    let live = true;
    call(method, JSON.parse(key) as MethodInput<M>).then(
      (v) => {
        if (!live) return;
        setData(v);
        setError(null);
      },
      (e: unknown) => live && setError(messageOf(e)),
    );
    return () => {
      live = false;
    };
  }, [method, key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: key === null ? null : data, error, reload };
}
