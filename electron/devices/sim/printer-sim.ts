// A receipt printer over any Duplex: collects what it is sent, cuts it into slips and answers
// the real-time status requests DLE EOT n (domain notes §8) from its state. Like a real printer
// it picks 10 04 n out of the byte stream as soon as it arrives, and prints nothing while the
// cover is open, the paper is out or it is offline: those bytes are kept apart as `discarded`.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { decodeEscPos, decodeStarLine, splitAtCuts, type DecodedSlip } from '../printer/decoder';
import type { PrinterType } from '../printer/escpos';

export interface PrinterSimState {
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  cutterError: boolean;
}

const FIXED = 0x12; // bits 1 and 4 of every status byte

export class PrinterSimulator extends EventEmitter<{ slip: [slip: DecodedSlip, bytes: Buffer] }> {
  readonly state: PrinterSimState;
  // Received bytes are kept as chunks and joined only when read: joining on every receive copied
  // the whole day's output again for each slip (seconds of blocked services thread by evening in
  // training, where this simulator runs in the services process).
  private readonly printedChunks = new ChunkList();
  private readonly discardedChunks = new ChunkList();
  /** Complete slips (up to and including the cut). */
  readonly slips: Buffer[] = [];
  /** The command set the simulated printer speaks (as configured for the slip printer). */
  commandSet: PrinterType = 'epson';
  private pending = Buffer.alloc(0);
  private carry = Buffer.alloc(0);
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);

  constructor(
    private port: Duplex,
    state: Partial<PrinterSimState> = {},
  ) {
    super();
    this.state = { online: true, coverOpen: false, paperOut: false, paperNearEnd: false, cutterError: false, ...state };
    port.on('data', this.onData);
  }

  attach(port: Duplex): void {
    this.detach();
    this.port = port;
    this.carry = Buffer.alloc(0);
    port.on('data', this.onData);
  }

  detach(): void {
    this.port.off('data', this.onData);
  }

  /** Every byte printed (status requests removed). */
  get printed(): Buffer {
    return this.printedChunks.joined();
  }

  /** Bytes received while the printer could not print. */
  get discarded(): Buffer {
    return this.discardedChunks.joined();
  }

  get canPrint(): boolean {
    const s = this.state;
    return s.online && !s.coverOpen && !s.paperOut && !s.cutterError;
  }

  /** The last complete slip as the preview shows it. */
  lastSlip(): DecodedSlip | null {
    const last = this.slips[this.slips.length - 1];
    return last ? this.decode(last) : null;
  }

  private decode(bytes: Uint8Array): DecodedSlip {
    return this.commandSet === 'star' ? decodeStarLine(bytes) : decodeEscPos(bytes);
  }

  statusByte(n: number): number {
    const s = this.state;
    switch (n) {
      case 1:
        return FIXED | (this.canPrint ? 0 : 0x08);
      case 2:
        return FIXED | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0) | (s.cutterError ? 0x40 : 0);
      case 3:
        return FIXED | (s.cutterError ? 0x08 : 0);
      default:
        return FIXED | (s.paperNearEnd ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
    }
  }

  private receive(chunk: Buffer): void {
    const b = Buffer.concat([this.carry, chunk]);
    this.carry = Buffer.alloc(0);
    const data: number[] = [];
    for (let i = 0; i < b.length; i++) {
      if (b[i] === 0x10 && (i + 1 >= b.length || b[i + 1] === 0x04)) {
        if (i + 2 >= b.length) {
          this.carry = b.subarray(i);
          break;
        }
        const n = b[i + 2]!;
        if (n >= 1 && n <= 4) {
          this.port.write(Buffer.from([this.statusByte(n)]));
          i += 2;
          continue;
        }
      }
      data.push(b[i]!);
    }
    if (data.length === 0) return;
    const bytes = Buffer.from(data);
    if (!this.canPrint) {
      this.discardedChunks.push(bytes);
      return;
    }
    this.printedChunks.push(bytes);
    this.pending = Buffer.concat([this.pending, bytes]);
    const { slips, rest } = splitAtCuts(this.pending, (b) => this.decode(b));
    this.pending = Buffer.from(rest);
    for (const s of slips) {
      this.slips.push(s);
      this.emit('slip', this.decode(s), s);
    }
  }
}

/** Byte chunks joined on demand, the join kept until the next chunk. */
class ChunkList {
  private chunks: Buffer[] = [];
  private cache: Buffer | null = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.cache = null;
  }

  joined(): Buffer {
    if (this.cache === null) {
      this.cache = Buffer.concat(this.chunks);
      this.chunks = [this.cache];
    }
    return this.cache;
  }
}
