// A serial line's speed for a simulator on a pty. A pty moves bytes as fast as they are written,
// so a slip "sent" at 9600 baud arrives at once; a real printer receives it at ~960 bytes/s and
// answers a status request queued behind it only after the slip. This stands between the port
// and the simulator and hands bytes on at the line's rate (8N1: 10 bits per byte); its answers
// go back at once (a few bytes).
import { Duplex } from 'node:stream';
import { BITS_PER_BYTE } from '../serial';

class PacedLine extends Duplex {
  private queue: Buffer[] = [];
  private credit = 0;
  private last = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private readonly bytesPerMs: number;
  private readonly onData = (chunk: Buffer): void => {
    this.queue.push(Buffer.from(chunk));
    this.schedule();
  };

  constructor(
    private readonly port: Duplex,
    baudRate: number,
  ) {
    super();
    this.bytesPerMs = baudRate / BITS_PER_BYTE / 1000;
    port.on('data', this.onData);
    port.once('close', () => this.destroy());
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    this.last = Date.now();
    this.credit = 0;
    this.timer = setInterval(() => this.tick(), 5);
  }

  private tick(): void {
    const now = Date.now();
    this.credit += (now - this.last) * this.bytesPerMs;
    this.last = now;
    while (this.queue.length > 0 && this.credit >= 1) {
      const head = this.queue[0]!;
      const n = Math.min(head.length, Math.floor(this.credit));
      this.push(head.subarray(0, n));
      this.credit -= n;
      if (n === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(n);
    }
    if (this.queue.length === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  override _read(): void {
    // Bytes are pushed by the timer.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.port.write(chunk, (err) => cb(err ?? null));
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.port.off('data', this.onData);
    cb(err);
  }
}

/** The simulator's side of `port` as a line running at `baudRate`. */
export function pacedLine(port: Duplex, baudRate: number): Duplex {
  return new PacedLine(port, baudRate);
}
