import type { Statement } from 'better-sqlite3';
import type { Db } from '../../platform/db/database';
import { hashPassword, hashPasswordAsync } from '../auth/passwords';
import { nameInitials } from '../../platform/pinyin';
import { generateCounty, type DemoCountyOptions, type DemoPayer } from './county';

/** Demo accounts of training mode. Shown on the sign-in screen: they are not secrets. */
export const demoAccounts = [
  { username: 'clerk', password: '1234', displayName: '演示柜员', role: 'clerk' },
  { username: 'super', password: '5678', displayName: '值班主任', role: 'supervisor' },
  { username: 'admin', password: '0000', displayName: '信息技术员', role: 'admin' },
] as const;

export function seedDemoOperators(db: Db, nowIso: string, hashes = demoAccounts.map((a) => hashPassword(a.password))): void {
  const insert = db.prepare('INSERT OR IGNORE INTO operators (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    demoAccounts.forEach((a, i) => insert.run(a.username, a.displayName, a.role, hashes[i], nowIso));
  })();
}

/** seedDemoOperators with the passwords hashed off the services thread (a first start). */
export async function seedDemoOperatorsAsync(db: Db, nowIso: string): Promise<void> {
  seedDemoOperators(db, nowIso, await Promise.all(demoAccounts.map((a) => hashPasswordAsync(a.password))));
}

const BATCH = 5_000;
/**
 * A step also ends after this long: while the county is written, the host's other work (the
 * start-up page and its requests, counter calls) never waits longer than this for a turn.
 */
const SLICE_MS = 40;

/** Settings rows of a training county: its options (to rebuild the demo cards) and how far it is filled. */
export const COUNTY_SETTING = 'demo_county';
export const COUNTY_FILLED_SETTING = 'demo_county_filled';

/**
 * Writes a generated county into a database, a batch at a time, resumably: each batch records how
 * many payers are in (settings 'demo_county_filled') in its own transaction, so a start after an
 * interruption regenerates the stream (it is deterministic for the options) and skips what is
 * already there. The caller decides the pace: the first start puts the first few thousand payers
 * (the demo cards head the stream) in before sign-in and lets the rest follow in the background.
 */
export class CountyFiller {
  private readonly generator: Generator<DemoPayer, void, undefined>;
  /** Payers already in the database that the stream still has to pass over. */
  private toSkip: number;
  private inserted: number;
  payments = 0;

  constructor(
    private readonly options: DemoCountyOptions,
    private readonly nowIso: string,
    alreadyFilled = 0,
  ) {
    this.generator = generateCounty(options);
    this.toSkip = Math.min(alreadyFilled, options.payers);
    this.inserted = this.toSkip;
  }

  get total(): number {
    return this.options.payers;
  }

  /** Payers in the database. */
  get filled(): number {
    return this.inserted;
  }

  get done(): boolean {
    return this.inserted >= this.options.payers;
  }

  /**
   * One step of at most `max` payers (and at most `sliceMs`): passes over already-written payers
   * first (generation only, no writes), then inserts the next ones with their history in one
   * transaction, which also records how many payers are in.
   */
  step(db: Db, max: number, sliceMs = SLICE_MS): void {
    if (this.toSkip > 0) {
      // Generating is cheaper than writing: pass over more per step, still in bounded slices.
      const started = performance.now();
      const first = Math.min(this.toSkip, max * 4);
      // At least one per step, however late the clock: a starved machine still makes progress.
      for (let n = first; n > 0 && (n === first || performance.now() - started < sliceMs); n--, this.toSkip--) this.generator.next();
      return;
    }
    const s = this.statements(db);
    const started = performance.now();
    db.transaction(() => {
      for (let i = 0; i < max && !this.done && (i === 0 || performance.now() - started < sliceMs); i++) {
        const next = this.generator.next();
        if (next.done) {
          this.inserted = this.options.payers;
          break;
        }
        const p = next.value;
        const id = Number(
          s.insertPayer.run(
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
            this.nowIso,
          ).lastInsertRowid,
        );
        for (const g of p.specialGroups) s.insertGroup.run(id, g.code, g.from, g.to);
        for (const pay of p.payments) {
          s.insertPayment.run(id, pay.year, pay.tierFen, pay.amountFen, pay.channel, pay.channelRef, pay.paidAt, this.nowIso);
          this.payments++;
        }
        this.inserted++;
      }
      s.recordFilled.run(COUNTY_FILLED_SETTING, String(this.inserted));
    })();
  }

  /** Passing over already-written payers still to do (generation only). */
  get skipping(): boolean {
    return this.toSkip > 0;
  }

  private prepared: { db: Db; insertPayer: Statement; insertGroup: Statement; insertPayment: Statement; recordFilled: Statement } | null = null;

  /** The insert statements, prepared once per connection (a worker steps thousands of times). */
  private statements(db: Db) {
    if (this.prepared?.db === db) return this.prepared;
    this.prepared = {
      db,
      insertPayer: db.prepare(
        `INSERT INTO payers (id_number, name, name_initials, gender, birth_date, town, village, address,
           registration_date, status, in_employee_scheme, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertGroup: db.prepare('INSERT INTO payer_special_groups (payer_id, code, valid_from, valid_to) VALUES (?, ?, ?, ?)'),
      insertPayment: db.prepare(
        `INSERT INTO payments (payer_id, year, tier_fen, amount_fen, channel, channel_ref, paid_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      recordFilled: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
    return this.prepared;
  }
}

/**
 * Streams the whole generated county into the database in batches, yielding to the event loop
 * between batches so the host keeps answering while 120,000 payers and their history go in.
 */
export async function seedDemoCounty(
  db: Db,
  options: DemoCountyOptions,
  nowIso: string,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ payers: number; payments: number }> {
  const filler = new CountyFiller(options, nowIso);
  while (!filler.done) {
    filler.step(db, BATCH);
    onProgress(filler.filled, filler.total);
    if (!filler.done) await new Promise((resolve) => setImmediate(resolve));
  }
  onProgress(filler.filled, filler.total);
  return { payers: filler.filled, payments: filler.payments };
}
