// The upstream as the second copy (issue 15). Every event this counter pushes carries its
// installation id and its own sequence (the outbox seq); the upstream remembers the highest. When
// the database went back in time — a restored backup, a lost -wal, a copied file — the upstream
// has seen more from this installation than the file holds. The counter then stays in the
// recovery state (the database refuses payments, receipts and exchanges: migration 0012) until it
// has read its own work back: payments by the payments stream (original local and upstream ids),
// receipt numbers, voids, exchanges and blocks from its history, so that no number is issued
// twice. What never reached the upstream and is gone from the file cannot be read back: it is
// reported by number range, never invented.
import type { Db } from '../platform/db/database';
import type { Logger } from '../platform/log';
import { UpstreamError, type UpstreamClient } from './client';
import { Puller } from './puller';
import {
  ExchangeClaimedPayload,
  ReceiptBlockReturnedPayload,
  ReceiptIssuedPayload,
  ReceiptVoidedPayload,
  type AuditHead,
  type HistoryEvent,
  type ReceiptBlock,
} from './protocol';

export const RECOVERY_PENDING_KEY = 'recovery.pending';
const RECOVERY_APPLYING_KEY = 'recovery.applying';

export interface RecoveryMark {
  /** Why: 'restore', 'sequence_reused', 'upstream_ahead'. */
  reason: string;
  since: string;
}

/** The recovery state, or null when the counter may work. */
export function recoveryPending(db: Db): RecoveryMark | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(RECOVERY_PENDING_KEY) as { value: string } | undefined;
  if (!row) return null;
  try {
    return JSON.parse(row.value) as RecoveryMark;
  } catch {
    return { reason: 'unknown', since: '' };
  }
}

/** Enters the recovery state (keeps the first reason when already in it). */
export function enterRecovery(db: Db, reason: string, atIso: string): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING').run(
    RECOVERY_PENDING_KEY,
    JSON.stringify({ reason, since: atIso }),
  );
}

export interface NumberRange {
  first: string;
  last: string;
  count: number;
}

export interface ReconcileReport {
  /** in_step: nothing missing; recovered: the counter's work was read back; no_installation: not commissioned. */
  outcome: 'in_step' | 'recovered' | 'no_installation';
  /** Highest outbox seq in the file before the reconcile. */
  localHighSeq: number;
  /** Highest counter seq the upstream holds from this installation. */
  upstreamHighSeq: number;
  upstreamAuditHead: (AuditHead & { at: string }) | null;
  /** Events the upstream had and the file did not: put back (as confirmed outbox rows). */
  eventsRecovered: number;
  /** Pending events the upstream already had: marked confirmed with its stored answer. */
  eventsConfirmed: number;
  /** Pending events moved after the upstream's highest sequence (their seq had been reused). */
  eventsRenumbered: number;
  paymentsPulled: number;
  /** Counter payment lines of recovered events now in the ledger / still missing. */
  paymentLinesPresent: number;
  paymentLinesMissing: string[];
  blocksRestored: number;
  receiptsRestored: NumberRange[];
  voidsRestored: number;
  exchangesRestored: number;
  /** Numbers below a block's next number that no receipt used, locally or upstream: lost work. */
  lostNumbers: NumberRange[];
  /** Recovered events whose effect could not be put back, with why. */
  notRestored: { counterSeq: number; kind: string; reason: string }[];
}

interface LocalOutboxRow {
  seq: number;
  idempotency_key: string;
  confirmed_at: string | null;
}

/**
 * Compares this counter's high-water marks with the upstream's and, when the upstream has seen
 * more, reads the counter's own work back. Throws (leaving the recovery state as it was) when the
 * upstream cannot be reached; a reconcile that found work missing and failed half-way leaves the
 * counter in recovery, so it is simply run again.
 */
export async function reconcile(options: {
  db: Db;
  client: UpstreamClient;
  log: Logger;
  now: () => string;
  signal?: AbortSignal;
  pageSize?: number;
  /**
   * Writes the audit row of a recovery, inside its transaction (the app and the CLI pass
   * appendAudit: sync/ does not reach into services/).
   */
  audit?: (summary: Record<string, unknown>, atIso: string) => void;
}): Promise<ReconcileReport> {
  const { db, client, log, now, signal } = options;
  const localHigh = (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM outbox').get() as { n: number }).n;
  const report: ReconcileReport = {
    outcome: 'in_step',
    localHighSeq: localHigh,
    upstreamHighSeq: 0,
    upstreamAuditHead: null,
    eventsRecovered: 0,
    eventsConfirmed: 0,
    eventsRenumbered: 0,
    paymentsPulled: 0,
    paymentLinesPresent: 0,
    paymentLinesMissing: [],
    blocksRestored: 0,
    receiptsRestored: [],
    voidsRestored: 0,
    exchangesRestored: 0,
    lostNumbers: [],
    notRestored: [],
  };
  if (!client.installationId) {
    report.outcome = 'no_installation';
    return report;
  }
  const minPending = (db.prepare('SELECT min(seq) AS n FROM outbox WHERE confirmed_at IS NULL').get() as { n: number | null }).n;
  // From the first pending event on (its seq may have been used upstream by lost work), else from
  // the file's highest: everything the upstream has beyond that is what the file lacks.
  const after = minPending !== null ? Math.min(localHigh, minPending - 1) : localHigh;
  const items: HistoryEvent[] = [];
  let blocks: ReceiptBlock[] = [];
  for (let cursor = after; ;) {
    const page = await client.history(cursor, options.pageSize ?? 1000, signal);
    report.upstreamHighSeq = Math.max(report.upstreamHighSeq, page.highSeq);
    report.upstreamAuditHead = page.auditHead;
    blocks = page.blocks;
    items.push(...page.items);
    if (!page.more) break;
    cursor = Number(page.next);
  }

  const localByKey = new Map(
    (db.prepare('SELECT seq, idempotency_key, confirmed_at FROM outbox WHERE seq > ?').all(after) as LocalOutboxRow[]).map((r) => [r.idempotency_key, r]),
  );
  const lost = items.filter((e) => !localByKey.has(e.idempotencyKey));
  const upstreamKeys = new Set(items.map((e) => e.idempotencyKey));
  const knownPending = items.filter((e) => localByKey.get(e.idempotencyKey)?.confirmed_at === null);
  const pendingUnknown = (db.prepare('SELECT seq, idempotency_key FROM outbox WHERE confirmed_at IS NULL ORDER BY seq').all() as LocalOutboxRow[]).filter(
    (r) => !upstreamKeys.has(r.idempotency_key),
  );
  const collide = pendingUnknown.some((r) => r.seq <= report.upstreamHighSeq);
  const flagged = recoveryPending(db);

  if (lost.length === 0 && !collide && !flagged) {
    if (knownPending.length) confirmKnown(db, knownPending, now());
    report.eventsConfirmed = knownPending.length;
    return report;
  }

  // The file is behind the upstream: no payment or receipt until the work is back. Committed on
  // its own, so a failure below leaves the counter refusing work rather than reusing numbers.
  enterRecovery(db, flagged?.reason ?? 'upstream_ahead', now());
  log.warn(
    { localHigh, upstreamHigh: report.upstreamHighSeq, lost: lost.length, renumber: collide ? pendingUnknown.length : 0 },
    'counter behind the upstream: recovering',
  );

  // Payments come back through the payments stream with their original local and upstream ids
  // (the puller matches by local uid); the registry first, for payers registered since.
  const puller = new Puller(db, client, log);
  try {
    await puller.pull('payers', { now, signal, pageSize: options.pageSize });
    report.paymentsPulled = await puller.pull('payments', { now, signal, pageSize: options.pageSize });
  } finally {
    await puller.release();
  }

  const at = now();
  db.transaction(() => {
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(RECOVERY_APPLYING_KEY, at);
    // Pending events the upstream never saw keep their order but move after its highest sequence.
    if (collide) {
      const move = db.prepare('UPDATE outbox SET seq = ? WHERE seq = ?');
      for (const r of pendingUnknown) move.run(-r.seq, r.seq);
      pendingUnknown.forEach((r, i) => move.run(Math.max(report.upstreamHighSeq, localHigh) + 1 + i, -r.seq));
      report.eventsRenumbered = pendingUnknown.length;
    }
    report.blocksRestored = restoreBlocks(db, blocks, at, report);
    const insertEvent = db.prepare(
      'INSERT INTO outbox (seq, idempotency_key, kind, payload, created_at, attempts, confirmed_at, server_result) VALUES (?, ?, ?, ?, ?, 0, ?, ?)',
    );
    const restored: { series: string; serial: number; digits: number }[] = [];
    for (const e of lost) {
      try {
        insertEvent.run(e.counterSeq, e.idempotencyKey, e.kind, JSON.stringify(e.payload), e.occurredAt, at, JSON.stringify(e.result));
      } catch (error) {
        report.notRestored.push({ counterSeq: e.counterSeq, kind: e.kind, reason: `outbox: ${(error as Error).message}` });
      }
      report.eventsRecovered++;
      if (e.result.status !== 'accepted') {
        report.notRestored.push({ counterSeq: e.counterSeq, kind: e.kind, reason: `upstream refused it (${e.result.code})` });
        continue;
      }
      applyEvent(db, e, at, report, restored);
    }
    confirmKnown(db, knownPending, at);
    report.eventsConfirmed = knownPending.length;
    report.receiptsRestored = ranges(restored);
    report.lostNumbers = lostNumbers(db);
    options.audit?.(
      {
        localHighSeq: report.localHighSeq,
        upstreamHighSeq: report.upstreamHighSeq,
        eventsRecovered: report.eventsRecovered,
        receiptsRestored: report.receiptsRestored,
        lostNumbers: report.lostNumbers,
      },
      at,
    );
    db.prepare('DELETE FROM settings WHERE key IN (?, ?)').run(RECOVERY_APPLYING_KEY, RECOVERY_PENDING_KEY);
  })();
  report.outcome = 'recovered';
  log.warn(
    { recovered: report.eventsRecovered, receipts: report.receiptsRestored, lostNumbers: report.lostNumbers, notRestored: report.notRestored.length },
    'counter recovered its own work from the upstream',
  );
  return report;
}

/** Pending rows the upstream already holds: confirmed with its stored answer, as a push would. */
function confirmKnown(db: Db, events: HistoryEvent[], at: string): void {
  const confirm = db.prepare('UPDATE outbox SET confirmed_at = ?, server_result = ?, last_error = NULL WHERE idempotency_key = ? AND confirmed_at IS NULL');
  const setUpstreamId = db.prepare(
    `UPDATE payments SET upstream_id = @upstreamId WHERE local_uid = @localUid AND upstream_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM payments WHERE upstream_id = @upstreamId)`,
  );
  db.transaction(() => {
    for (const e of events) {
      confirm.run(at, JSON.stringify(e.result), e.idempotencyKey);
      if (e.result.status === 'accepted' && e.kind === 'payment.recorded') for (const p of e.result.payments ?? []) setUpstreamId.run(p);
    }
  })();
}

const idOf = (db: Db, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { id: number } | undefined)?.id ?? null;

/** Upstream blocks of this installation that the file lacks (allocated after the backup). */
function restoreBlocks(db: Db, blocks: ReceiptBlock[], at: string, report: ReconcileReport): number {
  let n = 0;
  for (const b of blocks) {
    if (idOf(db, 'SELECT id FROM receipt_blocks WHERE upstream_block_id = ?', b.blockId) !== null) continue;
    const operatorId = idOf(db, 'SELECT id FROM operators WHERE username = ?', b.operatorUsername);
    if (operatorId === null) {
      report.notRestored.push({ counterSeq: 0, kind: 'receipt_block', reason: `block ${b.blockId}: operator not in this database` });
      continue;
    }
    try {
      db.prepare(
        `INSERT INTO receipt_blocks (receipt_type, series, first_serial, last_serial, serial_digits, operator_id, source, upstream_block_id, entered_by, next_serial, created_at)
         VALUES ('tax_cash', ?, ?, ?, ?, ?, 'upstream', ?, NULL, ?, ?)`,
      ).run(b.series, b.firstSerial, b.lastSerial, b.serialDigits, operatorId, b.blockId, b.firstSerial, at);
      n++;
    } catch (error) {
      report.notRestored.push({ counterSeq: 0, kind: 'receipt_block', reason: `block ${b.blockId}: ${(error as Error).message}` });
    }
  }
  return n;
}

function applyEvent(db: Db, e: HistoryEvent, at: string, report: ReconcileReport, restored: { series: string; serial: number; digits: number }[]): void {
  const skip = (reason: string): void => {
    report.notRestored.push({ counterSeq: e.counterSeq, kind: e.kind, reason });
  };
  switch (e.kind) {
    case 'payment.recorded': {
      const lines = (e.payload.lines as { localUid?: string }[] | undefined) ?? [];
      for (const l of lines) {
        if (l.localUid && idOf(db, 'SELECT id FROM payments WHERE local_uid = ?', l.localUid) !== null) report.paymentLinesPresent++;
        else report.paymentLinesMissing.push(l.localUid ?? '?');
      }
      return;
    }
    case 'receipt.issued': {
      const p = ReceiptIssuedPayload.safeParse(e.payload);
      if (!p.success) return skip('payload does not parse');
      const r = p.data;
      if (idOf(db, 'SELECT id FROM receipts WHERE uid = ?', r.receiptUid) !== null) return;
      if (idOf(db, 'SELECT id FROM receipts WHERE number = ?', r.number) !== null) return skip(`number ${r.number} is held by another receipt in this file`);
      const block = (
        r.blockId !== null
          ? db.prepare('SELECT id, serial_digits, next_serial, handed_back_from FROM receipt_blocks WHERE upstream_block_id = ?').get(r.blockId)
          : db
              .prepare(
                'SELECT id, serial_digits, next_serial, handed_back_from FROM receipt_blocks WHERE series = ? AND ? BETWEEN first_serial AND last_serial',
              )
              .get(r.series, r.serial)
      ) as { id: number; serial_digits: number; next_serial: number; handed_back_from: number | null } | undefined;
      if (!block) return skip(`number ${r.number}: its block is not in this file`);
      const payerId = idOf(db, 'SELECT id FROM payers WHERE id_number = ?', r.idNumber);
      const operatorId = idOf(db, 'SELECT id FROM operators WHERE username = ?', r.operatorUsername);
      if (payerId === null || operatorId === null) return skip(`number ${r.number}: payer or operator not in this file`);
      const approvedBy = r.approvedBy === null ? null : idOf(db, 'SELECT id FROM operators WHERE username = ?', r.approvedBy);
      const paymentIds = r.lines.map((l) =>
        l.paymentLocalUid !== null
          ? idOf(db, 'SELECT id FROM payments WHERE local_uid = ?', l.paymentLocalUid)
          : l.paymentUpstreamId !== null
            ? idOf(db, 'SELECT id FROM payments WHERE upstream_id = ?', l.paymentUpstreamId)
            : null,
      );
      const firstPayment = paymentIds.find((id) => id !== null) ?? null;
      const transactionId =
        firstPayment === null
          ? null
          : ((db.prepare('SELECT transaction_id FROM payments WHERE id = ?').get(firstPayment) as { transaction_id: number | null }).transaction_id ?? null);
      const byNumber = (n: string | null) => (n === null ? null : idOf(db, 'SELECT id FROM receipts WHERE number = ?', n));
      const id = Number(
        db
          .prepare(
            `INSERT INTO receipts (uid, block_id, receipt_type, series, serial, number, kind, state, payer_id, operator_id, counter_no, transaction_id,
               reissue_of, replaces, total_fen, business_date, issued_at, check_code, print_count, print_state, confirmed_at, reason, approved_by)
             VALUES (?, ?, 'tax_cash', ?, ?, ?, ?, 'issued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 'confirmed', ?, ?, ?)`,
          )
          .run(
            r.receiptUid,
            block.id,
            r.series,
            r.serial,
            r.number,
            r.kind,
            payerId,
            operatorId,
            r.counterNo,
            transactionId,
            byNumber(r.reissueOf),
            byNumber(r.replaces),
            r.totalFen,
            r.businessDate,
            r.issuedAt,
            r.checkCode,
            r.issuedAt,
            r.reason,
            approvedBy ?? (r.kind === 'reissue' ? operatorId : null),
          ).lastInsertRowid,
      );
      const insertLine = db.prepare(
        'INSERT OR IGNORE INTO receipt_lines (receipt_id, line_no, payment_id, year, amount_fen, original, active) VALUES (?, ?, ?, ?, ?, ?, 1)',
      );
      r.lines.forEach((l, i) => {
        const paymentId = paymentIds[i];
        if (paymentId === null || paymentId === undefined) return skip(`number ${r.number}: line ${l.year} has no payment in this file`);
        insertLine.run(id, i + 1, paymentId, l.year, l.amountFen, r.kind === 'reissue' ? 0 : 1);
      });
      // The number is used: the stock moves past it (never back).
      if (block.handed_back_from === null && block.next_serial <= r.serial) {
        db.prepare('UPDATE receipt_blocks SET next_serial = ? WHERE id = ?').run(r.serial + 1, block.id);
      }
      restored.push({ series: r.series, serial: r.serial, digits: block.serial_digits });
      return;
    }
    case 'receipt.voided': {
      const p = ReceiptVoidedPayload.safeParse(e.payload);
      if (!p.success) return skip('payload does not parse');
      const v = p.data;
      const id = idOf(db, "SELECT id FROM receipts WHERE uid = ? AND state = 'issued'", v.receiptUid);
      if (id === null) return;
      const approver =
        idOf(db, 'SELECT id FROM operators WHERE username = ?', v.approvedBy) ?? idOf(db, 'SELECT id FROM operators WHERE username = ?', v.operatorUsername);
      db.prepare("UPDATE receipts SET state = 'voided', voided_at = ?, void_reason = ?, void_approved_by = ? WHERE id = ?").run(
        v.voidedAt,
        v.reason,
        approver,
        id,
      );
      db.prepare('UPDATE receipt_lines SET active = 0 WHERE receipt_id = ?').run(id);
      report.voidsRestored++;
      return;
    }
    case 'exchange.claimed': {
      const p = ExchangeClaimedPayload.safeParse(e.payload);
      if (!p.success) return skip('payload does not parse');
      const x = p.data;
      if (idOf(db, 'SELECT id FROM exchanges WHERE uid = ?', x.exchangeUid) !== null) return;
      const paymentId = idOf(db, 'SELECT id FROM payments WHERE channel = ? AND channel_ref = ?', x.channel, x.channelRef);
      const receiptId = idOf(db, 'SELECT id FROM receipts WHERE uid = ?', x.receiptUid);
      const operatorId = idOf(db, 'SELECT id FROM operators WHERE username = ?', x.operatorUsername);
      if (paymentId === null || receiptId === null || operatorId === null)
        return skip(`exchange of ${x.channelRef}: payment, receipt or operator not in this file`);
      const mode = x.claim ? 'upstream' : 'training_local';
      db.prepare(
        `INSERT OR IGNORE INTO exchanges (uid, payment_id, channel, channel_ref, claim_mode, claim, receipt_id, operator_id, counter_no, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        x.exchangeUid,
        paymentId,
        x.channel,
        x.channelRef,
        mode,
        x.claim ? JSON.stringify(x.claim) : null,
        receiptId,
        operatorId,
        x.counterNo,
        x.exchangedAt,
      );
      report.exchangesRestored++;
      return;
    }
    case 'receipt.block_returned': {
      const p = ReceiptBlockReturnedPayload.safeParse(e.payload);
      if (!p.success) return skip('payload does not parse');
      const b = p.data;
      const block = (
        b.blockId !== null
          ? db.prepare('SELECT id, next_serial, handed_back_from FROM receipt_blocks WHERE upstream_block_id = ?').get(b.blockId)
          : db
              .prepare('SELECT id, next_serial, handed_back_from FROM receipt_blocks WHERE series = ? AND ? BETWEEN first_serial AND last_serial')
              .get(b.series, b.fromSerial)
      ) as { id: number; next_serial: number; handed_back_from: number | null } | undefined;
      if (!block) return skip('block not in this file');
      if (block.handed_back_from !== null) return;
      const by = idOf(db, 'SELECT id FROM operators WHERE username = ?', b.approvedBy);
      db.prepare('UPDATE receipt_blocks SET next_serial = max(next_serial, ?) WHERE id = ?').run(b.fromSerial, block.id);
      db.prepare('UPDATE receipt_blocks SET handed_back_from = next_serial, handed_back_at = ?, handed_back_by = ?, hand_back_reason = ? WHERE id = ?').run(
        b.returnedAt,
        by,
        b.reason,
        block.id,
      );
      return;
    }
    default:
      // day.closed and future kinds: kept as confirmed outbox rows; their local records are not rebuilt.
      return skip('recorded upstream; not rebuilt locally');
  }
}

/** Consecutive serials of one series as ranges of printed numbers. */
function ranges(items: { series: string; serial: number; digits: number }[]): NumberRange[] {
  const sorted = [...items].sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : a.serial - b.serial));
  const out: NumberRange[] = [];
  const fmt = (x: { series: string; serial: number; digits: number }) => `${x.series}${String(x.serial).padStart(x.digits, '0')}`;
  let start: (typeof sorted)[number] | null = null;
  let prev: (typeof sorted)[number] | null = null;
  for (const x of [...sorted, null]) {
    if (x && prev && x.series === prev.series && x.serial === prev.serial + 1) {
      prev = x;
      continue;
    }
    if (start && prev) out.push({ first: fmt(start), last: fmt(prev), count: prev.serial - start.serial + 1 });
    start = prev = x;
  }
  return out;
}

/** Serials before each block's next number that no receipt row holds: used, but the record is gone. */
function lostNumbers(db: Db): NumberRange[] {
  const blocks = db.prepare('SELECT id, series, first_serial, next_serial, serial_digits FROM receipt_blocks').all() as {
    id: number;
    series: string;
    first_serial: number;
    next_serial: number;
    serial_digits: number;
  }[];
  const gaps: { series: string; serial: number; digits: number }[] = [];
  for (const b of blocks) {
    const used = new Set((db.prepare('SELECT serial FROM receipts WHERE block_id = ?').all(b.id) as { serial: number }[]).map((r) => r.serial));
    for (let s = b.first_serial; s < b.next_serial; s++) if (!used.has(s)) gaps.push({ series: b.series, serial: s, digits: b.serial_digits });
  }
  return ranges(gaps);
}

/** A push refused because this installation's sequence was already used upstream. */
export function isSequenceReused(error: unknown): boolean {
  return error instanceof UpstreamError && error.code === 'SEQUENCE_REUSED';
}
