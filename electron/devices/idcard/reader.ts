// Command layer of a SAM ID card reader over any Duplex (a SerialPort, or an in-memory pair
// wired to the simulator). One command at a time; each waits for its answer with a timeout and
// is retried a bounded number of times when the answer is missing or garbled in transit.
import type { Duplex } from 'node:stream';
import { cardDataProblems, type IdCard } from '../../../shared/domain/id-card';
import { CARD_DATA_UNRELIABLE } from '../../../shared/vocab';
import { FrameDecoder, type CodecOutput } from './frame-codec';
import { Command, ReaderError, Sw3, encodeRequest } from './protocol';
import { decodeTextBlock } from './text-block';

export interface SamReaderOptions {
  /** Answer timeout for short commands (status, find, select). */
  timeoutMs?: number;
  /** Answer timeout for the read command (a real reader needs ~1 s for text + photo). */
  readTimeoutMs?: number;
  /** Extra attempts after a timeout or a transmission error. */
  retries?: number;
}

export interface Response {
  sw3: number;
  data: Buffer;
}

export interface RawCardRead {
  text: Buffer;
  /** WLT-compressed photo, kept as is: decoding needs a vendor library. */
  photo: Buffer;
  fingerprint?: Buffer;
}

export interface CardRead {
  card: IdCard;
  photo: Buffer;
}

const RETRYABLE_STATUS = new Set<number>([Sw3.checksumError, Sw3.lengthError]);

type Waiter = (out: CodecOutput | Error) => void;

export class SamReader {
  private readonly decoder = new FrameDecoder({ minLen: 4 });
  private waiter: Waiter | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly timeoutMs: number;
  private readonly readTimeoutMs: number;
  private readonly retries: number;

  constructor(
    private readonly port: Duplex,
    opts: SamReaderOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 500;
    this.readTimeoutMs = opts.readTimeoutMs ?? 2000;
    this.retries = opts.retries ?? 2;
    port.pipe(this.decoder);
    this.decoder.on('data', (out: CodecOutput) => this.deliver(out));
    const onGone = (): void => {
      this.closed = true;
      this.deliver(new ReaderError('closed', '读卡器连接已断开'));
    };
    port.on('close', onGone);
    // Without a listener an unplug error would crash the process; the close that follows is
    // what the loop reacts to.
    port.on('error', () => onGone());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends a command and returns the answer, whatever its status. */
  command(cmd: readonly [number, number], opts: { timeoutMs?: number } = {}): Promise<Response> {
    const run = this.chain.then(() => this.exchange(cmd, opts.timeoutMs ?? this.timeoutMs));
    this.chain = run.catch(() => undefined);
    return run;
  }

  async status(): Promise<void> {
    expectOk(await this.command(Command.status), Sw3.ok);
  }

  /** The SAM's serial number, as hex. */
  async samId(): Promise<string> {
    const r = await this.command(Command.samId);
    expectOk(r, Sw3.ok);
    return r.data.toString('hex').toUpperCase();
  }

  async reset(): Promise<void> {
    expectOk(await this.command(Command.reset), Sw3.ok);
  }

  /** True when a card lies on the reader, false when there is none. */
  async findCard(): Promise<boolean> {
    const r = await this.command(Command.findCard);
    if (r.sw3 === Sw3.cardFound) return true;
    if (r.sw3 === Sw3.findFailed) return false;
    throw ReaderError.fromStatus(r.sw3);
  }

  async selectCard(): Promise<void> {
    expectOk(await this.command(Command.selectCard), Sw3.ok);
  }

  async readRaw(withFingerprint = false): Promise<RawCardRead> {
    const cmd = withFingerprint ? Command.readTextPhotoFingerprint : Command.readTextPhoto;
    const r = await this.command(cmd, { timeoutMs: this.readTimeoutMs });
    expectOk(r, Sw3.ok);
    return parseReadData(r.data, withFingerprint);
  }

  /** find → select → read → decode → check. Throws ReaderError (code sw_80) when no card is
   *  there, and card_data_mismatch when the data does not hold together twice running. */
  async readCard(opts: { found?: boolean } = {}): Promise<CardRead> {
    let found = opts.found ?? false;
    const once = async (): Promise<CardRead> => {
      // The caller may have just found the card (the reader loop polls with find card).
      if (!found && !(await this.findCard())) throw ReaderError.fromStatus(Sw3.findFailed);
      found = false;
      await this.selectCard();
      const raw = await this.readRaw();
      return { card: decodeTextBlock(raw.text, raw.photo.length > 0), photo: raw.photo };
    };
    const first = await once();
    if (cardDataProblems(first.card).length === 0) return first;
    // A bit flip on the way is not repeated: one more read, then give up.
    const second = await once();
    if (cardDataProblems(second.card).length === 0) return second;
    throw new CardDataMismatch(cardDataProblems(second.card));
  }

  /** Detaches from the port without closing it (the owner closes the port). */
  detach(): void {
    this.port.unpipe(this.decoder);
    this.decoder.removeAllListeners('data');
    this.deliver(new ReaderError('closed', '读卡器连接已断开'));
    this.closed = true;
  }

  private deliver(out: CodecOutput | Error): void {
    const w = this.waiter;
    this.waiter = null;
    w?.(out);
  }

  private async exchange(cmd: readonly [number, number], timeoutMs: number): Promise<Response> {
    let lastError = new ReaderError('timeout', '读卡器无响应，请检查读卡器连接');
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (this.closed) throw new ReaderError('closed', '读卡器连接已断开');
      this.decoder.reset();
      const out = await this.once(encodeRequest(cmd), timeoutMs);
      if (out instanceof ReaderError) {
        if (out.code === 'closed') throw out;
        lastError = out;
        continue;
      }
      if (out.type === 'bad_checksum') {
        lastError = new ReaderError('bad_response', '读卡器返回的数据校验错误，请检查连接线');
        continue;
      }
      if (out.body.length < 3) {
        lastError = new ReaderError('bad_response', '读卡器返回的数据不完整');
        continue;
      }
      const sw3 = out.body[2]!;
      if (RETRYABLE_STATUS.has(sw3)) {
        lastError = ReaderError.fromStatus(sw3);
        continue;
      }
      return { sw3, data: out.body.subarray(3) };
    }
    throw lastError;
  }

  private once(frame: Buffer, timeoutMs: number): Promise<CodecOutput | ReaderError> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(new ReaderError('timeout', '读卡器无响应，请检查读卡器连接'));
      }, timeoutMs);
      this.waiter = (out) => {
        clearTimeout(timer);
        resolve(out instanceof ReaderError ? out : out instanceof Error ? new ReaderError('closed', out.message) : out);
      };
      this.port.write(frame, (err) => {
        if (err) this.deliver(new ReaderError('closed', '读卡器连接已断开'));
      });
    });
  }
}

function expectOk(r: Response, expected: number): void {
  if (r.sw3 !== expected) throw ReaderError.fromStatus(r.sw3);
}

/** Read answer data: text length, photo length [, fingerprint length] (2 bytes BE each), blocks. */
export function parseReadData(data: Buffer, withFingerprint: boolean): RawCardRead {
  const lengths = withFingerprint ? 3 : 2;
  const bad = (): ReaderError => new ReaderError('bad_response', '读卡器返回的证件数据长度不符');
  if (data.length < lengths * 2) throw bad();
  const textLen = data.readUInt16BE(0);
  const photoLen = data.readUInt16BE(2);
  const fpLen = withFingerprint ? data.readUInt16BE(4) : 0;
  const start = lengths * 2;
  if (data.length !== start + textLen + photoLen + fpLen) throw bad();
  const text = Buffer.from(data.subarray(start, start + textLen));
  const photo = Buffer.from(data.subarray(start + textLen, start + textLen + photoLen));
  const raw: RawCardRead = { text, photo };
  if (withFingerprint) raw.fingerprint = Buffer.from(data.subarray(start + textLen + photoLen));
  return raw;
}

/** The card's data did not hold together on two reads running (check character, birth date or
 *  gender in the number against the card, dates). `problems` is for the log; the clerk reads
 *  the vocabulary's sentence and puts the card down again. */
export class CardDataMismatch extends ReaderError {
  constructor(readonly problems: string[]) {
    super('card_data_mismatch', CARD_DATA_UNRELIABLE);
  }
}
