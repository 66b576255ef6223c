import type { Migration } from './types';

// Page print jobs (issue 22): every formal receipt, A4 day summary and calibration frame handed to
// the operating system's spooler, followed to the spooler's answer. A receipt's print state comes
// from here: 'sent' (已送打印) until the spooler says 'completed' (打印完成) or 'failed' (打印失败,
// with the spooler's reason). A row still 'sent' without a spooler job id after a restart was never
// handed over, and is failed: a job the spooler lost is never counted as printed.
export const migration0010: Migration = {
  version: 10,
  name: 'page print jobs followed through the spooler',
  up(db) {
    db.exec(`
      CREATE TABLE spool_jobs (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        document      TEXT NOT NULL CHECK (document IN ('receipt', 'day_summary', 'calibration')),
        -- The receipt number, the 日结编号, or the printer name for a calibration frame.
        ref           TEXT NOT NULL,
        -- Receipts: the print count (第N次打印) printed on this copy.
        attempt       INTEGER,
        spooler       TEXT NOT NULL CHECK (spooler IN ('cups', 'windows', 'training')),
        printer       TEXT NOT NULL,
        -- The spooler's id for the job once it accepted it (CUPS job-id, Windows document name).
        job_id        TEXT,
        state         TEXT NOT NULL CHECK (state IN ('sent', 'completed', 'failed')),
        -- The spooler's own last word (IPP job-state, Windows JobStatus), for IT.
        spooler_state TEXT,
        -- Why it failed, in the clerk's words with the spooler's message.
        reason        TEXT,
        -- UTC instants.
        submitted_at  TEXT NOT NULL,
        finished_at   TEXT,
        CHECK ((state = 'sent') = (finished_at IS NULL))
      ) STRICT;
      CREATE INDEX spool_jobs_ref ON spool_jobs(document, ref, id);
      CREATE INDEX spool_jobs_open ON spool_jobs(id) WHERE state = 'sent';
    `);
  },
};
