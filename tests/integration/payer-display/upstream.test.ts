import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase } from '../../../electron/platform/db/database';
import { SyncEngine, UpstreamClient } from '../../../electron/sync';
import { startUpstreamSim, type UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import type { PayerDisplayState } from '../../../shared/payer-display';
import { tempDir } from '../../helpers/serve';
import { quietLog, START, unpaidPayers } from '../sync/helpers';

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
    const dir = tempDir('evalpush');
    services = createAppServices({ dataDir: dir, clock: fixedStartClock(START), demoPayers: 300 });
    await services.ready;
    const call = async <T>(method: string, input: unknown = {}) => {
      const r = await services!.dispatch(method, input, { transport: 'ipc' });
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 2 });
    const db = openDatabase(path.join(dir, 'counter.sqlite'));
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

    sim = await startUpstreamSim({ payers: 300, clock: fixedStartClock(START), keys: { k: 'counter-2' } });
    const engine = new SyncEngine({ db, client: new UpstreamClient({ baseUrl: sim.url, key: 'k' }), log: quietLog() });
    expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 2, rejected: 0, pending: 0 });
    const events = sim.store.events().filter((e) => e.station === 'counter-2');
    expect(events.map((e) => e.kind)).toEqual(['payment.recorded', 'evaluation.recorded']);
    expect(events[1]!.result).toMatchObject({ status: 'accepted' });
    // Pushing again sends nothing new.
    expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: 0, pending: 0 });
    db.close();
  });
});
