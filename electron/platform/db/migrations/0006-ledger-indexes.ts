import type { Migration } from './types';

// Indexes the benchmark (issue 9) found missing. Recording a payment reads its lines back by
// transaction (PaymentService.view, the slip renderer, later receipts and day close): without an
// index that is a scan of every payment in the county, ~0.4 s per query at 3,000,000 payments.
// Print jobs are looked up by the transaction they print (reprints, the job of a payment).
export const migration0006: Migration = {
  version: 6,
  name: 'indexes: payments by counter transaction, print jobs by reference',
  up(db) {
    db.exec(`
      CREATE INDEX payments_transaction ON payments(transaction_id) WHERE transaction_id IS NOT NULL;
      CREATE INDEX print_jobs_ref ON print_jobs(ref_id, kind) WHERE ref_id IS NOT NULL;
    `);
  },
};
