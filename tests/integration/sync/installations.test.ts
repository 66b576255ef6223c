// Issue 15: claims belong to an installation, never to a typed window number. Two counters that
// share one upstream key and both call themselves window 1 used to exchange the same five bank
// slips; now the key belongs to the first installation and the second is refused until the tax
// office re-issues the key, and then the first one's claims are still its own.
import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamClient, UpstreamError } from '../../../electron/sync';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { KEY, startSim, STATION } from './helpers';

let sim: UpstreamSim | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

const hello = { appVersion: '1.0.0', hallName: '示范县办税服务厅', regionCode: '529901', counterNo: 1 };

async function refusal(p: Promise<unknown>): Promise<string | null> {
  try {
    await p;
    return null;
  } catch (error) {
    return error instanceof UpstreamError ? error.code : String(error);
  }
}

describe('two installations on one key', () => {
  it('cannot both claim the same five slips, both typing window 1; after a re-issue the first claims stay with the first', async () => {
    sim = await startSim(80);
    const slips = sim.store
      .allPayments()
      .filter((p) => p.channel !== 'counter' && p.channelRef !== null)
      .slice(0, 5);
    expect(slips).toHaveLength(5);
    const a = new UpstreamClient({ baseUrl: sim.url, key: KEY, installationId: crypto.randomUUID() });
    const b = new UpstreamClient({ baseUrl: sim.url, key: KEY, installationId: crypto.randomUUID() });

    expect((await a.hello({ installationId: a.installationId!, ...hello })).station).toBe(STATION);
    expect(await refusal(b.hello({ installationId: b.installationId!, ...hello }))).toBe('INSTALLATION_MISMATCH');

    let claimedByA = 0;
    let claimedByB = 0;
    for (const s of slips) {
      const ra = await a.claimExchange(s.channel as 'bank_pos', s.channelRef!, '1号窗口');
      if (ra.outcome === 'claimed') claimedByA++;
      const rb = await refusal(b.claimExchange(s.channel as 'bank_pos', s.channelRef!, '1号窗口'));
      expect(rb).toBe('INSTALLATION_MISMATCH');
      if (rb === null) claimedByB++;
    }
    expect([claimedByA, claimedByB]).toEqual([5, 0]);
    // A receipt block cannot be had by the second installation either.
    expect(await refusal(b.allocateReceiptBlock({ operatorUsername: 'clerk', count: 10, idempotencyKey: 'block-1' }))).toBe('INSTALLATION_MISMATCH');
    await a.allocateReceiptBlock({ operatorUsername: 'clerk', count: 10, idempotencyKey: 'block-1' });

    // The key is re-issued to the second machine: it may work now, the first may not, and the
    // five slips stay claimed by the first installation, though both still say "window 1".
    sim.store.reissueKey(STATION);
    expect((await b.hello({ installationId: b.installationId!, ...hello })).registration).toBe('new');
    expect(await refusal(a.hello({ installationId: a.installationId!, ...hello }))).toBe('INSTALLATION_MISMATCH');
    for (const s of slips) {
      const rb = await b.claimExchange(s.channel as 'bank_pos', s.channelRef!, '1号窗口');
      expect(rb.outcome).toBe('already_claimed');
    }
    // The same block request (same idempotency key) from the new installation is not handed A's numbers.
    expect(await refusal(b.allocateReceiptBlock({ operatorUsername: 'clerk', count: 10, idempotencyKey: 'block-1' }))).toBe('IDEMPOTENCY_MISMATCH');
  });
});
