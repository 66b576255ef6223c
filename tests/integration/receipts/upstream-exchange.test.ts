// Two counters exchange the same bank slip against the reference upstream at the same moment:
// the upstream's claim decides, exactly one counter issues a receipt, the other is told who won.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { UpstreamClient } from '../../../electron/sync';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { ReceiptRefused } from '../../../electron/services/receipts';
import { KEY, startSim } from '../sync/helpers';
import { bankPayments, checkInvariants, clerkContext, receiptCounter, receiptService, SERIES } from './helpers';

const KEY2 = 'second-counter-key';
let sim: UpstreamSim;

beforeAll(async () => {
  sim = await startSim(40, { keys: { [KEY]: 'hall1-counter01', [KEY2]: 'hall1-counter02' } });
});
afterAll(async () => {
  await sim.close();
});

it('two counters exchanging the same slip: exactly one succeeds', async () => {
  const counters = await Promise.all([receiptCounter(), receiptCounter()]);
  const services = counters.map((c) => {
    const s = receiptService(c.db, { training: false });
    s.addBlock({ operatorId: c.ops.clerk, series: SERIES, firstSerial: 1, lastSerial: 50, serialDigits: 8 }, c.ops.supervisor);
    return s;
  });
  const clients = [KEY, KEY2].map((key) => new UpstreamClient({ baseUrl: sim.url, key }));
  // The same county on both counters and upstream: the slip is in every ledger.
  const [slip] = bankPayments(counters[0]!.db, 1);
  expect(bankPayments(counters[1]!.db, 1)[0]!.channelRef).toBe(slip!.channelRef);

  const results = await Promise.allSettled(
    services.map((s, i) =>
      s.exchange({ channelRef: slip!.channelRef }, clerkContext(counters[i]!.db, i + 1), (channel, ref, counterId) =>
        clients[i]!.claimExchange(channel, ref, counterId),
      ),
    ),
  );
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(won).toHaveLength(1);
  expect(lost).toHaveLength(1);
  expect(lost[0]!.reason).toBeInstanceOf(ReceiptRefused);
  expect((lost[0]!.reason as ReceiptRefused).reason).toBe('ALREADY_EXCHANGED');
  const winner = results.findIndex((r) => r.status === 'fulfilled');
  expect((lost[0]!.reason as Error).message).toContain(`hall1-counter0${winner + 1}`);

  const issued = counters.map((c) => (c.db.prepare('SELECT count(*) AS n FROM receipts').get() as { n: number }).n);
  expect(issued.sort()).toEqual([0, 1]);
  const claimEvents = counters.map((c) => c.db.prepare("SELECT payload FROM outbox WHERE kind = 'exchange.claimed'").all() as { payload: string }[]);
  const allClaims = claimEvents.flat().map((e) => JSON.parse(e.payload) as { claimMode: string; claim: { station: string } });
  expect(allClaims).toEqual([expect.objectContaining({ claimMode: 'upstream', claim: expect.objectContaining({ station: `hall1-counter0${winner + 1}` }) })]);

  // The loser trying again is still refused; the winner's own retry is refused locally.
  const again = await Promise.allSettled(
    services.map((s, i) =>
      s.exchange({ channelRef: slip!.channelRef }, clerkContext(counters[i]!.db, i + 1), (c, r, id) => clients[i]!.claimExchange(c, r, id)),
    ),
  );
  expect(again.every((r) => r.status === 'rejected' && (r.reason as ReceiptRefused).reason === 'ALREADY_EXCHANGED')).toBe(true);

  // A slip the upstream does not know is refused as not found.
  counters[0]!.db.prepare("UPDATE payments SET channel_ref = '000000000001' WHERE id = ?").run(bankPayments(counters[0]!.db, 2)[1]!.id);
  const unknown = await services[0]!
    .exchange({ channelRef: '000000000001' }, clerkContext(counters[0]!.db), (c, r, id) => clients[0]!.claimExchange(c, r, id))
    .catch((e: unknown) => e);
  expect((unknown as ReceiptRefused).code).toBe('NOT_FOUND');

  counters.forEach((c, i) => {
    expect(checkInvariants(c.db, services[i]!)).toEqual([]);
    c.db.close();
  });
});
