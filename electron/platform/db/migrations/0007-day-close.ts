import type { Migration } from './types';

// Day closes (日结, issue 8): one immutable, numbered record per operator and business day with
// the day's summary as it was at closing (JSON snapshot, reprinted as is), the cash expected,
// counted and the difference. A closed day takes no more payments or receipts (assertDayOpen in
// electron/services/dayclose). The 'day.closed' outbox event is written in the same transaction.
// Comparisons with the upstream's day totals are appended to day_close_reconciliations.
export const migration0007: Migration = {
  version: 7,
  name: 'day closes and their reconciliation with the upstream',
  up(db) {
    db.exec(`
      CREATE TABLE day_closes (
        -- The close number (日结编号): 1, 2, 3 … never reused.
        no                  INTEGER PRIMARY KEY AUTOINCREMENT,
        uid                 TEXT NOT NULL UNIQUE,
        business_date       TEXT NOT NULL CHECK (business_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
        operator_id         INTEGER NOT NULL REFERENCES operators(id),
        counter_no          INTEGER NOT NULL CHECK (counter_no BETWEEN 1 AND 99),
        payment_count       INTEGER NOT NULL CHECK (payment_count >= 0),
        total_fen           INTEGER NOT NULL CHECK (total_fen >= 0),
        cash_expected_fen   INTEGER NOT NULL CHECK (cash_expected_fen >= 0),
        cash_counted_fen    INTEGER NOT NULL CHECK (cash_counted_fen >= 0),
        cash_difference_fen INTEGER NOT NULL,
        -- The DaySummary at closing (canonical JSON) and its SHA-256.
        summary             TEXT NOT NULL CHECK (json_valid(summary)),
        summary_sha256      TEXT NOT NULL CHECK (length(summary_sha256) = 64),
        closed_by           INTEGER NOT NULL REFERENCES operators(id),
        -- UTC instant.
        closed_at           TEXT NOT NULL,
        UNIQUE (business_date, operator_id),
        CHECK (cash_difference_fen = cash_counted_fen - cash_expected_fen)
      ) STRICT;
      CREATE INDEX day_closes_date ON day_closes(business_date, counter_no);

      CREATE TRIGGER day_closes_no_update BEFORE UPDATE ON day_closes
      BEGIN SELECT RAISE(ABORT, 'a day close is immutable'); END;
      CREATE TRIGGER day_closes_no_delete BEFORE DELETE ON day_closes
      BEGIN SELECT RAISE(ABORT, 'a day close is immutable'); END;

      -- Every comparison of a close with the upstream's day totals, append-only.
      CREATE TABLE day_close_reconciliations (
        id          INTEGER PRIMARY KEY,
        close_no    INTEGER NOT NULL REFERENCES day_closes(no),
        compared_at TEXT NOT NULL,
        upstream    TEXT NOT NULL CHECK (json_valid(upstream)),
        mismatches  TEXT NOT NULL CHECK (json_valid(mismatches)),
        matched     INTEGER NOT NULL CHECK (matched IN (0, 1))
      ) STRICT;
      CREATE INDEX day_close_reconciliations_close ON day_close_reconciliations(close_no, id);
      CREATE TRIGGER day_close_reconciliations_no_update BEFORE UPDATE ON day_close_reconciliations
      BEGIN SELECT RAISE(ABORT, 'a reconciliation record is immutable'); END;
      CREATE TRIGGER day_close_reconciliations_no_delete BEFORE DELETE ON day_close_reconciliations
      BEGIN SELECT RAISE(ABORT, 'a reconciliation record is immutable'); END;

      -- What the day summary reads: a day's payment lines through their transactions, a day's
      -- receipts, and the receipt printed in place of a voided one.
      -- (payments_transaction also comes with 0006-ledger-indexes.)
      CREATE INDEX IF NOT EXISTS payments_transaction ON payments(transaction_id) WHERE transaction_id IS NOT NULL;
      CREATE INDEX receipts_day ON receipts(business_date, operator_id);
      CREATE INDEX receipts_replaces ON receipts(replaces) WHERE replaces IS NOT NULL;
    `);
  },
};
