// Page print jobs, recorded and followed: a row in spool_jobs before the PDF is handed over, the
// spooler's job id once it accepted it, then its answer. A job that is refused, stopped, held,
// aborted, canceled, lost or never finishes is 'failed' with the reason — and taken out of the
// queue, so it cannot come out hours later on whatever stock is loaded then.
import type { SpoolJobView } from '../../shared/api/views';
import { spoolReason, spoolStateLabels, type SpoolState } from '../../shared/api/print-words';
import type { Clock } from '../platform/clock';
import type { Db } from '../platform/db/database';
import type { Logger } from '../platform/log';
import { SpoolError, type PrintRequest, type SpoolStatus, type Spooler } from './types';

export type SpoolDocument = SpoolJobView['document'];

interface SpoolRow {
  id: number;
  document: SpoolDocument;
  ref: string;
  attempt: number | null;
  spooler: string;
  printer: string;
  job_id: string | null;
  state: SpoolState;
  spooler_state: string | null;
  reason: string | null;
  submitted_at: string;
  finished_at: string | null;
}

export interface SpoolOptions {
  /** How often an open job is asked about, ms. */
  pollMs?: number;
  /** How long print() waits for the spooler's answer before returning 'sent', ms. */
  waitMs?: number;
  /** A job still queued after this long is canceled and failed, ms. */
  timeoutMs?: number;
}

export class PageSpool {
  private readonly pollMs: number;
  private readonly waitMs: number;
  private readonly timeoutMs: number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private polling: Promise<void> | null = null;
  private readonly waiters = new Map<number, (() => void)[]>();

  constructor(
    private readonly db: Db,
    readonly spooler: Spooler,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: SpoolOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.waitMs = options.waitMs ?? 15_000;
    this.timeoutMs = options.timeoutMs ?? 5 * 60_000;
  }

  /**
   * Records the job, hands it to the spooler and waits a little for its answer. Returns the job as
   * it then stands: 'sent' while the spooler works on it (follow it with job()), or its outcome.
   */
  async print(document: SpoolDocument, ref: string, printer: string, request: PrintRequest, attempt: number | null = null): Promise<SpoolJobView> {
    const now = this.clock.now().toISOString();
    const id = Number(
      this.db
        .prepare("INSERT INTO spool_jobs (document, ref, attempt, spooler, printer, state, submitted_at) VALUES (?, ?, ?, ?, ?, 'sent', ?)")
        .run(document, ref, attempt, this.spooler.kind, printer, now).lastInsertRowid,
    );
    let jobId: string;
    try {
      jobId = await this.spooler.submit(printer, request);
    } catch (error) {
      const reason = error instanceof SpoolError ? error.message : spoolReason('unreachable');
      this.log.warn({ err: error, document, ref, printer }, 'spooler refused the print job');
      this.finish(id, { outcome: 'failed', spoolerState: error instanceof SpoolError ? error.spoolerState : 'error', reason });
      return this.job(id);
    }
    this.db.prepare('UPDATE spool_jobs SET job_id = ? WHERE id = ?').run(jobId, id);
    this.log.info({ document, ref, printer, jobId, spooler: this.spooler.kind }, 'page sent to the spooler');
    await this.pollOnce();
    if (this.job(id).state === 'sent') {
      this.schedule();
      await this.waitFor(id, this.waitMs);
    }
    return this.job(id);
  }

  job(id: number): SpoolJobView {
    const row = this.db.prepare('SELECT * FROM spool_jobs WHERE id = ?').get(id) as SpoolRow | undefined;
    if (!row) throw new SpoolError('没有这个打印任务', 'not-found');
    return view(row);
  }

  /** The latest job of a document (a receipt's last print), or null. */
  latest(document: SpoolDocument, ref: string): SpoolJobView | null {
    const row = this.db.prepare('SELECT * FROM spool_jobs WHERE document = ? AND ref = ? ORDER BY id DESC LIMIT 1').get(document, ref) as SpoolRow | undefined;
    return row ? view(row) : null;
  }

  /** After a start: jobs never handed over are failed, the others followed again. */
  resume(): void {
    const lost = this.db.prepare("SELECT id FROM spool_jobs WHERE state = 'sent' AND job_id IS NULL").all() as { id: number }[];
    for (const { id } of lost) this.finish(id, { outcome: 'failed', spoolerState: 'never-submitted', reason: spoolReason('job-lost') });
    if (this.openRows().length) this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.polling;
  }

  /** Asks the spooler about every open job once (also what the timer does). */
  pollOnce(): Promise<void> {
    if (!this.polling) {
      this.polling = this.poll().finally(() => {
        this.polling = null;
      });
    }
    return this.polling;
  }

  private openRows(): SpoolRow[] {
    return this.db
      .prepare("SELECT * FROM spool_jobs WHERE state = 'sent' AND job_id IS NOT NULL AND spooler = ? ORDER BY id")
      .all(this.spooler.kind) as SpoolRow[];
  }

  private async poll(): Promise<void> {
    for (const row of this.openRows()) {
      let status: SpoolStatus;
      try {
        status = await this.spooler.status(row.printer, row.job_id!);
      } catch (error) {
        // The spooler did not answer this time: ask again, until the job times out.
        this.log.warn({ err: error, jobId: row.job_id }, 'spooler status unavailable');
        status = { outcome: 'queued', spoolerState: row.spooler_state ?? 'unknown', reason: null };
      }
      if (status.outcome === 'queued' && this.clock.now().getTime() - Date.parse(row.submitted_at) > this.timeoutMs) {
        status = { outcome: 'failed', spoolerState: `${status.spoolerState}-timeout`, reason: spoolReason('timeout') };
      }
      if (status.outcome === 'failed') {
        // Out of the queue: a stopped or held job must not print later on other stock.
        await this.spooler.cancel(row.printer, row.job_id!).catch((error: unknown) => this.log.warn({ err: error, jobId: row.job_id }, 'cancel failed'));
      }
      if (status.outcome === 'queued') {
        if (status.spoolerState !== row.spooler_state) this.db.prepare('UPDATE spool_jobs SET spooler_state = ? WHERE id = ?').run(status.spoolerState, row.id);
      } else {
        this.finish(row.id, status);
      }
    }
  }

  private finish(id: number, status: SpoolStatus): void {
    const state: SpoolState = status.outcome === 'completed' ? 'completed' : 'failed';
    this.db
      .prepare("UPDATE spool_jobs SET state = ?, spooler_state = ?, reason = ?, finished_at = ? WHERE id = ? AND state = 'sent'")
      .run(state, status.spoolerState, status.reason, this.clock.now().toISOString(), id);
    this.log[state === 'completed' ? 'info' : 'warn'](
      { spoolJob: id, state, spoolerState: status.spoolerState, reason: status.reason },
      'page print job finished',
    );
    for (const wake of this.waiters.get(id) ?? []) wake();
    this.waiters.delete(id);
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pollOnce().then(() => {
        if (this.openRows().length) this.schedule();
      });
    }, this.pollMs);
    this.timer.unref?.();
  }

  private waitFor(id: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      const list = this.waiters.get(id) ?? [];
      list.push(done);
      this.waiters.set(id, list);
    });
  }
}

function view(r: SpoolRow): SpoolJobView {
  return {
    id: r.id,
    document: r.document,
    ref: r.ref,
    printer: r.printer,
    state: r.state,
    label: spoolStateLabels[r.state],
    reason: r.reason,
    submittedAt: r.submitted_at,
    finishedAt: r.finished_at,
  };
}
