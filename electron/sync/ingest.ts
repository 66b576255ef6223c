// The services thread's handle on the sync ingest worker (issue 18). A big page (a first sync of
// a county, a long incremental catch-up) is parsed, validated and applied in the worker on its own
// SQLite connection, so the services thread, which holds the window, the card reader loop and the
// printer queue, only moves bytes. The worker answers twice per page: 'validated' as soon as the
// page has passed the protocol's checks (its `next` cursor is then known, so the puller fetches
// the following page while this one is applied) and 'applied' once the page and its cursor are
// committed together.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../platform/worker';
import { UnknownPayerError } from './apply';
import { UpstreamError, type UpstreamErrorKind } from './client';
import type { Cursor, StreamName } from './protocol';

export interface IngestWorkerData {
  /** The counter database (the worker opens its own connection to it). */
  file: string;
  /** Page cache of the worker's connection, in KiB. */
  cacheKiB: number;
  /** WAL pages after which the worker's commits checkpoint (SQLite's default is 1,000). */
  walAutocheckpoint: number;
}

export interface PageRequest {
  type: 'page';
  id: number;
  stream: StreamName;
  /** The page's body as the upstream sent it (UTF-8); its buffer is transferred, not copied. */
  body: Uint8Array;
  after: Cursor;
  limit: number;
  nowIso: string;
}

export type IngestRequest = PageRequest | { type: 'close' };

/** What a page told about the stream once it passed validation. */
export interface PageSummary {
  items: number;
  next: Cursor;
  more: boolean;
  remaining: number;
}

export interface SerializedError {
  name: string;
  message: string;
  kind?: UpstreamErrorKind;
  status?: number | null;
  code?: string | null;
}

export type IngestReply =
  ({ type: 'validated'; id: number } & PageSummary) | { type: 'applied'; id: number } | { type: 'failed'; id: number; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof UpstreamError) return { name: error.name, message: error.message, kind: error.kind, status: error.status, code: error.code };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The worker's error as the same class the services thread would have thrown itself. */
export function reviveError(e: SerializedError): Error {
  if (e.name === 'UpstreamError' && e.kind) return new UpstreamError(e.message, e.kind, e.status ?? null, e.code ?? null);
  if (e.name === 'UnknownPayerError') {
    const error = new UnknownPayerError('');
    error.message = e.message;
    return error;
  }
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

interface InFlight {
  onValidated: (summary: PageSummary) => void;
  summary: PageSummary | null;
  resolve: (summary: PageSummary) => void;
  reject: (error: Error) => void;
}

export class IngestWorker {
  private readonly worker: Worker;
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 1;
  private failure: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(data: IngestWorkerData) {
    this.worker = startWorker('sync-ingest', data);
    this.worker.on('message', (reply: IngestReply) => this.onReply(reply));
    this.worker.on('error', (error) => this.fail(new Error(`同步写入线程出错：${error.message}`)));
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.fail(new Error(`同步写入线程已退出（${code}）`));
        resolve();
      });
    });
  }

  /**
   * Validates and applies one page in the worker; `page.body`'s buffer moves to the worker (it is
   * unusable here afterwards). `onValidated` runs as soon as the page passed validation, while
   * the worker is still applying it; the promise settles once it is committed.
   */
  apply(page: Omit<PageRequest, 'type' | 'id'>, onValidated: (summary: PageSummary) => void = () => {}): Promise<PageSummary> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<PageSummary>((resolve, reject) => {
      this.inFlight.set(id, { onValidated, summary: null, resolve, reject });
      // The caller hands over a body of its own (never a slice of Node's shared buffer pool).
      this.worker.postMessage({ type: 'page', id, ...page } satisfies PageRequest, [page.body.buffer as ArrayBuffer]);
    });
  }

  /** Lets the worker finish the page it is on, close its connection and end. */
  async close(): Promise<void> {
    if (!this.failure) this.worker.postMessage({ type: 'close' } satisfies IngestRequest);
    await this.exited;
  }

  private onReply(reply: IngestReply): void {
    const job = this.inFlight.get(reply.id);
    if (!job) return;
    if (reply.type === 'validated') {
      const { type: _type, id: _id, ...summary } = reply;
      job.summary = summary;
      job.onValidated(summary);
      return;
    }
    this.inFlight.delete(reply.id);
    if (reply.type === 'applied') job.resolve(job.summary!);
    else job.reject(reviveError(reply.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const job of this.inFlight.values()) job.reject(error);
    this.inFlight.clear();
  }
}
