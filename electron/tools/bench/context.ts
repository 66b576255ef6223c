// What every benchmark phase shares: options, the temporary work directory, the county's
// options and the fixed "today" the policy tables and the demo county agree on.
import type { DemoCountyOptions } from '../../services/demo/county';
import type { RowId } from './table';

export interface BenchOptions {
  /** Payers in the county (1,000,000 for the real run). */
  payers: number;
  /** Payments kept per payer on average (3 for the real run). */
  paymentsPerPayer?: number;
  /** Rows to run; the others are reported as skipped. Default: all. */
  only?: readonly RowId[];
  /** Parent of the temporary work directory (default: the OS temp directory). */
  tmpRoot?: string;
  /** Keep the work directory afterwards (for profiling). */
  keep?: boolean;
  /** The built CLI (electron/cli/bin.cjs): child processes for the upstream and the browser host.
   *  Without it the upstream runs in-process and the browser rows are skipped. */
  cliBin?: string | null;
  /** Chromium for the browser rows. */
  chromium?: string;
  /** Multiplies every iteration count (the smoke test runs with a small one). */
  scale?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface BenchContext {
  readonly options: Required<Pick<BenchOptions, 'payers' | 'paymentsPerPayer' | 'scale'>> & BenchOptions;
  readonly work: string;
  readonly upstreamDir: string;
  readonly counterDir: string;
  readonly county: DemoCountyOptions;
  /** The hall's "now" for the whole run (the policy table in resources is for 2026). */
  readonly clockIso: string;
  readonly asOf: string;
  readonly year: number;
  readonly tiersFen: readonly number[];
  readonly upstreamKey: string;
  wants(id: RowId): boolean;
  /** An iteration count scaled by options.scale, at least `min`. */
  iterations(n: number, min?: number): number;
  log(line: string): void;
}

export const BENCH_CLOCK = '2026-06-15T09:00:00+08:00';
export const BENCH_SEED = 20260101;
export const BENCH_KEY = 'bench-counter-key';
