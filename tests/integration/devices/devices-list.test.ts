// Issue 16, finding 6: `devices list` without a working udevadm says so and scans /dev itself;
// probing for the reader is opt-in and never writes to the port configured as the slip printer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import type { SerialPort } from 'serialport';
import { socatMissing, startPtyPair, type PtyPair } from './pty';
import { closeSerial, openSerial, scanDevicePaths } from '../../../electron/devices/serial';
import { PrinterSimulator } from '../../../electron/devices/sim/printer-sim';
import { ReaderSimulator } from '../../../electron/devices/sim/reader-sim';
import { dataDirLayout, trainingConfig, writeConfig } from '../../../electron/platform/config';
import { registerDevicesCommands } from '../../../electron/cli/commands/devices';
import { CliError } from '../../../electron/cli/errors';

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), `pc-${p}-`));

async function run(args: string[]): Promise<{ output: string; error: unknown }> {
  const program = new Command().exitOverride();
  registerDevicesCommands(program);
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    chunks.push(String(s));
    return true;
  });
  let error: unknown = null;
  try {
    await program.parseAsync(['node', 'pension-counter', ...args]);
  } catch (e) {
    error = e;
  } finally {
    spy.mockRestore();
  }
  return { output: chunks.join(''), error };
}

/** A /dev look-alike with two serial lines, an ACM modem, a USB printer and things to ignore. */
function fakeDev(): string {
  const dev = tmp('dev');
  for (const n of ['ttyS0', 'ttyUSB1', 'ttyUSB0', 'ttyACM0', 'tty1', 'null', 'ttyUSBx']) fs.writeFileSync(path.join(dev, n), '');
  fs.mkdirSync(path.join(dev, 'usb'));
  fs.writeFileSync(path.join(dev, 'usb', 'lp0'), '');
  fs.writeFileSync(path.join(dev, 'usb', 'hiddev0'), '');
  return dev;
}

describe('devices list without a working udevadm', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('the scan finds serial lines and USB printers, in order', () => {
    const dev = fakeDev();
    expect(scanDevicePaths(dev)).toEqual(['ttyACM0', 'ttyS0', 'ttyUSB0', 'ttyUSB1'].map((n) => path.join(dev, n)).concat(path.join(dev, 'usb', 'lp0')));
  });

  it('udevadm missing: reported, and /dev scanned instead of "no ports"', async () => {
    process.env.PATH = tmp('nopath'); // no udevadm anywhere
    const dev = fakeDev();
    const { output, error } = await run(['devices', 'list', '--dev-root', dev, '--data-dir', tmp('data')]);
    expect(error).toBeNull();
    expect(output).toContain('注意：无法取得系统的串口列表（udevadm 不存在）');
    expect(output).toContain(path.join(dev, 'ttyUSB0'));
    expect(output).toContain(path.join(dev, 'usb', 'lp0'));
    expect(output).not.toContain('系统未列出串口');
  });

  it('udevadm failing: reported with its exit code; nothing found at all is an error exit', async () => {
    const bin = tmp('bin');
    fs.writeFileSync(path.join(bin, 'udevadm'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    process.env.PATH = bin;
    const empty = tmp('emptydev');
    const { output, error } = await run(['devices', 'list', '--dev-root', empty, '--data-dir', tmp('data')]);
    expect(output).toMatch(/udevadm 出错（.*3.*）/);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).not.toBe(0);
  });
});

describe.skipIf(socatMissing)('devices list --probe', () => {
  let reader: PtyPair;
  let printer: PtyPair;
  let opened: SerialPort[] = [];
  beforeEach(async () => {
    reader = await startPtyPair();
    printer = await startPtyPair();
  });
  afterEach(async () => {
    for (const p of opened) await closeSerial(p).catch(() => undefined);
    opened = [];
    await reader.dispose();
    await printer.dispose();
  });

  it('finds the reader and sends nothing to the port configured as the printer', async () => {
    const rp = await openSerial(reader.b, 115200);
    const pp = await openSerial(printer.b, 115200);
    opened.push(rp, pp);
    new ReaderSimulator(rp);
    const sim = new PrinterSimulator(pp);
    const data = tmp('data');
    const cfg = trainingConfig(0);
    cfg.devices = { ...cfg.devices!, printer: printer.a };
    writeConfig(dataDirLayout(data), cfg);

    const { output, error } = await run(['devices', 'list', '--probe', '--data-dir', data, '--candidate', printer.a, reader.a]);
    expect(error).toBeNull();
    expect(output).toContain(`读卡器：${reader.a}`);
    expect(output).toContain(`跳过已配置为打印机的端口：${printer.a}`);
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.printed.length + sim.discarded.length).toBe(0);
  });

  it('without --probe nothing is written to any port', async () => {
    const pp = await openSerial(printer.b, 115200);
    opened.push(pp);
    const sim = new PrinterSimulator(pp);
    const { output } = await run(['devices', 'list', '--candidate', printer.a, '--data-dir', tmp('data')]);
    expect(output).not.toContain('读卡器');
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.printed.length).toBe(0);
  });
});
