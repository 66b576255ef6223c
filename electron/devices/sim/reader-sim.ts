// A SAM ID card reader that speaks the published protocol (domain notes §7) over any Duplex:
// the far end of a pty pair (tests, rehearsal with the CLI) or of an in-memory pair (training
// mode). A card can be placed and removed; faults can be injected.
// Frames are parsed and built here from the spec, not with the terminal-side codec, so that the
// simulator checks the driver instead of sharing its assumptions.
import type { Duplex } from 'node:stream';
import { encodeTextBlock, type SimCard } from './cards';

const HEADER = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
const MAX_REQUEST_LEN = 1024;
const REQUEST_IDLE_MS = 100;

export const SimStatus = {
  ok: 0x90,
  found: 0x9f,
  checksumError: 0x10,
  lengthError: 0x11,
  commandError: 0x21,
  readFailed: 0x41,
  samSelfTestFailed: 0x60,
  samNotAuthorised: 0x66,
  findFailed: 0x80,
  selectFailed: 0x81,
} as const;

export type SamState = 'ok' | 'not_authorised' | 'self_test_failed';

export interface ReaderSimOptions {
  sam?: SamState;
  /** 16 bytes the SAM id command answers with. */
  samId?: Buffer;
}

/** A response frame: header, LEN (counts SW1..CHK), SW1 SW2 SW3, data, XOR of all after header. */
export function encodeResponse(sw3: number, data: Uint8Array = new Uint8Array()): Buffer {
  const len = 3 + data.length + 1;
  const bytes = [...HEADER, len >> 8, len & 0xff, 0x00, 0x00, sw3, ...data];
  let chk = 0;
  for (let i = HEADER.length; i < bytes.length; i++) chk ^= bytes[i]!;
  bytes.push(chk);
  return Buffer.from(bytes);
}

type CardState = 'idle' | 'found' | 'selected';

export class ReaderSimulator {
  private buf = Buffer.alloc(0);
  private lastReceived = 0;
  private card: SimCard | null = null;
  private cardState: CardState = 'idle';
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private forcedStatus: number[] = [];
  private corrupt = 0;
  private mute = 0;
  private flips = 0;
  /** Line noise written before each answer (fuzz tests). */
  noiseBeforeAnswer: (() => Buffer) | null = null;
  sam: SamState;
  readonly samId: Buffer;
  /** Every well-formed request, for tests: [CMD, PARA]. */
  readonly requests: Array<[number, number]> = [];
  private readonly placeListeners = new Set<() => void>();

  constructor(
    private port: Duplex,
    opts: ReaderSimOptions = {},
  ) {
    this.sam = opts.sam ?? 'ok';
    this.samId = opts.samId ?? Buffer.from('05012010111700524847132315138842', 'hex');
    port.on('data', this.onData);
  }

  /** Moves the simulator onto a new line (the pty came back after an unplug). */
  attach(port: Duplex): void {
    this.detach();
    this.buf = Buffer.alloc(0);
    this.port = port;
    port.on('data', this.onData);
  }

  detach(): void {
    this.port.off('data', this.onData);
  }

  place(card: SimCard): void {
    this.card = card;
    this.cardState = 'idle';
    for (const l of this.placeListeners) l();
  }

  /**
   * Called after a card is put on the reader. This is outside the protocol (a SAM reader only
   * answers the terminal's polls): in training the reader loop listens so that it looks at once
   * instead of at its next poll. Returns the function that stops listening.
   */
  onPlace(listener: () => void): () => void {
    this.placeListeners.add(listener);
    return () => this.placeListeners.delete(listener);
  }

  remove(): void {
    this.card = null;
    this.cardState = 'idle';
  }

  get placed(): SimCard | null {
    return this.card;
  }

  /** The next `count` card commands (find/select/read) answer with `sw3`. */
  failNext(sw3: number, count = 1): void {
    for (let i = 0; i < count; i++) this.forcedStatus.push(sw3);
  }

  /** The next `count` answers carry a wrong checksum. */
  corruptNext(count = 1): void {
    this.corrupt += count;
  }

  /** The next `count` card reads come with two ID-number digits altered in a way the reader's
   *  XOR checksum cannot see. */
  flipIdBitsNextRead(count = 1): void {
    this.flips += count;
  }

  /** The next `count` requests get no answer at all. */
  muteNext(count = 1): void {
    this.mute += count;
  }

  private receive(chunk: Buffer): void {
    // Like a real reader's receive timeout: a request left incomplete by a pause on the line is
    // dropped, so a corrupted length cannot swallow the requests that follow.
    const now = Date.now();
    if (now - this.lastReceived > REQUEST_IDLE_MS) this.buf = Buffer.alloc(0);
    this.lastReceived = now;
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const start = this.buf.indexOf(Buffer.from(HEADER));
      if (start < 0) {
        this.buf = this.buf.subarray(Math.max(0, this.buf.length - (HEADER.length - 1)));
        return;
      }
      this.buf = this.buf.subarray(start);
      if (this.buf.length < HEADER.length + 2) return;
      const len = (this.buf[5]! << 8) | this.buf[6]!;
      if (len < 3 || len > MAX_REQUEST_LEN) {
        this.buf = this.buf.subarray(1);
        this.answer(encodeResponse(SimStatus.lengthError));
        continue;
      }
      const total = HEADER.length + 2 + len;
      if (this.buf.length < total) return;
      const frame = this.buf.subarray(0, total);
      let chk = 0;
      for (let i = HEADER.length; i < total - 1; i++) chk ^= frame[i]!;
      if (chk !== frame[total - 1]) {
        this.buf = this.buf.subarray(1);
        this.answer(encodeResponse(SimStatus.checksumError));
        continue;
      }
      this.buf = this.buf.subarray(total);
      const cmd = frame[7]!;
      const para = frame[8]!;
      this.requests.push([cmd, para]);
      this.answer(this.handle(cmd, para));
    }
  }

  private answer(frame: Buffer): void {
    if (this.mute > 0) {
      this.mute--;
      return;
    }
    if (this.corrupt > 0) {
      this.corrupt--;
      frame = Buffer.from(frame);
      frame[frame.length - 1] = frame[frame.length - 1]! ^ 0x5a;
    }
    if (this.port.destroyed || !this.port.writable) return;
    const noise = this.noiseBeforeAnswer?.();
    if (noise && noise.length > 0) this.port.write(noise);
    this.port.write(frame);
  }

  private handle(cmd: number, para: number): Buffer {
    const key = (cmd << 8) | para;
    switch (key) {
      case 0x10ff: // reset
        this.cardState = 'idle';
        return encodeResponse(this.sam === 'self_test_failed' ? SimStatus.samSelfTestFailed : SimStatus.ok);
      case 0x11ff: // status
        return encodeResponse(this.sam === 'self_test_failed' ? SimStatus.samSelfTestFailed : SimStatus.ok);
      case 0x12ff: // SAM id
        return this.sam === 'self_test_failed' ? encodeResponse(SimStatus.samSelfTestFailed) : encodeResponse(SimStatus.ok, this.samId);
      case 0x2001:
      case 0x2002:
      case 0x3001:
      case 0x3010:
        return this.cardCommand(key);
      default:
        return encodeResponse(SimStatus.commandError);
    }
  }

  private cardCommand(key: number): Buffer {
    if (this.sam === 'self_test_failed') return encodeResponse(SimStatus.samSelfTestFailed);
    if (this.sam === 'not_authorised') return encodeResponse(SimStatus.samNotAuthorised);
    const forced = this.forcedStatus.shift();
    if (forced !== undefined) return encodeResponse(forced);
    const card = this.card;
    if (key === 0x2001) {
      if (!card) return encodeResponse(SimStatus.findFailed);
      this.cardState = 'found';
      return encodeResponse(SimStatus.found, Buffer.alloc(4));
    }
    if (key === 0x2002) {
      if (!card || this.cardState === 'idle') return encodeResponse(SimStatus.selectFailed);
      this.cardState = 'selected';
      return encodeResponse(SimStatus.ok, Buffer.alloc(8));
    }
    if (!card || this.cardState !== 'selected') return encodeResponse(SimStatus.readFailed);
    const text = encodeTextBlock(card.card);
    if (this.flips > 0) {
      this.flips--;
      // Bit 0 of the 15th and 16th ID digits (UTF-16LE, field at 122): the same bit twice, so
      // the frame's XOR checksum still matches — what line noise can do unseen.
      for (const at of [122 + 2 * 14, 122 + 2 * 15]) text.writeUInt8(text.readUInt8(at) ^ 0x01, at);
    }
    const withFp = key === 0x3010;
    const lengths = Buffer.alloc(withFp ? 6 : 4);
    lengths.writeUInt16BE(text.length, 0);
    lengths.writeUInt16BE(card.photo.length, 2);
    // Cards here carry no fingerprint: its length is 0.
    return encodeResponse(SimStatus.ok, Buffer.concat([lengths, text, card.photo]));
  }
}
