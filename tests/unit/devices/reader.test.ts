import { afterEach, describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import { createDuplexPair } from '../../../electron/devices/sim/duplex-pair';
import { ReaderSimulator, SimStatus } from '../../../electron/devices/sim/reader-sim';
import { sampleCards } from '../../../electron/devices/sim/cards';
import { SamReader } from '../../../electron/devices/idcard/reader';
import { ReaderError } from '../../../electron/devices/idcard/protocol';
import { CardReaderLoop, type ReaderLoopEvent } from '../../../electron/devices/idcard/reader-loop';

let ends: Duplex[] = [];
function setup(opts: ConstructorParameters<typeof SamReader>[1] = {}): { reader: SamReader; sim: ReaderSimulator } {
  const [host, device] = createDuplexPair();
  ends.push(host, device);
  return { reader: new SamReader(host, { timeoutMs: 80, ...opts }), sim: new ReaderSimulator(device) };
}
afterEach(() => {
  for (const e of ends) e.destroy();
  ends = [];
});

async function rejection(p: Promise<unknown>): Promise<ReaderError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ReaderError) return e;
    throw e;
  }
  throw new Error('expected a ReaderError');
}

describe('SamReader against the simulator', () => {
  it('reads the status and the SAM id', async () => {
    const { reader, sim } = setup();
    await reader.status();
    expect(await reader.samId()).toBe(sim.samId.toString('hex').toUpperCase());
  });

  it('reads a placed card: decoded text, photo bytes untouched', async () => {
    const { reader, sim } = setup();
    sim.place(sampleCards.resident);
    const { card, photo } = await reader.readCard();
    expect(card).toEqual(sampleCards.resident.card);
    expect(photo.equals(sampleCards.resident.photo)).toBe(true);
    expect(sim.requests).toEqual([
      [0x20, 0x01],
      [0x20, 0x02],
      [0x30, 0x01],
    ]);
  });

  it('says there is no card in Chinese', async () => {
    const { reader } = setup();
    expect(await reader.findCard()).toBe(false);
    const err = await rejection(reader.readCard());
    expect(err.code).toBe('sw_80');
    expect(err.message).toBe('读卡器上没有证件，请将证件放在读卡区');
  });

  it.each([
    [SimStatus.selectFailed, '证件已移动'],
    [SimStatus.samNotAuthorised, '未经授权'],
    [SimStatus.readFailed, '读取证件失败'],
  ])('maps status 0x%s to a clear message', async (sw3, text) => {
    const { reader, sim } = setup();
    sim.place(sampleCards.resident);
    await reader.findCard();
    sim.failNext(sw3);
    const err = await rejection(reader.selectCard());
    expect(err.sw3).toBe(sw3);
    expect(err.message).toContain(text);
  });

  it('retries after a lost answer and after a corrupted answer', async () => {
    const { reader, sim } = setup({ retries: 2 });
    sim.muteNext(1);
    sim.corruptNext(1);
    await reader.status();
    expect(sim.requests.length).toBe(3);
  });

  it('retries when the reader reports a checksum error in what it received', async () => {
    const { reader, sim } = setup({ retries: 1 });
    sim.place(sampleCards.resident);
    sim.failNext(SimStatus.checksumError);
    expect(await reader.findCard()).toBe(true);
  });

  it('gives up after the bounded number of attempts with a timeout', async () => {
    const { reader, sim } = setup({ retries: 2 });
    sim.muteNext(10);
    const err = await rejection(reader.status());
    expect(err.code).toBe('timeout');
    expect(err.message).toContain('读卡器无响应');
    expect(sim.requests.length).toBe(3);
  });

  it('fails fast once the line is closed', async () => {
    const { reader } = setup();
    ends[0]!.destroy();
    const err = await rejection(reader.status());
    expect(err.code).toBe('closed');
  });
});

describe('CardReaderLoop', () => {
  function loopWith(sim: { current: ReaderSimulator | null }) {
    const events: ReaderLoopEvent[] = [];
    let connects = 0;
    let pluggedIn = true;
    const loop = new CardReaderLoop({
      pollMs: 10,
      reconnectMs: 20,
      reader: { timeoutMs: 60, retries: 0 },
      connect: async () => {
        connects++;
        if (!pluggedIn) throw new Error('找不到端口');
        const [host, device] = createDuplexPair();
        ends.push(host, device);
        if (sim.current) sim.current.attach(device);
        else sim.current = new ReaderSimulator(device);
        return { port: host, path: 'mem', close: async () => void host.destroy() };
      },
    });
    loop.on('event', (e) => events.push(e));
    return {
      loop,
      events,
      connects: () => connects,
      unplug: () => {
        pluggedIn = false;
        for (const e of ends) e.destroy();
      },
      replug: () => (pluggedIn = true),
    };
  }
  const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('condition not reached');
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const types = (events: ReaderLoopEvent[]): string[] => events.map((e) => (e.type === 'status' ? e.state : e.type));

  it('reads once per placement, reports removal, and reads the next card', async () => {
    const sim: { current: ReaderSimulator | null } = { current: null };
    const t = loopWith(sim);
    t.loop.start();
    await until(() => sim.current !== null && types(t.events).includes('connected'));
    sim.current!.place(sampleCards.resident);
    await until(() => types(t.events).includes('card'));
    const findsBefore = sim.current!.requests.length;
    await until(() => sim.current!.requests.length > findsBefore + 10); // card keeps lying there
    sim.current!.remove();
    await until(() => types(t.events).includes('removed'));
    sim.current!.place(sampleCards.hmt);
    await until(() => types(t.events).filter((x) => x === 'card').length === 2);
    await t.loop.stop();
    const cards = t.events.flatMap((e) => (e.type === 'card' ? [e.card.name] : []));
    expect(cards).toEqual(['李秀英', '陈美玲']);
    expect(types(t.events)).toEqual(['searching', 'connected', 'card', 'removed', 'card']);
  });

  it('reports a failed read once and reads the card on a later poll', async () => {
    const sim: { current: ReaderSimulator | null } = { current: null };
    const t = loopWith(sim);
    t.loop.start();
    await until(() => sim.current !== null);
    sim.current!.failNext(SimStatus.selectFailed, 1);
    sim.current!.failNext(SimStatus.selectFailed, 1);
    // The failures are consumed by find (they apply to card commands in order): first two finds fail.
    sim.current!.place(sampleCards.residentLongTerm);
    await until(() => types(t.events).includes('card'));
    await t.loop.stop();
    const errors = t.events.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'sw_81' });
  });

  it('reads a card the reader signals at once, without waiting for the next poll', async () => {
    // A poll interval far longer than the test: only the placement signal can get the card read.
    const [host, device] = createDuplexPair();
    ends.push(host, device);
    const sim = new ReaderSimulator(device);
    const loop = new CardReaderLoop({ pollMs: 60_000, connect: async () => ({ port: host, path: 'mem', close: async () => {} }) });
    const events: ReaderLoopEvent[] = [];
    loop.on('event', (e) => events.push(e));
    loop.start();
    await until(() => types(events).includes('connected') && sim.requests.length >= 2); // status, then the first find
    const polled = sim.requests.length;

    // Unsignalled, the card waits for the next poll (a minute away).
    sim.place(sampleCards.resident);
    await new Promise((r) => setTimeout(r, 200));
    expect(types(events)).not.toContain('card');
    expect(sim.requests.length).toBe(polled);

    // Signalled, the loop looks now and reads it.
    sim.remove();
    const off = sim.onPlace(() => loop.pollNow());
    sim.place(sampleCards.hmt);
    await until(() => types(events).includes('card'), 1500);
    off();
    await loop.stop();
    expect(events.flatMap((e) => (e.type === 'card' ? [e.card.name] : []))).toEqual(['陈美玲']);
  });

  it('survives unplug and replug, then reads again', async () => {
    const sim: { current: ReaderSimulator | null } = { current: null };
    const t = loopWith(sim);
    t.loop.start();
    await until(() => types(t.events).includes('connected'));
    t.unplug();
    await until(() => types(t.events).includes('disconnected'));
    const connectsWhileOut = t.connects();
    await until(() => t.connects() >= connectsWhileOut + 2); // keeps trying
    t.replug();
    sim.current!.place(sampleCards.foreign);
    await until(() => types(t.events).includes('card'));
    await t.loop.stop();
    expect(types(t.events)).toEqual(['searching', 'connected', 'disconnected', 'connected', 'card']);
  });
});
