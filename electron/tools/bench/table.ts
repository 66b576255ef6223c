// The one table the benchmark prints: operation, p50, p99, throughput, ratio to the raw baseline
// measured in the same run, and the target with whether it was met.
import type { Stats } from './stats';

export const rowIds = [
  'lookup',
  'search',
  'payer-page',
  'quote',
  'ingest',
  'incremental-sync',
  'record',
  'receipt-pdf-warm',
  'receipt-pdf-cold',
  'slip',
  'day-close',
  'card-paint',
  'host-start',
  'rss',
  'eld-first-start',
  'eld-first-sync',
  'eld-receipt-pdfs',
  'eld-day-close',
  'eld-progress',
] as const;
export type RowId = (typeof rowIds)[number];

export type RowStatus = 'ok' | 'not-built' | 'skipped' | 'failed';

export interface Baseline {
  label: string;
  stats: Stats;
  /** What the ratio compares: latency at p99 (lower is better) or throughput (higher is better). */
  compare: 'p99' | 'throughput';
}

export interface RowResult {
  id: RowId;
  operation: string;
  status: RowStatus;
  stats?: Stats;
  /** Unit of the throughput column, e.g. 'ops/s', 'rows/s'. */
  unit?: string;
  baseline?: Baseline;
  /** A value that is not a latency (RSS), shown in the p50 column. */
  value?: string;
  target?: { text: string; met: boolean | null };
  note?: string;
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1) return `${(ms * 1000).toFixed(ms < 0.01 ? 2 : ms < 0.1 ? 1 : 0)} µs`;
  if (ms < 100) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function fmtRate(perSecond: number | undefined, unit = 'ops/s'): string {
  if (perSecond === undefined || Number.isNaN(perSecond)) return '—';
  const n = perSecond >= 100 ? Math.round(perSecond).toLocaleString('en-US') : perSecond.toFixed(perSecond >= 10 ? 1 : 2);
  return `${n} ${unit}`;
}

/** ratio of the measured row to its baseline: p99 / raw p99, or rate / raw rate. */
export function ratio(row: RowResult): number | null {
  if (!row.stats || !row.baseline) return null;
  const b = row.baseline;
  return b.compare === 'p99' ? row.stats.p99 / b.stats.p99 : row.stats.throughput / b.stats.throughput;
}

function ratioCell(row: RowResult): string {
  const r = ratio(row);
  if (r === null || !row.baseline) return '—';
  const b = row.baseline;
  const raw = b.compare === 'p99' ? `raw p99 ${fmtMs(b.stats.p99)}` : `raw ${fmtRate(b.stats.throughput, row.unit)}`;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}× (${raw})`;
}

function statusText(row: RowResult): string | null {
  switch (row.status) {
    case 'not-built':
      return 'n/a (not built yet)';
    case 'skipped':
      return 'skipped';
    case 'failed':
      return 'FAILED';
    default:
      return null;
  }
}

export interface TableCells {
  operation: string;
  p50: string;
  p99: string;
  throughput: string;
  ratio: string;
  target: string;
  note: string;
}

export function cells(row: RowResult): TableCells {
  const s = statusText(row);
  const target = row.target ? `${row.target.text}${row.target.met === null ? '' : row.target.met ? ' ✓' : ' ✗'}` : '—';
  if (s) return { operation: row.operation, p50: s, p99: '', throughput: '', ratio: '', target: row.target?.text ?? '—', note: row.note ?? '' };
  return {
    operation: row.operation,
    p50: row.value ?? fmtMs(row.stats?.p50),
    p99: row.value ? '' : fmtMs(row.stats?.p99),
    throughput: row.value ? '' : fmtRate(row.stats?.throughput, row.unit),
    ratio: ratioCell(row),
    target,
    note: row.note ?? '',
  };
}

const headers: TableCells = {
  operation: 'operation',
  p50: 'p50',
  p99: 'p99',
  throughput: 'throughput',
  ratio: 'vs raw baseline',
  target: 'target',
  note: 'notes',
};
const columns = Object.keys(headers) as (keyof TableCells)[];

/** A Markdown table (also readable as plain text in a terminal). */
export function formatTable(rows: readonly RowResult[]): string {
  const body = rows.map(cells);
  const escape = (s: string) => s.replaceAll('|', '\\|');
  const width = (c: keyof TableCells) => Math.max(3, ...[headers, ...body].map((r) => [...escape(r[c])].length));
  const widths = Object.fromEntries(columns.map((c) => [c, width(c)])) as Record<keyof TableCells, number>;
  const line = (r: TableCells) => `| ${columns.map((c) => escape(r[c]).padEnd(widths[c])).join(' | ')} |`;
  const rule = `| ${columns.map((c) => '-'.repeat(widths[c])).join(' | ')} |`;
  return [line(headers), rule, ...body.map(line)].join('\n');
}
