import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppServices } from '../../../electron/services/app';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { appAtCounter2, compareLedgers, unpaidPayers, upstreamForCounter2 } from './helpers';

let sim: UpstreamSim | null = null;
let services: AppServices | null = null;
afterEach(async () => {
  await services?.close();
  await sim?.close();
  sim = null;
  services = null;
});

describe('payments taken through the app reach the upstream (the outbox payload is the protocol payload)', () => {
  it('a training counter records payments via the API; one sync pushes them and both ledgers agree', async () => {
    const app = await appAtCounter2('apppay');
    services = app.services;
    const { db } = app;
    const ids = unpaidPayers(db, 2026, 3);
    let recorded = 0;
    for (const idNumber of ids) {
      const payer = db.prepare('SELECT id FROM payers WHERE id_number = ?').get(idNumber) as { id: number };
      const tier =
        (db.prepare('SELECT tier_fen FROM payments WHERE payer_id = ? ORDER BY year DESC LIMIT 1').get(payer.id) as { tier_fen: number } | undefined)
          ?.tier_fen ?? 20000;
      const r = await app.services.dispatch(
        'payment.record',
        {
          transactionUid: crypto.randomUUID(),
          payerId: payer.id,
          lines: [{ year: 2026, tierFen: tier }],
          method: 'bank_card',
          tenderedFen: null,
          posRef: '202606150003',
        },
        { transport: 'ipc' },
      );
      if (r.ok) recorded++;
    }
    expect(recorded).toBe(ids.length);
    const pending = db.prepare('SELECT count(*) AS n FROM outbox WHERE confirmed_at IS NULL').get() as { n: number };
    expect(pending.n).toBe(recorded);

    const upstream = await upstreamForCounter2(db);
    sim = upstream.sim;
    const { engine } = upstream;
    expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: recorded, rejected: 0, pending: 0 });
    const fromCounter = upstream.sim.store.allPayments().filter((p) => p.station === 'counter-2');
    expect(fromCounter).toHaveLength(recorded);
    expect(compareLedgers(db, upstream.sim.store).equal).toBe(true);
    db.close();
  });
});
