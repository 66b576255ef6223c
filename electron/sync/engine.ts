// The sync loop: push the outbox, then pull payers and payments; on failure back off
// exponentially with jitter and try again by itself. The counter never waits for it: payments
// are taken against the local store and the outbox, and the banner shows what the engine knows.
import type { Db } from '../platform/db/database';
import type { Logger } from '../platform/log';
import { systemClock, type Clock } from '../platform/clock';
import type { EventPayload } from '../../shared/api/events';
import { UpstreamError, type UpstreamClient } from './client';
import { Puller, type IngestOptions, type PullProgress } from './puller';
import { pendingCount, Pusher } from './pusher';
import { enterRecovery, isSequenceReused, reconcile, recoveryPending, type ReconcileReport } from './recovery';

export type SyncStatus = EventPayload<'sync.status'>;

export interface SyncEngineOptions {
  db: Db;
  client: UpstreamClient;
  log: Logger;
  clock?: Clock;
  /** Called with every status change (the app forwards it as the 'sync.status' event). */
  onStatus?: (status: SyncStatus) => void;
  onProgress?: (progress: PullProgress) => void;
  pageSize?: number;
  /** Pause between runs while all is well. */
  intervalMs?: number;
  /** First retry delay after a failure; doubles per consecutive failure up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  /** Audit row of a recovery (issue 15), written inside its transaction. */
  auditRecovery?: (summary: Record<string, unknown>, atIso: string) => void;
  /** Where big pages are applied (issue 18): the ingest worker unless told otherwise. */
  ingest?: IngestOptions;
}

export interface SyncOutcome {
  ok: boolean;
  /** Something moved: events confirmed or pages applied, even if the run then failed. */
  progressed: boolean;
  pushed: number;
  rejected: number;
  pulledPayers: number;
  pulledPayments: number;
  /** Outbox rows still waiting for the upstream. */
  pending: number;
  error: string | null;
}

const streamLabels = { payers: '参保人', payments: '缴费记录' } as const;

export class SyncEngine {
  private readonly db: Db;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly puller: Puller;
  private readonly pusher: Pusher;
  private readonly opts: SyncEngineOptions;
  private current: SyncStatus;
  private running: Promise<SyncOutcome> | null = null;
  private rerun = false;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private failures = 0;
  private abort = new AbortController();
  /** Whether this process has compared its marks with the upstream's yet (issue 15). */
  private reconciled = false;
  private lastReconcile: ReconcileReport | null = null;

  constructor(options: SyncEngineOptions) {
    this.opts = options;
    this.db = options.db;
    this.log = options.log;
    this.clock = options.clock ?? systemClock;
    this.puller = new Puller(options.db, options.client, options.log, options.ingest);
    this.pusher = new Pusher(options.db, options.client, options.log);
    this.current = { state: 'offline', lastSuccessAt: lastSuccess(this.db), pending: pendingCount(this.db), message: '尚未连接上游' };
  }

  status(): SyncStatus {
    return this.current;
  }

  /**
   * One full run: push, then pull payers, then payments. Concurrent calls share the run in
   * flight. Never throws for upstream trouble: the outcome and the status say what happened.
   */
  syncOnce(): Promise<SyncOutcome> {
    if (this.running) return this.running;
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Runs now and then keeps running: every intervalMs while healthy, backing off while not. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.abort = new AbortController();
    this.schedule(0);
  }

  /** Stops the loop and cancels a run in flight (its current page is not applied). */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.running?.catch(() => {});
  }

  /**
   * The outbox changed (a payment was just taken): show the new pending count at once and push
   * soon. While offline the backoff schedule stands, so a busy counter does not hammer a dead link.
   */
  outboxChanged(): void {
    this.setStatus({ ...this.current, pending: pendingCount(this.db) });
    if (!this.started) return;
    if (this.running) this.rerun = true;
    else if (this.failures === 0) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (!this.started) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.syncOnce().then((outcome) => {
        if (!this.started) return;
        if (this.rerun && outcome.ok) {
          this.rerun = false;
          this.schedule(0);
        } else {
          this.rerun = false;
          // Work left after a run that made progress is pushed at once; only a run that moved
          // nothing waits for the back-off.
          if (outcome.progressed && outcome.pending > 0) this.schedule(0);
          else this.schedule(outcome.ok ? (this.opts.intervalMs ?? 30_000) : this.backoffDelay());
        }
      });
    }, delayMs);
    // The loop alone must not keep a CLI process alive.
    this.timer.unref();
  }

  /** The last reconcile of this process (null before the first). */
  reconcileReport(): ReconcileReport | null {
    return this.lastReconcile;
  }

  backoffDelay(failures = this.failures): number {
    return backoffDelay(failures, this.opts.initialBackoffMs ?? 1_000, this.opts.maxBackoffMs ?? 5 * 60_000, this.opts.random ?? Math.random);
  }

  private now = (): string => this.clock.now().toISOString();

  private async run(): Promise<SyncOutcome> {
    const signal = this.abort.signal.aborted ? new AbortController().signal : this.abort.signal;
    const outcome: SyncOutcome = { ok: false, progressed: false, pushed: 0, rejected: 0, pulledPayers: 0, pulledPayments: 0, pending: 0, error: null };
    const errors: string[] = [];
    this.setStatus({ ...this.current, state: 'syncing', pending: pendingCount(this.db), message: '正在同步' });

    let pullAllowed = true;
    let confirmed = 0;
    // Issue 15: at the first run of the process, and whenever the counter is in recovery, the
    // counter's marks are compared with the upstream's before anything is pushed; nothing is
    // pushed (no sequence reused) until that succeeded.
    if (this.opts.client.installationId && (!this.reconciled || recoveryPending(this.db))) {
      let failure: string | null = null;
      try {
        this.lastReconcile = await reconcile({
          db: this.db,
          client: this.opts.client,
          log: this.log,
          now: this.now,
          signal,
          pageSize: this.opts.pageSize,
          audit: this.opts.auditRecovery,
        });
        this.reconciled = true;
      } catch (error) {
        // An upstream without the history resource (404) cannot be compared with: work goes on
        // as before, unless the counter is already in recovery (then only a reconcile frees it).
        if (error instanceof UpstreamError && error.status === 404 && error.code === 'NOT_FOUND' && !recoveryPending(this.db)) {
          this.log.warn({ err: describe(error) }, 'upstream has no history resource: start-up reconcile skipped');
          this.reconciled = true;
        } else failure = describe(error);
      }
      if (failure !== null) {
        errors.push(failure);
        outcome.pending = pendingCount(this.db);
        outcome.error = errors.join('；');
        this.failures++;
        this.setStatus({ state: 'offline', lastSuccessAt: this.current.lastSuccessAt, pending: outcome.pending, message: `离线：${outcome.error}` });
        return outcome;
      }
    }
    try {
      const r = await this.pusher.pushAll({
        now: this.now,
        signal,
        onEvent: () => {
          confirmed++;
          this.setStatus({ ...this.current, pending: pendingCount(this.db), message: '正在上传柜台业务' });
        },
      });
      outcome.pushed = r.accepted;
      outcome.rejected = r.rejected;
    } catch (error) {
      // Events confirmed before the failure count as pushed: the run made progress.
      outcome.pushed = confirmed;
      errors.push(describe(error));
      // The upstream already holds this sequence from us: the file went back in time. No more
      // work until the next run (at once) has reconciled.
      if (isSequenceReused(error)) {
        enterRecovery(this.db, 'sequence_reused', this.now());
        pullAllowed = false;
      }
      // With the link down the pulls would only wait for the same timeout again.
      if (error instanceof UpstreamError && (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'auth')) pullAllowed = false;
    }

    if (pullAllowed) {
      try {
        const onProgress = (p: PullProgress) => {
          // Counted as pages land, so a run that fails half-way still reports what it applied.
          if (p.stream === 'payers') outcome.pulledPayers += p.pageItems;
          else outcome.pulledPayments += p.pageItems;
          const total = p.applied + p.remaining;
          this.setStatus({ ...this.current, message: `正在下载${streamLabels[p.stream]}：${p.applied} / ${total}` });
          this.opts.onProgress?.(p);
        };
        const pull = { now: this.now, signal, pageSize: this.opts.pageSize, onProgress };
        await this.puller.pull('payers', pull);
        await this.puller.pull('payments', pull);
      } catch (error) {
        errors.push(describe(error));
        this.log.error({ err: error }, 'sync pull failed: store left at the last complete page');
      } finally {
        // The worker and its page cache live for one run: an idle counter holds neither.
        await this.puller.release();
      }
    }

    outcome.pending = pendingCount(this.db);
    outcome.ok = errors.length === 0;
    outcome.error = errors.length ? errors.join('；') : null;
    // A run that moved anything (events confirmed, pages applied) proves the link works: it resets
    // the back-off like a success, so an outbox draining through occasional 5xx answers is not
    // slowed down by a back-off that only ever grows. Only runs that move nothing back off.
    const progressed = outcome.pushed + outcome.rejected + outcome.pulledPayers + outcome.pulledPayments > 0;
    outcome.progressed = progressed;
    if (outcome.ok) {
      this.failures = 0;
      this.setStatus({ state: 'online', lastSuccessAt: this.now(), pending: outcome.pending, message: '已同步' });
    } else {
      this.failures = progressed ? 0 : this.failures + 1;
      this.log.warn({ failures: this.failures, error: outcome.error }, 'sync run failed');
      this.setStatus({
        state: 'offline',
        lastSuccessAt: this.current.lastSuccessAt,
        pending: outcome.pending,
        message: `离线：${outcome.error}`,
      });
    }
    return outcome;
  }

  private setStatus(status: SyncStatus): void {
    this.current = status;
    this.opts.onStatus?.(status);
  }
}

/**
 * Delay before retry number `failures` (1 = first retry): exponential, capped, with "equal
 * jitter" (half fixed, half random) so that the counters of a hall do not all retry in step
 * when the link comes back.
 */
export function backoffDelay(failures: number, initialMs: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** When both streams last reached their end (null until the first complete sync). */
function lastSuccess(db: Db): string | null {
  const rows = db.prepare("SELECT last_success_at FROM sync_state WHERE stream IN ('payers', 'payments') AND last_success_at IS NOT NULL").all() as {
    last_success_at: string;
  }[];
  if (rows.length < 2) return null;
  return rows.map((r) => r.last_success_at).sort()[0] ?? null;
}
