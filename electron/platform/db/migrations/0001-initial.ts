import type { Migration } from './types';

// The registry cache, payments from every channel, operators and shifts. Later capabilities
// (receipts, outbox, sync cursors, day closes, audit) add their own numbered migrations.
export const migration0001: Migration = {
  version: 1,
  name: 'initial registry, payments, operators, shifts',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE operators (
        id              INTEGER PRIMARY KEY,
        username        TEXT NOT NULL UNIQUE,
        display_name    TEXT NOT NULL,
        role            TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
        password_hash   TEXT NOT NULL,
        active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until    TEXT,
        created_at      TEXT NOT NULL
      ) STRICT;

      CREATE TABLE shifts (
        id          INTEGER PRIMARY KEY,
        operator_id INTEGER NOT NULL REFERENCES operators(id),
        counter_no  INTEGER NOT NULL CHECK (counter_no BETWEEN 1 AND 99),
        opened_at   TEXT NOT NULL,
        closed_at   TEXT
      ) STRICT;
      CREATE INDEX shifts_open ON shifts(closed_at) WHERE closed_at IS NULL;

      CREATE TABLE payers (
        id                 INTEGER PRIMARY KEY,
        id_number          TEXT NOT NULL UNIQUE,
        name               TEXT NOT NULL,
        -- Pinyin initials of the name ("zs" for 张三) for keyboard search.
        name_initials      TEXT NOT NULL,
        gender             TEXT NOT NULL CHECK (gender IN ('male', 'female')),
        birth_date         TEXT NOT NULL,
        town               TEXT NOT NULL,
        village            TEXT NOT NULL,
        address            TEXT NOT NULL,
        registration_date  TEXT NOT NULL,
        status             TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'receiving', 'terminated')),
        in_employee_scheme INTEGER NOT NULL DEFAULT 0 CHECK (in_employee_scheme IN (0, 1)),
        updated_at         TEXT NOT NULL
      ) STRICT;
      CREATE INDEX payers_name ON payers(name);
      CREATE INDEX payers_initials ON payers(name_initials);
      CREATE INDEX payers_village ON payers(village, name);

      CREATE TABLE payer_special_groups (
        payer_id   INTEGER NOT NULL REFERENCES payers(id) ON DELETE CASCADE,
        code       TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_to   TEXT,
        PRIMARY KEY (payer_id, code, valid_from)
      ) STRICT, WITHOUT ROWID;

      -- Payments from every channel. Not unique per (payer, year): a year paid at the counter
      -- while offline and also in the app is a conflict to surface, and both rows are kept.
      CREATE TABLE payments (
        id          INTEGER PRIMARY KEY,
        payer_id    INTEGER NOT NULL REFERENCES payers(id),
        year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2200),
        tier_fen    INTEGER NOT NULL CHECK (tier_fen > 0),
        amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
        channel     TEXT NOT NULL CHECK (channel IN ('counter', 'bank_pos', 'bank_counter', 'mobile_app')),
        -- Slip / voucher number for bank and app payments; NULL for counter payments.
        channel_ref TEXT,
        paid_at     TEXT NOT NULL,
        created_at  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX payments_payer_year ON payments(payer_id, year);
      CREATE UNIQUE INDEX payments_channel_ref ON payments(channel, channel_ref) WHERE channel_ref IS NOT NULL;
    `);
  },
};
