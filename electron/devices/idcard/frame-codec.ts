// Splits the byte stream from (or to) a SAM reader into frames.
// @serialport/parser-packet-length finds delimiter+length packets but neither verifies the XOR
// checksum nor resynchronises after a corrupt or truncated frame, which is exactly what a reader
// on a noisy USB-serial bridge needs; hence this small transform.
//
// Recovery rules, so that one bad frame never costs the next good one:
// - bytes before a header are skipped (counted as garbage);
// - a header whose LEN is impossible, or whose frame fails the checksum, is treated as a false
//   start: only its first byte is dropped and the scan resumes, so a real frame that began
//   inside the bogus one is still found;
// - while waiting for the rest of a long frame, a complete, checksum-valid frame appearing later
//   in the buffer proves the pending header was truncated, and it is dropped;
// - likewise a checksum-valid frame that overlaps a complete valid frame starting inside it is
//   a truncated frame whose XOR matched by chance (1 in 256), and the later frame wins.
// What remains is the 8-bit checksum's own limit: a truncated frame completed by the first
// bytes of a frame that has not fully arrived yet can pass by chance; the driver's retry covers it.
import { Transform, type TransformCallback } from 'node:stream';
import { FRAME_HEADER, xorAll } from './protocol';

/** `body` is everything between LEN and CHK: SW1 SW2 SW3 + data, or CMD PARA + data. */
export type CodecOutput = { type: 'frame'; body: Buffer } | { type: 'bad_checksum'; raw: Buffer };

export interface FrameCodecOptions {
  /** Smallest LEN accepted: 3 for requests (CMD PARA CHK), 4 for responses (SW1-3 CHK). */
  minLen?: number;
  /** Largest LEN accepted; a text+photo+fingerprint answer is about 2.3 KB. */
  maxLen?: number;
}

export interface FrameCodecStats {
  frames: number;
  garbageBytes: number;
  badLength: number;
  badChecksum: number;
}

const HEAD = FRAME_HEADER.length; // 5
const PRE = HEAD + 2; // header + LEN

export class FrameDecoder extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  private readonly minLen: number;
  private readonly maxLen: number;
  readonly stats: FrameCodecStats = { frames: 0, garbageBytes: 0, badLength: 0, badChecksum: 0 };

  constructor(opts: FrameCodecOptions = {}) {
    super({ readableObjectMode: true });
    this.minLen = opts.minLen ?? 3;
    this.maxLen = opts.maxLen ?? 4096;
  }

  /** Forgets buffered bytes, e.g. before a new command so a stale half-frame cannot linger. */
  reset(): void {
    this.stats.garbageBytes += this.buf.length;
    this.buf = Buffer.alloc(0);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    this.scan();
    cb();
  }

  override _flush(cb: TransformCallback): void {
    this.reset();
    cb();
  }

  private scan(): void {
    for (;;) {
      const at = this.buf.indexOf(FRAME_HEADER);
      if (at < 0) {
        // Keep a tail that may be the start of a header split across chunks.
        const keep = Math.min(this.buf.length, HEAD - 1);
        this.stats.garbageBytes += this.buf.length - keep;
        this.buf = this.buf.subarray(this.buf.length - keep);
        return;
      }
      if (at > 0) {
        this.stats.garbageBytes += at;
        this.buf = this.buf.subarray(at);
      }
      if (this.buf.length < PRE) return;
      const len = this.buf.readUInt16BE(HEAD);
      if (len < this.minLen || len > this.maxLen) {
        this.stats.badLength++;
        this.dropFirstByte();
        continue;
      }
      const total = PRE + len;
      if (this.buf.length < total) {
        if (this.validFrameAfter(1)) {
          this.stats.badLength++;
          this.dropFirstByte();
          continue;
        }
        return;
      }
      if (this.validFrameAfter(1, total)) {
        this.stats.badLength++;
        this.dropFirstByte();
        continue;
      }
      if (xorAll(this.buf, HEAD, total - 1) !== this.buf[total - 1]) {
        this.stats.badChecksum++;
        this.push({ type: 'bad_checksum', raw: Buffer.from(this.buf.subarray(0, total)) } satisfies CodecOutput);
        this.dropFirstByte();
        continue;
      }
      this.stats.frames++;
      this.push({ type: 'frame', body: Buffer.from(this.buf.subarray(PRE, total - 1)) } satisfies CodecOutput);
      this.buf = this.buf.subarray(total);
    }
  }

  private dropFirstByte(): void {
    this.stats.garbageBytes++;
    this.buf = this.buf.subarray(1);
  }

  /** Whether a complete, checksum-valid frame starts at or after `from` (and before `before`). */
  private validFrameAfter(from: number, before = Infinity): boolean {
    for (let at = this.buf.indexOf(FRAME_HEADER, from); at >= 0 && at < before; at = this.buf.indexOf(FRAME_HEADER, at + 1)) {
      if (this.buf.length < at + PRE) return false;
      const len = this.buf.readUInt16BE(at + HEAD);
      const end = at + PRE + len;
      if (len < this.minLen || len > this.maxLen || end > this.buf.length) continue;
      if (xorAll(this.buf, at + HEAD, end - 1) === this.buf[end - 1]) return true;
    }
    return false;
  }
}
