// Event-loop delay of the services process while heavy work runs (issue 18): the counter's
// window, card reader loop and printer queue share this one thread, so any synchronous stretch
// longer than a few tens of milliseconds is a freeze the clerk sees. Measured with Node's own
// histogram (perf_hooks.monitorEventLoopDelay), which samples how late a timer of
// `resolutionMs` fires.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fmtMs, type RowId, type RowResult } from './table';

export interface LoopDelay {
  /** Delay percentiles and maximum in milliseconds. */
  p50: number;
  p99: number;
  max: number;
  /** Timer samples taken (one per `resolutionMs` of wall time the loop was free to take them). */
  samples: number;
  /** Wall time watched. */
  ms: number;
}

/** The targets issue 18 sets for every heavy operation. */
export const LOOP_DELAY_TARGET = { p99Ms: 20, maxMs: 100 } as const;

/**
 * Starts watching the event loop; `stop()` returns what it saw. Work that should be measured
 * as the app runs it must give the loop a turn between operations (separate IPC calls do; a
 * tight `await` loop over synchronous calls does not), e.g. `await yieldToLoop()`.
 */
export function watchLoopDelay(resolutionMs = 10): { stop(): LoopDelay } {
  const h = monitorEventLoopDelay({ resolution: resolutionMs });
  const started = performance.now();
  h.enable();
  return {
    stop() {
      h.disable();
      // The histogram holds the time between timer runs, which includes the timer's own interval
      // (an idle loop reads ~resolutionMs, measured here): the delay is what is beyond it.
      const late = (ns: number) => Math.max(0, ns / 1e6 - resolutionMs);
      return { p50: late(h.percentile(50)), p99: late(h.percentile(99)), max: late(h.max), samples: h.count, ms: performance.now() - started };
    },
  };
}

/** One macrotask turn, as between two IPC calls. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A bench row for the loop delay seen during `what` (p50/p99 columns are the delay). */
export function loopDelayRow(id: RowId, what: string, delay: LoopDelay, note = ''): RowResult {
  const met = delay.p99 < LOOP_DELAY_TARGET.p99Ms && delay.max < LOOP_DELAY_TARGET.maxMs;
  return {
    id,
    operation: `event-loop delay during ${what}`,
    status: 'ok',
    stats: { n: delay.samples, p50: delay.p50, p99: delay.p99, throughput: Number.NaN },
    target: { text: `p99 < ${LOOP_DELAY_TARGET.p99Ms} ms, max < ${LOOP_DELAY_TARGET.maxMs} ms`, met },
    note: `max ${fmtMs(delay.max)} over ${fmtMs(delay.ms)} watched (${delay.samples} samples)${note ? `; ${note}` : ''}`,
  };
}
