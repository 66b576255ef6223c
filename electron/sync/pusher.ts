// Sends the outbox upstream in seq order, one event per request, at least once. A row is marked
// done only when the upstream has answered for it (and its answer is stored with it); on the
// first failure the run stops, so a later event never overtakes an earlier one.
import type { Db } from '../platform/db/database';
import type { Logger } from '../platform/log';
import { UpstreamError, type UpstreamClient } from './client';
import type { PushResult } from './protocol';

interface OutboxRow {
  seq: number;
  idempotency_key: string;
  kind: string;
  payload: string;
  created_at: string;
}

export interface PushOutcome {
  /** Events the upstream accepted in this run (including replays of earlier deliveries). */
  accepted: number;
  /** Events the upstream refused for good; kept with the refusal for the supervisor. */
  rejected: number;
}

export function pendingCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM outbox WHERE confirmed_at IS NULL').get() as { n: number }).n;
}

export interface RejectedEvent {
  seq: number;
  idempotencyKey: string;
  kind: string;
  code: string;
  message: string;
  confirmedAt: string;
}

/** Counter events the upstream refused: each needs a person to look at it. */
export function listRejectedEvents(db: Db): RejectedEvent[] {
  const rows = db
    .prepare(
      `SELECT seq, idempotency_key, kind, confirmed_at, server_result FROM outbox
       WHERE confirmed_at IS NOT NULL AND json_extract(server_result, '$.status') = 'rejected' ORDER BY seq`,
    )
    .all() as { seq: number; idempotency_key: string; kind: string; confirmed_at: string; server_result: string }[];
  return rows.map((r) => {
    const result = JSON.parse(r.server_result) as { code: string; message: string };
    return { seq: r.seq, idempotencyKey: r.idempotency_key, kind: r.kind, code: result.code, message: result.message, confirmedAt: r.confirmed_at };
  });
}

/** The audit chain's head (seq, hash), or undefined before the audit log exists or has rows. */
export function auditHeadOf(db: Db): { seq: number; hash: string } | undefined {
  try {
    const row = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
    return row && row.seq > 0 ? row : undefined;
  } catch {
    return undefined;
  }
}

export class Pusher {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly client: UpstreamClient,
    private readonly log: Logger,
  ) {
    this.stmts = {
      next: db.prepare('SELECT seq, idempotency_key, kind, payload, created_at FROM outbox WHERE confirmed_at IS NULL ORDER BY seq LIMIT 1'),
      attempt: db.prepare('UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ? WHERE seq = ?'),
      failed: db.prepare('UPDATE outbox SET last_error = ? WHERE seq = ?'),
      confirm: db.prepare('UPDATE outbox SET confirmed_at = ?, server_result = ?, last_error = NULL WHERE seq = ? AND confirmed_at IS NULL'),
      setUpstreamId: db.prepare(
        `UPDATE payments SET upstream_id = @upstreamId WHERE local_uid = @localUid AND upstream_id IS NULL
           AND NOT EXISTS (SELECT 1 FROM payments WHERE upstream_id = @upstreamId)`,
      ),
    };
  }

  /** Pushes until the outbox is empty or the first failure (which is thrown). */
  async pushAll(options: { now: () => string; signal?: AbortSignal; onEvent?: () => void }): Promise<PushOutcome> {
    const outcome: PushOutcome = { accepted: 0, rejected: 0 };
    for (;;) {
      const row = this.stmts.next.get() as OutboxRow | undefined;
      if (!row) return outcome;
      this.stmts.attempt.run(options.now(), row.seq);
      let result: PushResult;
      try {
        const payload = JSON.parse(row.payload) as Record<string, unknown>;
        // Issue 15: the installation and its own sequence (the outbox seq), and the audit head,
        // so the upstream knows how far this counter got even if its database later does not.
        const installation = this.client.installationId
          ? { installationId: this.client.installationId, counterSeq: row.seq, auditHead: auditHeadOf(this.db) }
          : {};
        const res = await this.client.push(
          { idempotencyKey: row.idempotency_key, kind: row.kind, occurredAt: row.created_at, payload, ...installation },
          options.signal,
        );
        result = res.result;
        if (res.replay) this.log.info({ seq: row.seq, kind: row.kind }, 'upstream already had this event: stored result taken');
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.stmts.failed.run(message, row.seq);
        this.log.warn({ seq: row.seq, kind: row.kind, err: message }, 'push failed: outbox stops here until the next attempt');
        throw error instanceof UpstreamError ? error : new Error(message);
      }
      this.confirm(row, result, options.now());
      if (result.status === 'accepted') outcome.accepted++;
      else {
        outcome.rejected++;
        this.log.error({ seq: row.seq, kind: row.kind, code: result.code, message: result.message }, 'upstream rejected a counter event');
      }
      options.onEvent?.();
    }
  }

  private confirm(row: OutboxRow, result: PushResult, nowIso: string): void {
    this.db.transaction(() => {
      this.stmts.confirm.run(nowIso, JSON.stringify(result), row.seq);
      // Our payments learn their upstream ids now, so a later pull recognises them at once.
      if (result.status === 'accepted' && row.kind === 'payment.recorded') {
        for (const p of result.payments ?? []) this.stmts.setUpstreamId.run(p);
      }
    })();
  }
}
