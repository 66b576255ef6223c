import type { Migration } from './types';

// Print exactly once (issue 16, finding 3). A slip job is 'sending' from its first byte; found
// 'sending' after a restart, or failed after bytes went out, it is 'uncertain' (可能已打印) and is
// never sent again by itself: the clerk says whether it printed, and a resend is a new job marked
// 重打. SQLite cannot change a CHECK in place, so the table is rebuilt (inside the migration's
// transaction, where foreign keys cannot be switched off: hence the copy, not a rename).
export const migration0013: Migration = {
  version: 13,
  name: 'print jobs: sending and uncertain states',
  up(db) {
    // The queue is set aside, the table emptied and dropped (reprints and their originals go
    // together, so no reference dangles), created again and refilled in id order.
    db.exec(`
      CREATE TEMP TABLE print_jobs_copy AS SELECT * FROM print_jobs;
      DELETE FROM print_jobs;
      DROP TABLE print_jobs;
      CREATE TABLE print_jobs (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('payment_slip', 'exchange_record', 'day_summary', 'test_page')),
        ref_id      INTEGER,
        payload     TEXT NOT NULL CHECK (json_valid(payload)),
        state       TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'printed', 'failed', 'uncertain')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        reprint_of  INTEGER REFERENCES print_jobs(id),
        last_error  TEXT,
        created_at  TEXT NOT NULL,
        printed_at  TEXT,
        -- UTC instant the first byte went out (the last attempt); NULL while never sent.
        sent_at     TEXT,
        -- How an uncertain job was settled: 'confirmed' (the clerk saw it printed) or
        -- 'resent' (a marked reprint was queued instead).
        resolution  TEXT CHECK (resolution IN ('confirmed', 'resent'))
      ) STRICT;
      INSERT INTO print_jobs (id, kind, ref_id, payload, state, attempts, reprint_of, last_error, created_at, printed_at)
        SELECT id, kind, ref_id, payload, state, attempts, reprint_of, last_error, created_at, printed_at FROM print_jobs_copy ORDER BY id;
      DROP TABLE print_jobs_copy;
      CREATE INDEX print_jobs_pending ON print_jobs(id) WHERE state <> 'printed';
      CREATE INDEX print_jobs_ref ON print_jobs(ref_id, kind) WHERE ref_id IS NOT NULL;
    `);
  },
};
