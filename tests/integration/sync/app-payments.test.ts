import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase } from '../../../electron/platform/db/database';
import { SyncEngine, UpstreamClient } from '../../../electron/sync';
import { startUpstreamSim, type UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { tempDir } from '../../helpers/serve';
import { compareLedgers, quietLog, START, unpaidPayers } from './helpers';

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
    const dir = tempDir('apppay');
    services = createAppServices({ dataDir: dir, clock: fixedStartClock(START), demoPayers: 300 });
    await services.ready;
    const call = async (method: string, input: unknown) => {
      const r = await services!.dispatch(method, input, { transport: 'ipc' });
      if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
      return r.value;
    };
    await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 2 });

    const db = openDatabase(path.join(dir, 'counter.sqlite'));
    const ids = unpaidPayers(db, 2026, 3);
    let recorded = 0;
    for (const idNumber of ids) {
      const payer = db.prepare('SELECT id FROM payers WHERE id_number = ?').get(idNumber) as { id: number };
      const tier =
        (db.prepare('SELECT tier_fen FROM payments WHERE payer_id = ? ORDER BY year DESC LIMIT 1').get(payer.id) as { tier_fen: number } | undefined)
          ?.tier_fen ?? 20000;
      const r = await services.dispatch(
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

    sim = await startUpstreamSim({ payers: 300, clock: fixedStartClock(START), keys: { k: 'counter-2' } });
    const engine = new SyncEngine({ db, client: new UpstreamClient({ baseUrl: sim.url, key: 'k' }), log: quietLog() });
    expect(await engine.syncOnce()).toMatchObject({ ok: true, pushed: recorded, rejected: 0, pending: 0 });
    const fromCounter = sim.store.allPayments().filter((p) => p.station === 'counter-2');
    expect(fromCounter).toHaveLength(recorded);
    expect(compareLedgers(db, sim.store).equal).toBe(true);
    db.close();
  });
});
