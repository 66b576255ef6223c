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
import { deviceWords } from '../../../shared/vocab';
import { closeSerial, drainSerial, openSerial, wireTimeMs, type FlowControl } from '../serial';
import { dleEot, isStatusByte, parseStatus, unknownStatus, type PrinterState, type PrinterStatus } from './status';

/** How long a printer gets to answer one status byte once the line is clear. */
export const STATUS_ANSWER_MS = 500;
/** A write that has not left after its wire time and this long means the link is gone. */
const WRITE_MARGIN_MS = 3000;

export interface PrinterTransport {
  readonly description: string;
  write(data: Buffer): Promise<void>;
  /** Resolves once what was written has left this machine (serial: tcdrain). */
  drain?(): Promise<void>;
  /**
   * Null when the link cannot answer (one-way). `timeoutMs` is the time the printer gets to
   * answer once the bytes still on the wire have arrived (a serial line adds their time).
   */
  queryStatus(timeoutMs?: number): Promise<PrinterStatus | null>;
  /** The link is gone (cable pulled, socket closed): reopen before the next job. */
  readonly broken?: boolean;
  close(): Promise<void>;
}

export interface DuplexTransportOptions {
  /** A serial line's speed: status answers wait for the bytes still on the wire. */
  baudRate?: number;
  drain?: () => Promise<void>;
}

/** Any two-way byte stream: a SerialPort, a TCP socket, an in-memory pair to the simulator. */
export class DuplexTransport implements PrinterTransport {
  private readonly inbox: number[] = [];
  private notify: (() => void) | null = null;
  private closed = false;
  /**
   * When the last byte written will have left the line (ms since epoch). On a serial line the
   * OS's buffer drains long before the printer has received everything: at 9600 baud a 1 KB slip
   * is about a second on the wire, and the printer answers a status request only after it.
   */
  private wireFreeAt = 0;

  constructor(
    private readonly stream: Duplex,
    readonly description: string,
    private readonly onClose: () => Promise<void> = async () => void stream.destroy(),
    private readonly opts: DuplexTransportOptions = {},
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

  get broken(): boolean {
    return this.closed || this.stream.destroyed;
  }

  /** Milliseconds until the bytes written so far have all reached the printer (0 off serial). */
  wireBacklogMs(): number {
    return Math.max(0, this.wireFreeAt - Date.now());
  }

  async drain(): Promise<void> {
    await this.opts.drain?.();
  }

  write(data: Buffer): Promise<void> {
    if (this.closed || this.stream.destroyed) return Promise.reject(new Error(deviceWords.printerDisconnected));
    if (this.opts.baudRate) this.wireFreeAt = Math.max(Date.now(), this.wireFreeAt) + wireTimeMs(data.length, this.opts.baudRate);
    const baudRate = this.opts.baudRate;
    if (!baudRate) {
      return new Promise((resolve, reject) => this.stream.write(data, (err) => (err ? reject(err) : resolve())));
    }
    // A serial port whose device has gone (a USB adapter pulled, a pty whose other end died) may
    // never call back: after twice the data's wire time and a margin the link counts as gone.
    const limit = WRITE_MARGIN_MS + wireTimeMs(data.length, baudRate) * 2;
    return new Promise((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        // A busy event loop (a long synchronous task) fires timers before the I/O that completed
        // meanwhile is handled: let that I/O through first, then decide.
        setImmediate(() => {
          if (done) return;
          done = true;
          this.closed = true;
          this.stream.destroy();
          reject(new Error(deviceWords.printerDisconnected));
        });
      }, limit);
      this.stream.write(data, (err) => {
        clearTimeout(timer);
        if (done) return;
        done = true;
        if (err) reject(err);
        else resolve();
      });
    });
  }

  async queryStatus(timeoutMs = STATUS_ANSWER_MS): Promise<PrinterStatus | null> {
    this.inbox.length = 0;
    const answers: number[] = [];
    for (const n of [1, 2, 4] as const) {
      try {
        await this.write(dleEot(n));
      } catch {
        return unknownStatus(deviceWords.printerDisconnected);
      }
      // The answer comes after the printer has received everything ahead of the request.
      const b = await this.nextByte(timeoutMs + this.wireBacklogMs());
      if (b === null) {
        return { ...unknownStatus(deviceWords.printerNoAnswer), state: 'offline' };
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

export async function openSerialPrinter(path: string, baudRate = 9600, flowControl: FlowControl = 'none'): Promise<PrinterTransport> {
  const port = await openSerial(path, { baudRate, flowControl });
  return new DuplexTransport(port, `串口 ${path}`, () => closeSerial(port), { baudRate, drain: () => drainSerial(port) });
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

  broken = false;

  async write(data: Buffer): Promise<void> {
    try {
      await this.fh.write(data);
    } catch (e) {
      // ENODEV after the USB cable was pulled: reopen before the next job.
      this.broken = true;
      throw e;
    }
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
export async function openPrinter(target: string, opts: { baudRate?: number; flowControl?: FlowControl } = {}): Promise<PrinterTransport> {
  const tcp = /^(?:tcp:\/\/)?([^/:\s]+):(\d+)$/.exec(target) ?? /^tcp:\/\/([^/:\s]+)$/.exec(target);
  if (tcp && !/^COM\d+$/i.test(target)) return openNetworkPrinter(tcp[1]!, tcp[2] ? Number(tcp[2]) : 9100);
  if (/^\/dev\/usb\/lp\d+$/.test(target)) return openUsbLpPrinter(target);
  return openSerialPrinter(target, opts.baudRate, opts.flowControl);
}

/** Whether a target is a serial port (the only kind with a speed and flow control). */
export function isSerialTarget(target: string): boolean {
  if (!target || target === 'simulated') return false;
  if (/^\/dev\/usb\/lp\d+$/.test(target)) return false;
  const tcp = /^(?:tcp:\/\/)?([^/:\s]+):(\d+)$/.test(target) || /^tcp:\/\//.test(target);
  return !tcp || /^COM\d+$/i.test(target);
}

export interface PrintResult {
  ok: boolean;
  /**
   * Whether bytes of the job may have reached the printer. A job that failed after its first
   * byte may have printed in part or in full: it must never be sent again unmarked.
   */
  sent: boolean;
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
export async function printJob(t: PrinterTransport, bytes: Buffer, opts: { timeoutMs?: number; onSending?: () => void } = {}): Promise<PrintResult> {
  const before = await t.queryStatus(opts.timeoutMs);
  if (before && before.state !== 'ready') {
    return { ok: false, sent: false, state: before.state, message: `${deviceWords.notPrinted}：${before.message}`, before, after: null };
  }
  // From here on the job may print: the caller records that before the first byte goes out.
  opts.onSending?.();
  try {
    await t.write(bytes);
    // The OS buffer must be empty before the status request goes behind it; what is still on
    // the wire is then added to the answer's timeout by the transport.
    await t.drain?.();
  } catch {
    return { ok: false, sent: true, state: 'offline', message: `${deviceWords.printIncomplete}：${deviceWords.printerDisconnected}`, before, after: null };
  }
  const after = await t.queryStatus(opts.timeoutMs);
  if (after && after.state !== 'ready') {
    return { ok: false, sent: true, state: after.state, message: `${deviceWords.printIncomplete}：${after.message}`, before, after };
  }
  return { ok: true, sent: true, state: 'ready', message: after ? after.message : '已发送到打印机（该连接方式无法读取状态）', before, after };
}
