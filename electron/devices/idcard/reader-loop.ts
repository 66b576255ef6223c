// Polls the reader and turns what happens on it into events: one `card` per placement (no
// repeats while the card lies there), `removed` when it is lifted, `status` when the reader
// disappears or comes back (unplug / replug: the port is reopened), `error` when a placement
// cannot be read. The host forwards these to the renderer, which opens the payer.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { IdCardReaderEvent } from '../../../shared/domain/id-card';
import { deviceWords } from '../../../shared/vocab';
import { ReaderError } from './protocol';
import { SamReader, type SamReaderOptions } from './reader';

export interface ReaderConnection {
  port: Duplex;
  path: string;
  close(): Promise<void>;
}

export type ReaderLoopEvent = Exclude<IdCardReaderEvent, { type: 'card' }> | (Extract<IdCardReaderEvent, { type: 'card' }> & { photo: Buffer });

export interface ReaderLoopOptions {
  /** Opens (or finds) the reader; called again after every disconnect. Throws when none. */
  connect: () => Promise<ReaderConnection>;
  pollMs?: number;
  /** First wait before reopening; doubles after each failed attempt up to maxReconnectMs. */
  reconnectMs?: number;
  maxReconnectMs?: number;
  /** Why the first of a run of failed connects failed (for the log). */
  onConnectError?: (error: unknown) => void;
  /** Consecutive empty polls before a read card counts as removed (a card at the edge of the
   *  field flickers). */
  removalMisses?: number;
  reader?: SamReaderOptions;
}

export class CardReaderLoop extends EventEmitter<{ event: [ReaderLoopEvent] }> {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private conn: ReaderConnection | null = null;
  private reader: SamReader | null = null;
  private wake: (() => void) | null = null;
  /** Ends the wait between two polls early (pollNow); null outside that wait. */
  private endPollWait: (() => void) | null = null;
  /** pollNow() came while the loop was talking to the reader: the next wait is skipped. */
  private pollRequested = false;
  private lastStatus = '';
  private readonly pollMs: number;
  private readonly reconnectMs: number;
  private readonly removalMisses: number;
  private readonly maxReconnectMs: number;
  private connectFailures = 0;

  constructor(private readonly opts: ReaderLoopOptions) {
    super();
    this.pollMs = opts.pollMs ?? 300;
    this.reconnectMs = opts.reconnectMs ?? 1000;
    this.removalMisses = opts.removalMisses ?? 2;
    this.maxReconnectMs = Math.max(this.reconnectMs, opts.maxReconnectMs ?? 10_000);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.done;
    await this.disconnect();
  }

  /**
   * Looks at the reader now instead of at the end of the poll interval. For a reader that says
   * when a card is put on it (the simulated reader in training): the clerk does not wait for the
   * next poll. Hardware readers do not say so and are polled (pollMs). Called while the loop is
   * talking to the reader or connecting, the next wait between polls is skipped instead.
   */
  pollNow(): void {
    if (this.endPollWait) this.endPollWait();
    else this.pollRequested = true;
  }

  private async pollWait(): Promise<void> {
    if (this.pollRequested) {
      this.pollRequested = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.endPollWait = null;
        resolve();
      };
      const timer = setTimeout(done, this.pollMs);
      this.endPollWait = done;
      // stop() ends this wait too.
      this.wake = done;
    });
  }

  private emitEvent(e: ReaderLoopEvent): void {
    this.emit('event', e);
  }

  private status(state: 'searching' | 'connected' | 'disconnected', port: string | null, message: string): void {
    // Repeated reconnect failures are one state for the clerk, not a stream of events.
    const key = state === 'connected' ? `${state}:${port ?? ''}` : state;
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.emitEvent({ type: 'status', state, port, message });
  }

  private async run(): Promise<void> {
    let present = false;
    /** The card lying there was refused (its data did not hold together). */
    let rejected = false;
    let misses = 0;
    let lastError: string | null = null;
    this.status('searching', null, '正在查找身份证读卡器…');
    while (this.running) {
      if (!this.reader || this.reader.isClosed) {
        present = false;
        rejected = false;
        lastError = null;
        if (!(await this.tryConnect())) {
          // Back-off: a reader left unplugged all day is not opened ten times a second.
          this.connectFailures++;
          await this.sleep(Math.min(this.maxReconnectMs, this.reconnectMs * 2 ** Math.min(this.connectFailures - 1, 10)));
          continue;
        }
        this.connectFailures = 0;
      }
      const reader = this.reader!;
      const path = this.conn!.path;
      try {
        if (await reader.findCard()) {
          misses = 0;
          if (!present) {
            try {
              const { card, photo } = await reader.readCard({ found: true });
              present = true;
              lastError = null;
              this.emitEvent({ type: 'card', card, port: path, photo });
            } catch (e) {
              if (!(e instanceof ReaderError) || e.code === 'closed' || e.code === 'timeout') throw e;
              if (e.code === 'card_data_mismatch') {
                // Read twice and still inconsistent: this placement opens nothing. The clerk is
                // told to put the card down again; it is not read again until it is lifted.
                present = true;
                rejected = true;
                this.emitEvent({ type: 'error', code: e.code, message: e.message });
                lastError = e.code;
                await this.pollWait();
                continue;
              }
              // Report each distinct failure once per placement; the next poll retries.
              if (e.code !== lastError) this.emitEvent({ type: 'error', code: e.code, message: e.message });
              lastError = e.code;
            }
          }
        } else {
          lastError = null;
          if (present && ++misses >= this.removalMisses) {
            present = false;
            misses = 0;
            // A rejected placement never showed a card, so there is nothing to close.
            if (!rejected) this.emitEvent({ type: 'removed', port: path });
            rejected = false;
          }
        }
      } catch (e) {
        if (e instanceof ReaderError && e.code !== 'closed' && e.code !== 'timeout') {
          if (e.code !== lastError) this.emitEvent({ type: 'error', code: e.code, message: e.message });
          lastError = e.code;
        } else {
          // The reader stopped answering or the port went away (unplugged): reopen.
          await this.disconnect();
          this.status('disconnected', path, '身份证读卡器已断开，正在重新连接…');
          continue;
        }
      }
      await this.pollWait();
    }
  }

  private async tryConnect(): Promise<boolean> {
    await this.disconnect();
    try {
      const conn = await this.opts.connect();
      this.conn = conn;
      this.reader = new SamReader(conn.port, this.opts.reader);
      await this.reader.status();
      this.status('connected', conn.path, '身份证读卡器已连接');
      return true;
    } catch (e) {
      await this.disconnect();
      // The reason (a path, an errno) is for IT's log, not the clerk's status line.
      if (this.connectFailures === 0) this.opts.onConnectError?.(e);
      this.status('disconnected', null, deviceWords.readerAbsent);
      return false;
    }
  }

  private async disconnect(): Promise<void> {
    const conn = this.conn;
    this.reader?.detach();
    this.reader = null;
    this.conn = null;
    if (conn) await conn.close().catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}
