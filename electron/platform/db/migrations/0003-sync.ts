import type { Migration } from './types';

// What the sync engine needs beyond migration 2: the upstream's version of each payer, so that a
// payer delivered again (a duplicate or a late page) never overwrites a newer copy.
export const migration0003: Migration = {
  version: 3,
  name: 'sync: upstream version of payers',
  up(db) {
    db.exec(`
      -- The upstream change sequence of the copy we hold; NULL for payers seeded locally
      -- (training mode) that the upstream has not delivered yet.
      ALTER TABLE payers ADD COLUMN upstream_seq INTEGER CHECK (upstream_seq IS NULL OR upstream_seq >= 0);
    `);
  },
};
