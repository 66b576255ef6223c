import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { trainingConfig } from '../../../electron/platform/config';
import type { EventPayload } from '../../../shared/api/events';
import type { SupervisorCases } from '../../../shared/api/views';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import Database from 'better-sqlite3';
import { tempDir } from '../../helpers/serve';
import { KEY, START, startSim, STATION } from './helpers';

let sim: UpstreamSim | null = null;
let app: AppServices | null = null;
afterEach(async () => {
  await app?.close();
  await sim?.close();
  app = null;
  sim = null;
});

async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the app with an upstream configured', () => {
  it('syncs by itself, and a year paid at the counter and in the app becomes a supervisor case with both payments', async () => {
    const county = trainingConfig(300);
    sim = await startSim(300, { seed: county.demo!.seed });
    const dir = tempDir('wired');
    // First start builds the training county; then IT staff point the counter at the upstream.
    app = createAppServices({ dataDir: dir, clock: fixedStartClock(START), demoPayers: 300 });
    await app.ready;
    await app.close();
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, upstream: { url: sim.url, key: KEY } }));

    app = createAppServices({ dataDir: dir, clock: fixedStartClock(START) });
    const statuses: EventPayload<'sync.status'>[] = [];
    app.events.subscribe((name, payload) => {
      if (name === 'sync.status') statuses.push(payload as EventPayload<'sync.status'>);
    });
    await app.ready;
    await until('first sync', () => statuses.some((s) => s.state === 'online' && s.lastSuccessAt));

    const call = async <T>(method: string, input: unknown = {}) => {
      const r = await app!.dispatch(method, input, { transport: 'ipc' });
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    // A payer with 2026 unpaid pays at the counter …
    const db = new Database(path.join(dir, 'counter.sqlite'), { readonly: true });
    const payer = db
      .prepare(
        `SELECT id, id_number FROM payers p WHERE status = 'active' AND registration_date < '2026-06-01'
                 AND NOT EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = 2026) ORDER BY id LIMIT 1 OFFSET 12`,
      )
      .get() as { id: number; id_number: string };
    await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 3 });
    const recorded = await call<{ totals: { payerFen: number } }>('payment.record', {
      transactionUid: '00000000-0000-4000-8000-000000000001',
      payerId: payer.id,
      lines: [{ year: 2026, tierFen: 30000 }],
      method: 'cash',
      tenderedFen: 30000,
    });
    expect(recorded.totals.payerFen).toBe(30000);
    // … and (unknown to the counter) in the app the same day.
    sim.store.addPayment({ idNumber: payer.id_number, year: 2026, tierFen: 20000, channel: 'mobile_app', paidAt: START.toISOString() }, START.toISOString());

    // The pusher delivers the counter payment and the next pull brings the app payment.
    await until('counter payment upstream', () =>
      sim!.store.allPayments().some((p) => p.idNumber === payer.id_number && p.year === 2026 && p.channel === 'counter'),
    );
    await until(
      'app payment pulled',
      () => (db.prepare('SELECT count(*) AS n FROM payments WHERE payer_id = ? AND year = 2026').get(payer.id) as { n: number }).n === 2,
      60_000,
    );
    db.close();

    await call('session.signOut');
    await call('session.signIn', { username: 'super', password: '5678', counterNo: 3 });
    const cases = await call<SupervisorCases>('supervisor.cases');
    const mine = cases.conflicts.find((c) => c.payerId === payer.id && c.year === 2026);
    // Both kept, in the order they were paid (the app payment is dated earlier here).
    expect(mine?.payments.map((p) => [p.channel, p.amountFen])).toEqual([
      ['mobile_app', 20000],
      ['counter', 30000],
    ]);
    expect(JSON.stringify(cases)).not.toContain(payer.id_number);

    // The clerk closes the day; the close agrees with the upstream's day totals …
    await call('session.signOut');
    await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 3 });
    const preview = await call<{ cashExpectedFen: number }>('dayclose.preview');
    const close = await call<{ no: number }>('dayclose.close', { cashCountedFen: preview.cashExpectedFen });
    const same = await call<{ matched: boolean; mismatches: unknown[] }>('dayclose.reconcile', { no: close.no });
    expect(same).toMatchObject({ matched: true, mismatches: [] });
    // … until the upstream holds a cash payment for that day the counter never took.
    const spare = sim.store.allPayments().find((p) => p.year !== 2026)!;
    sim.store.recordEvent(
      STATION,
      {
        idempotencyKey: 'upstream-only',
        kind: 'payment.recorded',
        occurredAt: START.toISOString(),
        payload: {
          transactionUid: 'upstream-only',
          counterNo: 3,
          operatorUsername: 'clerk',
          businessDate: '2026-06-15',
          paidAt: START.toISOString(),
          method: 'cash',
          lines: [
            {
              localUid: 'upstream-only-1',
              idNumber: spare.idNumber,
              year: 2026,
              tierFen: 40000,
              amountFen: 40000,
              subsidyFen: 0,
              governmentPaidFen: 0,
              backPayment: false,
            },
          ],
        },
      },
      START.toISOString(),
    );
    const differs = await call<{ matched: boolean; mismatches: { label: string; amountDiffFen: number }[] }>('dayclose.reconcile', { no: close.no });
    expect(differs.matched).toBe(false);
    expect(differs.mismatches.length).toBeGreaterThan(0);
    expect(differs.mismatches.every((m) => Math.abs(m.amountDiffFen) === 40000 || m.amountDiffFen === 0)).toBe(true);
  }, 120_000);
});
