// Shared set-up for the sync tests: a counter database, the reference upstream with the same
// county, counter payments taken through the counter's own PaymentService (ledger rows and outbox
// event in one transaction, as payment.record takes them), and a comparison of the two ledgers.
import crypto from 'node:crypto';
import path from 'node:path';
import { fixedStartClock } from '../../../electron/platform/clock';
import { trainingConfig } from '../../../electron/platform/config';
import { migrate, openDatabase, type Db } from '../../../electron/platform/db/database';
import { seedDemoCounty, seedDemoOperators } from '../../../electron/services/demo/seed';
import { createLogger } from '../../../electron/platform/log';
import { SessionService } from '../../../electron/services/auth/session';
import { PaymentService, type CounterContext } from '../../../electron/services/counter/payments';
import { openTiersFen, policyInForce } from '../../../electron/services/policy/current';
import { PolicyRegistry } from '../../../electron/services/policy/registry';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { SyncEngine, UpstreamClient } from '../../../electron/sync';
import { startUpstreamSim, type UpstreamSim, type UpstreamSimOptions } from '../../../electron/tools/upstream-sim/server';
import type { SimStore } from '../../../electron/tools/upstream-sim/store';
import { contract } from '../../../shared/api/contract';
import type { QuoteLineRequest } from '../../../shared/policy';
import { tempDir } from '../../helpers/serve';

export const AS_OF = '2026-06-15';
/** 09:00 in the hall on AS_OF. */
export const START = new Date('2026-06-15T01:00:00Z');
export const SEED = 4242;
export const KEY = 'test-counter-key';
export const STATION = 'hall1-counter01';

export const tiersFen = async () => openTiersFen(await policyInForce('demo', 2026));

export async function startSim(payers: number, extra: UpstreamSimOptions = {}): Promise<UpstreamSim> {
  return startUpstreamSim({
    payers,
    seed: SEED,
    asOf: AS_OF,
    tiersFen: await tiersFen(),
    keys: { [KEY]: STATION },
    clock: fixedStartClock(START),
    ...extra,
  });
}

/**
 * A training counter run through createAppServices (what the desktop starts) with the clerk
 * signed in at counter 2; `call` goes through the dispatcher as the desktop's IPC does and throws
 * on a refusal. `db` is a second connection to its file, for reading and for a test's sync engine.
 */
export async function appAtCounter2(dirPrefix: string, demoPayers = 300) {
  const dir = tempDir(dirPrefix);
  const services: AppServices = createAppServices({ dataDir: dir, clock: fixedStartClock(START), demoPayers });
  await services.ready;
  const call = async <T = unknown>(method: string, input: unknown = {}): Promise<T> => {
    const r = await services.dispatch(method, input, { transport: 'ipc' });
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 2 });
  return { services, call, db: openDatabase(path.join(dir, 'counter.sqlite')) };
}

/** The reference upstream with the same 300-payer training county, knowing that counter as 'counter-2', and an engine that syncs `db` with it. */
export async function upstreamForCounter2(db: Db, payers = 300): Promise<{ sim: UpstreamSim; engine: SyncEngine }> {
  const sim = await startUpstreamSim({ payers, clock: fixedStartClock(START), keys: { k: 'counter-2' } });
  return { sim, engine: new SyncEngine({ db, client: new UpstreamClient({ baseUrl: sim.url, key: 'k' }), log: quietLog() }) };
}

/** A counter's database and the policy tables its PaymentService prices from. */
export interface CounterDb {
  db: Db;
  policies: PolicyRegistry;
}

export interface Counter extends CounterDb {
  dir: string;
  file: string;
}

let installedPolicies: Promise<PolicyRegistry> | undefined;
/** The policy tables shipped with the program (resources/policy), loaded once per test file. */
export const policies = () => (installedPolicies ??= PolicyRegistry.load(quietLog()));

/**
 * A migrated counter database with the training operators. With `seedPayers`, also the
 * training county the counter would have built from the same seed (as training mode does).
 */
export async function makeCounter(options: { seedPayers?: number; dir?: string } = {}): Promise<Counter> {
  const dir = options.dir ?? tempDir('sync');
  const file = path.join(dir, 'counter.sqlite');
  const db = openDatabase(file, { create: true });
  migrate(db);
  seedDemoOperators(db, START.toISOString());
  if (options.seedPayers !== undefined) {
    const t = trainingConfig();
    await seedDemoCounty(
      db,
      { seed: SEED, payers: options.seedPayers, asOf: AS_OF, regionCode: t.regionCode, countyName: t.countyName, tiersFen: await tiersFen() },
      START.toISOString(),
    );
  }
  return { dir, file, db, policies: await policies() };
}

export const quietLog = () => createLogger(null);

/** Who is signed in at counter 1 of each database, as the desk signs in: SessionService opens the shift. */
const signedIn = new WeakMap<Db, Map<string, CounterContext>>();

/** The demo staff who take payments (training passwords). */
const staff = { clerk: '1234', super: '5678' } as const;

function atCounter(db: Db, username: keyof typeof staff): CounterContext {
  let byUser = signedIn.get(db);
  if (!byUser) signedIn.set(db, (byUser = new Map()));
  let ctx = byUser.get(username);
  if (!ctx) {
    const session = new SessionService(db, fixedStartClock(START), quietLog());
    const { operator, shift } = session.signIn(username, staff[username], 1);
    if (!operator || !shift) throw new Error(`${username} could not sign in`);
    ctx = { operatorId: operator.id, operatorUsername: operator.username, operatorName: operator.displayName, shiftId: shift.id, counterNo: shift.counterNo };
    byUser.set(username, ctx);
  }
  return ctx;
}

/** The counter's PaymentService on this database, with the hall clock stopped at `at`. */
export function counterPayments(c: CounterDb, at = new Date(START.getTime() + 3_600_000).toISOString()): PaymentService {
  const t = trainingConfig();
  const now = new Date(at);
  return new PaymentService(c.db, c.policies, t.policyRegion, t.timeZone, { now: () => now }, quietLog());
}

let posRefs = 0;

/**
 * Records a bank-card payment of one payer at counter 1 (taken by the demo clerk unless `by` says
 * the supervisor) the way the API's payment.record does:
 * the input parsed by the contract, then PaymentService.record (amounts from the policy table,
 * ledger rows, outbox event, slip print job and audit row in one transaction), at `paidAt`.
 * Returns the transaction uid. Throws when the counter would not take the payment.
 */
export function recordCounterPayment(
  c: CounterDb,
  idNumber: string,
  lines: QuoteLineRequest[],
  paidAt = new Date(START.getTime() + 3_600_000).toISOString(),
  by: keyof typeof staff = 'clerk',
): string {
  const payer = c.db.prepare('SELECT id FROM payers WHERE id_number = ?').get(idNumber) as { id: number } | undefined;
  if (!payer) throw new Error('payer not in the counter store');
  const input = contract['payment.record'].input.parse({
    transactionUid: crypto.randomUUID(),
    payerId: payer.id,
    lines,
    method: 'bank_card',
    tenderedFen: null,
    posRef: String(++posRefs).padStart(12, '0'),
  });
  const recorded = counterPayments(c, paidAt).record(input, atCounter(c.db, by));
  if (recorded.outcome !== 'recorded') throw new Error(`nothing recorded: ${recorded.message}`);
  return recorded.transactionUid;
}

/** The local uids of a counter transaction's ledger lines, in the order they were written (and sent). */
export function lineUids(db: Db, transactionUid: string): string[] {
  return (
    db
      .prepare('SELECT p.local_uid FROM payments p JOIN counter_transactions t ON t.id = p.transaction_id WHERE t.uid = ? ORDER BY p.id')
      .all(transactionUid) as { local_uid: string }[]
  ).map((r) => r.local_uid);
}

/**
 * Counter customers who may pay each of `years` (one year or several): active, registered more
 * than the waiting days ago, aged under 60 and 16 or older in the earliest of the years, outside
 * the employees' scheme, in no special group (whose benefits change what the payer pays), and
 * with none of the years paid (the counter refuses a year paid twice).
 */
export function unpaidPayers(db: Db, years: number | readonly number[], n: number): string[] {
  const list = typeof years === 'number' ? [years] : years;
  return (
    db
      .prepare(
        `SELECT id_number FROM payers p WHERE status = 'active' AND registration_date < '2026-05-01' AND in_employee_scheme = 0
           AND birth_date > '1966-12-31' AND birth_date < ?
           AND NOT EXISTS (SELECT 1 FROM payer_special_groups g WHERE g.payer_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM payments WHERE payer_id = p.id AND year IN (SELECT value FROM json_each(?))) ORDER BY id LIMIT ?`,
      )
      .all(`${Math.min(...list) - 16}-01-01`, JSON.stringify(list), n) as { id_number: string }[]
  ).map((r) => r.id_number);
}

/** The years the counter would take from a payer at `tierFen` with nothing off, newest first (as the assessment lists them). */
export function payableYears(c: CounterDb, idNumber: string, tierFen = 30_000, payments = counterPayments(c)): number[] {
  const payer = c.db.prepare('SELECT id FROM payers WHERE id_number = ?').get(idNumber) as { id: number };
  return (payments.assess(payer.id).assessment?.years ?? [])
    .filter((y) => y.payable && y.tiers.some((t) => t.tierFen === tierFen && t.payerFen === tierFen))
    .map((y) => y.year);
}

/** A payer of the county and `count` years the counter would take from them at `tierFen`: for tests that need many years in one payment. */
export function customerWithYears(c: CounterDb, count: number, tierFen = 30_000): { idNumber: string; years: number[] } {
  const payments = counterPayments(c);
  for (const { id_number } of c.db.prepare('SELECT id_number FROM payers ORDER BY id').all() as { id_number: string }[]) {
    const years = payableYears(c, id_number, tierFen, payments);
    if (years.length >= count) return { idNumber: id_number, years: years.slice(0, count) };
  }
  throw new Error(`no payer in the county may pay ${count} years`);
}

/** A payment as both sides can describe it, for comparing ledgers. */
function key(p: {
  idNumber: string;
  year: number;
  channel: string;
  channelRef: string | null;
  localUid: string | null;
  amountFen: number;
  upstreamId: string | null;
}) {
  return [p.upstreamId, p.idNumber, p.year, p.channel, p.channelRef ?? '', p.localUid ?? '', p.amountFen].join('|');
}

export function localPayments(db: Db) {
  return db
    .prepare(
      `SELECT r.id_number AS idNumber, p.year, p.channel, p.channel_ref AS channelRef, p.local_uid AS localUid,
              p.amount_fen AS amountFen, p.upstream_id AS upstreamId
       FROM payments p JOIN payers r ON r.id = p.payer_id`,
    )
    .all() as {
    idNumber: string;
    year: number;
    channel: string;
    channelRef: string | null;
    localUid: string | null;
    amountFen: number;
    upstreamId: string | null;
  }[];
}

/**
 * Both ledgers, payment by payment. `equal` means the same multiset of payments, each with the
 * same upstream id on both sides: none lost, none duplicated.
 */
export function compareLedgers(db: Db, store: SimStore) {
  const local = localPayments(db).map(key).sort();
  const upstream = store.allPayments().map(key).sort();
  const upSet = new Set(upstream);
  const localSet = new Set(local);
  return {
    equal: local.length === upstream.length && local.every((k, i) => k === upstream[i]),
    localCount: local.length,
    upstreamCount: upstream.length,
    localOnly: local.filter((k) => !upSet.has(k)).slice(0, 5),
    upstreamOnly: upstream.filter((k) => !localSet.has(k)).slice(0, 5),
  };
}

export function cursors(db: Db): Record<string, string | null> {
  const rows = db.prepare('SELECT stream, cursor FROM sync_state ORDER BY stream').all() as { stream: string; cursor: string | null }[];
  return Object.fromEntries(rows.map((r) => [r.stream, r.cursor]));
}

/** Everything a sync may change in the counter's store, as one comparable value. */
export function storeSnapshot(db: Db) {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    payers: all('SELECT * FROM payers ORDER BY id'),
    groups: all('SELECT * FROM payer_special_groups ORDER BY payer_id, code, valid_from'),
    payments: all('SELECT * FROM payments ORDER BY id'),
    cursors: cursors(db),
    outbox: all('SELECT seq, confirmed_at, server_result FROM outbox ORDER BY seq'),
  };
}
