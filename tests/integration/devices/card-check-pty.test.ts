// Card data checked before use (issue 16, finding 4), over a real pty with the reader simulator:
// the simulator encodes the text block by the protocol (domain notes §7), so a card whose number
// fails GB 11643 arrives exactly as a real reader would send it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SerialPort } from 'serialport';
import { socatMissing, startPtyPair, type PtyPair } from './pty';
import { closeSerial, openSerial } from '../../../electron/devices/serial';
import { ReaderSimulator } from '../../../electron/devices/sim/reader-sim';
import { sampleCards, type SimCard } from '../../../electron/devices/sim/cards';
import { SamReader } from '../../../electron/devices/idcard/reader';
import { openReaderPort } from '../../../electron/devices/idcard/detect';
import { CardReaderLoop, type ReaderLoopEvent } from '../../../electron/devices/idcard/reader-loop';
import { idCheckChar } from '../../../shared/domain/id-number';
import { CARD_DATA_UNRELIABLE } from '../../../shared/vocab';

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const good = sampleCards.resident;
const wrongCheck = (card: SimCard): SimCard => {
  const id = card.card.idNumber;
  const other = '0123456789X'.split('').find((c) => c !== idCheckChar(id.slice(0, 17)))!;
  return { ...card, card: { ...card.card, idNumber: id.slice(0, 17) + other } };
};
const READ = 0x30;

describe.skipIf(socatMissing)('card data checked before use, over a pty', () => {
  let pty: PtyPair;
  let opened: SerialPort[] = [];
  let sim: ReaderSimulator;
  const open = async (path: string, baud: number): Promise<SerialPort> => {
    const p = await openSerial(path, baud);
    opened.push(p);
    return p;
  };
  beforeEach(async () => {
    pty = await startPtyPair();
    sim = new ReaderSimulator(await open(pty.b, 115200));
  });
  afterEach(async () => {
    for (const p of opened) await closeSerial(p).catch(() => undefined);
    opened = [];
    await pty.dispose();
  });

  async function runLoop(body: (events: ReaderLoopEvent[]) => Promise<void>): Promise<void> {
    const events: ReaderLoopEvent[] = [];
    const loop = new CardReaderLoop({
      pollMs: 20,
      reconnectMs: 50,
      reader: { timeoutMs: 150, retries: 1 },
      connect: async () => {
        const { port, path } = await openReaderPort({ candidates: [pty.a], includeListed: false, timeoutMs: 150 });
        return { port, path, close: () => closeSerial(port) };
      },
    });
    loop.on('event', (e) => events.push(e));
    loop.start();
    try {
      await until(() => events.some((e) => e.type === 'status' && e.state === 'connected'));
      await body(events);
    } finally {
      await loop.stop();
    }
  }
  const reads = (): number => sim.requests.filter(([cmd]) => cmd === READ).length;

  it('a card whose number fails the check digit is read twice, then the clerk is told and nothing opens', async () => {
    await runLoop(async (events) => {
      sim.place(wrongCheck(good));
      await until(() => events.some((e) => e.type === 'error'));
      const polls = sim.requests.length;
      await until(() => sim.requests.length > polls + 10); // the card lies there: polls go on
      expect(events.filter((e) => e.type === 'card')).toEqual([]);
      expect(events.filter((e) => e.type === 'error')).toEqual([{ type: 'error', code: 'card_data_mismatch', message: CARD_DATA_UNRELIABLE }]);
      expect(reads()).toBe(2);

      // Lifted (no card was shown, so no 'removed'), then the right card placed: it opens.
      sim.remove();
      await until(() => sim.requests.length > polls + 20);
      sim.place(good);
      await until(() => events.some((e) => e.type === 'card'));
      const card = events.find((e) => e.type === 'card');
      expect(card?.type === 'card' && card.card.idNumber).toBe(good.card.idNumber);
      expect(events.some((e) => e.type === 'removed')).toBe(false);
    });
  });

  it('two bit flips the XOR checksum cannot see are caught, and the re-read gives the true number', async () => {
    await runLoop(async (events) => {
      sim.flipIdBitsNextRead(1);
      sim.place(good);
      await until(() => events.some((e) => e.type === 'card'));
      const card = events.find((e) => e.type === 'card');
      expect(card?.type === 'card' && card.card.idNumber).toBe(good.card.idNumber);
      expect(events.some((e) => e.type === 'error')).toBe(false);
      expect(reads()).toBe(2);
    });
  });

  it('the flips twice running: nothing opens', async () => {
    await runLoop(async (events) => {
      sim.flipIdBitsNextRead(2);
      sim.place(good);
      await until(() => events.some((e) => e.type === 'error'));
      await new Promise((r) => setTimeout(r, 200));
      expect(events.some((e) => e.type === 'card')).toBe(false);
      expect(reads()).toBe(2);
    });
  });

  it('birth date or gender on the card contradicting the number: refused by the one-shot read too', async () => {
    const reader = new SamReader(await open(pty.a, 115200), { timeoutMs: 300 });
    sim.place({ ...good, card: { ...good.card, birthDate: '1975-03-09' } });
    await expect(reader.readCard()).rejects.toMatchObject({ code: 'card_data_mismatch', message: CARD_DATA_UNRELIABLE });
    sim.place({ ...good, card: { ...good.card, gender: 'male' } });
    await expect(reader.readCard()).rejects.toMatchObject({ code: 'card_data_mismatch' });
    sim.place(good);
    await expect(reader.readCard()).resolves.toMatchObject({ card: { idNumber: good.card.idNumber } });
    reader.detach();
  });
});
