// Host side of the county-fill worker (./county-fill.worker.ts, issue 18). The worker writes the
// training county through its own SQLite connection in short transactions; the services thread
// only hears how far it has got. The WAL lets the counter read meanwhile, and each worker
// transaction is short (sliceMs) and followed by a pause, so a counter write waits at most about
// one transaction for the write lock.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../platform/worker';
import type { DemoCountyOptions } from './county';

/** The stop word's value when the host asks the worker to stop (Int32 slot 0 of `stop`). */
export const FILL_STOP = 1;

export interface CountyFillData {
  /** The database file the worker opens (the services thread has its own connection to it). */
  file: string;
  county: DemoCountyOptions;
  nowIso: string;
  /** Payers already in the database (the stream passes over them). */
  from: number;
  /** Payers the worker stops at (the first start writes the head of the county, then the rest). */
  until: number;
  /** Longest worker transaction, and at most this many payers in one. */
  sliceMs: number;
  maxRows: number;
  /** Pause after every transaction: the write lock is free for the services thread's writes. */
  pauseMs: number;
  busyTimeoutMs: number;
  /** SharedArrayBuffer of one Int32: FILL_STOP asks the worker to stop after its transaction. */
  stop: SharedArrayBuffer;
}

export type CountyFillMessage =
  { type: 'progress' | 'done' | 'stopped'; filled: number; payments: number } | { type: 'failed'; filled: number; payments: number; message: string };

/** How the worker paces itself (defaults below). */
export interface CountyFillTuning {
  sliceMs?: number;
  maxRows?: number;
  pauseMs?: number;
  /** How long a worker transaction waits for a write lock held elsewhere before the fill fails. */
  busyTimeoutMs?: number;
}

export interface CountyFillOptions extends CountyFillTuning {
  file: string;
  county: DemoCountyOptions;
  nowIso: string;
  from: number;
  until?: number;
  /** After each committed transaction of the worker. */
  onProgress?: (filled: number, total: number) => void;
}

export interface CountyFillRun {
  /** Payers committed so far (as the worker last said). */
  filled(): number;
  payments(): number;
  /** Resolves when the worker reached `until`; rejects when it failed or was stopped before. */
  readonly finished: Promise<void>;
  /** Asks the worker to stop after its current transaction; terminates it if it does not end soon. */
  stop(graceMs?: number): Promise<void>;
}

/** Worker defaults: transactions of at most ~15 ms, then a 2 ms pause (see the module comment). */
const DEFAULTS = { sliceMs: 15, maxRows: 400, pauseMs: 2, busyTimeoutMs: 10_000 } as const;

/** Starts writing `county` into `file` from payer `from` to `until` in a worker thread. */
export function runCountyFill(options: CountyFillOptions): CountyFillRun {
  const until = Math.min(options.until ?? options.county.payers, options.county.payers);
  const stopWord = new SharedArrayBuffer(4);
  const data: CountyFillData = {
    file: options.file,
    county: options.county,
    nowIso: options.nowIso,
    from: options.from,
    until,
    sliceMs: options.sliceMs ?? DEFAULTS.sliceMs,
    maxRows: options.maxRows ?? DEFAULTS.maxRows,
    pauseMs: options.pauseMs ?? DEFAULTS.pauseMs,
    busyTimeoutMs: options.busyTimeoutMs ?? DEFAULTS.busyTimeoutMs,
    stop: stopWord,
  };
  let filled = Math.min(options.from, until);
  let payments = 0;
  let stopping = false;
  let worker: Worker | null = null;
  let exited: Promise<void> = Promise.resolve();
  const finished = new Promise<void>((resolve, reject) => {
    if (filled >= until) return resolve();
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      reject(new Error(message));
    };
    try {
      worker = startWorker('county-fill', data);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
      return;
    }
    exited = new Promise((done) => worker!.once('exit', () => done()));
    worker.on('message', (m: CountyFillMessage) => {
      // A failed transaction rolled back: only what a 'progress' reported is in the database.
      if (m.type !== 'failed') {
        filled = m.filled;
        payments = m.payments;
      }
      if (m.type === 'progress') options.onProgress?.(filled, options.county.payers);
      else if (m.type === 'done') {
        settled = true;
        resolve();
      } else if (m.type === 'stopped') fail(`stopped at ${filled} of ${until} payers`);
      else if (m.type === 'failed') fail(m.message);
    });
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) =>
      fail(stopping ? `stopped at ${filled} of ${until} payers` : `the county-fill worker ended (exit code ${code}) at ${filled} of ${until} payers`),
    );
  });
  // Handled here too: nobody may be waiting for it.
  finished.catch(() => {});
  return {
    filled: () => filled,
    payments: () => payments,
    finished,
    async stop(graceMs = 5_000) {
      if (!worker) return;
      stopping = true;
      const w = worker as Worker;
      const word = new Int32Array(stopWord);
      Atomics.store(word, 0, FILL_STOP);
      Atomics.notify(word, 0);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
      const how = await Promise.race([exited.then(() => 'ended' as const), late]);
      clearTimeout(timer);
      if (how === 'late') await w.terminate();
      await exited;
    },
  };
}
