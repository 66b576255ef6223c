import type { Migration } from './types';

// Counter transactions, the outbox that carries every counter event upstream, sync cursors and
// the persistent print queue.
export const migration0002: Migration = {
  version: 2,
  name: 'counter transactions, outbox, sync state, print jobs',
  up(db) {
    db.exec(`
      -- One confirmation at the counter: one payer, one or more years, one payment method.
      -- uid is generated when the payment screen opens, so a double Enter or a retried call
      -- finds the transaction already recorded instead of paying twice.
      CREATE TABLE counter_transactions (
        id            INTEGER PRIMARY KEY,
        uid           TEXT NOT NULL UNIQUE,
        payer_id      INTEGER NOT NULL REFERENCES payers(id),
        operator_id   INTEGER NOT NULL REFERENCES operators(id),
        shift_id      INTEGER NOT NULL REFERENCES shifts(id),
        counter_no    INTEGER NOT NULL,
        business_date TEXT NOT NULL,
        method        TEXT NOT NULL CHECK (method IN ('cash', 'bank_card', 'qr')),
        total_fen     INTEGER NOT NULL CHECK (total_fen > 0),
        tendered_fen  INTEGER,
        change_fen    INTEGER,
        created_at    TEXT NOT NULL,
        CHECK (method <> 'cash' OR (tendered_fen >= total_fen AND change_fen = tendered_fen - total_fen))
      ) STRICT;
      CREATE INDEX counter_transactions_day ON counter_transactions(business_date, operator_id);

      ALTER TABLE payments ADD COLUMN transaction_id INTEGER REFERENCES counter_transactions(id);
      -- Counter-generated id of a payment line; the upstream echoes it so a pulled copy of our own
      -- payment is matched, not inserted twice.
      ALTER TABLE payments ADD COLUMN local_uid TEXT;
      -- The upstream system's id, once known.
      ALTER TABLE payments ADD COLUMN upstream_id TEXT;
      ALTER TABLE payments ADD COLUMN subsidy_fen INTEGER NOT NULL DEFAULT 0 CHECK (subsidy_fen >= 0);
      ALTER TABLE payments ADD COLUMN government_paid_fen INTEGER NOT NULL DEFAULT 0 CHECK (government_paid_fen >= 0);
      -- How the 代缴 divides between levels of government, as the policy table said that day (JSON).
      ALTER TABLE payments ADD COLUMN government_paid_split TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(government_paid_split));
      ALTER TABLE payments ADD COLUMN back_payment INTEGER NOT NULL DEFAULT 0 CHECK (back_payment IN (0, 1));
      CREATE UNIQUE INDEX payments_local_uid ON payments(local_uid) WHERE local_uid IS NOT NULL;
      CREATE UNIQUE INDEX payments_upstream_id ON payments(upstream_id) WHERE upstream_id IS NOT NULL;

      -- Counter events waiting for (or confirmed by) the upstream, pushed in seq order.
      CREATE TABLE outbox (
        seq             INTEGER PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        kind            TEXT NOT NULL,
        payload         TEXT NOT NULL CHECK (json_valid(payload)),
        created_at      TEXT NOT NULL,
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_attempt_at TEXT,
        last_error      TEXT,
        confirmed_at    TEXT,
        server_result   TEXT CHECK (server_result IS NULL OR json_valid(server_result))
      ) STRICT;
      CREATE INDEX outbox_pending ON outbox(seq) WHERE confirmed_at IS NULL;

      -- One row per pulled stream ('payers', 'payments'): the cursor to resume from.
      CREATE TABLE sync_state (
        stream          TEXT PRIMARY KEY,
        cursor          TEXT,
        last_success_at TEXT,
        last_attempt_at TEXT,
        last_error      TEXT
      ) STRICT;

      -- The persistent print queue. The payload is the layout's data, not bytes: a reprint is
      -- rendered again and marked 重打.
      CREATE TABLE print_jobs (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('payment_slip', 'exchange_record', 'day_summary', 'test_page')),
        ref_id      INTEGER,
        payload     TEXT NOT NULL CHECK (json_valid(payload)),
        state       TEXT NOT NULL CHECK (state IN ('pending', 'printed', 'failed')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        reprint_of  INTEGER REFERENCES print_jobs(id),
        last_error  TEXT,
        created_at  TEXT NOT NULL,
        printed_at  TEXT
      ) STRICT;
      CREATE INDEX print_jobs_pending ON print_jobs(id) WHERE state <> 'printed';
    `);
  },
};
