import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase } from '../../../electron/platform/db/database';
import { startUpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { tempDir } from '../../helpers/serve';
import { SyncEngine, UpstreamClient, readCursor, type PullProgress, type SyncStatus } from '../../../electron/sync';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { compareLedgers, KEY, makeCounter, policies, quietLog, START, startSim, type Counter } from './helpers';

let sim: UpstreamSim | null = null;
let counter: Counter | null = null;
afterEach(async () => {
  counter?.db.close();
  await sim?.close();
  sim = null;
  counter = null;
});

const engineFor = (s: UpstreamSim, c: Counter, extra: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}) =>
  new SyncEngine({ db: c.db, client: new UpstreamClient({ baseUrl: s.url, key: KEY, timeoutMs: 5_000 }), log: quietLog(), pageSize: 300, ...extra });

const count = (c: Counter, sql: string) => (c.db.prepare(sql).get() as { n: number }).n;

describe('pull: payers and payments from every channel', () => {
  it('first sync of a county into an empty counter: every payer, group and payment, once, with progress', async () => {
    sim = await startSim(1500);
    counter = await makeCounter();
    const progress: PullProgress[] = [];
    const statuses: SyncStatus[] = [];
    const engine = engineFor(sim, counter, { onProgress: (p) => progress.push(p), onStatus: (s) => statuses.push(s) });

    const outcome = await engine.syncOnce();
    expect(outcome).toMatchObject({ ok: true, pulledPayers: 1500, error: null });
    const up = sim.store.counts();
    expect(outcome.pulledPayments).toBe(up.payments);
    expect(count(counter, 'SELECT count(*) AS n FROM payers')).toBe(1500);

    const cmp = compareLedgers(counter.db, sim.store);
    expect(cmp).toMatchObject({ equal: true, localOnly: [], upstreamOnly: [] });
    // Amounts add up on both sides.
    const upTotal = sim.store.allPayments().reduce((s, p) => s + p.amountFen, 0);
    expect(count(counter, 'SELECT sum(amount_fen) AS n FROM payments')).toBe(upTotal);

    // A payer exactly as the upstream holds it, special groups included.
    const withGroups = counter.db.prepare('SELECT p.id_number FROM payers p JOIN payer_special_groups g ON g.payer_id = p.id LIMIT 1').get() as {
      id_number: string;
    };
    const wire = sim.store.payer(withGroups.id_number)!;
    const local = counter.db.prepare('SELECT * FROM payers WHERE id_number = ?').get(wire.idNumber) as Record<string, unknown>;
    expect(local).toMatchObject({ name: wire.name, status: wire.status, village: wire.village, upstream_seq: wire.seq });
    const groups = counter.db
      .prepare('SELECT code, valid_from AS "from", valid_to AS "to" FROM payer_special_groups WHERE payer_id = ? ORDER BY code, valid_from')
      .all(local.id);
    expect(groups).toEqual([...wire.specialGroups].sort((a, b) => a.code.localeCompare(b.code) || a.from.localeCompare(b.from)));

    // Cursors end at the upstream's last change; paging went in several steps with progress.
    expect(readCursor(counter.db, 'payers')).toBe('1500');
    expect(readCursor(counter.db, 'payments')).toBe(String(up.payments));
    expect(progress.filter((p) => p.stream === 'payers').length).toBe(5);
    expect(progress.at(-1)).toMatchObject({ stream: 'payments', applied: up.payments, remaining: 0 });
    expect(statuses.some((s) => /正在下载参保人：\d+ \/ 1500/.test(s.message))).toBe(true);
    expect(engine.status()).toMatchObject({ state: 'online', pending: 0 });
    expect(engine.status().lastSuccessAt).not.toBeNull();

    // Nothing new: a second run moves nothing.
    expect(await engine.syncOnce()).toMatchObject({ ok: true, pulledPayers: 0, pulledPayments: 0 });
  });

  it('first sync of a training counter seeded from the same county matches every payment instead of adding it again', async () => {
    sim = await startSim(800);
    counter = await makeCounter({ seedPayers: 800 });
    const before = count(counter, 'SELECT count(*) AS n FROM payments');
    expect(before).toBe(sim.store.counts().payments);

    const outcome = await engineFor(sim, counter).syncOnce();
    expect(outcome.ok).toBe(true);
    expect(count(counter, 'SELECT count(*) AS n FROM payments')).toBe(before);
    expect(count(counter, 'SELECT count(*) AS n FROM payments WHERE upstream_id IS NULL')).toBe(0);
    expect(count(counter, 'SELECT count(*) AS n FROM payers')).toBe(800);
    expect(compareLedgers(counter.db, sim.store).equal).toBe(true);
  });

  it('a counter that started in training mode and a default simulator on the same day hold the same county', async () => {
    const dir = tempDir('training');
    const services = createAppServices({ dataDir: dir, clock: fixedStartClock(START), demoPayers: 700 });
    await services.ready;
    await services.close();
    // No seed, region or tiers given: the simulator's defaults are training mode's.
    sim = await startUpstreamSim({ payers: 700, clock: fixedStartClock(START), keys: { [KEY]: 'c1' } });
    counter = { dir, file: path.join(dir, 'counter.sqlite'), db: openDatabase(path.join(dir, 'counter.sqlite')), policies: await policies() };
    const before = count(counter, 'SELECT count(*) AS n FROM payments');
    expect(before).toBe(sim.store.counts().payments);

    expect(await engineFor(sim, counter).syncOnce()).toMatchObject({ ok: true, pulledPayers: 700 });
    expect(count(counter, 'SELECT count(*) AS n FROM payers')).toBe(700);
    expect(count(counter, 'SELECT count(*) AS n FROM payments')).toBe(before);
    expect(compareLedgers(counter.db, sim.store).equal).toBe(true);
  });

  it('incremental sync brings exactly the new payments, the changed and the newly registered payers', async () => {
    sim = await startSim(600);
    counter = await makeCounter();
    const engine = engineFor(sim, counter);
    await engine.syncOnce();

    const arrived = sim.advance(25);
    expect(arrived).toHaveLength(25);
    expect(new Set(arrived.map((p) => p.channel)).has('counter')).toBe(false);
    const someone = sim.store.payersPage(0, 1).items[0]!;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    sim.store.updatePayer(someone.idNumber, { status: 'suspended', specialGroups: [{ code: 'dibao', from: '2026-01-01', to: null }] }, now);
    const newcomers = sim.store.registerPayers(3, now);

    const outcome = await engine.syncOnce();
    const newPayments = newcomers.reduce((s, p) => s + sim!.store.allPayments().filter((x) => x.idNumber === p.idNumber).length, 0);
    expect(outcome).toMatchObject({ ok: true, pulledPayers: 4, pulledPayments: 25 + newPayments });
    const local = counter.db.prepare('SELECT id, status FROM payers WHERE id_number = ?').get(someone.idNumber) as { id: number; status: string };
    expect(local.status).toBe('suspended');
    expect(counter.db.prepare('SELECT code FROM payer_special_groups WHERE payer_id = ?').all(local.id)).toEqual([{ code: 'dibao' }]);
    for (const p of arrived) {
      const row = counter.db.prepare('SELECT amount_fen, channel, channel_ref FROM payments WHERE upstream_id = ?').get(p.upstreamId);
      expect(row).toEqual({ amount_fen: p.amountFen, channel: p.channel, channel_ref: p.channelRef });
    }
    expect(count(counter, 'SELECT count(*) AS n FROM payers')).toBe(603);
    expect(compareLedgers(counter.db, sim.store).equal).toBe(true);
  });

  it('a payment for a payer registered after the payers pull is applied after catching up on payers', async () => {
    sim = await startSim(300);
    counter = await makeCounter();
    const client = new UpstreamClient({ baseUrl: sim.url, key: KEY });
    const engine = engineFor(sim, counter);
    await engine.syncOnce();
    // Register someone new and take their payment; then pull only the payments stream first.
    const [newcomer] = sim.store.registerPayers(1, '2026-06-15T02:00:00Z');
    const paid = sim.store.addPayment(
      { idNumber: newcomer!.idNumber, year: 2026, tierFen: 30000, channel: 'mobile_app', paidAt: '2026-06-15T02:00:00Z' },
      '2026-06-15T02:00:00Z',
    );
    const { Puller } = await import('../../../electron/sync/puller');
    const puller = new Puller(counter.db, client, quietLog());
    await puller.pull('payments', { now: () => new Date().toISOString() });
    expect(counter.db.prepare('SELECT count(*) AS n FROM payers WHERE id_number = ?').get(newcomer!.idNumber)).toEqual({ n: 1 });
    expect(counter.db.prepare('SELECT amount_fen FROM payments WHERE upstream_id = ?').get(paid.upstreamId)).toEqual({ amount_fen: 30000 });
    expect(compareLedgers(counter.db, sim.store).equal).toBe(true);
  });
});
