// Issue 16, findings 2 and 7 for the reader: absent at start is "configured but not connected"
// in the clerk's words (no path, no `Error:`), the loop backs off, and the reader is picked up
// when it appears at the configured path.
import { describe, expect, it } from 'vitest';
import type { SerialPort } from 'serialport';
import { socatMissing, startPtyPair } from './pty';
import { closeSerial, openSerial } from '../../../electron/devices/serial';
import { ReaderSimulator } from '../../../electron/devices/sim/reader-sim';
import { sampleCards } from '../../../electron/devices/sim/cards';
import { openReaderPort } from '../../../electron/devices/idcard/detect';
import { CardReaderLoop, type ReaderLoopEvent } from '../../../electron/devices/idcard/reader-loop';
import { deviceWords } from '../../../shared/vocab';

const until = async (cond: () => boolean, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.skipIf(socatMissing)('reader configured but absent', () => {
  it('says so in plain words, backs off, and connects when the reader appears', async () => {
    const pty = await startPtyPair();
    await pty.unplug(); // the configured path does not exist yet
    let attempts = 0;
    const events: ReaderLoopEvent[] = [];
    const loop = new CardReaderLoop({
      pollMs: 20,
      reconnectMs: 20,
      maxReconnectMs: 160,
      reader: { timeoutMs: 150, retries: 1 },
      connect: async () => {
        attempts++;
        const { port, path } = await openReaderPort({ path: pty.a, serial: { baudRate: 115200, flowControl: 'none' } });
        return { port, path, close: () => closeSerial(port) };
      },
    });
    loop.on('event', (e) => events.push(e));
    let devicePort: SerialPort | null = null;
    loop.start();
    try {
      await until(() => events.some((e) => e.type === 'status' && e.state === 'disconnected'));
      const absent = events.find((e) => e.type === 'status' && e.state === 'disconnected');
      expect(absent).toMatchObject({ message: deviceWords.readerAbsent });
      expect(JSON.stringify(absent)).not.toMatch(/Error|ENOENT|pc-pty/);
      // 20, 40, 80, 160, 160 … ms: in one second far fewer than 50 attempts.
      const before = attempts;
      await new Promise((r) => setTimeout(r, 1000));
      expect(attempts - before).toBeLessThan(12);
      expect(attempts - before).toBeGreaterThan(3);

      await pty.replug();
      devicePort = await openSerial(pty.b, 115200);
      const sim = new ReaderSimulator(devicePort);
      sim.place(sampleCards.resident);
      await until(() => events.some((e) => e.type === 'card'));
    } finally {
      await loop.stop();
      if (devicePort) await closeSerial(devicePort);
      await pty.dispose();
    }
  });
});
