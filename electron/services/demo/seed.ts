import type { Db } from '../../platform/db/database';
import { hashPassword } from '../auth/passwords';
import { nameInitials } from '../../platform/pinyin';
import { generateCounty, type DemoCountyOptions } from './county';

/** Demo accounts of training mode. Shown on the sign-in screen: they are not secrets. */
export const demoAccounts = [
  { username: 'clerk', password: '1234', displayName: '演示柜员', role: 'clerk' },
  { username: 'super', password: '5678', displayName: '值班主任', role: 'supervisor' },
  { username: 'admin', password: '0000', displayName: '信息技术员', role: 'admin' },
] as const;

export function seedDemoOperators(db: Db, nowIso: string): void {
  const insert = db.prepare('INSERT OR IGNORE INTO operators (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const a of demoAccounts) insert.run(a.username, a.displayName, a.role, hashPassword(a.password), nowIso);
  })();
}

const BATCH = 5_000;
const SLICE_MS = 40;

/**
 * Streams the generated county into the database in batches, yielding to the event loop between
 * batches so the host keeps answering (health checks, the start-up screen) while 120,000 payers
 * and their history go in.
 */
export async function seedDemoCounty(
  db: Db,
  options: DemoCountyOptions,
  nowIso: string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ payers: number; payments: number }> {
  const insertPayer = db.prepare(
    `INSERT INTO payers (id_number, name, name_initials, gender, birth_date, town, village, address,
       registration_date, status, in_employee_scheme, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertGroup = db.prepare('INSERT INTO payer_special_groups (payer_id, code, valid_from, valid_to) VALUES (?, ?, ?, ?)');
  const insertPayment = db.prepare(
    `INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const generator = generateCounty(options);
  let payers = 0;
  let payments = 0;
  const writeBatch = db.transaction(() => {
    // A batch also ends after SLICE_MS: on a busy counter PC 5,000 payers (pinyin initials
    // included) take seconds, and every request of the start-up page would wait that long
    // behind each batch — a blank page for the first half-minute of the first start.
    const until = performance.now() + SLICE_MS;
    for (let i = 0; i < BATCH && (i === 0 || performance.now() < until); i++) {
      const next = generator.next();
      if (next.done) return true;
      const p = next.value;
      const id = Number(
        insertPayer.run(
          p.idNumber,
          p.name,
          nameInitials(p.name),
          p.gender,
          p.birthDate,
          p.town,
          p.village,
          p.address,
          p.registrationDate,
          p.status,
          p.inEmployeeScheme ? 1 : 0,
          nowIso,
        ).lastInsertRowid,
      );
      for (const g of p.specialGroups) insertGroup.run(id, g.code, g.from, g.to);
      for (const pay of p.payments) {
        insertPayment.run(id, pay.year, pay.tierFen, pay.amountFen, pay.channel, pay.channelRef, pay.paidAt, nowIso);
        payments++;
      }
      payers++;
    }
    return false;
  });
  for (;;) {
    const finished = writeBatch();
    onProgress(payers, options.payers);
    if (finished) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { payers, payments };
}
