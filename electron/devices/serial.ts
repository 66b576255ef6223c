// Opening and closing serial ports with the real binding. 8N1 is serialport's default framing;
// only the speed differs between devices (reader 115200, printers 9600–115200).
import { SerialPort } from 'serialport';

export async function openSerial(path: string, baudRate: number): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  return port;
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
