// The printed report: the table, the machine and the county, as Markdown (docs/benchmarks.md is
// one of these, committed from a real run).
import type { BenchReport } from './run';
import { formatTable } from './table';

export function formatReport(report: BenchReport): string {
  const m = report.machine;
  const met = report.rows.filter((r) => r.target && r.target.met !== null);
  return [
    `pension-counter bench — ${report.payers.toLocaleString('en-US')} payers, ${report.county.payments.toLocaleString('en-US')} payments (county built in ${(report.county.ms / 1000).toFixed(1)} s)`,
    '',
    formatTable(report.rows),
    '',
    `Targets met: ${met.filter((r) => r.target!.met).length} of ${met.length} measured.`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM, ${m.platform}; Node ${m.node}, SQLite ${m.sqlite}.`,
    `Run: ${report.startedAt}, ${(report.durationMs / 1000).toFixed(0)} s in all.`,
  ].join('\n');
}
