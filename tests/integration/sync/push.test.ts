import { afterEach, describe, expect, it } from 'vitest';
import { listConflicts, listRejectedEvents, pendingCount, SyncEngine, UpstreamClient, type SyncStatus } from '../../../electron/sync';
import { startUpstreamSim, type UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import {
  compareLedgers,
  KEY,
  makeCounter,
  quietLog,
  lineUids,
  recordCounterPayment,
  START,
  startSim,
  STATION,
  tiersFen,
  unpaidPayers,
  SEED,
  AS_OF,
  type Counter,
} from './helpers';
import { fixedStartClock } from '../../../electron/platform/clock';
import { tempDir } from '../../helpers/serve';
import { idCheckChar } from '../../../shared/domain/id-number';

let sims: UpstreamSim[] = [];
let counter: Counter | null = null;
let engines: SyncEngine[] = [];
afterEach(async () => {
  for (const e of engines) await e.stop();
  counter?.db.close();
  for (const s of sims) await s.close();
  sims = [];
  engines = [];
  counter = null;
});

function engineFor(url: string, c: Counter, extra: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}) {
  const engine = new SyncEngine({
    db: c.db,
    client: new UpstreamClient({ baseUrl: url, key: KEY, timeoutMs: 2_000 }),
    log: quietLog(),
    pageSize: 500,
    ...extra,
  });
  engines.push(engine);
  return engine;
}

async function synced(payers: number) {
  const sim = await startSim(payers);
  sims.push(sim);
  counter = await makeCounter();
  const engine = engineFor(sim.url, counter);
  expect((await engine.syncOnce()).ok).toBe(true);
  return { sim, counter, engine };
}

const waitFor = async (what: string, cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('push: counter events reach the upstream once, in order', () => {
  it('pushes counter payments in seq order; both ledgers then hold each exactly once', async () => {
    const { sim, counter: c, engine } = await synced(400);
    // The first of them pays last year too.
    const ids = unpaidPayers(c.db, [2025, 2026], 6);
    const uids = ids.map((id, i) =>
      recordCounterPayment(
        c,
        id,
        i === 0
          ? [
              { year: 2026, tierFen: 20000 },
              { year: 2025, tierFen: 20000 },
            ]
          : [{ year: 2026, tierFen: 10000 * (i + 1) }],
      ),
    );
    expect(pendingCount(c.db)).toBe(6);

    const outcome = await engine.syncOnce();
    expect(outcome).toMatchObject({ ok: true, pushed: 6, rejected: 0, pending: 0, pulledPayments: 7 });
    // In the order taken at the counter.
    expect(sim.store.events().map((e) => e.idempotencyKey)).toEqual(uids);
    const upstreamCounter = sim.store.allPayments().filter((p) => p.station === STATION);
    expect(upstreamCounter.map((p) => p.amountFen).reduce((a, b) => a + b, 0)).toBe(20000 * 2 + [2, 3, 4, 5, 6].reduce((s, i) => s + 10000 * i, 0));
    // Each local line knows its upstream id, and the pulled copy did not add a second row.
    expect(c.db.prepare("SELECT count(*) AS n FROM payments WHERE channel = 'counter' AND local_uid IS NOT NULL AND upstream_id IS NULL").get()).toEqual({
      n: 0,
    });
    expect(compareLedgers(c.db, sim.store)).toMatchObject({ equal: true });
    const stored = c.db.prepare('SELECT server_result FROM outbox WHERE idempotency_key = ?').get(uids[0]) as { server_result: string };
    expect(JSON.parse(stored.server_result)).toMatchObject({ status: 'accepted', payments: lineUids(c.db, uids[0]!).map((localUid) => ({ localUid })) });
  });

  it('a repeated delivery gets the stored answer, and the upstream ledger does not change', async () => {
    const { sim, counter: c, engine } = await synced(200);
    const [id] = unpaidPayers(c.db, 2026, 1);
    const uid = recordCounterPayment(c, id!, [{ year: 2026, tierFen: 30000 }]);
    await engine.syncOnce();
    const first = c.db.prepare('SELECT server_result FROM outbox WHERE idempotency_key = ?').get(uid) as { server_result: string };
    const before = sim.store.counts();
    // As if the confirmation had never been written (a crash right after the upstream stored it).
    c.db.prepare('UPDATE outbox SET confirmed_at = NULL, server_result = NULL').run();
    expect((await engine.syncOnce()).ok).toBe(true);
    expect(sim.store.counts()).toEqual(before);
    const again = c.db.prepare('SELECT server_result, attempts FROM outbox WHERE idempotency_key = ?').get(uid) as { server_result: string; attempts: number };
    expect(JSON.parse(again.server_result)).toEqual(JSON.parse(first.server_result));
    expect(again.attempts).toBe(2);

    // The same key with a different event is refused, and the queue stops there.
    c.db.prepare("UPDATE outbox SET confirmed_at = NULL, server_result = NULL, payload = json_set(payload, '$.counterNo', 2)").run();
    const mismatch = await engine.syncOnce();
    expect(mismatch.ok).toBe(false);
    expect(mismatch.error).toContain('IDEMPOTENCY_MISMATCH');
    expect(pendingCount(c.db)).toBe(1);
    expect(sim.store.counts()).toEqual(before);
  });

  it('stores any event kind; a definitive refusal is kept for the supervisor and does not block later events', async () => {
    const { sim, counter: c, engine } = await synced(200);
    // A payer only this counter knows (never registered upstream).
    const stranger = `52012319900101001${idCheckChar('52012319900101001')}`;
    c.db
      .prepare(
        `INSERT INTO payers (id_number, name, name_initials, gender, birth_date, town, village, address, registration_date, status, updated_at)
         VALUES (?, '测试', 'cs', 'male', '1990-01-01', '镇', '村', '址', '2020-01-01', 'active', 'x')`,
      )
      .run(stranger);
    const bad = recordCounterPayment(c, stranger, [{ year: 2026, tierFen: 10000 }]);
    c.db
      .prepare(
        "INSERT INTO outbox (idempotency_key, kind, payload, created_at) VALUES ('r-1', 'receipt.issued', '{\"receiptNo\":\"(2026)示税现00000001\"}', ?)",
      )
      .run(START.toISOString());
    const [id] = unpaidPayers(c.db, 2026, 1);
    const good = recordCounterPayment(c, id!, [{ year: 2026, tierFen: 10000 }]);

    const outcome = await engine.syncOnce();
    expect(outcome).toMatchObject({ ok: true, pushed: 2, rejected: 1, pending: 0 });
    expect(listRejectedEvents(c.db)).toEqual([expect.objectContaining({ idempotencyKey: bad, kind: 'payment.recorded', code: 'PAYER_NOT_FOUND' })]);
    expect(sim.store.events().map((e) => [e.idempotencyKey, e.kind, e.result.status])).toEqual([
      [bad, 'payment.recorded', 'rejected'],
      ['r-1', 'receipt.issued', 'accepted'],
      [good, 'payment.recorded', 'accepted'],
    ]);
    expect(sim.store.allPayments().some((p) => p.localUid === lineUids(c.db, good)[0])).toBe(true);
  });

  it('offline: the counter keeps taking payments, the status shows it, retries back off, and it recovers by itself', async () => {
    const dataDir = tempDir('sim');
    const opts = { payers: 200, seed: SEED, asOf: AS_OF, tiersFen: await tiersFen(), keys: { [KEY]: STATION }, clock: fixedStartClock(START), dataDir };
    let sim = await startUpstreamSim(opts);
    const port = sim.port;
    counter = await makeCounter();
    const c = counter;
    const statuses: SyncStatus[] = [];
    const engine = engineFor(sim.url, c, { intervalMs: 100, initialBackoffMs: 50, maxBackoffMs: 400, onStatus: (s) => statuses.push(s) });
    engine.start();
    await waitFor('first sync', () => engine.status().state === 'online');
    const lastSuccess = engine.status().lastSuccessAt;
    await sim.close();

    const ids = unpaidPayers(c.db, 2026, 3);
    for (const id of ids) {
      recordCounterPayment(c, id, [{ year: 2026, tierFen: 20000 }]);
      engine.outboxChanged();
    }
    await waitFor('offline status', () => engine.status().state === 'offline' && engine.status().pending === 3);
    expect(engine.status().lastSuccessAt).toBe(lastSuccess);
    expect(engine.status().message).toContain('无法连接上游');
    // Let a few retries happen while the upstream is away.
    const offlineSince = statuses.length;
    await new Promise((r) => setTimeout(r, 800));
    const attempts = statuses.slice(offlineSince).filter((s) => s.state === 'syncing').length;
    // 800 ms with delays of 25–50, 50–100, 100–200, 200–400, 200–400 …: a handful, not hundreds.
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(attempts).toBeLessThanOrEqual(12);
    expect(c.db.prepare('SELECT count(*) AS n FROM outbox WHERE confirmed_at IS NULL').get()).toEqual({ n: 3 });

    sim = await startUpstreamSim({ ...opts, port });
    sims.push(sim);
    await waitFor('recovery', () => engine.status().state === 'online' && engine.status().pending === 0);
    expect(engine.status().lastSuccessAt! > lastSuccess!).toBe(true);
    await engine.stop();
    expect(compareLedgers(c.db, sim.store).equal).toBe(true);
    expect(sim.store.allPayments().filter((p) => p.station === STATION)).toHaveLength(3);
  });

  it('a year paid at the counter while offline and in the app meanwhile becomes a case, both payments kept', async () => {
    const { sim, counter: c, engine } = await synced(300);
    const [id] = unpaidPayers(c.db, 2026, 1);
    const uid = recordCounterPayment(c, id!, [{ year: 2026, tierFen: 20000 }], '2026-06-15T03:00:00.000Z');
    const app = sim.store.addPayment(
      { idNumber: id!, year: 2026, tierFen: 30000, channel: 'mobile_app', paidAt: '2026-06-15T02:00:00Z' },
      '2026-06-15T02:00:00Z',
    );
    expect(listConflicts(c.db)).toEqual([]);

    expect((await engine.syncOnce()).ok).toBe(true);
    const conflicts = listConflicts(c.db);
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ year: 2026, idNumberMasked: expect.stringMatching(/^\d{6}\*{8}\d{3}[\dX]$/) });
    expect(conflicts[0]!.payments.map((p) => [p.channel, p.amountFen, p.upstreamId !== null])).toEqual([
      ['mobile_app', 30000, true],
      ['counter', 20000, true],
    ]);
    expect(conflicts[0]!.payments[0]!.upstreamId).toBe(app.upstreamId);
    expect(conflicts[0]!.payments[1]!.localUid).toBe(lineUids(c.db, uid)[0]);
    // The upstream keeps both too.
    expect(sim.store.allPayments().filter((p) => p.idNumber === id && p.year === 2026)).toHaveLength(2);
    expect(compareLedgers(c.db, sim.store).equal).toBe(true);
  });
});

describe('receipt blocks, exchange claims and the server clock', () => {
  it('allocates a receipt block once per idempotency key, consecutive blocks otherwise', async () => {
    const sim = await startSim(50);
    sims.push(sim);
    const client = new UpstreamClient({ baseUrl: sim.url, key: KEY });
    const a = await client.allocateReceiptBlock({ operatorUsername: 'clerk', count: 100, idempotencyKey: 'blk-1' });
    expect(a).toMatchObject({ firstSerial: 1, lastSerial: 100, operatorUsername: 'clerk', series: '(2026)示税现' });
    expect(await client.allocateReceiptBlock({ operatorUsername: 'clerk', count: 100, idempotencyKey: 'blk-1' })).toEqual(a);
    const b = await client.allocateReceiptBlock({ operatorUsername: 'super', count: 50, idempotencyKey: 'blk-2' });
    expect([b.firstSerial, b.lastSerial]).toEqual([101, 150]);
  });

  it('claims an exchange for one counter only; the second counter is told who has it', async () => {
    const sim = await startSim(100, { keys: { [KEY]: STATION, 'other-key': 'hall2-counter03' } });
    sims.push(sim);
    const slip = sim.store.allPayments().find((p) => p.channel === 'bank_pos')!;
    const mine = new UpstreamClient({ baseUrl: sim.url, key: KEY });
    const theirs = new UpstreamClient({ baseUrl: sim.url, key: 'other-key' });
    const [x, y] = await Promise.all([
      mine.claimExchange('bank_pos', slip.channelRef!, '1号窗口'),
      theirs.claimExchange('bank_pos', slip.channelRef!, '3号窗口'),
    ]);
    const outcomes = [x.outcome, y.outcome].sort();
    expect(outcomes).toEqual(['already_claimed', 'claimed']);
    const winner = x.outcome === 'claimed' ? x : y;
    const loser = x.outcome === 'claimed' ? y : x;
    if (winner.outcome === 'not_found' || loser.outcome === 'not_found') throw new Error('unexpected');
    expect(loser.claim).toEqual(winner.claim);
    expect(winner.claim.upstreamId).toBe(slip.upstreamId);
    // Asking again from the winning counter is harmless.
    const again = await (winner.claim.station === STATION ? mine : theirs).claimExchange('bank_pos', slip.channelRef!, winner.claim.counterId);
    expect(again.outcome).toBe('claimed');
    expect(await mine.claimExchange('mobile_app', 'NO-SUCH-VOUCHER', '1号窗口')).toEqual({ outcome: 'not_found' });
  });

  it('tells the server time and which counter the key belongs to; a wrong key is refused', async () => {
    const sim = await startSim(10);
    sims.push(sim);
    const t = await new UpstreamClient({ baseUrl: sim.url, key: KEY }).serverTime();
    expect(t.station).toBe(STATION);
    expect(Math.abs(Date.parse(t.serverTime) - START.getTime())).toBeLessThan(60_000);
    expect(Math.abs(t.offsetMs - (START.getTime() - Date.now()))).toBeLessThan(60_000);
    await expect(new UpstreamClient({ baseUrl: sim.url, key: 'wrong' }).serverTime()).rejects.toMatchObject({ kind: 'auth', status: 401 });
  });
});
