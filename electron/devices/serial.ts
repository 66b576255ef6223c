// Opening and closing serial ports with the real binding. 8N1 is serialport's default framing;
// speed and flow control are per device (reader usually 115200, printers 9600–115200, set in
// config.devices.readerSerial / printerSerial).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';

export const BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;
export type BaudRate = (typeof BAUD_RATES)[number];
export const FLOW_CONTROLS = ['none', 'rtscts', 'xonxoff'] as const;
export type FlowControl = (typeof FLOW_CONTROLS)[number];

export interface SerialSettings {
  baudRate: number;
  flowControl?: FlowControl;
}

/** Bits per byte on an 8N1 line: start bit, 8 data bits, stop bit. */
export const BITS_PER_BYTE = 10;

/** How long `bytes` take on the wire at `baudRate` (8N1), in ms. */
export function wireTimeMs(bytes: number, baudRate: number): number {
  return Math.ceil((bytes * BITS_PER_BYTE * 1000) / baudRate);
}

export async function openSerial(path: string, settings: number | SerialSettings): Promise<SerialPort> {
  const s: SerialSettings = typeof settings === 'number' ? { baudRate: settings } : settings;
  const flow = s.flowControl ?? 'none';
  const port = new SerialPort({
    path,
    baudRate: s.baudRate,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    rtscts: flow === 'rtscts',
    xon: flow === 'xonxoff',
    xoff: flow === 'xonxoff',
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return port;
}

/** Waits until everything written has left the OS's output buffer (tcdrain). */
export async function drainSerial(port: SerialPort): Promise<void> {
  if (!port.isOpen) return;
  await new Promise<void>((resolve, reject) => port.drain((err) => (err ? reject(err) : resolve())));
}

export async function closeSerial(port: SerialPort): Promise<void> {
  if (!port.isOpen) return;
  await new Promise<void>((resolve) => port.close(() => resolve()));
}

export interface PortListing {
  /** Ports the system lists, else the device nodes found by scanning /dev. */
  paths: string[];
  /** Why the system's list could not be had (udevadm missing or failing), for IT; null when it could. */
  listProblem: string | null;
}

/** Device names of serial lines and USB printers that a scan of /dev picks up (Linux). */
const SCANNED = [/^ttyS\d+$/, /^ttyUSB\d+$/, /^ttyACM\d+$/];

/** Serial and USB printer device nodes under `devRoot` (/dev): ttyS*, ttyUSB*, ttyACM*, usb/lp*. */
export function scanDevicePaths(devRoot = '/dev'): string[] {
  const names = (dir: string): string[] => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  };
  const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
  const ttys = names(devRoot)
    .filter((n) => SCANNED.some((re) => re.test(n)))
    .sort(natural)
    .map((n) => path.join(devRoot, n));
  const lps = names(path.join(devRoot, 'usb'))
    .filter((n) => /^lp\d+$/.test(n))
    .sort(natural)
    .map((n) => path.join(devRoot, 'usb', n));
  return [...ttys, ...lps];
}

/**
 * The system's list of serial ports (on Linux serialport asks `udevadm`). When that fails —
 * udevadm missing in a minimal install, or exiting with an error — the failure is reported and
 * /dev is scanned instead, so "no ports" is never said for "could not ask".
 */
export async function listPorts(opts: { devRoot?: string } = {}): Promise<PortListing> {
  const fallback = (problem: string): PortListing => ({ paths: process.platform === 'win32' ? [] : scanDevicePaths(opts.devRoot), listProblem: problem });
  let paths: string[];
  try {
    paths = (await SerialPort.list()).map((p) => p.path);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return fallback(/ENOENT/.test(why) ? 'udevadm 不存在' : `udevadm 出错（${why.replace(/^Error:\s*/, '')}）`);
  }
  // serialport resolves with whatever udevadm printed before it failed (often nothing): an
  // empty list on Linux is checked by asking udevadm once more and looking at how it ended.
  if (paths.length === 0 && process.platform === 'linux') {
    const problem = await udevadmProblem();
    if (problem) return fallback(problem);
  }
  return { paths, listProblem: null };
}

function udevadmProblem(): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('udevadm', ['info', '-e'], { timeout: 10_000, maxBuffer: 64 * 1024 * 1024 }, (err) => {
      if (!err) return resolve(null);
      const e = err as NodeJS.ErrnoException & { code?: string | number };
      if (e.code === 'ENOENT') return resolve('udevadm 不存在');
      resolve(`udevadm 出错（退出码 ${String(e.code ?? '未知')}）`);
    });
  });
}

/**
 * Paths the OS lists as serial ports (USB readers show up as virtual COM ports here).
 * Pseudo-terminals are never listed, which is why callers also pass explicit candidates.
 */
export async function listSerialPaths(): Promise<string[]> {
  return (await listPorts()).paths;
}
