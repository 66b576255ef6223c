// Applies validated pages of the payers and payments streams to one connection. Each page and
// its cursor go in ONE transaction: a crash (or kill -9) between pages loses nothing and a crash
// inside a page leaves no half page behind. The same code runs on the services thread (small
// pages of an incremental sync) and in the ingest worker (electron/sync/ingest.worker.ts) on the
// worker's own connection, so both paths keep the same matching and conflict rules.
import type { Db } from '../platform/db/database';
import { nameInitials } from '../platform/pinyin';
import { maskIdNumber } from '../../shared/domain/id-number';
import type { PayersPage, PaymentsPage, WirePayer, WirePayment } from './protocol';

/** A payment names a payer this store has not received yet: pull payers, then try again. */
export class UnknownPayerError extends Error {
  constructor(idNumber: string) {
    super(`付款记录所属参保人 ${maskIdNumber(idNumber)} 尚未同步`);
    this.name = 'UnknownPayerError';
  }
}

/** Distinct names remembered by the initials memo before it starts afresh. */
const INITIALS_MEMO_LIMIT = 50_000;

export class PageApplier {
  private readonly stmts;
  // Pinyin conversion costs tens of microseconds a name and a county repeats its names a lot:
  // the same function, remembered (bounded, so a county of unique names cannot grow it forever).
  private readonly initialsMemo = new Map<string, string>();
  private lastPayer: { idNumber: string; id: number } | null = null;

  constructor(private readonly db: Db) {
    this.stmts = {
      payerByIdNumber: db.prepare('SELECT id, upstream_seq FROM payers WHERE id_number = ?'),
      insertPayer: db.prepare(
        `INSERT INTO payers (id_number, name, name_initials, gender, birth_date, town, village, address,
           registration_date, status, in_employee_scheme, updated_at, upstream_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updatePayer: db.prepare(
        `UPDATE payers SET name = ?, name_initials = ?, gender = ?, birth_date = ?, town = ?, village = ?,
           address = ?, registration_date = ?, status = ?, in_employee_scheme = ?, updated_at = ?, upstream_seq = ?
         WHERE id = ?`,
      ),
      deleteGroups: db.prepare('DELETE FROM payer_special_groups WHERE payer_id = ?'),
      insertGroup: db.prepare('INSERT OR REPLACE INTO payer_special_groups (payer_id, code, valid_from, valid_to) VALUES (?, ?, ?, ?)'),
      // One statement for both tables: a first sync asks it for every payment.
      knownUpstreamId: db
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM payments WHERE upstream_id = ?)
               OR EXISTS (SELECT 1 FROM government_credits WHERE upstream_id = ?)`,
        )
        .pluck(),
      payerIdByIdNumber: db.prepare('SELECT id FROM payers WHERE id_number = ?').pluck(),
      // A second 代缴 record for the same year is the same credit (the upstream keeps one per year).
      insertGovernmentCredit: db.prepare(
        `INSERT INTO government_credits (payer_id, year, amount_fen, split, upstream_id, credited_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (payer_id, year) DO NOTHING`,
      ),
      paymentByLocalUid: db.prepare('SELECT id, payer_id, year, upstream_id FROM payments WHERE local_uid = ?'),
      paymentByChannelRef: db.prepare('SELECT id, payer_id, year, upstream_id FROM payments WHERE channel = ? AND channel_ref = ?'),
      // A counter payment seeded locally from the same demo county as the upstream's: same payer,
      // year and instant, and neither id yet.
      seededCounterPayment: db.prepare(
        `SELECT id FROM payments WHERE payer_id = ? AND year = ? AND channel = 'counter' AND paid_at = ?
           AND upstream_id IS NULL AND local_uid IS NULL LIMIT 1`,
      ),
      setUpstreamId: db.prepare('UPDATE payments SET upstream_id = ? WHERE id = ? AND upstream_id IS NULL'),
      insertPayment: db.prepare(
        `INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, created_at,
           local_uid, upstream_id, subsidy_fen, government_paid_fen, back_payment)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      saveCursor: db.prepare(
        `INSERT INTO sync_state (stream, cursor, last_success_at, last_attempt_at, last_error)
         VALUES (@stream, @cursor, @success, @now, NULL)
         ON CONFLICT (stream) DO UPDATE SET cursor = excluded.cursor,
           last_success_at = coalesce(excluded.last_success_at, sync_state.last_success_at),
           last_attempt_at = excluded.last_attempt_at, last_error = NULL`,
      ),
    };
  }

  /**
   * The payer a payment belongs to. A payer's payments come one after the other in the stream,
   * so within a page the last answer is kept for the next payment.
   */
  private payerOf(idNumber: string): { id: number } | undefined {
    if (this.lastPayer?.idNumber === idNumber) return this.lastPayer;
    const id = this.stmts.payerIdByIdNumber.get(idNumber) as number | undefined;
    this.lastPayer = id === undefined ? null : { idNumber, id };
    return this.lastPayer ?? undefined;
  }

  private initials(name: string): string {
    let v = this.initialsMemo.get(name);
    if (v === undefined) {
      if (this.initialsMemo.size >= INITIALS_MEMO_LIMIT) this.initialsMemo.clear();
      v = nameInitials(name);
      this.initialsMemo.set(name, v);
    }
    return v;
  }

  /** Upserts payers by ID number, newest version wins; advances the cursor in the same transaction. */
  applyPayersPage(page: PayersPage, nowIso: string): void {
    const s = this.stmts;
    // Items may arrive shuffled or twice: in seq order, the version check keeps the newest.
    const items = [...page.items].sort((a, b) => a.seq - b.seq);
    // IMMEDIATE: the write lock is taken (waiting busy_timeout) before the first read, so a
    // counter payment committed on the other connection meanwhile cannot make the upgrade fail.
    this.db
      .transaction(() => {
        for (const p of items) this.applyPayer(p);
        s.saveCursor.run({ stream: 'payers', cursor: page.next, success: page.more ? null : nowIso, now: nowIso });
      })
      .immediate();
  }

  private applyPayer(p: WirePayer): void {
    const s = this.stmts;
    const existing = s.payerByIdNumber.get(p.idNumber) as { id: number; upstream_seq: number | null } | undefined;
    const fields = [
      p.name,
      this.initials(p.name),
      p.gender,
      p.birthDate,
      p.town,
      p.village,
      p.address,
      p.registrationDate,
      p.status,
      p.inEmployeeScheme ? 1 : 0,
      p.updatedAt,
      p.seq,
    ] as const;
    let payerId: number;
    if (!existing) {
      payerId = Number(s.insertPayer.run(p.idNumber, ...fields).lastInsertRowid);
    } else {
      // A redelivered or late copy must not overwrite a newer one.
      if (existing.upstream_seq !== null && existing.upstream_seq >= p.seq) return;
      payerId = existing.id;
      s.updatePayer.run(...fields, payerId);
      s.deleteGroups.run(payerId);
    }
    for (const g of p.specialGroups) s.insertGroup.run(payerId, g.code, g.from, g.to);
  }

  /**
   * Adds payments by upstream id. A payment we pushed ourselves comes back with our local uid
   * and is matched, not added again; so is a bank or app payment we already hold by its slip
   * number (a training county seeded from the same generator as the upstream's).
   */
  applyPaymentsPage(page: PaymentsPage, nowIso: string): void {
    const s = this.stmts;
    const items = [...page.items].sort((a, b) => a.seq - b.seq);
    // The memo lives for one page: what another connection does between pages is not assumed.
    this.lastPayer = null;
    this.db
      .transaction(() => {
        for (const p of items) this.applyPayment(p, nowIso);
        s.saveCursor.run({ stream: 'payments', cursor: page.next, success: page.more ? null : nowIso, now: nowIso });
      })
      .immediate();
  }

  private applyPayment(p: WirePayment, nowIso: string): void {
    const s = this.stmts;
    if (s.knownUpstreamId.get(p.upstreamId, p.upstreamId) === 1) return; // payments are immutable upstream: a redelivery
    const payer = this.payerOf(p.idNumber);
    if (!payer) throw new UnknownPayerError(p.idNumber);
    if (p.tierFen === 0) {
      // The government's 代缴 alone: a fact of its own, kept apart from personal payments (issue 17).
      s.insertGovernmentCredit.run(payer.id, p.year, p.governmentPaidFen, JSON.stringify(p.governmentPaidSplit ?? []), p.upstreamId, p.paidAt, nowIso);
      return;
    }

    type Match = { id: number; payer_id: number; year: number; upstream_id: string | null };
    let match: Match | undefined;
    if (p.localUid !== null) match = s.paymentByLocalUid.get(p.localUid) as Match | undefined;
    if (!match && p.channelRef !== null) match = s.paymentByChannelRef.get(p.channel, p.channelRef) as Match | undefined;
    if (match) {
      if (match.payer_id !== payer.id || match.year !== p.year || match.upstream_id !== null) {
        // Same slip or uid, different payment: refusing the page keeps the mismatch visible
        // (sync state shows it) instead of guessing which side is right.
        throw new Error(`上游付款 ${p.upstreamId} 与本地付款 ${match.id} 的凭证号相同但内容不同（${maskIdNumber(p.idNumber)}，${p.year} 年）`);
      }
      s.setUpstreamId.run(p.upstreamId, match.id);
      return;
    }
    if (p.channel === 'counter' && p.localUid === null) {
      const seeded = s.seededCounterPayment.get(payer.id, p.year, p.paidAt) as { id: number } | undefined;
      if (seeded) {
        s.setUpstreamId.run(p.upstreamId, seeded.id);
        return;
      }
    }
    s.insertPayment.run(
      payer.id,
      p.year,
      p.tierFen,
      p.amountFen,
      p.channel,
      p.channelRef,
      p.paidAt,
      nowIso,
      p.localUid,
      p.upstreamId,
      p.subsidyFen,
      p.governmentPaidFen,
      p.backPayment ? 1 : 0,
    );
  }
}
