import type { Migration } from './types';

// Receipt stock (票证) and formal receipts 《税收缴款书(税务收现专用)》: number blocks held by an
// operator, every number used (issued or voided, never both, never twice), the payments on each
// receipt, and the exchanges (换开) of bank and app payments.
export const migration0004: Migration = {
  version: 4,
  name: 'receipt stock, receipts, exchanges',
  up(db) {
    db.exec(`
      -- A block of numbers (字轨 + serial range) held by one operator: allocated by the upstream, or
      -- entered by a supervisor from the paper stock delivered to the counter. next_serial is the
      -- next number to use; numbers before it all have a receipts row (issued or voided). A block
      -- handed back keeps its history; [handed_back_from, last_serial] went back unused.
      CREATE TABLE receipt_blocks (
        id                INTEGER PRIMARY KEY,
        receipt_type      TEXT NOT NULL CHECK (receipt_type IN ('tax_cash')),
        series            TEXT NOT NULL CHECK (length(series) BETWEEN 1 AND 32),
        first_serial      INTEGER NOT NULL CHECK (first_serial > 0),
        last_serial       INTEGER NOT NULL,
        serial_digits     INTEGER NOT NULL CHECK (serial_digits BETWEEN 1 AND 15),
        operator_id       INTEGER NOT NULL REFERENCES operators(id),
        source            TEXT NOT NULL CHECK (source IN ('upstream', 'supervisor')),
        upstream_block_id TEXT UNIQUE,
        entered_by        INTEGER REFERENCES operators(id),
        next_serial       INTEGER NOT NULL,
        handed_back_from  INTEGER,
        handed_back_at    TEXT,
        handed_back_by    INTEGER REFERENCES operators(id),
        hand_back_reason  TEXT,
        created_at        TEXT NOT NULL,
        CHECK (last_serial >= first_serial),
        CHECK (next_serial BETWEEN first_serial AND last_serial + 1),
        CHECK ((source = 'upstream') = (upstream_block_id IS NOT NULL)),
        CHECK ((handed_back_from IS NULL) = (handed_back_at IS NULL)),
        CHECK (handed_back_from IS NULL OR handed_back_from = next_serial)
      ) STRICT;
      CREATE INDEX receipt_blocks_operator ON receipt_blocks(operator_id, receipt_type, id);

      -- Two blocks of one series never overlap: the same paper number cannot be held twice.
      CREATE TRIGGER receipt_blocks_no_overlap BEFORE INSERT ON receipt_blocks
      WHEN EXISTS (SELECT 1 FROM receipt_blocks b WHERE b.receipt_type = NEW.receipt_type AND b.series = NEW.series
                     AND b.first_serial <= NEW.last_serial AND NEW.first_serial <= b.last_serial)
      BEGIN SELECT RAISE(ABORT, 'receipt block overlaps an existing block'); END;

      -- Once handed back, a block issues no more numbers.
      CREATE TRIGGER receipt_blocks_closed AFTER UPDATE OF next_serial ON receipt_blocks
      WHEN OLD.handed_back_from IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'receipt block was handed back'); END;

      -- One row per number used. kind: counter (收款后开具), exchange (换开), reissue (补开).
      -- A voided receipt keeps its row (作废, all copies kept); its lines stop counting.
      CREATE TABLE receipts (
        id               INTEGER PRIMARY KEY,
        uid              TEXT NOT NULL UNIQUE,
        block_id         INTEGER NOT NULL REFERENCES receipt_blocks(id),
        receipt_type     TEXT NOT NULL,
        series           TEXT NOT NULL,
        serial           INTEGER NOT NULL,
        number           TEXT NOT NULL UNIQUE,
        kind             TEXT NOT NULL CHECK (kind IN ('counter', 'exchange', 'reissue')),
        state            TEXT NOT NULL CHECK (state IN ('issued', 'voided')),
        payer_id         INTEGER NOT NULL REFERENCES payers(id),
        operator_id      INTEGER NOT NULL REFERENCES operators(id),
        counter_no       INTEGER NOT NULL,
        transaction_id   INTEGER REFERENCES counter_transactions(id),
        reissue_of       INTEGER REFERENCES receipts(id),
        replaces         INTEGER REFERENCES receipts(id),
        total_fen        INTEGER NOT NULL CHECK (total_fen >= 0),
        business_date    TEXT NOT NULL,
        issued_at        TEXT NOT NULL,
        check_code       TEXT NOT NULL,
        print_count      INTEGER NOT NULL DEFAULT 0 CHECK (print_count >= 0),
        print_state      TEXT NOT NULL CHECK (print_state IN ('pending', 'confirmed')),
        confirmed_at     TEXT,
        reason           TEXT,
        approved_by      INTEGER REFERENCES operators(id),
        voided_at        TEXT,
        void_reason      TEXT,
        void_approved_by INTEGER REFERENCES operators(id),
        UNIQUE (receipt_type, series, serial),
        CHECK ((kind = 'reissue') = (reissue_of IS NOT NULL)),
        CHECK (kind <> 'reissue' OR (reason IS NOT NULL AND approved_by IS NOT NULL)),
        CHECK ((state = 'voided') = (voided_at IS NOT NULL)),
        CHECK (state <> 'voided' OR (void_reason IS NOT NULL AND void_approved_by IS NOT NULL))
      ) STRICT;
      CREATE INDEX receipts_payer ON receipts(payer_id);
      CREATE INDEX receipts_transaction ON receipts(transaction_id) WHERE transaction_id IS NOT NULL;
      CREATE INDEX receipts_stock ON receipts(operator_id, receipt_type, state);

      -- A receipt is never renumbered or moved to another payer; only its state and print status change.
      CREATE TRIGGER receipts_immutable BEFORE UPDATE OF block_id, series, serial, number, kind, payer_id, total_fen, reissue_of ON receipts
      BEGIN SELECT RAISE(ABORT, 'a receipt''s number and content cannot change'); END;

      -- The payment lines printed on a receipt, one per year. active = 0 once the receipt is voided.
      -- A payment is on at most one live original receipt (counter or exchange); 补开 copies are
      -- marked as such and do not count.
      CREATE TABLE receipt_lines (
        receipt_id INTEGER NOT NULL REFERENCES receipts(id),
        line_no    INTEGER NOT NULL CHECK (line_no >= 1),
        payment_id INTEGER NOT NULL REFERENCES payments(id),
        year       INTEGER NOT NULL,
        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
        original   INTEGER NOT NULL CHECK (original IN (0, 1)),
        active     INTEGER NOT NULL CHECK (active IN (0, 1)),
        PRIMARY KEY (receipt_id, line_no)
      ) STRICT;
      CREATE UNIQUE INDEX receipt_lines_once ON receipt_lines(payment_id) WHERE original = 1 AND active = 1;
      CREATE INDEX receipt_lines_payment ON receipt_lines(payment_id);

      -- 换开: a bank or app payment exchanged for a formal receipt. Once, ever (UNIQUE payment_id),
      -- and claimed upstream first so that no other counter can exchange it too.
      CREATE TABLE exchanges (
        id          INTEGER PRIMARY KEY,
        uid         TEXT NOT NULL UNIQUE,
        payment_id  INTEGER NOT NULL UNIQUE REFERENCES payments(id),
        channel     TEXT NOT NULL CHECK (channel IN ('bank_pos', 'bank_counter', 'mobile_app')),
        channel_ref TEXT NOT NULL,
        -- upstream: claimed with POST /v1/exchange-claims; training_local: a stand-alone training
        -- counter without an upstream (nothing it prints is a real document).
        claim_mode  TEXT NOT NULL CHECK (claim_mode IN ('upstream', 'training_local')),
        claim       TEXT CHECK (claim IS NULL OR json_valid(claim)),
        receipt_id  INTEGER NOT NULL REFERENCES receipts(id),
        operator_id INTEGER NOT NULL REFERENCES operators(id),
        counter_no  INTEGER NOT NULL,
        created_at  TEXT NOT NULL,
        CHECK ((claim_mode = 'upstream') = (claim IS NOT NULL))
      ) STRICT;
      CREATE UNIQUE INDEX exchanges_ref ON exchanges(channel, channel_ref);
    `);
  },
};
