// Pulls the payers and payments streams into the counter's store. Each page is validated, then
// applied and its cursor advanced in ONE transaction (electron/sync/apply.ts): a crash (or kill -9)
// between pages loses nothing and a crash inside a page leaves no half page behind.
//
// Issue 18: a big page (a first sync of a county, a long catch-up) is handed as text to the
// ingest worker, which validates and applies it on its own connection while this thread already
// fetches the next page; the services thread only moves bytes and never freezes the counter.
// Small pages (an incremental sync) are applied here as before, with a turn of the event loop
// between pages.
import type { Db } from '../platform/db/database';
import type { Logger } from '../platform/log';
import { PageApplier, UnknownPayerError } from './apply';
import { decodePage, type UpstreamClient } from './client';
import { IngestWorker, type PageSummary } from './ingest';
import { DEFAULT_PAGE_LIMIT, type Cursor, type PayersPage, type PaymentsPage, type StreamName } from './protocol';

export { UnknownPayerError } from './apply';

export interface PullProgress {
  stream: StreamName;
  /** Items applied in this run of the stream. */
  applied: number;
  /** Items in the page just applied. */
  pageItems: number;
  /** Items the upstream still had after the last page. */
  remaining: number;
  /** The page was applied by the ingest worker (not on the services thread). */
  inWorker: boolean;
}

export interface PullOptions {
  pageSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: PullProgress) => void;
  /** Now, as an ISO instant (created_at / last_success_at). */
  now: () => string;
}

export interface IngestOptions {
  /** Hand big pages to the ingest worker (default: whenever the database is a file). */
  worker?: boolean;
  /**
   * Pages of at least this many bytes go to the worker. 64 KiB is about 200 payers or payments,
   * a few milliseconds of work here; a full page of 1,000 takes 30–60 ms on a busy machine.
   */
  minPageBytes?: number;
  /** Page cache of the worker's connection, in MiB (the services connection keeps its own). */
  cacheMiB?: number;
  /** WAL pages between the worker's checkpoints. */
  walAutocheckpoint?: number;
}

const DEFAULT_MIN_PAGE_BYTES = 64 * 1024;
// The random-order indexes of a county of 1,000,000 (ID numbers, names, initials, villages, slip
// numbers) take about 170 MiB: a cache that holds them saves a read for most inserts.
const DEFAULT_CACHE_MIB = 256;
// 8,000 pages of 4 KiB: about 32 MiB of WAL between checkpoints.
const DEFAULT_WAL_AUTOCHECKPOINT = 8000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function readCursor(db: Db, stream: StreamName): Cursor {
  const row = db.prepare('SELECT cursor FROM sync_state WHERE stream = ?').get(stream) as { cursor: string | null } | undefined;
  return row?.cursor ?? '0';
}

/** A page asked for ahead of time, cancelled when it is not wanted any more. */
interface Prefetch {
  after: Cursor;
  body: Promise<Buffer>;
  abort: AbortController;
}

export class Puller {
  private readonly applier: PageApplier;
  private readonly saveError;
  private readonly ingest: Required<IngestOptions>;
  private worker: IngestWorker | null = null;
  /** The services connection's wal_autocheckpoint while the worker runs (restored at release). */
  private ownAutocheckpoint: number | null = null;

  constructor(
    private readonly db: Db,
    private readonly client: UpstreamClient,
    private readonly log: Logger,
    ingest: IngestOptions = {},
  ) {
    this.applier = new PageApplier(db);
    this.saveError = db.prepare(
      `INSERT INTO sync_state (stream, last_attempt_at, last_error) VALUES (?, ?, ?)
       ON CONFLICT (stream) DO UPDATE SET last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error`,
    );
    this.ingest = {
      // The worker opens the same file: an in-memory or read-only store is applied here.
      worker: (ingest.worker ?? true) && !db.memory && !db.readonly,
      minPageBytes: ingest.minPageBytes ?? DEFAULT_MIN_PAGE_BYTES,
      cacheMiB: ingest.cacheMiB ?? DEFAULT_CACHE_MIB,
      walAutocheckpoint: ingest.walAutocheckpoint ?? DEFAULT_WAL_AUTOCHECKPOINT,
    };
  }

  /** Pulls a stream to its end. Returns the number of items applied. */
  async pull(stream: StreamName, options: PullOptions): Promise<number> {
    try {
      return await this.pullStream(stream, options);
    } catch (error) {
      this.saveError.run(stream, options.now(), error instanceof Error ? error.message : String(error));
      throw error;
    }
  }

  /**
   * Ends the ingest worker, if one was started, once its page is committed; its connection and
   * page cache go with it. Call when a run's pulls are done (or failed).
   */
  async release(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.close();
    if (this.ownAutocheckpoint !== null && this.db.open) this.db.pragma(`wal_autocheckpoint = ${this.ownAutocheckpoint}`);
    this.ownAutocheckpoint = null;
  }

  private async pullStream(stream: StreamName, options: PullOptions): Promise<number> {
    const limit = options.pageSize ?? DEFAULT_PAGE_LIMIT;
    let applied = 0;
    let caughtUpPayers = false;
    let after = readCursor(this.db, stream);
    // Held in an object: the callbacks below set it while a page is being applied.
    const ahead: { page: Prefetch | null } = { page: null };
    const startPrefetch = (summary: PageSummary) => {
      if (!summary.more) return;
      const abort = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
      const body = this.client.pageBytes(stream, summary.next, limit, signal);
      // Failures surface when (if) the page is awaited.
      body.catch(() => {});
      ahead.page = { after: summary.next, body, abort };
    };
    const dropPrefetch = () => {
      ahead.page?.abort.abort();
      ahead.page = null;
    };
    try {
      for (;;) {
        const fetched = ahead.page;
        ahead.page = null;
        if (fetched && fetched.after !== after) fetched.abort.abort();
        const body = fetched && fetched.after === after ? await fetched.body : await this.client.pageBytes(stream, after, limit, options.signal);
        let page: PageSummary & { inWorker: boolean };
        try {
          page = await this.applyPage(stream, body, after, limit, options.now(), startPrefetch);
        } catch (error) {
          // The payments stream can run ahead of the payers stream (someone registered and paid
          // since we pulled payers): catch up on payers once, then apply the same page again.
          if (stream !== 'payments' || !(error instanceof UnknownPayerError) || caughtUpPayers) throw error;
          caughtUpPayers = true;
          dropPrefetch();
          this.log.info('payment for a payer not yet pulled: pulling payers again');
          await this.pullStream('payers', options);
          page = await this.applyPage(stream, body, after, limit, options.now(), startPrefetch);
        }
        applied += page.items;
        options.onProgress?.({ stream, applied, pageItems: page.items, remaining: page.remaining, inWorker: page.inWorker });
        if (!page.more) return applied;
        after = page.next;
        if (!ahead.page) await yieldToEventLoop();
      }
    } finally {
      dropPrefetch();
    }
  }

  /** Validates and applies one page, here or in the worker; `onValidated` may start the next fetch. */
  private async applyPage(
    stream: StreamName,
    body: Buffer,
    after: Cursor,
    limit: number,
    nowIso: string,
    onValidated: (summary: PageSummary) => void,
  ): Promise<PageSummary & { inWorker: boolean }> {
    if (this.ingest.worker && body.byteLength >= this.ingest.minPageBytes) {
      if (!this.worker) {
        // A counter payment committed here meanwhile must not find a long WAL and copy it back on
        // this thread: while the worker lives, it alone checkpoints.
        this.ownAutocheckpoint = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
        this.db.pragma('wal_autocheckpoint = 0');
        this.worker = new IngestWorker({ file: this.db.name, cacheKiB: this.ingest.cacheMiB * 1024, walAutocheckpoint: this.ingest.walAutocheckpoint });
      }
      // The bytes move to the worker (the same page may be sent again after a payers catch-up).
      return { ...(await this.worker.apply({ stream, body: new Uint8Array(body), after, limit, nowIso }, onValidated)), inWorker: true };
    }
    const page = decodePage(stream, body.toString('utf8'), after, limit);
    if (stream === 'payers') this.applier.applyPayersPage(page as PayersPage, nowIso);
    else this.applier.applyPaymentsPage(page as PaymentsPage, nowIso);
    return { items: page.items.length, next: page.next, more: page.more, remaining: page.remaining, inWorker: false };
  }

  /** Upserts payers by ID number, newest version wins; advances the cursor in the same transaction. */
  applyPayersPage(page: PayersPage, nowIso: string): void {
    this.applier.applyPayersPage(page, nowIso);
  }

  /** Adds payments by upstream id, matching the counter's own and seeded ones (apply.ts). */
  applyPaymentsPage(page: PaymentsPage, nowIso: string): void {
    this.applier.applyPaymentsPage(page, nowIso);
  }
}
