// Finds which serial port has a SAM reader: the first that answers the status command.
import type { SerialPort } from 'serialport';
import { closeSerial, listSerialPaths, openSerial, type SerialSettings } from '../serial';
import { SamReader } from './reader';

export const READER_BAUD_RATE = 115200;

export interface DetectOptions {
  /** Tried first, in order (configured port, ptys used by the simulator …). */
  candidates?: string[];
  /** Also try every port the OS lists (default true). */
  includeListed?: boolean;
  /** How long each port gets to answer. */
  timeoutMs?: number;
  /** The reader's line (default 115200, no flow control). */
  serial?: SerialSettings;
}

export async function detectReaderPort(opts: DetectOptions = {}): Promise<string | null> {
  const paths = [...(opts.candidates ?? [])];
  if (opts.includeListed ?? true) {
    for (const p of await listSerialPaths()) if (!paths.includes(p)) paths.push(p);
  }
  for (const path of paths) {
    let port: SerialPort | undefined;
    try {
      port = await openSerial(path, opts.serial ?? READER_BAUD_RATE);
      const reader = new SamReader(port, { timeoutMs: opts.timeoutMs ?? 300, retries: 0 });
      await reader.status();
      reader.detach();
      return path;
    } catch {
      // Not a reader, busy, or gone: try the next one.
    } finally {
      if (port) await closeSerial(port);
    }
  }
  return null;
}

/** Opens a reader port: the configured one, else the first detected among candidates. */
export async function openReaderPort(opts: { path?: string } & DetectOptions): Promise<{ port: SerialPort; path: string }> {
  const path = opts.path ?? (await detectReaderPort(opts));
  if (path === null) throw new Error('未找到身份证读卡器，请检查读卡器是否已连接');
  return { port: await openSerial(path, opts.serial ?? READER_BAUD_RATE), path };
}
