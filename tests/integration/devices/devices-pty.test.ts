// Byte-level tests over real ptys with the real serialport binding.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { Command } from 'commander';
import type { SerialPort } from 'serialport';
import { ptyPairPerTest, socatMissing, startPtyPair } from './pty';
import { closeSerial } from '../../../electron/devices/serial';
import { ReaderSimulator } from '../../../electron/devices/sim/reader-sim';
import { PrinterSimulator } from '../../../electron/devices/sim/printer-sim';
import { sampleCards } from '../../../electron/devices/sim/cards';
import { SamReader } from '../../../electron/devices/idcard/reader';
import { detectReaderPort, openReaderPort } from '../../../electron/devices/idcard/detect';
import { CardReaderLoop, type ReaderLoopEvent } from '../../../electron/devices/idcard/reader-loop';
import { openPrinter, printJob } from '../../../electron/devices/printer/transport';
import { paymentSlip } from '../../../electron/devices/printer/slips';
import { registerDevicesCommands } from '../../../electron/cli/commands/devices';
import { CliError } from '../../../electron/cli/errors';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.skipIf(socatMissing)('devices over a pty pair', () => {
  const ports = ptyPairPerTest();
  const { open } = ports;

  /** Writes raw bytes on the terminal side and collects `n` answer bytes. */
  async function exchange(port: SerialPort, request: Buffer, n: number): Promise<Buffer> {
    const got: Buffer[] = [];
    const onData = (c: Buffer): void => void got.push(c);
    port.on('data', onData);
    port.write(request);
    await until(() => Buffer.concat(got).length >= n, 2000);
    await new Promise((r) => setTimeout(r, 20)); // nothing more should follow
    port.off('data', onData);
    return Buffer.concat(got);
  }

  describe('reader simulator: golden frames', () => {
    let host: SerialPort;
    let sim: ReaderSimulator;
    beforeEach(async () => {
      host = await open(ports.pty.a, 115200);
      sim = new ReaderSimulator(await open(ports.pty.b, 115200));
    });

    it.each([
      ['status', 'aaaaaa9669 0003 11ff ed', 'aaaaaa9669 0004 000090 94'],
      ['find, no card', 'aaaaaa9669 0003 2001 22', 'aaaaaa9669 0004 000080 84'],
      ['select, no card', 'aaaaaa9669 0003 2002 21', 'aaaaaa9669 0004 000081 85'],
      ['read, no card', 'aaaaaa9669 0003 3001 32', 'aaaaaa9669 0004 000041 45'],
      ['unknown command', 'aaaaaa9669 0003 9999 03', 'aaaaaa9669 0004 000021 25'],
      ['wrong checksum', 'aaaaaa9669 0003 11ff 00', 'aaaaaa9669 0004 000010 14'],
    ])('%s', async (_name, request, response) => {
      const answer = await exchange(host, hex(request), hex(response).length);
      expect(answer.toString('hex')).toBe(hex(response).toString('hex'));
    });

    it('SAM id, find, select and read with a card placed', async () => {
      const samId = await exchange(host, hex('aaaaaa9669 0003 12ff ee'), 7 + 3 + 16 + 1);
      expect(samId.subarray(0, 10).toString('hex')).toBe('aaaaaa966900140000' + '90');
      expect(samId.subarray(10, 26).equals(sim.samId)).toBe(true);

      sim.place(sampleCards.resident);
      expect((await exchange(host, hex('aaaaaa9669 0003 2001 22'), 15)).toString('hex')).toBe(hex('aaaaaa9669 0008 00009f 00000000 97').toString('hex'));
      expect((await exchange(host, hex('aaaaaa9669 0003 2002 21'), 19)).toString('hex')).toBe(
        hex('aaaaaa9669 000c 000090 0000000000000000 9c').toString('hex'),
      );
      const read = await exchange(host, hex('aaaaaa9669 0003 3001 32'), 7 + 1288);
      expect(read.length).toBe(7 + 1288);
      // LEN = SW(3) + lengths(4) + text(256) + photo(1024) + CHK(1) = 1288 = 0x0508
      expect(read.subarray(0, 14).toString('hex')).toBe('aaaaaa9669050800009001000400');
      let chk = 0;
      for (const byte of read.subarray(5, -1)) chk ^= byte;
      expect(read[read.length - 1]).toBe(chk);
      expect(read.subarray(14, 14 + 6).toString('utf16le')).toBe('李秀英');
      expect(read.subarray(14 + 256, -1).equals(sampleCards.resident.photo)).toBe(true);
    });

    it('SAM not authorised answers 66 to card commands', async () => {
      sim.sam = 'not_authorised';
      expect((await exchange(host, hex('aaaaaa9669 0003 2001 22'), 11)).toString('hex')).toBe(hex('aaaaaa9669 0004 000066 62').toString('hex'));
    });
  });

  describe('reader driver through the real binding', () => {
    it('reads a card, and recovers from random line noise in both directions', async () => {
      const reader = new SamReader(await open(ports.pty.a, 115200), { timeoutMs: 300 });
      const devicePort = await open(ports.pty.b, 115200);
      const sim = new ReaderSimulator(devicePort);
      sim.place(sampleCards.hmt);
      expect((await reader.readCard()).card).toEqual(sampleCards.hmt.card);

      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), async (toReader, toHost) => {
          sim.noiseBeforeAnswer = () => Buffer.from(toHost);
          devicePort.write(Buffer.from(toReader)); // noise the host side never asked for
          // Noise towards the simulator goes in before the request:
          await reader.status();
          expect(await reader.findCard()).toBe(true);
        }),
        { numRuns: 25 },
      );
      sim.noiseBeforeAnswer = null;
      expect((await reader.readCard()).card.permitNumber).toBe('H60123456');
    });

    it('the simulator survives fuzzed requests and still answers the next good one', async () => {
      const host = await open(ports.pty.a, 115200);
      const sim = new ReaderSimulator(await open(ports.pty.b, 115200));
      // A header with a plausible length swallows what follows until the simulator's receive
      // timeout drops it; the driver's retry then gets through.
      const reader = new SamReader(host, { timeoutMs: 150, retries: 2 });
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.boolean(), async (junk, withHeader) => {
          // Random bytes, sometimes after a header with a random length (truncated/corrupted).
          const prefix = withHeader ? hex('aaaaaa9669') : Buffer.alloc(0);
          host.write(Buffer.concat([prefix, Buffer.from(junk)]));
          await new Promise((r) => setTimeout(r, 5));
          await reader.status();
        }),
        { numRuns: 25 },
      );
      expect(sim.requests.at(-1)).toEqual([0x11, 0xff]);
    });

    it('auto-detect picks the reader among candidates that are not readers', async () => {
      const other = await startPtyPair();
      try {
        const notAReader = new PrinterSimulator(await open(other.b, 115200));
        new ReaderSimulator(await open(ports.pty.b, 115200));
        const found = await detectReaderPort({ candidates: ['/nonexistent/ttyX', other.a, ports.pty.a], includeListed: false, timeoutMs: 150 });
        expect(found).toBe(ports.pty.a);
        expect(notAReader.printed.length).toBeGreaterThan(0); // it was asked and kept quiet
      } finally {
        await ports.closeAll().catch(() => undefined);
        await other.dispose();
      }
    });
  });

  it('reader loop: one read per placement, then unplug, replug and read again', async () => {
    let sim: ReaderSimulator | null = null;
    const attachSim = async (): Promise<void> => {
      const p = await open(ports.pty.b, 115200);
      if (sim) sim.attach(p);
      else sim = new ReaderSimulator(p);
    };
    await attachSim();
    const events: ReaderLoopEvent[] = [];
    const loop = new CardReaderLoop({
      pollMs: 20,
      reconnectMs: 50,
      reader: { timeoutMs: 150, retries: 1 },
      connect: async () => {
        const { port, path } = await openReaderPort({ candidates: [ports.pty.a], includeListed: false, timeoutMs: 150 });
        return { port, path, close: () => closeSerial(port) };
      },
    });
    loop.on('event', (e) => events.push(e));
    const kinds = (): string[] => events.map((e) => (e.type === 'status' ? e.state : e.type));
    loop.start();
    try {
      await until(() => kinds().includes('connected'));
      sim!.place(sampleCards.resident);
      await until(() => kinds().includes('card'));
      const polls = sim!.requests.length;
      await until(() => sim!.requests.length > polls + 5);
      expect(kinds().filter((k) => k === 'card')).toHaveLength(1);

      await ports.pty.unplug();
      await until(() => kinds().includes('disconnected'));
      await new Promise((r) => setTimeout(r, 150)); // a few failed reconnects
      await ports.pty.replug();
      await attachSim();
      await until(() => kinds().filter((k) => k === 'card').length === 2);
      expect(kinds()).toEqual(['searching', 'connected', 'card', 'disconnected', 'connected', 'card']);
      const card = events.find((e) => e.type === 'card');
      expect(card?.type === 'card' && card.port).toBe(ports.pty.a);
    } finally {
      await loop.stop();
    }
  });

  describe('printer over a serial pty', () => {
    const slip = paymentSlip(
      {
        hallName: '湘阴县办税服务厅',
        counter: '2号窗口',
        slipNo: 'XY-0001',
        payerName: '欧阳建国',
        idNumber: sampleCards.residentLongTerm.card.idNumber,
        lines: [{ year: 2024, tierFen: 200000, amountFen: 200000 }],
        totalFen: 200000,
        paymentMethod: '银行卡',
        operator: '王小明',
        paidAt: '2024-06-01T03:00:00Z',
        timeZone: 'Asia/Shanghai',
      },
      { width: 80, training: true },
    );

    it('prints a slip the simulator decodes line by line, in GB18030, with a cut', async () => {
      const sim = new PrinterSimulator(await open(ports.pty.b, 9600));
      const t = await openPrinter(ports.pty.a);
      const r = await printJob(t, slip);
      await t.close();
      expect(r.ok).toBe(true);
      await until(() => sim.slips.length === 1);
      const shown = sim.lastSlip()!;
      expect(shown.problems).toEqual([]);
      expect(shown.lines).toContain('缴费凭证');
      expect(shown.lines).toContain('证件号码：430624********' + sampleCards.residentLongTerm.card.idNumber.slice(-4));
      expect(shown.lines.filter((l) => l.includes('培训样张'))).toHaveLength(2);
      expect(shown.qr).toEqual(['XY-0001']);
      expect(shown.cuts).toBe(1);
      expect(sim.printed.equals(slip)).toBe(true);
    });

    it('paper out: nothing is printed and the clerk is told', async () => {
      const sim = new PrinterSimulator(await open(ports.pty.b, 9600), { paperOut: true });
      const t = await openPrinter(ports.pty.a);
      const r = await printJob(t, slip);
      await t.close();
      expect(r).toMatchObject({ ok: false, state: 'paper_out', message: '未打印：打印机缺纸，请装入打印纸' });
      expect(sim.printed.length + sim.discarded.length).toBe(0);
    });
  });

  describe('CLI', () => {
    async function run(args: string[]): Promise<string> {
      const program = new Command().exitOverride();
      registerDevicesCommands(program);
      const chunks: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
        chunks.push(String(s));
        return true;
      });
      try {
        await program.parseAsync(['node', 'pension-counter', ...args]);
      } finally {
        spy.mockRestore();
      }
      return chunks.join('');
    }

    it('read-card prints the card as JSON with the ID number masked, or revealed on request', async () => {
      const sim = new ReaderSimulator(await open(ports.pty.b, 115200));
      sim.place(sampleCards.resident);
      const masked = JSON.parse(await run(['devices', 'read-card', '--port', ports.pty.a, '--wait', '1']));
      expect(masked).toMatchObject({
        name: '李秀英',
        nationLabel: '汉',
        idNumber: '430624********' + sampleCards.resident.card.idNumber.slice(-4),
        photoBytes: 1024,
      });
      const revealed = JSON.parse(await run(['devices', 'read-card', '--port', ports.pty.a, '--reveal']));
      expect(revealed.idNumber).toBe(sampleCards.resident.card.idNumber);
    });

    it('read-card without a card gives a clear error and a non-zero exit code', async () => {
      new ReaderSimulator(await open(ports.pty.b, 115200));
      const err = await run(['devices', 'read-card', '--port', ports.pty.a, '--wait', '0']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).message).toContain('没有证件');
      expect((err as CliError).exitCode).not.toBe(0);
    });

    it('print-test sends the test page at the requested width', async () => {
      const sim = new PrinterSimulator(await open(ports.pty.b, 9600));
      const output = await run(['devices', 'print-test', '--port', ports.pty.a, '--width', '80']);
      expect(output).toContain('已打印测试页（80mm');
      await until(() => sim.slips.length === 1);
      const ruler = sim.lastSlip()!.lines.find((l) => l.startsWith('12345'));
      expect(ruler).toHaveLength(48);
    });

    it('print-test refuses a width other than 58 or 80', async () => {
      const err = await run(['devices', 'print-test', '--port', ports.pty.a, '--width', '76']).catch((e: unknown) => e);
      expect((err as CliError).message).toContain('58 或 80');
    });
  });
});
