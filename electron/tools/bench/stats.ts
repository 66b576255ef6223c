// Timing primitives of the benchmark: samples in milliseconds, percentiles by nearest rank,
// throughput over the wall time the samples took (so pauses between samples count against it).
import { mulberry32 } from '../../services/demo/rng';
import { performance } from 'node:perf_hooks';

export interface Stats {
  /** Number of timed operations. */
  n: number;
  p50: number;
  p99: number;
  /** Operations per second over the whole timed loop. */
  throughput: number;
}

/** Nearest-rank percentile of already sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samplesMs: readonly number[], wallMs?: number): Stats {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const total = wallMs ?? sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    throughput: total > 0 ? (sorted.length * 1000) / total : Number.NaN,
  };
}

export interface MeasureOptions {
  /** Untimed calls first (JIT, statement cache, page cache). */
  warmup?: number;
  iterations: number;
}

/**
 * Times `fn(i)` for i in [0, iterations): each call alone for the percentiles, the whole loop
 * for the throughput. Works for synchronous and asynchronous operations alike.
 */
export async function measure(fn: (i: number) => unknown, opts: MeasureOptions): Promise<Stats> {
  for (let i = 0; i < (opts.warmup ?? 0); i++) await fn(opts.iterations + i);
  const samples = new Array<number>(opts.iterations);
  const start = performance.now();
  for (let i = 0; i < opts.iterations; i++) {
    const t = performance.now();
    await fn(i);
    samples[i] = performance.now() - t;
  }
  return summarize(samples, performance.now() - start);
}

/** A synchronous variant without promise overhead, for the raw baselines. */
export function measureSync(fn: (i: number) => unknown, opts: MeasureOptions): Stats {
  for (let i = 0; i < (opts.warmup ?? 0); i++) fn(opts.iterations + i);
  const samples = new Array<number>(opts.iterations);
  const start = performance.now();
  for (let i = 0; i < opts.iterations; i++) {
    const t = performance.now();
    fn(i);
    samples[i] = performance.now() - t;
  }
  return summarize(samples, performance.now() - start);
}

/** One timed run of a bulk operation that handles `items` items: p50 = p99 = its duration. */
export async function measureOnce(items: number, fn: () => unknown): Promise<Stats & { ms: number }> {
  const t = performance.now();
  await fn();
  const ms = performance.now() - t;
  return { n: 1, p50: ms, p99: ms, throughput: ms > 0 ? (items * 1000) / ms : Number.NaN, ms };
}

export const now = (): number => performance.now();

/** Deterministic pseudo-random stream for choosing samples. */
export const sampler = mulberry32;
