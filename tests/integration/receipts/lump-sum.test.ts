// Issue 17: a lump-sum payment (one ledger line counting N years) says so on the formal receipt.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Db } from '../../../electron/platform/db/database';
import type { ReceiptService } from '../../../electron/services/receipts';
import { checkInvariants, clerkContext, counterPayment, customers, receiptCounter, receiptService, SERIES } from './helpers';

let db: Db;
let service: ReceiptService;

beforeEach(async () => {
  const c = await receiptCounter();
  db = c.db;
  service = receiptService(db);
  service.addBlock({ operatorId: c.ops.clerk, series: SERIES, firstSerial: 201, lastSerial: 205, serialDigits: 8 }, c.ops.supervisor);
});

afterEach(() => {
  expect(checkInvariants(db, service)).toEqual([]);
  db.close();
});

it('the remarks of a lump-sum receipt name the years it counts; a calendar-year receipt has no such remark', () => {
  const [lumpPayer, yearPayer] = customers(db, 2);
  const lumpTx = counterPayment(db, lumpPayer!, [2026], 180_000);
  // As PaymentService.record writes a 一次性补缴 6 年 line.
  db.prepare('UPDATE payments SET lump_sum_years = 6, back_payment = 1 WHERE transaction_id = ?').run(lumpTx);
  const [receipt] = service.issueForTransaction(lumpTx, clerkContext(db)).receipts;
  const doc = service.document(receipt!.number);
  expect(doc.lines).toEqual([expect.objectContaining({ year: 2026, amountFen: 180_000 })]);
  expect(doc.notes).toContain('一次性补缴6年');
  const yearTx = counterPayment(db, yearPayer!, [2026]);
  const [plain] = service.issueForTransaction(yearTx, clerkContext(db)).receipts;
  expect(service.document(plain!.number).notes.some((n) => n.includes('一次性补缴'))).toBe(false);
});
