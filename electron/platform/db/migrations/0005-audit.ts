import type { Migration } from './types';

/** prev_hash of the first row: there is nothing before it. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

// The append-only audit trail (issue 10): who did what, when (UTC), at which counter, with the
// state before and after. Every row carries the SHA-256 of its own content and of the row before
// it (electron/services/trust/audit.ts computes both); audit_head keeps the last seq and hash so
// that deleting the newest rows is detected as well. Triggers refuse UPDATE and DELETE, and
// refuse an INSERT that does not continue the chain; the hash chain is what detects a file edited
// with those triggers dropped.
export const migration0005: Migration = {
  version: 5,
  name: 'audit log: hash-chained, append-only',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq               INTEGER PRIMARY KEY,
        -- UTC instant, ISO 8601 with milliseconds and Z ('2026-06-15T01:00:00.000Z').
        at                TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'),
        -- No foreign key: the trail outlives whatever it describes. NULL for a failed sign-in of
        -- an unknown user or for actions of the system itself (scheduled backup).
        operator_id       INTEGER,
        operator_username TEXT,
        counter_no        INTEGER CHECK (counter_no IS NULL OR counter_no BETWEEN 1 AND 99),
        action            TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
        entity            TEXT NOT NULL CHECK (length(entity) BETWEEN 1 AND 64),
        entity_id         TEXT,
        -- Canonical JSON (sorted keys, ID numbers masked) or NULL.
        before            TEXT CHECK (before IS NULL OR json_valid(before)),
        after             TEXT CHECK (after IS NULL OR json_valid(after)),
        prev_hash         TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash              TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log(at);
      CREATE INDEX audit_log_operator ON audit_log(operator_id, at);
      CREATE INDEX audit_log_action ON audit_log(action, at);
      CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

      -- The chain head: seq and hash of the newest row, moved forward by the insert trigger in
      -- the same transaction as the row.
      CREATE TABLE audit_head (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL CHECK (seq >= 0),
        hash TEXT NOT NULL CHECK (length(hash) = 64)
      ) STRICT;
      INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${AUDIT_GENESIS_HASH}');

      CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_continues_chain BEFORE INSERT ON audit_log
      WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1)
        OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head WHERE id = 1)
      BEGIN SELECT RAISE(ABORT, 'audit_log row does not continue the chain'); END;
      CREATE TRIGGER audit_log_moves_head AFTER INSERT ON audit_log
      BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END;

      CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
      WHEN NEW.id IS NOT OLD.id OR NEW.seq IS NOT OLD.seq + 1
        OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash)
      BEGIN SELECT RAISE(ABORT, 'audit_head only follows the newest audit_log row'); END;
      CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
      BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END;
      CREATE TRIGGER audit_head_no_insert BEFORE INSERT ON audit_head
      BEGIN SELECT RAISE(ABORT, 'audit_head has exactly one row'); END;
    `);
  },
};
