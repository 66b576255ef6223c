// A smoke run of the benchmark code on a tiny county: every row is present and the numbers are
// sane. No speed is asserted here; `npm run bench` is the benchmark.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { thinPayments } from '../../../electron/tools/bench/county';
import { formatReport } from '../../../electron/tools/bench/report';
import { runBench } from '../../../electron/tools/bench/run';
import { percentile, summarize } from '../../../electron/tools/bench/stats';
import { formatTable, ratio, rowIds, type RowResult } from '../../../electron/tools/bench/table';
import { watchLoopDelay, yieldToLoop } from '../../../electron/tools/bench/loop-delay';
import type { DemoPayer } from '../../../electron/services/demo/county';
import { repoRoot } from '../../helpers/serve';

describe('bench helpers', () => {
  it('loop delay is the lateness beyond the timer interval: a 120 ms block shows, an idle loop does not', async () => {
    const watch = watchLoopDelay(10);
    await new Promise((r) => setTimeout(r, 300));
    const t = performance.now();
    while (performance.now() - t < 120) {
      /* a synchronous stretch, as a long query would be */
    }
    await yieldToLoop();
    await new Promise((r) => setTimeout(r, 50));
    const d = watch.stop();
    // Node's histogram alone reads ~10 ms for an idle loop at this resolution.
    expect(d.p50).toBeLessThan(8);
    expect(d.max).toBeGreaterThan(90);
    expect(d.max).toBeLessThan(1000);
  });
  it('percentiles by nearest rank, throughput over the wall time', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    const s = summarize([2, 1, 3], 10);
    expect(s).toEqual({ n: 3, p50: 2, p99: 3, throughput: 300 });
  });

  it('ratios compare p99 for latency and rates for throughput', () => {
    const stats = { n: 1, p50: 1, p99: 4, throughput: 50 };
    const base = { n: 1, p50: 1, p99: 2, throughput: 200 };
    expect(ratio({ id: 'lookup', operation: 'x', status: 'ok', stats, baseline: { label: 'raw', stats: base, compare: 'p99' } })).toBe(2);
    expect(ratio({ id: 'ingest', operation: 'x', status: 'ok', stats, baseline: { label: 'raw', stats: base, compare: 'throughput' } })).toBe(0.25);
  });

  it('thins payments to the running quota, keeping the newest and the demo cards whole', () => {
    const payer = { payments: [2019, 2020, 2021, 2022, 2023].map((year) => ({ year })) } as unknown as DemoPayer;
    expect(thinPayments(0, payer, 0, 3)).toHaveLength(5);
    expect(thinPayments(20, payer, 61, 3).map((p) => p.year)).toEqual([2022, 2023]);
    expect(thinPayments(20, payer, 70, 3)).toEqual([]);
  });

  it('prints not-built rows as n/a and escapes the table', () => {
    const rows: RowResult[] = [
      { id: 'day-close', operation: 'day close', status: 'not-built', target: { text: '< 100 ms', met: null } },
      { id: 'slip', operation: 'a | b', status: 'ok', stats: { n: 3, p50: 0.2, p99: 1.5, throughput: 4000 }, unit: 'slips/s' },
    ];
    const table = formatTable(rows);
    expect(table).toContain('n/a (not built yet)');
    expect(table).toContain('a \\| b');
    expect(table).toContain('200 µs');
    expect(table).toContain('1.50 ms');
    expect(table).toContain('4,000 slips/s');
  });
});

describe('bench smoke run', () => {
  // The browser rows need the built CLI (npm test builds first) and Chromium; without them they
  // are reported as skipped.
  const cliBin = path.join(repoRoot, 'electron', 'cli', 'bin.cjs');
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const withBrowser = fs.existsSync(path.join(repoRoot, 'out', 'main', 'cli.js')) && fs.existsSync(chromium);

  it('runs every row on a tiny county and prints one table', { timeout: 180_000 }, async () => {
    const report = await runBench({ payers: 600, scale: 0.01, cliBin: withBrowser ? cliBin : null, chromium });
    expect(report.rows.map((r) => r.id)).toEqual([...rowIds]);
    expect(report.county.payers).toBe(600);
    expect(report.county.payments).toBeGreaterThan(1500);
    expect(report.county.payments).toBeLessThan(2100);

    const byId = new Map(report.rows.map((r) => [r.id, r]));
    // Every capability exists now: no row may be left unbuilt.
    expect(report.rows.filter((r) => r.status === 'not-built').map((r) => r.id)).toEqual([]);
    for (const id of ['receipt-pdf-warm', 'receipt-pdf-cold', 'day-close'] as const) {
      const r = byId.get(id)!;
      expect(r.status, `${id}: ${r.note}`).toBe('ok');
      expect(r.stats!.n).toBeGreaterThan(0);
    }
    expect(byId.get('receipt-pdf-warm')!.target!.met).not.toBeNull();
    expect(byId.get('receipt-pdf-cold')!.stats!.n).toBeGreaterThanOrEqual(3);
    // The day close covers the scaled 10,000 payments (100 at scale 0.01) and reports the close itself.
    expect(byId.get('day-close')!.operation).toMatch(/day close over \d+ payments/);
    expect(Number(/over (\d+) payments/.exec(byId.get('day-close')!.operation)![1])).toBeGreaterThanOrEqual(100);
    expect(byId.get('day-close')!.note).toContain('the close itself');
    expect(byId.get('day-close')!.target!.met).not.toBeNull();
    const browserIds = new Set(['card-paint', 'host-start', 'rss']);
    for (const r of report.rows) {
      if (browserIds.has(r.id) && !withBrowser) {
        expect(r.status).toBe('skipped');
        continue;
      }
      expect(r.status, `${r.id}: ${r.note}`).toBe('ok');
      if (r.id.startsWith('eld-')) {
        // Event-loop delay rows: the delay percentiles of the watched stretch, no throughput.
        const s = r.stats!;
        expect(s.n, r.id).toBeGreaterThan(0);
        expect(s.p99).toBeGreaterThanOrEqual(s.p50);
        expect(r.target!.met).not.toBeNull();
        expect(r.note).toMatch(/^max .+ over .+ watched/);
        continue;
      }
      if (r.id === 'rss') {
        expect(r.value).toMatch(/^\d+ MB RSS$/);
        continue;
      }
      const s = r.stats!;
      expect(s.n).toBeGreaterThan(0);
      expect(s.p50).toBeGreaterThan(0);
      expect(s.p99).toBeGreaterThanOrEqual(s.p50);
      expect(s.throughput).toBeGreaterThan(0);
      expect(Number.isFinite(s.throughput)).toBe(true);
      if (r.baseline) {
        expect(r.baseline.stats.p99).toBeGreaterThan(0);
        expect(Number.isFinite(ratio(r)!)).toBe(true);
      }
    }
    // Every ingested row arrived: the first sync pulled the whole county.
    expect(byId.get('ingest')!.note).toContain(`${(600 + report.county.payments).toLocaleString('en-US')} rows`);

    const text = formatReport(report);
    for (const r of report.rows) expect(text).toContain(r.operation.split(' (')[0]!.replaceAll('|', '\\|'));
    expect(text).toMatch(/Machine: \d+ × .+ GB RAM/);
  });
});
