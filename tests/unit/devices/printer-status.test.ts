import { afterEach, describe, expect, it } from 'vitest';
import type { Duplex } from 'node:stream';
import { createDuplexPair } from '../../../electron/devices/sim/duplex-pair';
import { PrinterSimulator } from '../../../electron/devices/sim/printer-sim';
import { DuplexTransport, printJob } from '../../../electron/devices/printer/transport';
import { parseStatus } from '../../../electron/devices/printer/status';
import { testPage } from '../../../electron/devices/printer/slips';
import { simulatedPrinter, simulatedReader } from '../../../electron/devices/sim/training';
import { CardReaderLoop } from '../../../electron/devices/idcard/reader-loop';
import { sampleCards } from '../../../electron/devices/sim/cards';

let ends: Duplex[] = [];
afterEach(() => {
  for (const e of ends) e.destroy();
  ends = [];
});
function setup(): { t: DuplexTransport; sim: PrinterSimulator } {
  const [host, device] = createDuplexPair();
  ends.push(host, device);
  return { t: new DuplexTransport(host, 'mem'), sim: new PrinterSimulator(device) };
}
const page = testPage({ printer: 'sim', at: new Date('2024-06-01T00:00:00Z'), timeZone: 'Asia/Shanghai' }, { width: 58 });

describe('DLE EOT status bytes', () => {
  it.each([
    [[0x12, 0x12, 0x12], 'ready', '打印机就绪'],
    [[0x1a, 0x12, 0x12], 'offline', '离线'],
    [[0x1a, 0x16, 0x12], 'cover_open', '上盖打开'],
    [[0x1a, 0x32, 0x72], 'paper_out', '缺纸'],
    [[0x12, 0x12, 0x1e], 'ready', '纸将用尽'],
    [[0x1a, 0x52, 0x12], 'error', '故障'],
    [[0x00, 0x12, 0x12], 'unknown', '无法识别'],
  ])('%j → %s', (bytes, state, text) => {
    const s = parseStatus(bytes[0]!, bytes[1]!, bytes[2]!);
    expect(s.state).toBe(state);
    expect(s.message).toContain(text);
  });
});

describe('print job against the simulated printer', () => {
  it('prints when ready: the simulator holds exactly the slip, with its cut', async () => {
    const { t, sim } = setup();
    const r = await printJob(t, page);
    expect(r).toMatchObject({ ok: true, state: 'ready' });
    expect(sim.slips).toHaveLength(1);
    expect(sim.slips[0]!.equals(page)).toBe(true);
    expect(sim.lastSlip()!.lines).toContain('打印测试页');
  });

  it.each([
    ['paperOut', 'paper_out', '缺纸'],
    ['coverOpen', 'cover_open', '上盖'],
    ['online', 'offline', '离线'],
  ] as const)('does not send the job when %s, and says why', async (flag, state, text) => {
    const { t, sim } = setup();
    if (flag === 'online') sim.state.online = false;
    else sim.state[flag] = true;
    const r = await printJob(t, page);
    expect(r.ok).toBe(false);
    expect(r.state).toBe(state);
    expect(r.message).toContain(text);
    expect(sim.printed.length).toBe(0);
    expect(sim.discarded.length).toBe(0);
  });

  it('reports paper running out during the slip', async () => {
    const { t, sim } = setup();
    sim.on('slip', () => (sim.state.paperOut = true));
    const r = await printJob(t, page);
    expect(r).toMatchObject({ ok: false, state: 'paper_out' });
    expect(r.message).toMatch(/^打印可能不完整/);
    expect(r.before?.state).toBe('ready');
  });

  it('a silent printer reads as offline within the timeout', async () => {
    const [host, device] = createDuplexPair();
    ends.push(host, device);
    const started = Date.now();
    const r = await printJob(new DuplexTransport(host, 'mem'), page, { timeoutMs: 50 });
    expect(r).toMatchObject({ ok: false, state: 'offline' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('the simulator answers a status request split across writes', async () => {
    const [host, device] = createDuplexPair();
    ends.push(host, device);
    const sim = new PrinterSimulator(device, { paperNearEnd: true });
    const answers: number[] = [];
    host.on('data', (c: Buffer) => answers.push(...c));
    host.write(Buffer.from([0x10]));
    host.write(Buffer.from([0x04, 0x04]));
    await new Promise((r) => setTimeout(r, 20));
    expect(answers).toEqual([0x1e]);
    expect(sim.printed.length).toBe(0);
  });
});

describe('training-mode devices', () => {
  it('a card placed on the simulated reader reaches the loop, and the slip reaches the preview', async () => {
    const reader = simulatedReader();
    const loop = new CardReaderLoop({ connect: reader.connect, pollMs: 10 });
    const names: string[] = [];
    loop.on('event', (e) => e.type === 'card' && names.push(e.card.name));
    loop.start();
    reader.sim.place(sampleCards.foreign);
    const end = Date.now() + 2000;
    while (names.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    await loop.stop();
    expect(names).toEqual(['史密斯']);

    const printer = simulatedPrinter();
    const r = await printJob(printer.transport, testPage({ printer: 'sim', at: new Date(0), timeZone: 'Asia/Shanghai' }, { width: 80, training: true }));
    expect(r.ok).toBe(true);
    expect(printer.sim.lastSlip()!.lines[0]).toContain('培训样张');
    await printer.transport.close();
  });
});
