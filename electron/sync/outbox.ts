// The outbox: every event the counter owes the upstream, written in the same transaction as the
// change it reports, pushed later in order by the sync engine. `enqueue` is its only writer, so
// each kind's payload is checked against the protocol schema before it can be stored, and the
// sync engine learns of new work without every caller having to remember to tell it.
import type { z } from 'zod';
import { prepareCached, type Db } from '../platform/db/database';
import {
  DayClosedPayload,
  EvaluationRecordedPayload,
  ExchangeClaimedPayload,
  PaymentRecordedPayload,
  ReceiptBlockReturnedPayload,
  ReceiptIssuedPayload,
  ReceiptVoidedPayload,
} from './protocol';

/** Each event kind with the schema of its payload (docs/upstream-protocol.md). */
export const outboxEvents = {
  'payment.recorded': PaymentRecordedPayload,
  'receipt.issued': ReceiptIssuedPayload,
  'receipt.voided': ReceiptVoidedPayload,
  'receipt.block_returned': ReceiptBlockReturnedPayload,
  'exchange.claimed': ExchangeClaimedPayload,
  'day.closed': DayClosedPayload,
  'evaluation.recorded': EvaluationRecordedPayload,
} as const;
export type OutboxKind = keyof typeof outboxEvents;
export type OutboxPayload<K extends OutboxKind> = z.input<(typeof outboxEvents)[K]>;

export interface EnqueueOptions {
  /** Idempotency key: the upstream applies an event once per key, however often it is pushed. */
  key: string;
  /** When the change happened (UTC ISO). */
  at: string;
}

const listeners = new WeakMap<Db, Set<() => void>>();
const scheduled = new WeakSet<Db>();

/**
 * Adds an event to the outbox. Call it inside the transaction that makes the change: the event
 * commits or rolls back with it. Listeners hear of it after the current synchronous work, when
 * the transaction is over (better-sqlite3 transactions never span a tick); a rolled-back event
 * only costs them a look at an unchanged outbox.
 */
export function enqueue<K extends OutboxKind>(db: Db, kind: K, payload: OutboxPayload<K>, options: EnqueueOptions): number {
  const checked = outboxEvents[kind].parse(payload);
  const seq = Number(
    prepareCached(db, 'INSERT INTO outbox (idempotency_key, kind, payload, created_at) VALUES (?, ?, ?, ?)').run(
      options.key,
      kind,
      JSON.stringify(checked),
      options.at,
    ).lastInsertRowid,
  );
  const set = listeners.get(db);
  if (set?.size && !scheduled.has(db)) {
    scheduled.add(db);
    setImmediate(() => {
      scheduled.delete(db);
      for (const l of listeners.get(db) ?? []) l();
    });
  }
  return seq;
}

/** Calls `listener` after events were enqueued on this database connection. Returns the unsubscribe. */
export function onOutboxChange(db: Db, listener: () => void): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}
