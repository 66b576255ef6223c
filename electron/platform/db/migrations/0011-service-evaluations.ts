import type { Migration } from './types';

// Service evaluations (issue 20, 政务服务"好差评"): the payer's rating of a counter payment on the
// payer's screen, one per transaction, with the operator and the counter that served them. A
// question the payer left unanswered is kept as 'skipped' so the supervisor sees how many were
// asked. business_date is the transaction's, so the counts fall on the same 日汇总单 as the money.
export const migration0011: Migration = {
  version: 11,
  name: 'service evaluations (好差评)',
  up(db) {
    db.exec(`
      CREATE TABLE service_evaluations (
        id             INTEGER PRIMARY KEY,
        uid            TEXT NOT NULL UNIQUE,
        transaction_id INTEGER NOT NULL UNIQUE REFERENCES counter_transactions(id),
        operator_id    INTEGER NOT NULL REFERENCES operators(id),
        counter_no     INTEGER NOT NULL,
        business_date  TEXT NOT NULL,
        outcome        TEXT NOT NULL CHECK (outcome IN ('rated', 'skipped')),
        level          TEXT CHECK (level IN ('very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied')),
        -- JSON array of reason codes; only the two lowest levels carry any.
        reasons        TEXT NOT NULL DEFAULT '[]',
        -- UTC instant.
        recorded_at    TEXT NOT NULL,
        CHECK ((outcome = 'rated') = (level IS NOT NULL)),
        CHECK (reasons = '[]' OR level IN ('dissatisfied', 'very_dissatisfied'))
      ) STRICT;
      CREATE INDEX service_evaluations_day ON service_evaluations(business_date, operator_id);
    `);
  },
};
