// Formal receipt fixes of issue 13: one confirmation that needs several forms issues them as a
// group (第1张/共3张 on each, the group in the API view, a void-and-reissue takes its place); the
// address never says the town twice; 填发日期 is the civil date of issue in the hall's zone even
// when the business day has moved on after a day close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedStartClock } from '../../../electron/platform/clock';
import { DayCloseService } from '../../../electron/services/dayclose';
import { ReceiptService } from '../../../electron/services/receipts';
import { migrateDayClose } from '../dayclose/helpers';
import { customerWithYears, quietLog, type Counter } from '../sync/helpers';
import { checkInvariants, clerkContext, counterPayment, customers, receiptCounter, receiptService, SERIES, TAX_OFFICE, type Operators } from './helpers';

let c: Counter & { ops: Operators };
let service: ReceiptService;

beforeAll(async () => {
  c = await receiptCounter({ payers: 300 });
  migrateDayClose(c.db);
  service = receiptService(c.db, { formLineLimit: 5 });
  service.addBlock({ operatorId: c.ops.clerk, series: SERIES, firstSerial: 1, lastSerial: 500, serialDigits: 8 }, c.ops.supervisor);
});

afterAll(() => c.db.close());

describe('one confirmation, several forms', () => {
  it('11 years go on 3 consecutive numbers marked 第1张/共3张 … 第3张/共3张, linked in the view', () => {
    const { idNumber, years } = customerWithYears(c, 11);
    const tx = counterPayment(c, idNumber, years);
    const { receipts } = service.issueForTransaction(tx, clerkContext(c.db));
    expect(receipts.map((r) => r.lines.length)).toEqual([5, 5, 1]);
    const numbers = receipts.map((r) => r.number);
    expect(numbers).toEqual([`${SERIES}00000001`, `${SERIES}00000002`, `${SERIES}00000003`]);
    receipts.forEach((r, i) => expect(r.group).toEqual({ index: i + 1, count: 3, numbers }));
    expect(service.document(numbers[0]!).notes).toContain(`第1张/共3张（${numbers[0]}–${numbers[2]}）`);
    expect(service.document(numbers[2]!).notes).toContain(`第3张/共3张（${numbers[0]}–${numbers[2]}）`);
    // The payer's receipts show the same group.
    expect(service.receiptsForPayer(receipts[0]!.payerId).map((r) => r.group?.index)).toEqual([1, 2, 3]);

    // A misprinted second form is voided; its replacement is the group's 第2张.
    const replacement = service.voidAndReissue(numbers[1]!, '卡纸', c.ops.supervisor, clerkContext(c.db));
    expect(replacement.group).toEqual({ index: 2, count: 3, numbers: [numbers[0], replacement.number, numbers[2]] });
    expect(service.get(numbers[1]!)).toMatchObject({ status: 'voided', replacedBy: replacement.number, actions: ['preview'] });
    expect(service.document(replacement.number).notes).toContain(`第2张/共3张（${numbers[0]}–${numbers[2]}）`);
    expect(service.get(numbers[0]!).group?.numbers).toEqual([numbers[0], replacement.number, numbers[2]]);
    // One form alone is no group.
    const [other] = customers(c.db, 2).slice(1);
    const single = service.issueForTransaction(counterPayment(c, other!, [2026]), clerkContext(c.db)).receipts[0]!;
    expect(single.group).toBeNull();
    expect(service.document(single.number).notes.some((n) => n.includes('张/共'))).toBe(false);
    expect(checkInvariants(c.db, service)).toEqual([]);
  });
});

describe('the printed receipt', () => {
  it('says the town once in the address', () => {
    const rows = c.db
      .prepare('SELECT id_number AS idNumber, town, village, address FROM payers WHERE id_number IN (SELECT value FROM json_each(?)) ORDER BY id')
      .all(JSON.stringify(customers(c.db, 10, [2025]))) as {
      idNumber: string;
      town: string;
      village: string;
      address: string;
    }[];
    expect(rows).toHaveLength(10);
    for (const p of rows) {
      const tx = counterPayment(c, p.idNumber, [2025]);
      const r = service.issueForTransaction(tx, clerkContext(c.db)).receipts[0]!;
      const address = service.document(r.number).address;
      expect(address.split(p.town).length - 1, address).toBe(1);
      expect(address.split(p.village).length - 1, address).toBe(1);
      expect(address).toBe(p.address);
    }
  });

  it('carries the civil date of issue as 填发日期, not the next business day after a day close', () => {
    // 23:30 in the hall on 15 June; the clerk closed the day at 18:00.
    const closer = new DayCloseService(c.db, fixedStartClock(new Date('2026-06-15T10:00:00Z')), quietLog(), { timeZone: 'Asia/Shanghai' });
    for (const r of service.waitingFor(c.ops.clerk)) {
      service.printDocument(r.number);
      service.confirmPrinted(r.number);
    }
    closer.close({ businessDate: '2026-06-15', operatorId: c.ops.clerk, counterNo: 1, cashCountedFen: 0, closedBy: c.ops.clerk });
    const late = new ReceiptService(c.db, fixedStartClock(new Date('2026-06-15T15:30:00Z')), quietLog(), {
      training: true,
      taxOffice: TAX_OFFICE,
      timeZone: 'Asia/Shanghai',
      formLineLimit: 5,
    });
    const [id, id2] = customers(c.db, 2, [2023]);
    const r = late.issueForTransaction(counterPayment(c, id!, [2023]), clerkContext(c.db)).receipts[0]!;
    expect(r.businessDate).toBe('2026-06-16');
    expect(late.document(r.number).issuedDate).toBe('2026-06-15');
    // Past midnight in the hall (16:30 UTC) it is the 16th.
    const afterMidnight = new ReceiptService(c.db, fixedStartClock(new Date('2026-06-15T16:30:00Z')), quietLog(), {
      training: true,
      taxOffice: TAX_OFFICE,
      timeZone: 'Asia/Shanghai',
      formLineLimit: 5,
    });
    const r2 = afterMidnight.issueForTransaction(counterPayment(c, id2!, [2023]), clerkContext(c.db)).receipts[0]!;
    expect(afterMidnight.document(r2.number).issuedDate).toBe('2026-06-16');
  });
});
