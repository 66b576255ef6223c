import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppServices } from '../../../electron/services/app';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import type { PayerDisplayState } from '../../../shared/payer-display';
import { appAtCounter2, unpaidPayers, upstreamForCounter2 } from '../sync/helpers';

let sim: UpstreamSim | null = null;
let services: AppServices | null = null;
afterEach(async () => {
  await services?.close();
  await sim?.close();
  sim = null;
  services = null;
});

describe('a rating reaches the upstream through the outbox', () => {
  it('the payment and then its rating are pushed and accepted, once', async () => {
    const app = await appAtCounter2('evalpush');
    services = app.services;
    const { call, db } = app;
    const [idNumber] = unpaidPayers(db, 2026, 1);
    const payer = db.prepare('SELECT id FROM payers WHERE id_number = ?').get(idNumber) as { id: number };
    const transactionUid = crypto.randomUUID();
    const paid = await call<{ transactionId: number }>('payment.record', {
      transactionUid,
      payerId: payer.id,
      lines: [{ year: 2026, tierFen: 20000 }],
      method: 'cash',
      tenderedFen: null,
    });
    await call('display.publish', { stage: 'paid', transactionId: paid.transactionId });
    const asked = await call<PayerDisplayState>('display.publish', { stage: 'idle' });
    if (asked.stage !== 'evaluate') throw new Error(`expected the question, got ${asked.stage}`);
    await call('evaluation.submit', { evaluationId: asked.evaluationId, level: 'very_satisfied' });

    const upstream = await upstreamForCounter2(db);
    sim = upstream.sim;
    const { engine } = upstream;
    expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 2, rejected: 0, pending: 0 });
    const events = upstream.sim.store.events().filter((e) => e.station === 'counter-2');
    expect(events.map((e) => e.kind)).toEqual(['payment.recorded', 'evaluation.recorded']);
    expect(events[1]!.result).toMatchObject({ status: 'accepted' });
    // Pushing again sends nothing new.
    expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 0, pending: 0 });
    db.close();
  });
});
