// Random sequences of issue / void / reprint / exchange / 补开 / crash against a real database file:
// numbers stay unique and gap-free except for recorded voids, and no payment is exchanged twice.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/platform/db/database';
import { ReceiptRefused, type ReceiptService } from '../../../electron/services/receipts';
import type { PolicyRegistry } from '../../../electron/services/policy/registry';
import { tempDir } from '../../helpers/serve';
import { policies } from '../sync/helpers';
import { bankPayments, checkInvariants, clerkContext, counterPayment, customers, operators, receiptCounter, receiptService, SERIES } from './helpers';

type Op =
  | { t: 'pay'; payer: number; years: number }
  | { t: 'issue'; tx: number }
  | { t: 'print' | 'reprint' | 'confirm' | 'void' | 'reissue'; r: number }
  | { t: 'exchange'; p: number }
  | { t: 'addBlock' };
type Step = Op | { t: 'crash'; op: Op };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('pay' as const), payer: fc.nat(9), years: fc.integer({ min: 1, max: 7 }) }),
  fc.record({ t: fc.constant('issue' as const), tx: fc.nat(20) }),
  fc.record({ t: fc.constantFrom('print' as const, 'reprint' as const, 'confirm' as const, 'void' as const, 'reissue' as const), r: fc.nat(30) }),
  fc.record({ t: fc.constant('exchange' as const), p: fc.nat(5) }),
  fc.constant({ t: 'addBlock' as const }),
);
const step: fc.Arbitrary<Step> = fc.oneof({ weight: 6, arbitrary: op }, { weight: 1, arbitrary: fc.record({ t: fc.constant('crash' as const), op }) });

let template: string;
let tables: PolicyRegistry;
beforeAll(async () => {
  tables = await policies();
  const c = await receiptCounter({ payers: 40 });
  c.db.close();
  template = c.file;
});

const dirs: string[] = [];
/** What the runs exercised, so that the property cannot pass vacuously. */
const seen = { voided: 0, exchanged: 0, refusedTwice: 0, crashes: 0, reissued: 0 };
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

it('numbers are used once, in order, and no payment is exchanged twice', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), async (steps) => {
      const dir = tempDir('receipt-prop');
      dirs.push(dir);
      const file = path.join(dir, 'counter.sqlite');
      fs.copyFileSync(template, file);
      let db: Db = openDatabase(file);
      let service: ReceiptService = receiptService(db, { formLineLimit: 3 });
      const ops = operators(db);
      service.addBlock({ operatorId: ops.clerk, series: SERIES, firstSerial: 1, lastSerial: 12, serialDigits: 6 }, ops.supervisor);
      let nextBlock = 100;
      const payers = customers(db, 10);
      const slips = bankPayments(db, 6);
      const txs: number[] = [];
      const exchangedOk = new Map<number, number>();
      let receiptsCreated = 0;

      const run = async (o: Op): Promise<void> => {
        const ctx = clerkContext(db);
        const numbers = (db.prepare('SELECT number FROM receipts ORDER BY id').all() as { number: string }[]).map((r) => r.number);
        const pick = (i: number) => numbers[i % Math.max(1, numbers.length)];
        switch (o.t) {
          case 'pay': {
            // The payer's latest years not paid yet (the counter refuses a year paid twice).
            const idNumber = payers[o.payer % payers.length]!;
            const paid = new Set(
              (db.prepare('SELECT year FROM payments p JOIN payers r ON r.id = p.payer_id WHERE r.id_number = ?').all(idNumber) as { year: number }[]).map(
                (r) => r.year,
              ),
            );
            const years = Array.from({ length: 13 }, (_, i) => 2026 - i)
              .filter((y) => !paid.has(y))
              .slice(0, o.years);
            if (years.length === 0) return;
            txs.push(counterPayment({ db, policies: tables }, idNumber, years));
            return;
          }
          case 'issue': {
            if (txs.length === 0) return;
            const r = service.issueForTransaction(txs[o.tx % txs.length]!, ctx);
            if (!r.duplicate) receiptsCreated += r.receipts.length;
            return;
          }
          case 'exchange': {
            const slip = slips[o.p]!;
            await service.exchange({ paymentId: slip.id }, ctx, null);
            exchangedOk.set(slip.id, (exchangedOk.get(slip.id) ?? 0) + 1);
            receiptsCreated += 1;
            return;
          }
          case 'addBlock':
            service.addBlock({ operatorId: ops.clerk, series: SERIES, firstSerial: nextBlock, lastSerial: nextBlock + 4, serialDigits: 6 }, ops.supervisor);
            nextBlock += 100;
            return;
          default: {
            const n = pick(o.r);
            if (!n) return;
            if (o.t === 'print') service.printDocument(n);
            if (o.t === 'reprint') service.reprint(n);
            if (o.t === 'confirm') service.confirmPrinted(n);
            if (o.t === 'void') {
              service.voidAndReissue(n, '票面打印错误', ops.supervisor, ctx);
              receiptsCreated += 1;
            }
            if (o.t === 'reissue') {
              // The payer lost a receipt: it was printed and confirmed first (either may be refused).
              for (const f of [() => service.printDocument(n), () => service.confirmPrinted(n)]) {
                try {
                  f();
                } catch (error) {
                  if (!(error instanceof ReceiptRefused)) throw error;
                }
              }
              service.reissue(n, '缴费人遗失', ops.supervisor, ctx);
              receiptsCreated += 1;
            }
          }
        }
      };

      for (const s of steps) {
        const inner = s.t === 'crash' ? s.op : s;
        if (s.t === 'crash') {
          // The process dies at the last write of the transaction: nothing of it may remain.
          db.exec("CREATE TEMP TRIGGER crash BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'simulated crash'); END");
        }
        const before = { created: receiptsCreated, exchanged: new Map(exchangedOk) };
        try {
          await run(inner);
        } catch (error) {
          if (!(error instanceof ReceiptRefused) && !(s.t === 'crash' && String(error).includes('simulated crash'))) throw error;
          if (error instanceof ReceiptRefused && error.reason === 'ALREADY_EXCHANGED') seen.refusedTwice++;
          receiptsCreated = before.created;
          exchangedOk.clear();
          before.exchanged.forEach((v, k) => exchangedOk.set(k, v));
        }
        if (s.t === 'crash') {
          seen.crashes++;
          db.close();
          db = openDatabase(file);
          service = receiptService(db, { formLineLimit: 3 });
        }
      }

      seen.voided += (db.prepare("SELECT count(*) AS n FROM receipts WHERE state = 'voided'").get() as { n: number }).n;
      seen.reissued += (db.prepare("SELECT count(*) AS n FROM receipts WHERE kind = 'reissue'").get() as { n: number }).n;
      seen.exchanged += exchangedOk.size;
      expect(checkInvariants(db, service)).toEqual([]);
      expect([...exchangedOk.values()].every((n) => n === 1)).toBe(true);
      expect((db.prepare('SELECT count(*) AS n FROM receipts').get() as { n: number }).n).toBe(receiptsCreated);
      expect((db.prepare('SELECT count(*) AS n FROM exchanges').get() as { n: number }).n).toBe(exchangedOk.size);
      db.close();
    }),
    { numRuns: 80 },
  );
  expect(
    Object.values(seen).every((n) => n > 0),
    JSON.stringify(seen),
  ).toBe(true);
}, 60_000);
