// Issue 16, finding 1: a serial slip printer at 9600 baud, with the simulator paced at the line's
// real rate over a pty. The slip is ~1 s on the wire; the status request behind it is answered
// only after it, so the answer's timeout must count the bytes still on the wire.
import { describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { ptyPairPerTest, socatMissing } from './pty';
import { wireTimeMs } from '../../../electron/devices/serial';
import { PrinterSimulator } from '../../../electron/devices/sim/printer-sim';
import { pacedLine } from '../../../electron/devices/sim/paced';
import { DuplexTransport, openPrinter, printJob } from '../../../electron/devices/printer/transport';
import { testPage } from '../../../electron/devices/printer/slips';
import { registerDevicesCommands } from '../../../electron/cli/commands/devices';

const until = async (cond: () => boolean, ms = 8000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

// The 80 mm test page, ~660 bytes: ~0.7 s at 9600 baud, longer than the old fixed 500 ms wait.
const page = testPage({ printer: '串口', at: new Date('2026-06-01T00:00:00Z'), timeZone: 'Asia/Shanghai' }, { width: 80, training: true });

describe.skipIf(socatMissing)('serial printer at 9600 baud over a paced pty', () => {
  const ports = ptyPairPerTest();
  const { open } = ports;

  it('the slip is reported printed, after the time it takes on the wire', async () => {
    expect(wireTimeMs(page.length, 9600)).toBeGreaterThan(600);
    const sim = new PrinterSimulator(pacedLine(await open(ports.pty.b, 9600), 9600));
    const t = await openPrinter(ports.pty.a, { baudRate: 9600 });
    const started = Date.now();
    const r = await printJob(t, page);
    const took = Date.now() - started;
    await t.close();
    expect(r).toMatchObject({ ok: true, sent: true, state: 'ready' });
    // The answer came after the whole slip: the printer had it all when it said "ready".
    expect(took).toBeGreaterThanOrEqual(wireTimeMs(page.length, 9600) - 50);
    expect(sim.slips).toHaveLength(1);
    expect(sim.printed.equals(page)).toBe(true);
  });

  it('with the old fixed 500 ms wait (no line speed known) the same slip reads as failed', async () => {
    // The contrast that shows the test above can fail: the status answer is queued behind the
    // slip, so a transport that does not count the wire gives up before the printer answers.
    const sim = new PrinterSimulator(pacedLine(await open(ports.pty.b, 9600), 9600));
    const port = await open(ports.pty.a, 9600);
    const r = await printJob(new DuplexTransport(port, 'pty'), page);
    expect(r.ok).toBe(false);
    expect(r.sent).toBe(true);
    await until(() => sim.slips.length === 1);
  });

  it('hardware and software flow control open and print on the line', async () => {
    for (const flowControl of ['rtscts', 'xonxoff'] as const) {
      const sim = new PrinterSimulator(pacedLine(await open(ports.pty.b, 19200), 19200));
      const t = await openPrinter(ports.pty.a, { baudRate: 19200, flowControl });
      const r = await printJob(t, page);
      await t.close();
      expect(r.ok, flowControl).toBe(true);
      expect(sim.printed.equals(page), flowControl).toBe(true);
      sim.detach();
      await ports.closeAll();
    }
  });

  it('`devices print-test --baud 9600` finishes without an error', async () => {
    const sim = new PrinterSimulator(pacedLine(await open(ports.pty.b, 9600), 9600));
    const program = new Command().exitOverride();
    registerDevicesCommands(program);
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      chunks.push(String(s));
      return true;
    });
    try {
      await program.parseAsync(['node', 'pension-counter', 'devices', 'print-test', '--port', ports.pty.a, '--baud', '9600', '--width', '80']);
    } finally {
      spy.mockRestore();
    }
    expect(chunks.join('')).toContain('已打印测试页（80mm');
    expect(sim.slips).toHaveLength(1);
  });
});
