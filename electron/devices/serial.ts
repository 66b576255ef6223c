// Opening and closing serial ports with the real binding. 8N1 is serialport's default framing;
// speed and flow control are per device (reader usually 115200, printers 9600–115200, set in
// config.devices.readerSerial / printerSerial).
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

/**
 * Paths the OS lists as serial ports (USB readers show up as virtual COM ports here).
 * Pseudo-terminals are never listed, which is why callers also pass explicit candidates.
 */
export async function listSerialPaths(): Promise<string[]> {
  try {
    return (await SerialPort.list()).map((p) => p.path);
  } catch {
    return [];
  }
}
