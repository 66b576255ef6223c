import type { Migration } from './types';

// A clerk's day at the counter (issue 13):
// - counter_transactions.pos_ref: the POS slip's reference number (参考号) of a bank-card payment,
//   so a bank-card payment can be matched with the bank's records.
// - receipts.group_uid / group_index / group_count: one confirmation whose years need several
//   forms issues them as one group (第1张/共3张); a void-and-reissue takes the voided form's place.
// - day_closes.waiting_approved_by: a close made while receipts still waited for print or
//   confirmation, approved by this supervisor (the summary lists those receipts).
export const migration0008: Migration = {
  version: 8,
  name: 'POS reference, receipt groups, day close approval for waiting receipts',
  up(db) {
    db.exec(`
      ALTER TABLE counter_transactions ADD COLUMN pos_ref TEXT CHECK (pos_ref IS NULL OR (method = 'bank_card' AND length(pos_ref) BETWEEN 6 AND 20));
      ALTER TABLE receipts ADD COLUMN group_uid TEXT;
      ALTER TABLE receipts ADD COLUMN group_index INTEGER CHECK (group_index IS NULL OR group_index >= 1);
      ALTER TABLE receipts ADD COLUMN group_count INTEGER CHECK (group_count IS NULL OR group_count >= 1);
      CREATE INDEX receipts_group ON receipts(group_uid) WHERE group_uid IS NOT NULL;
      CREATE INDEX receipts_waiting ON receipts(operator_id) WHERE state = 'issued' AND print_state = 'pending';
      ALTER TABLE day_closes ADD COLUMN waiting_approved_by INTEGER REFERENCES operators(id);
    `);
  },
};
