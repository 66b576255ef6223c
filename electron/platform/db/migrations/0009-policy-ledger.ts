import type { Migration } from './types';

// Policy engine, complete (issue 17): the ledger keeps every fact the engine prices.
// - payments.subsidy_split: who pays the line's subsidy, by level of government (JSON SplitShare[]),
//   as the policy table said that day; summed on the 日汇总单 like government_paid_split.
// - payments.lump_sum_years: NULL for a calendar-year line; N for 一次性补缴 N 年 (one line that counts
//   N years of contribution; its `year` is the year it was paid in, not a year it covers).
// - government_credits: the government's 代缴 for a year as a fact of its own, apart from any
//   personal payment for that year (a 代缴-only year counts, and a tier may still go on top).
export const migration0009: Migration = {
  version: 9,
  name: 'subsidy split and lump sums on payment lines, government 代缴 credits',
  up(db) {
    db.exec(`
      ALTER TABLE payments ADD COLUMN subsidy_split TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(subsidy_split));
      ALTER TABLE payments ADD COLUMN lump_sum_years INTEGER CHECK (lump_sum_years IS NULL OR lump_sum_years BETWEEN 1 AND 100);

      CREATE TABLE government_credits (
        id          INTEGER PRIMARY KEY,
        payer_id    INTEGER NOT NULL REFERENCES payers(id),
        year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2200),
        -- NULL when the source says 代缴 without the amount.
        amount_fen  INTEGER CHECK (amount_fen IS NULL OR amount_fen > 0),
        -- Levels of government (JSON SplitShare[]), '[]' when not stated.
        split       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(split)),
        upstream_id TEXT UNIQUE,
        credited_at TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        UNIQUE (payer_id, year)
      ) STRICT;
    `);
  },
};
