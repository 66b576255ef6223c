// Shared set-up for the sync tests: a counter database, the reference upstream with the same
// county, counter payments written the way the counter writes them (ledger rows and outbox row
// in one transaction), and a comparison of the two ledgers.
import crypto from 'node:crypto';
import path from 'node:path';
import { fixedStartClock } from '../../../electron/platform/clock';
import { trainingConfig } from '../../../electron/platform/config';
import { migrate, openDatabase, type Db } from '../../../electron/platform/db/database';
import { seedDemoCounty, seedDemoOperators } from '../../../electron/services/demo/seed';
import { createLogger } from '../../../electron/platform/log';
import { openTiersFen, policyInForce } from '../../../electron/services/policy/current';
import { startUpstreamSim, type UpstreamSim, type UpstreamSimOptions } from '../../../electron/tools/upstream-sim/server';
import type { SimStore } from '../../../electron/tools/upstream-sim/store';
import { tempDir } from '../../helpers/serve';

export const AS_OF = '2026-06-15';
/** 09:00 in the hall on AS_OF. */
export const START = new Date('2026-06-15T01:00:00Z');
export const SEED = 4242;
export const KEY = 'test-counter-key';
export const STATION = 'hall1-counter01';

export const tiersFen = async () => openTiersFen(await policyInForce('demo', 2026));

export async function startSim(payers: number, extra: UpstreamSimOptions = {}): Promise<UpstreamSim> {
  return startUpstreamSim({
    payers,
    seed: SEED,
    asOf: AS_OF,
    tiersFen: await tiersFen(),
    keys: { [KEY]: STATION },
    clock: fixedStartClock(START),
    ...extra,
  });
}

export interface Counter {
  dir: string;
  file: string;
  db: Db;
}

/**
 * A migrated counter database with the training operators. With `seedPayers`, also the
 * training county the counter would have built from the same seed (as training mode does).
 */
export async function makeCounter(options: { seedPayers?: number; dir?: string } = {}): Promise<Counter> {
  const dir = options.dir ?? tempDir('sync');
  const file = path.join(dir, 'counter.sqlite');
  const db = openDatabase(file, { create: true });
  migrate(db);
  seedDemoOperators(db, START.toISOString());
  if (options.seedPayers !== undefined) {
    const t = trainingConfig();
    await seedDemoCounty(
      db,
      { seed: SEED, payers: options.seedPayers, asOf: AS_OF, regionCode: t.regionCode, countyName: t.countyName, tiersFen: await tiersFen() },
      START.toISOString(),
    );
  }
  return { dir, file, db };
}

export const quietLog = () => createLogger(null);

/**
 * Records a counter payment as the counter does: transaction, payment lines and the outbox row
 * 'payment.recorded' in ONE database transaction. Returns the transaction uid.
 */
export function recordCounterPayment(
  db: Db,
  lines: { idNumber: string; year: number; tierFen: number }[],
  paidAt = new Date(START.getTime() + 3_600_000).toISOString(),
): string {
  const uid = crypto.randomUUID();
  db.transaction(() => {
    const operator = db.prepare("SELECT id FROM operators WHERE username = 'clerk'").get() as { id: number };
    const shift = db.prepare('SELECT id FROM shifts WHERE operator_id = ? AND closed_at IS NULL').get(operator.id) as { id: number } | undefined;
    const shiftId =
      shift?.id ?? Number(db.prepare('INSERT INTO shifts (operator_id, counter_no, opened_at) VALUES (?, 1, ?)').run(operator.id, paidAt).lastInsertRowid);
    const payerIds = lines.map((l) => {
      const row = db.prepare('SELECT id FROM payers WHERE id_number = ?').get(l.idNumber) as { id: number } | undefined;
      if (!row) throw new Error('payer not in the counter store');
      return row.id;
    });
    const total = lines.reduce((s, l) => s + l.tierFen, 0);
    const txId = Number(
      db
        .prepare(
          `INSERT INTO counter_transactions (uid, payer_id, operator_id, shift_id, counter_no, business_date, method, total_fen, created_at)
           VALUES (?, ?, ?, ?, 1, ?, 'bank_card', ?, ?)`,
        )
        .run(uid, payerIds[0], operator.id, shiftId, AS_OF, total, paidAt).lastInsertRowid,
    );
    const payloadLines = lines.map((l, i) => {
      const localUid = `${uid}-${i + 1}`;
      db.prepare(
        `INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, created_at, transaction_id, local_uid)
         VALUES (?, ?, ?, ?, 'counter', NULL, ?, ?, ?, ?)`,
      ).run(payerIds[i], l.year, l.tierFen, l.tierFen, paidAt, paidAt, txId, localUid);
      return {
        localUid,
        idNumber: l.idNumber,
        year: l.year,
        tierFen: l.tierFen,
        amountFen: l.tierFen,
        subsidyFen: 0,
        governmentPaidFen: 0,
        backPayment: l.year < 2026,
      };
    });
    const payload = { transactionUid: uid, counterNo: 1, operatorUsername: 'clerk', businessDate: AS_OF, paidAt, method: 'bank_card', lines: payloadLines };
    db.prepare("INSERT INTO outbox (idempotency_key, kind, payload, created_at) VALUES (?, 'payment.recorded', ?, ?)").run(
      uid,
      JSON.stringify(payload),
      paidAt,
    );
  })();
  return uid;
}

/** Payers registered and active long enough to pay, who have not paid `year`: counter customers. */
export function unpaidPayers(db: Db, year: number, n: number): string[] {
  return (
    db
      .prepare(
        `SELECT id_number FROM payers p WHERE status = 'active' AND registration_date < '2026-06-01'
           AND NOT EXISTS (SELECT 1 FROM payments WHERE payer_id = p.id AND year = ?) ORDER BY id LIMIT ?`,
      )
      .all(year, n) as { id_number: string }[]
  ).map((r) => r.id_number);
}

/** A payment as both sides can describe it, for comparing ledgers. */
function key(p: {
  idNumber: string;
  year: number;
  channel: string;
  channelRef: string | null;
  localUid: string | null;
  amountFen: number;
  upstreamId: string | null;
}) {
  return [p.upstreamId, p.idNumber, p.year, p.channel, p.channelRef ?? '', p.localUid ?? '', p.amountFen].join('|');
}

export function localPayments(db: Db) {
  return db
    .prepare(
      `SELECT r.id_number AS idNumber, p.year, p.channel, p.channel_ref AS channelRef, p.local_uid AS localUid,
              p.amount_fen AS amountFen, p.upstream_id AS upstreamId
       FROM payments p JOIN payers r ON r.id = p.payer_id`,
    )
    .all() as {
    idNumber: string;
    year: number;
    channel: string;
    channelRef: string | null;
    localUid: string | null;
    amountFen: number;
    upstreamId: string | null;
  }[];
}

/**
 * Both ledgers, payment by payment. `equal` means the same multiset of payments, each with the
 * same upstream id on both sides: none lost, none duplicated.
 */
export function compareLedgers(db: Db, store: SimStore) {
  const local = localPayments(db).map(key).sort();
  const upstream = store.allPayments().map(key).sort();
  const upSet = new Set(upstream);
  const localSet = new Set(local);
  return {
    equal: local.length === upstream.length && local.every((k, i) => k === upstream[i]),
    localCount: local.length,
    upstreamCount: upstream.length,
    localOnly: local.filter((k) => !upSet.has(k)).slice(0, 5),
    upstreamOnly: upstream.filter((k) => !localSet.has(k)).slice(0, 5),
  };
}

export function cursors(db: Db): Record<string, string | null> {
  const rows = db.prepare('SELECT stream, cursor FROM sync_state ORDER BY stream').all() as { stream: string; cursor: string | null }[];
  return Object.fromEntries(rows.map((r) => [r.stream, r.cursor]));
}

/** Everything a sync may change in the counter's store, as one comparable value. */
export function storeSnapshot(db: Db) {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    payers: all('SELECT * FROM payers ORDER BY id'),
    groups: all('SELECT * FROM payer_special_groups ORDER BY payer_id, code, valid_from'),
    payments: all('SELECT * FROM payments ORDER BY id'),
    cursors: cursors(db),
    outbox: all('SELECT seq, confirmed_at, server_result FROM outbox ORDER BY seq'),
  };
}
