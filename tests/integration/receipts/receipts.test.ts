import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../electron/platform/db/database';
import { ReceiptRefused, type ReceiptService } from '../../../electron/services/receipts';
import { customerWithYears, START } from '../sync/helpers';
import {
  bankPayments,
  checkInvariants,
  clerkContext,
  counterPayment,
  customers,
  receiptCounter,
  receiptService,
  SERIES,
  type Operators,
  type ReceiptCounter,
} from './helpers';

let c: ReceiptCounter;
let db: Db;
let ops: Operators;
let service: ReceiptService;

async function refusal(fn: () => unknown): Promise<ReceiptRefused> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ReceiptRefused) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const outbox = (kind: string) =>
  (db.prepare('SELECT payload FROM outbox WHERE kind = ? ORDER BY seq').all(kind) as { payload: string }[]).map(
    (r) => JSON.parse(r.payload) as Record<string, unknown>,
  );

beforeEach(async () => {
  c = await receiptCounter();
  db = c.db;
  ops = c.ops;
  service = receiptService(db);
  service.addBlock({ operatorId: ops.clerk, series: SERIES, firstSerial: 101, lastSerial: 110, serialDigits: 8 }, ops.supervisor);
});

afterEach(() => {
  expect(checkInvariants(db, service)).toEqual([]);
  db.close();
});

describe('receipt stock', () => {
  it('shows what a clerk holds and the next form to load', () => {
    expect(service.nextNumber(ops.clerk)).toBe('(2026)示税现00000101');
    expect(service.stockBalance()).toEqual([
      expect.objectContaining({
        operatorUsername: 'clerk',
        receiptType: 'tax_cash',
        received: 10,
        issued: 0,
        voided: 0,
        left: 10,
        handedBack: 0,
        nextNumber: '(2026)示税现00000101',
      }),
    ]);
  });

  it('only a supervisor enters stock, and the same paper number cannot be held twice', async () => {
    const notSupervisor = await refusal(() =>
      service.addBlock({ operatorId: ops.clerk, series: SERIES, firstSerial: 201, lastSerial: 210, serialDigits: 8 }, ops.clerk),
    );
    expect(notSupervisor.code).toBe('APPROVAL_REQUIRED');
    const overlap = await refusal(() =>
      service.addBlock({ operatorId: ops.supervisor, series: SERIES, firstSerial: 110, lastSerial: 120, serialDigits: 8 }, ops.supervisor),
    );
    expect(overlap.message).toContain('重叠');
    // Another series may reuse the serials.
    service.addBlock({ operatorId: ops.supervisor, series: '(2026)示税现B', firstSerial: 101, lastSerial: 102, serialDigits: 8 }, ops.supervisor);
    expect(service.stockBalance().map((r) => [r.operatorUsername, r.left])).toEqual([
      ['clerk', 10],
      ['super', 2],
    ]);
  });

  it('an upstream block is recorded once however often it is delivered', () => {
    const block = {
      blockId: 'RB2026-00000301',
      receiptType: 'tax_cash' as const,
      series: '(2026)示税现',
      firstSerial: 301,
      lastSerial: 400,
      serialDigits: 8,
      operatorUsername: 'clerk',
      allocatedAt: START.toISOString(),
    };
    const a = service.addUpstreamBlock(block);
    const b = service.addUpstreamBlock(block);
    expect(b.id).toBe(a.id);
    expect(service.stockBalance()[0]).toMatchObject({ received: 110, left: 110 });
  });

  it('a block handed back issues no more numbers and is recorded with the supervisor', async () => {
    const [payer] = customers(db, 1);
    const tx = counterPayment(c, payer!, [2026]);
    service.issueForTransaction(tx, clerkContext(db));
    const [block] = service.blocks(ops.clerk);
    const back = service.handBackBlock(block!.id, ops.supervisor, '调岗交回');
    expect(back.handedBack).toMatchObject({ fromSerial: 102, byOperatorId: ops.supervisor, reason: '调岗交回' });
    expect(service.stockBalance()[0]).toMatchObject({ received: 10, issued: 1, left: 0, handedBack: 9, nextNumber: null });
    expect(outbox('receipt.block_returned')[0]).toMatchObject({ fromSerial: 102, lastSerial: 110, count: 9, approvedBy: 'super' });
    const empty = await refusal(() => service.issueForTransaction(counterPayment(c, customers(db, 2)[1]!, [2026]), clerkContext(db)));
    expect(empty.reason).toBe('RECEIPT_STOCK_EMPTY');
  });
});

describe('issuing for a counter payment', () => {
  it('puts several years on one receipt, spreads more than the form holds over consecutive numbers, and is idempotent', () => {
    const { idNumber: payer, years } = customerWithYears(c, 7, 20_000);
    const tx = counterPayment(c, payer, years, 20_000);
    const first = service.issueForTransaction(tx, clerkContext(db));
    expect(first.duplicate).toBe(false);
    const oldestFirst = [...years].sort((a, b) => a - b);
    expect(first.receipts.map((r) => [r.number, r.lines.map((l) => l.year), r.totalFen])).toEqual([
      ['(2026)示税现00000101', oldestFirst.slice(0, 5), 100_000],
      ['(2026)示税现00000102', oldestFirst.slice(5), 40_000],
    ]);
    const again = service.issueForTransaction(tx, clerkContext(db));
    expect(again).toMatchObject({ duplicate: true, receipts: [{ number: '(2026)示税现00000101' }, { number: '(2026)示税现00000102' }] });
    const events = outbox('receipt.issued');
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      number: '(2026)示税现00000101',
      kind: 'counter',
      idNumber: payer,
      totalFen: 100_000,
      operatorUsername: 'clerk',
      businessDate: '2026-06-15',
    });
    expect((events[0]!.lines as unknown[]).length).toBe(5);
    expect(service.stockBalance()[0]).toMatchObject({ issued: 2, left: 8 });
  });

  it('prints, reprints on the same number, confirms, and refuses printing a confirmed receipt again', async () => {
    const tx = counterPayment(c, customers(db, 1)[0]!, [2026]);
    const [r] = service.issueForTransaction(tx, clerkContext(db)).receipts;
    expect(service.printDocument(r!.number).printCount).toBe(1);
    const again = service.reprint(r!.number);
    expect([again.number, again.printCount]).toEqual([r!.number, 2]);
    expect(service.confirmPrinted(r!.number).printState).toBe('confirmed');
    expect((await refusal(() => service.printDocument(r!.number))).message).toContain('补开');
  });

  it('voids a number with a reason and a supervisor, and prints the same lines on the next number', async () => {
    const tx = counterPayment(c, customers(db, 1, [2025, 2026])[0]!, [2025, 2026]);
    const [r] = service.issueForTransaction(tx, clerkContext(db)).receipts;
    service.printDocument(r!.number);
    expect((await refusal(() => service.voidAndReissue(r!.number, '卡纸', ops.clerk, clerkContext(db)))).code).toBe('APPROVAL_REQUIRED');
    expect((await refusal(() => service.voidAndReissue(r!.number, '卡纸', ops.admin, clerkContext(db)))).code).toBe('APPROVAL_REQUIRED');
    expect((await refusal(() => service.voidAndReissue(r!.number, ' ', ops.supervisor, clerkContext(db)))).code).toBe('VALIDATION');
    const next = service.voidAndReissue(r!.number, '打印机卡纸，票面污损', ops.supervisor, clerkContext(db));
    expect(next).toMatchObject({ number: '(2026)示税现00000102', replaces: '(2026)示税现00000101', totalFen: 60_000, state: 'issued' });
    expect(next.lines.map((l) => l.year)).toEqual([2025, 2026]);
    expect(service.get(r!.number)).toMatchObject({ state: 'voided', voided: { reason: '打印机卡纸，票面污损', approvedBy: ops.supervisor } });
    expect(service.document(next.number).notes).toContain('作废重开 原票号 (2026)示税现00000101');
    expect(outbox('receipt.voided')[0]).toMatchObject({
      number: '(2026)示税现00000101',
      reason: '打印机卡纸，票面污损',
      approvedBy: 'super',
      replacedBy: { number: next.number },
    });
    expect(service.stockBalance()[0]).toMatchObject({ issued: 1, voided: 1, left: 8 });
    // The transaction's receipt is now the new one.
    expect(service.issueForTransaction(tx, clerkContext(db))).toMatchObject({ duplicate: true, receipts: [{ number: next.number }] });
  });
});

describe('exchange (换开)', () => {
  it('exchanges a bank slip once; afterwards only an approved 补开 marked as such', async () => {
    const [p] = bankPayments(db, 1);
    const found = service.findExchangeable(` ${p!.channelRef} `);
    expect(found).toEqual([expect.objectContaining({ paymentId: p!.id, status: 'exchangeable' })]);
    const { receipts } = await service.exchange({ channelRef: p!.channelRef }, clerkContext(db), null);
    expect(receipts).toEqual([expect.objectContaining({ kind: 'exchange', totalFen: p!.amountFen, number: '(2026)示税现00000101' })]);
    expect(service.findExchangeable(p!.channelRef)[0]).toMatchObject({ status: 'exchanged', receiptNumber: '(2026)示税现00000101' });
    expect(outbox('exchange.claimed')[0]).toMatchObject({ channelRef: p!.channelRef, claimMode: 'training_local', receiptNumber: '(2026)示税现00000101' });
    expect(service.document(receipts[0]!.number).notes.some((n) => n.startsWith('换开') && n.includes(p!.channelRef))).toBe(true);

    const twice = await refusal(() => service.exchange({ paymentId: p!.id }, clerkContext(db, 2), null));
    expect(twice.reason).toBe('ALREADY_EXCHANGED');
    expect(twice.message).toContain('(2026)示税现00000101');
    expect(twice.message).toContain('补开');

    // 补开 needs the original confirmed as printed, a reason and another person's approval.
    expect((await refusal(() => service.reissue(receipts[0]!.number, '缴费人遗失', ops.supervisor, clerkContext(db)))).reason).toBe('RECEIPT_STATE');
    service.printDocument(receipts[0]!.number);
    service.confirmPrinted(receipts[0]!.number);
    expect((await refusal(() => service.reissue(receipts[0]!.number, '缴费人遗失', ops.clerk, clerkContext(db)))).reason).toBe('APPROVAL_REQUIRED');
    const copy = service.reissue(receipts[0]!.number, '缴费人遗失', ops.supervisor, clerkContext(db));
    expect(copy).toMatchObject({ kind: 'reissue', reissueOf: '(2026)示税现00000101', number: '(2026)示税现00000102', reason: '缴费人遗失' });
    expect(service.document(copy.number).notes).toContain('补开 原票号 (2026)示税现00000101');
    expect(outbox('receipt.issued')[1]).toMatchObject({ kind: 'reissue', reissueOf: '(2026)示税现00000101', approvedBy: 'super', reason: '缴费人遗失' });
  });

  it('an unknown slip is refused with a hint that it may not be synced yet', async () => {
    const r = await refusal(() => service.exchange({ channelRef: '999999999999' }, clerkContext(db), null));
    expect([r.code, r.message.includes('同步')]).toEqual(['NOT_FOUND', true]);
  });

  it('offline in production: refused, nothing issued, no number used', async () => {
    const production = receiptService(db, { training: false });
    const [p] = bankPayments(db, 1);
    expect((await refusal(() => production.exchange({ paymentId: p!.id }, clerkContext(db), null))).reason).toBe('EXCHANGE_OFFLINE');
    const unreachable = () => Promise.reject(new Error('connect ECONNREFUSED'));
    expect((await refusal(() => production.exchange({ paymentId: p!.id }, clerkContext(db), unreachable))).reason).toBe('EXCHANGE_OFFLINE');
    expect(production.stockBalance()[0]).toMatchObject({ issued: 0, left: 10, nextNumber: '(2026)示税现00000101' });
    expect(production.findExchangeable(p!.channelRef)[0]!.status).toBe('exchangeable');
  });

  it('claimed by another counter upstream: refused with who and when', async () => {
    const production = receiptService(db, { training: false });
    const [p] = bankPayments(db, 1);
    const other = {
      channel: p!.channel as 'bank_pos',
      channelRef: p!.channelRef,
      upstreamId: 'UP1',
      counterId: '3号窗口',
      station: 'hall2-counter03',
      claimedAt: '2026-06-15T02:30:00.000Z',
    };
    const r = await refusal(() =>
      production.exchange({ paymentId: p!.id }, clerkContext(db), () => Promise.resolve({ outcome: 'already_claimed', claim: other })),
    );
    expect(r.reason).toBe('ALREADY_EXCHANGED');
    expect(r.message).toContain('hall2-counter03');
    expect(r.message).toContain('2026-06-15 10:30');
    expect(production.stockBalance()[0]!.issued).toBe(0);
  });

  it('several slips of one payer go on one receipt; slips of two payers are refused', async () => {
    const rows = db
      .prepare(
        `SELECT payer_id AS payerId, group_concat(id) AS ids FROM payments WHERE channel <> 'counter' AND amount_fen > 0
         GROUP BY payer_id HAVING count(*) >= 2 LIMIT 2`,
      )
      .all() as { payerId: number; ids: string }[];
    const [a, b] = rows.map((r) => r.ids.split(',').map(Number).slice(0, 2));
    const mixed = await refusal(() => service.exchange([{ paymentId: a![0]! }, { paymentId: b![0]! }], clerkContext(db), null));
    expect(mixed.code).toBe('VALIDATION');
    const { receipts } = await service.exchange(
      a!.map((paymentId) => ({ paymentId })),
      clerkContext(db),
      null,
    );
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.lines).toHaveLength(2);
  });
});
