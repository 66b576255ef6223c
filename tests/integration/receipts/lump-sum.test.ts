// Issue 17: a lump-sum payment (one ledger line counting N years) says so on the formal receipt.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Db } from '../../../electron/platform/db/database';
import type { ReceiptService } from '../../../electron/services/receipts';
import { counterPayments, recordCounterPayment } from '../sync/helpers';
import {
  checkInvariants,
  clerkContext,
  counterPayment,
  customers,
  receiptCounter,
  receiptService,
  SERIES,
  transactionId,
  type ReceiptCounter,
} from './helpers';

let c: ReceiptCounter;
let db: Db;
let service: ReceiptService;

beforeEach(async () => {
  c = await receiptCounter({ payers: 400 });
  db = c.db;
  service = receiptService(db);
  service.addBlock({ operatorId: c.ops.clerk, series: SERIES, firstSerial: 201, lastSerial: 205, serialDigits: 8 }, c.ops.supervisor);
});

afterEach(() => {
  expect(checkInvariants(db, service)).toEqual([]);
  db.close();
});

/** A payer past pension age to whom the counter offers 一次性补缴 of several years, with the years and the lowest tier offered. */
function lumpSumCustomer(): { idNumber: string; years: number; tierFen: number } {
  const payments = counterPayments(c);
  const candidates = db
    .prepare("SELECT id, id_number FROM payers WHERE status = 'active' AND in_employee_scheme = 0 AND birth_date < '1966-06-15' ORDER BY id")
    .all() as { id: number; id_number: string }[];
  for (const { id, id_number } of candidates) {
    const offer = payments.assess(id).assessment?.lumpSum;
    if (offer?.payable && offer.maxYears >= 2) return { idNumber: id_number, years: offer.maxYears, tierFen: offer.tiers[0]!.tierFen };
  }
  throw new Error('no payer in the county may pay a lump sum');
}

it('the remarks of a lump-sum receipt name the years it counts; a calendar-year receipt has no such remark', () => {
  const lump = lumpSumCustomer();
  const [yearPayer] = customers(db, 1);
  // 一次性补缴 of every missing year at the lowest tier, as the clerk takes it.
  const lumpTx = transactionId(db, recordCounterPayment(c, lump.idNumber, [{ year: 2026, tierFen: lump.tierFen, lumpSum: true, years: lump.years }]));
  const [receipt] = service.issueForTransaction(lumpTx, clerkContext(db)).receipts;
  const doc = service.document(receipt!.number);
  expect(doc.lines).toEqual([expect.objectContaining({ year: 2026, amountFen: lump.tierFen * lump.years })]);
  expect(doc.notes).toContain(`一次性补缴${lump.years}年`);
  const yearTx = counterPayment(c, yearPayer!, [2026]);
  const [plain] = service.issueForTransaction(yearTx, clerkContext(db)).receipts;
  expect(service.document(plain!.number).notes.some((n) => n.includes('一次性补缴'))).toBe(false);
});
