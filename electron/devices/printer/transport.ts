// Links to a receipt printer, and a print job that checks status before and after.
// - serial port (and USB printers exposing a virtual COM port): two-way, status works;
// - network, raw TCP port 9100: two-way, status works;
// - USB printer class device (/dev/usb/lp0): written as a file. Treated as one-way: a read on
//   a printer that never answers blocks a libuv thread for good, so status is reported unknown.
// - Windows, planned for packaging: the spooler's raw path — OpenPrinter, StartDocPrinter with
//   datatype "RAW", WritePrinter, EndDocPrinter (winspool.drv) from a tiny native addon or a
//   PowerShell helper using Add-Type P/Invoke. The spooler gives no DLE EOT answers, so where
//   status matters the printer's virtual COM port or network port is preferred.
// A print job never throws: a failed print must not undo the payment it documents, so the caller
// gets a result to show and keeps the job for a reprint.
import { open, type FileHandle } from 'node:fs/promises';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { closeSerial, openSerial } from '../serial';
import { dleEot, isStatusByte, parseStatus, unknownStatus, type PrinterState, type PrinterStatus } from './status';

export interface PrinterTransport {
  readonly description: string;
  write(data: Buffer): Promise<void>;
  /** Null when the link cannot answer (one-way). */
  queryStatus(timeoutMs?: number): Promise<PrinterStatus | null>;
  close(): Promise<void>;
}

/** Any two-way byte stream: a SerialPort, a TCP socket, an in-memory pair to the simulator. */
export class DuplexTransport implements PrinterTransport {
  private readonly inbox: number[] = [];
  private notify: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly stream: Duplex,
    readonly description: string,
    private readonly onClose: () => Promise<void> = async () => void stream.destroy(),
  ) {
    stream.on('data', (chunk: Buffer) => {
      this.inbox.push(...chunk);
      this.notify?.();
    });
    const gone = (): void => {
      this.closed = true;
      this.notify?.();
    };
    stream.on('close', gone);
    stream.on('error', gone);
  }

  write(data: Buffer): Promise<void> {
    if (this.closed || this.stream.destroyed) return Promise.reject(new Error('打印机连接已断开'));
    return new Promise((resolve, reject) => {
      this.stream.write(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  async queryStatus(timeoutMs = 500): Promise<PrinterStatus | null> {
    this.inbox.length = 0;
    const answers: number[] = [];
    for (const n of [1, 2, 4] as const) {
      try {
        await this.write(dleEot(n));
      } catch {
        return unknownStatus(`打印机连接已断开：${this.description}`);
      }
      const b = await this.nextByte(timeoutMs);
      if (b === null) {
        return { ...unknownStatus('打印机无应答，请检查电源和连接线'), state: 'offline' };
      }
      answers.push(b);
    }
    return parseStatus(answers[0]!, answers[1]!, answers[2]!);
  }

  private async nextByte(timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Bytes that cannot be a status answer are line noise: skip them.
      while (this.inbox.length > 0) {
        const b = this.inbox.shift()!;
        if (isStatusByte(b)) return b;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, left);
        this.notify = done;
        function done(): void {
          clearTimeout(t);
          resolve();
        }
      });
      this.notify = null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.onClose();
  }
}

export async function openSerialPrinter(path: string, baudRate = 9600): Promise<PrinterTransport> {
  const port = await openSerial(path, baudRate);
  return new DuplexTransport(port, `串口 ${path}`, () => closeSerial(port));
}

export async function openNetworkPrinter(host: string, port = 9100, timeoutMs = 3000): Promise<PrinterTransport> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host, port });
    const t = setTimeout(() => {
      s.destroy();
      reject(new Error(`连接打印机 ${host}:${port} 超时`));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(t);
      resolve(s);
    });
    s.once('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
  });
  return new DuplexTransport(socket, `网络 ${host}:${port}`, async () => {
    await new Promise<void>((resolve) => socket.end(resolve));
    socket.destroy();
  });
}

class FileTransport implements PrinterTransport {
  constructor(
    private readonly fh: FileHandle,
    readonly description: string,
  ) {}

  async write(data: Buffer): Promise<void> {
    await this.fh.write(data);
  }

  async queryStatus(): Promise<PrinterStatus | null> {
    return null;
  }

  async close(): Promise<void> {
    await this.fh.close();
  }
}

export async function openUsbLpPrinter(path: string): Promise<PrinterTransport> {
  return new FileTransport(await open(path, 'w'), `USB ${path}`);
}

/**
 * Opens a printer from a target string: `tcp://host[:port]` or `host:9100` for the network,
 * `/dev/usb/lp*` for a USB printer class device, anything else as a serial port.
 */
export async function openPrinter(target: string, opts: { baudRate?: number } = {}): Promise<PrinterTransport> {
  const tcp = /^(?:tcp:\/\/)?([^/:\s]+):(\d+)$/.exec(target) ?? /^tcp:\/\/([^/:\s]+)$/.exec(target);
  if (tcp && !/^COM\d+$/i.test(target)) return openNetworkPrinter(tcp[1]!, tcp[2] ? Number(tcp[2]) : 9100);
  if (/^\/dev\/usb\/lp\d+$/.test(target)) return openUsbLpPrinter(target);
  return openSerialPrinter(target, opts.baudRate);
}

export interface PrintResult {
  ok: boolean;
  /** Ready, or why the slip did not (fully) print. */
  state: PrinterState;
  message: string;
  before: PrinterStatus | null;
  after: PrinterStatus | null;
}

/**
 * Sends one job: status first (nothing is sent to a printer that is offline, open or out of
 * paper), then the bytes, then status again (the paper may have run out during the slip).
 */
export async function printJob(t: PrinterTransport, bytes: Buffer, opts: { timeoutMs?: number } = {}): Promise<PrintResult> {
  const before = await t.queryStatus(opts.timeoutMs);
  if (before && before.state !== 'ready') {
    return { ok: false, state: before.state, message: `未打印：${before.message}`, before, after: null };
  }
  try {
    await t.write(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, state: 'offline', message: `打印失败：${why}`, before, after: null };
  }
  const after = await t.queryStatus(opts.timeoutMs);
  if (after && after.state !== 'ready') {
    return { ok: false, state: after.state, message: `打印可能不完整：${after.message}`, before, after };
  }
  return { ok: true, state: 'ready', message: after ? after.message : '已发送到打印机（该连接方式无法读取状态）', before, after };
}
