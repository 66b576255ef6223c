// The reference upstream's own ledger: a SQLite database holding the county registry, payments
// from every channel, the counters' events (with their idempotency keys and stored answers),
// receipt number blocks and exchange claims. It is a stand-in for the tax system, written to
// make the protocol's guarantees testable, not to be one.
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import { generateCounty, type DemoCountyOptions, type DemoPayer } from '../../services/demo/county';
import { Weighted, type Rng } from '../../services/demo/rng';
import type { Channel } from '../../../shared/domain/payer';
import type { PaymentMethod } from '../../../shared/api/views';
import type { UpstreamDayTotals } from '../../sync/protocol';
import {
  PaymentRecordedPayload,
  type ExchangeChannel,
  type ExchangeClaim,
  type PushRequest,
  type PushResult,
  type ReceiptBlock,
  type WirePayer,
  type WirePayment,
} from '../../sync/protocol';

export type SimSeedOptions = DemoCountyOptions;

interface PaymentRow {
  seq: number;
  upstream_id: string;
  id_number: string;
  year: number;
  tier_fen: number;
  amount_fen: number;
  subsidy_fen: number;
  government_paid_fen: number;
  back_payment: number;
  channel: Channel;
  channel_ref: string | null;
  local_uid: string | null;
  station: string | null;
  paid_at: string;
  recorded_at: string;
}

export interface StreamSlice<T> {
  items: T[];
  next: string;
  more: boolean;
  remaining: number;
}

export type RecordOutcome =
  | { kind: 'stored'; result: PushResult }
  | { kind: 'replay'; result: PushResult }
  | { kind: 'mismatch' }
  /** A new event at a sequence this installation already used: its database went back in time. */
  | { kind: 'sequence_reused'; highSeq: number };

export type ClaimResult = { kind: 'claimed' | 'already_claimed'; claim: ExchangeClaim } | { kind: 'not_found' };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  CREATE TABLE IF NOT EXISTS payers (
    id        INTEGER PRIMARY KEY,
    seq       INTEGER NOT NULL UNIQUE,
    id_number TEXT NOT NULL UNIQUE,
    data      TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS payments (
    seq                 INTEGER PRIMARY KEY,
    upstream_id         TEXT NOT NULL UNIQUE,
    id_number           TEXT NOT NULL,
    year                INTEGER NOT NULL,
    tier_fen            INTEGER NOT NULL,
    amount_fen          INTEGER NOT NULL,
    subsidy_fen         INTEGER NOT NULL,
    government_paid_fen INTEGER NOT NULL,
    back_payment        INTEGER NOT NULL,
    channel             TEXT NOT NULL,
    channel_ref         TEXT,
    local_uid           TEXT UNIQUE,
    station             TEXT,
    paid_at             TEXT NOT NULL,
    recorded_at         TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX IF NOT EXISTS payments_channel_ref ON payments(channel, channel_ref) WHERE channel_ref IS NOT NULL;
  CREATE INDEX IF NOT EXISTS payments_payer_year ON payments(id_number, year);
  CREATE TABLE IF NOT EXISTS events (
    station         TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    result          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    PRIMARY KEY (station, idempotency_key)
  ) STRICT;
  CREATE TABLE IF NOT EXISTS receipt_blocks (
    block_id          TEXT PRIMARY KEY,
    station           TEXT NOT NULL,
    idempotency_key   TEXT NOT NULL,
    request_hash      TEXT NOT NULL,
    data              TEXT NOT NULL,
    UNIQUE (station, idempotency_key)
  ) STRICT;
  CREATE TABLE IF NOT EXISTS installations (
    station         TEXT NOT NULL,
    installation_id TEXT NOT NULL,
    hall_name       TEXT NOT NULL,
    region_code     TEXT NOT NULL,
    counter_no      INTEGER NOT NULL,
    app_version     TEXT NOT NULL,
    first_seen      TEXT NOT NULL,
    last_seen       TEXT NOT NULL,
    PRIMARY KEY (station, installation_id)
  ) STRICT;
  -- Issue 15: what the upstream remembers of each installation, so that a counter whose database
  -- went back in time can find out and read its own work back.
  CREATE TABLE IF NOT EXISTS installation_marks (
    installation_id TEXT PRIMARY KEY,
    station         TEXT NOT NULL,
    high_seq        INTEGER NOT NULL,
    audit_seq       INTEGER,
    audit_hash      TEXT,
    audit_at        TEXT
  ) STRICT;
  -- Every formal receipt number a counter reported using: one receipt per number, ever.
  -- The one installation a counter key belongs to; a second installation on the key is refused
  -- until the key is re-issued (reissueKey), so two copies of a counter cannot both work.
  CREATE TABLE IF NOT EXISTS key_bindings (
    station         TEXT PRIMARY KEY,
    installation_id TEXT NOT NULL,
    bound_at        TEXT NOT NULL
  ) STRICT;
  CREATE TABLE IF NOT EXISTS receipt_numbers (
    number          TEXT PRIMARY KEY,
    receipt_uid     TEXT NOT NULL,
    station         TEXT NOT NULL,
    installation_id TEXT
  ) STRICT;
  CREATE TABLE IF NOT EXISTS exchange_claims (
    channel     TEXT NOT NULL,
    channel_ref TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (channel, channel_ref)
  ) STRICT;
`;

const ARRIVAL_CHANNELS = new Weighted<Exclude<Channel, 'counter'>>([
  ['mobile_app', 5],
  ['bank_pos', 3],
  ['bank_counter', 2],
]);

const hash = (value: unknown) => crypto.createHash('sha256').update(JSON.stringify(value)).digest('hex');

export class SimStore {
  readonly db: Database.Database;
  private readonly stmts;

  constructor(file: string | null) {
    this.db = new Database(file ?? ':memory:');
    if (file) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
    }
    this.db.exec(SCHEMA);
    // Ledgers written before issue 15 lack the per-installation columns.
    const addColumn = (table: string, column: string, type: string) => {
      const cols = this.db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[];
      if (!cols.some((c) => c.name === column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    };
    addColumn('events', 'installation_id', 'TEXT');
    addColumn('events', 'counter_seq', 'INTEGER');
    addColumn('receipt_blocks', 'installation_id', 'TEXT');
    this.db.exec('CREATE UNIQUE INDEX IF NOT EXISTS events_installation_seq ON events(installation_id, counter_seq) WHERE installation_id IS NOT NULL');
    const db = this.db;
    this.stmts = {
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      maxPayerSeq: db.prepare('SELECT coalesce(max(seq), 0) AS n FROM payers'),
      maxPaymentSeq: db.prepare('SELECT coalesce(max(seq), 0) AS n FROM payments'),
      insertPayer: db.prepare('INSERT INTO payers (seq, id_number, data) VALUES (?, ?, ?)'),
      updatePayer: db.prepare('UPDATE payers SET seq = ?, data = ? WHERE id_number = ?'),
      payerByIdNumber: db.prepare('SELECT seq, data FROM payers WHERE id_number = ?'),
      payerById: db.prepare('SELECT id_number, data FROM payers WHERE id = ?'),
      payerCount: db.prepare('SELECT count(*) AS n FROM payers'),
      payersAfter: db.prepare('SELECT seq, data FROM payers WHERE seq > ? ORDER BY seq LIMIT ?'),
      payersRemaining: db.prepare('SELECT count(*) AS n FROM payers WHERE seq > ?'),
      payersBefore: db.prepare('SELECT seq, data FROM payers WHERE seq <= ? ORDER BY seq DESC LIMIT ?'),
      insertPayment: db.prepare(
        `INSERT INTO payments (seq, upstream_id, id_number, year, tier_fen, amount_fen, subsidy_fen, government_paid_fen,
           back_payment, channel, channel_ref, local_uid, station, paid_at, recorded_at)
         VALUES (@seq, @upstream_id, @id_number, @year, @tier_fen, @amount_fen, @subsidy_fen, @government_paid_fen,
           @back_payment, @channel, @channel_ref, @local_uid, @station, @paid_at, @recorded_at)`,
      ),
      paymentsAfter: db.prepare('SELECT * FROM payments WHERE seq > ? ORDER BY seq LIMIT ?'),
      paymentsBefore: db.prepare('SELECT * FROM payments WHERE seq <= ? ORDER BY seq DESC LIMIT ?'),
      paymentByRef: db.prepare('SELECT * FROM payments WHERE channel = ? AND channel_ref = ?'),
      paymentByLocalUid: db.prepare('SELECT 1 FROM payments WHERE local_uid = ?'),
      paidYear: db.prepare('SELECT 1 FROM payments WHERE id_number = ? AND year = ? LIMIT 1'),
      event: db.prepare('SELECT request_hash, result FROM events WHERE station = ? AND idempotency_key = ?'),
      insertEvent: db.prepare(
        'INSERT INTO events (station, idempotency_key, kind, payload, request_hash, result, received_at, installation_id, counter_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      mark: db.prepare('SELECT high_seq, audit_seq, audit_hash, audit_at FROM installation_marks WHERE installation_id = ?'),
      setHighSeq: db.prepare(
        `INSERT INTO installation_marks (installation_id, station, high_seq) VALUES (?, ?, ?)
         ON CONFLICT (installation_id) DO UPDATE SET high_seq = max(high_seq, excluded.high_seq)`,
      ),
      setAuditHead: db.prepare(
        `INSERT INTO installation_marks (installation_id, station, high_seq, audit_seq, audit_hash, audit_at) VALUES (@installationId, @station, 0, @seq, @hash, @at)
         ON CONFLICT (installation_id) DO UPDATE SET audit_seq = excluded.audit_seq, audit_hash = excluded.audit_hash, audit_at = excluded.audit_at
         WHERE installation_marks.audit_seq IS NULL OR excluded.audit_seq >= installation_marks.audit_seq`,
      ),
      receiptNumber: db.prepare('SELECT receipt_uid FROM receipt_numbers WHERE number = ?'),
      insertReceiptNumber: db.prepare('INSERT OR IGNORE INTO receipt_numbers (number, receipt_uid, station, installation_id) VALUES (?, ?, ?, ?)'),
      block: db.prepare('SELECT request_hash, data, installation_id FROM receipt_blocks WHERE station = ? AND idempotency_key = ?'),
      insertBlock: db.prepare('INSERT INTO receipt_blocks (block_id, station, idempotency_key, request_hash, data, installation_id) VALUES (?, ?, ?, ?, ?, ?)'),
      claim: db.prepare('SELECT data FROM exchange_claims WHERE channel = ? AND channel_ref = ?'),
      insertClaim: db.prepare('INSERT INTO exchange_claims (channel, channel_ref, data) VALUES (?, ?, ?)'),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  meta(key: string): string | null {
    return (this.stmts.getMeta.get(key) as { value: string } | undefined)?.value ?? null;
  }

  private setMeta(key: string, value: string): void {
    this.stmts.setMeta.run(key, value);
  }

  isSeeded(): boolean {
    return this.meta('seed_options') !== null;
  }

  seedOptions(): SimSeedOptions {
    const raw = this.meta('seed_options');
    if (!raw) throw new Error('upstream store is not seeded');
    return JSON.parse(raw) as SimSeedOptions;
  }

  /**
   * Loads the generated county: the same generator and options as a counter's training mode,
   * so a counter seeded with the same options holds exactly the same payers and payments.
   */
  seed(options: SimSeedOptions, nowIso: string): { payers: number; payments: number } {
    if (this.isSeeded()) throw new Error('upstream store is already seeded');
    let payers = 0;
    let payments = 0;
    const gen = generateCounty(options);
    const BATCH = 5_000;
    const batch = this.db.transaction(() => {
      for (let i = 0; i < BATCH; i++) {
        const next = gen.next();
        if (next.done) return true;
        payments += this.insertDemoPayer(next.value, nowIso);
        payers++;
      }
      return false;
    });
    while (!batch()) {
      /* batches keep each transaction's memory bounded */
    }
    this.setMeta('seed_options', JSON.stringify(options));
    this.setMeta('generated', String(payers));
    return { payers, payments };
  }

  private insertDemoPayer(p: DemoPayer, nowIso: string): number {
    const wire: Omit<WirePayer, 'seq'> = {
      idNumber: p.idNumber,
      name: p.name,
      gender: p.gender,
      birthDate: p.birthDate,
      town: p.town,
      village: p.village,
      address: p.address,
      registrationDate: p.registrationDate,
      status: p.status,
      statusSince: p.statusSince,
      inEmployeeScheme: p.inEmployeeScheme,
      specialGroups: p.specialGroups.map((g) => ({ code: g.code, from: g.from, to: g.to })),
      updatedAt: nowIso,
    };
    this.stmts.insertPayer.run(this.nextPayerSeq(), p.idNumber, JSON.stringify(wire));
    for (const pay of p.payments) {
      this.insertPayment({
        idNumber: p.idNumber,
        year: pay.year,
        tierFen: pay.tierFen,
        amountFen: pay.amountFen,
        subsidyFen: 0,
        governmentPaidFen: 0,
        backPayment: false,
        channel: pay.channel,
        channelRef: pay.channelRef,
        localUid: null,
        station: null,
        paidAt: pay.paidAt,
        recordedAt: nowIso,
      });
    }
    return p.payments.length;
  }

  private nextPayerSeq(): number {
    return (this.stmts.maxPayerSeq.get() as { n: number }).n + 1;
  }

  private insertPayment(p: Omit<WirePayment, 'seq' | 'upstreamId'>): WirePayment {
    const seq = (this.stmts.maxPaymentSeq.get() as { n: number }).n + 1;
    const upstreamId = `UP${String(seq).padStart(10, '0')}`;
    this.stmts.insertPayment.run({
      seq,
      upstream_id: upstreamId,
      id_number: p.idNumber,
      year: p.year,
      tier_fen: p.tierFen,
      amount_fen: p.amountFen,
      subsidy_fen: p.subsidyFen,
      government_paid_fen: p.governmentPaidFen,
      back_payment: p.backPayment ? 1 : 0,
      channel: p.channel,
      channel_ref: p.channelRef,
      local_uid: p.localUid,
      station: p.station,
      paid_at: p.paidAt,
      recorded_at: p.recordedAt,
    });
    return { ...p, seq, upstreamId };
  }

  // ---- streams ------------------------------------------------------------------------------

  payersPage(after: number, limit: number): StreamSlice<WirePayer> {
    const rows = this.stmts.payersAfter.all(after, limit) as { seq: number; data: string }[];
    return this.slice(rows.map(toWirePayer), after, (next) => (this.stmts.payersRemaining.get(next) as { n: number }).n);
  }

  /** Items at or before a cursor: what a duplicate delivery repeats. */
  payersBefore(cursor: number, count: number): WirePayer[] {
    return (this.stmts.payersBefore.all(cursor, count) as { seq: number; data: string }[]).map(toWirePayer);
  }

  paymentsPage(after: number, limit: number): StreamSlice<WirePayment> {
    const rows = this.stmts.paymentsAfter.all(after, limit) as PaymentRow[];
    // Payment seqs are the table's rowids, dense and never deleted: the remainder is a subtraction,
    // where count(*) would scan the rest of the table for every page of a first sync.
    const max = (this.stmts.maxPaymentSeq.get() as { n: number }).n;
    return this.slice(rows.map(toWirePayment), after, (next) => Math.max(0, max - next));
  }

  paymentsBefore(cursor: number, count: number): WirePayment[] {
    return (this.stmts.paymentsBefore.all(cursor, count) as PaymentRow[]).map(toWirePayment);
  }

  private slice<T extends { seq: number }>(items: T[], after: number, remainingAfter: (next: number) => number): StreamSlice<T> {
    const next = items.length ? items[items.length - 1]!.seq : after;
    const remaining = remainingAfter(next);
    return { items, next: String(next), more: remaining > 0, remaining };
  }

  /** Every payment, in stream order (tests compare ledgers with it). */
  allPayments(): WirePayment[] {
    return (this.db.prepare('SELECT * FROM payments ORDER BY seq').all() as PaymentRow[]).map(toWirePayment);
  }

  payer(idNumber: string): WirePayer | null {
    const row = this.stmts.payerByIdNumber.get(idNumber) as { seq: number; data: string } | undefined;
    return row ? toWirePayer(row) : null;
  }

  /** The handshake: remembers each installation that introduced itself under a station's key. */
  hello(
    station: string,
    req: { installationId: string; hallName: string; regionCode: string; counterNo: number; appVersion: string },
    nowIso: string,
  ): 'new' | 'known' {
    return this.db.transaction(() => {
      const seen = this.db.prepare('SELECT 1 FROM installations WHERE station = ? AND installation_id = ?').get(station, req.installationId);
      if (seen) {
        this.db
          .prepare('UPDATE installations SET last_seen = ?, app_version = ?, counter_no = ? WHERE station = ? AND installation_id = ?')
          .run(nowIso, req.appVersion, req.counterNo, station, req.installationId);
        return 'known' as const;
      }
      this.db
        .prepare(
          'INSERT INTO installations (station, installation_id, hall_name, region_code, counter_no, app_version, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(station, req.installationId, req.hallName, req.regionCode, req.counterNo, req.appVersion, nowIso, nowIso);
      return 'new' as const;
    })();
  }

  /**
   * Binds a key (station) to the first installation that uses it; 'refused' for any other
   * installation until the key is re-issued.
   */
  bindInstallation(station: string, installationId: string, nowIso: string): 'bound' | 'refused' {
    const row = this.db.prepare('SELECT installation_id FROM key_bindings WHERE station = ?').get(station) as { installation_id: string } | undefined;
    if (row) return row.installation_id === installationId ? 'bound' : 'refused';
    this.db.prepare('INSERT INTO key_bindings (station, installation_id, bound_at) VALUES (?, ?, ?)').run(station, installationId, nowIso);
    return 'bound';
  }

  /** The tax office re-issues a key (new machine, replaced disk): the next installation may take it. */
  reissueKey(station: string): void {
    this.db.prepare('DELETE FROM key_bindings WHERE station = ?').run(station);
  }

  /** Installations seen per station (tests, #15's per-installation claims). */
  installations(station: string): { installationId: string; counterNo: number; firstSeen: string }[] {
    return (
      this.db.prepare('SELECT installation_id, counter_no, first_seen FROM installations WHERE station = ? ORDER BY first_seen').all(station) as {
        installation_id: string;
        counter_no: number;
        first_seen: string;
      }[]
    ).map((r) => ({ installationId: r.installation_id, counterNo: r.counter_no, firstSeen: r.first_seen }));
  }

  counts(): { payers: number; payments: number; events: number } {
    const n = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    return {
      payers: n('SELECT count(*) AS n FROM payers'),
      payments: n('SELECT count(*) AS n FROM payments'),
      events: n('SELECT count(*) AS n FROM events'),
    };
  }

  // ---- changes arriving over time -----------------------------------------------------------

  /** A payment through a bank or the app (or any channel, for tests that stage conflicts). */
  addPayment(
    p: { idNumber: string; year: number; tierFen: number; channel: Exclude<Channel, 'counter'>; paidAt: string; channelRef?: string },
    nowIso: string,
  ): WirePayment {
    if (!this.stmts.payerByIdNumber.get(p.idNumber)) throw new Error('unknown payer');
    return this.db.transaction(() => {
      const ref = p.channelRef ?? this.nextChannelRef(p.channel);
      return this.insertPayment({
        idNumber: p.idNumber,
        year: p.year,
        tierFen: p.tierFen,
        amountFen: p.tierFen,
        subsidyFen: 0,
        governmentPaidFen: 0,
        backPayment: false,
        channel: p.channel,
        channelRef: ref,
        localUid: null,
        station: null,
        paidAt: p.paidAt,
        recordedAt: nowIso,
      });
    })();
  }

  /**
   * Slip numbers of simulated arrivals: a prefix letter keeps them apart from the generator's
   * all-digit numbers, a running counter keeps them unique.
   */
  private nextChannelRef(channel: Exclude<Channel, 'counter'>): string {
    const n = Number(this.meta('arrival_ref') ?? '0') + 1;
    this.setMeta('arrival_ref', String(n));
    const prefix = { mobile_app: 'SA', bank_pos: 'SP', bank_counter: 'SB' }[channel];
    return `${prefix}${String(n).padStart(12, '0')}`;
  }

  /**
   * n payments of the current year from payers who have not paid it yet, through the banks
   * and the app, drawn from a seeded stream so a test run is reproducible.
   */
  arrivals(n: number, rng: Rng, now: Date, today: string): WirePayment[] {
    const year = Number(today.slice(0, 4));
    const total = (this.stmts.payerCount.get() as { n: number }).n;
    const tiers = this.seedOptions().tiersFen;
    const out: WirePayment[] = [];
    for (let i = 0; i < n && total > 0; i++) {
      for (let attempt = 0; attempt < 50; attempt++) {
        const row = this.stmts.payerById.get(1 + rng.int(total)) as { id_number: string; data: string } | undefined;
        if (!row) continue;
        const p = JSON.parse(row.data) as WirePayer;
        const wait = new Date(`${p.registrationDate}T00:00:00Z`);
        wait.setUTCDate(wait.getUTCDate() + 7);
        if (p.status !== 'active' || wait.toISOString().slice(0, 10) > today) continue;
        if (this.stmts.paidYear.get(p.idNumber, year)) continue;
        const tierFen = tiers[Math.min(tiers.length - 1, Math.floor(rng.next() ** 2 * tiers.length))]!;
        out.push(this.addPayment({ idNumber: p.idNumber, year, tierFen, channel: ARRIVAL_CHANNELS.draw(rng), paidAt: now.toISOString() }, now.toISOString()));
        break;
      }
    }
    return out;
  }

  /** Changes a payer's registry entry; the change is delivered again with a new seq. */
  updatePayer(idNumber: string, patch: Partial<Omit<WirePayer, 'seq' | 'idNumber' | 'updatedAt'>>, nowIso: string): WirePayer {
    return this.db.transaction(() => {
      const current = this.payer(idNumber);
      if (!current) throw new Error('unknown payer');
      const { seq: _seq, ...rest } = current;
      const next = { ...rest, ...patch, updatedAt: nowIso };
      const seq = this.nextPayerSeq();
      this.stmts.updatePayer.run(seq, JSON.stringify(next), idNumber);
      return { ...next, seq };
    })();
  }

  /** New registrations: the next payers of the generator's stream, with whatever history they bring. */
  registerPayers(k: number, nowIso: string): WirePayer[] {
    const options = this.seedOptions();
    const generated = Number(this.meta('generated') ?? '0');
    const gen = generateCounty({ ...options, payers: generated + k });
    for (let i = 0; i < generated; i++) gen.next();
    return this.db.transaction(() => {
      const added: WirePayer[] = [];
      for (const p of gen) {
        this.insertDemoPayer(p, nowIso);
        added.push(this.payer(p.idNumber)!);
      }
      this.setMeta('generated', String(generated + k));
      return added;
    })();
  }

  // ---- counter events -----------------------------------------------------------------------

  /**
   * Stores a counter event once per (station, idempotency key) and applies 'payment.recorded'
   * to the ledger. A repeat gets the stored answer; the same key with a different event is a
   * mismatch (a counter bug the protocol must not paper over).
   */
  recordEvent(station: string, req: PushRequest, nowIso: string, headerInstallation: string | null = null): RecordOutcome {
    return this.db.transaction((): RecordOutcome => {
      // The request hash leaves out the audit head: a retry after more audit rows is the same event.
      const requestHash = hash({ kind: req.kind, payload: req.payload });
      const seen = this.stmts.event.get(station, req.idempotencyKey) as { request_hash: string; result: string } | undefined;
      if (seen) {
        if (seen.request_hash !== requestHash) return { kind: 'mismatch' };
        return { kind: 'replay', result: JSON.parse(seen.result) as PushResult };
      }
      const installation = req.installationId ?? headerInstallation;
      const counterSeq = installation ? (req.counterSeq ?? null) : null;
      if (installation && counterSeq !== null) {
        const high = (this.stmts.mark.get(installation) as { high_seq: number } | undefined)?.high_seq ?? 0;
        if (counterSeq <= high) return { kind: 'sequence_reused', highSeq: high };
      }
      const result = this.applyEvent(station, req, nowIso, installation);
      this.stmts.insertEvent.run(
        station,
        req.idempotencyKey,
        req.kind,
        JSON.stringify(req.payload),
        requestHash,
        JSON.stringify(result),
        nowIso,
        installation,
        counterSeq,
      );
      if (installation && counterSeq !== null) this.stmts.setHighSeq.run(installation, station, counterSeq);
      if (installation && req.auditHead) this.recordAuditHead(station, installation, req.auditHead, nowIso);
      return { kind: 'stored', result };
    })();
  }

  /** The newest audit head an installation reported (with a push or a day close). */
  recordAuditHead(station: string, installationId: string, head: { seq: number; hash: string }, nowIso: string): void {
    this.stmts.setAuditHead.run({ installationId, station, seq: head.seq, hash: head.hash, at: nowIso });
  }

  /** What the upstream remembers of an installation (issue 15). */
  installationMark(installationId: string): { highSeq: number; auditHead: { seq: number; hash: string; at: string } | null } {
    const m = this.stmts.mark.get(installationId) as
      { high_seq: number; audit_seq: number | null; audit_hash: string | null; audit_at: string | null } | undefined;
    if (!m) return { highSeq: 0, auditHead: null };
    return {
      highSeq: m.high_seq,
      auditHead: m.audit_seq !== null && m.audit_hash && m.audit_at ? { seq: m.audit_seq, hash: m.audit_hash, at: m.audit_at } : null,
    };
  }

  /** The events an installation pushed after a sequence, in sequence order, and its blocks. */
  history(station: string, installationId: string, after: number, limit: number) {
    const rows = this.db
      .prepare(
        `SELECT counter_seq, idempotency_key, kind, payload, result, received_at FROM events
         WHERE installation_id = ? AND counter_seq > ? ORDER BY counter_seq LIMIT ?`,
      )
      .all(installationId, after, limit) as {
      counter_seq: number;
      idempotency_key: string;
      kind: string;
      payload: string;
      result: string;
      received_at: string;
    }[];
    const mark = this.installationMark(installationId);
    const items = rows.map((r) => ({
      counterSeq: r.counter_seq,
      idempotencyKey: r.idempotency_key,
      kind: r.kind,
      occurredAt: r.received_at,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      result: JSON.parse(r.result) as PushResult,
    }));
    const next = items.length ? items[items.length - 1]!.counterSeq : after;
    const blocks = (
      this.db
        .prepare('SELECT data FROM receipt_blocks WHERE station = ? AND (installation_id = ? OR installation_id IS NULL) ORDER BY rowid')
        .all(station, installationId) as { data: string }[]
    ).map((r) => JSON.parse(r.data) as ReceiptBlock);
    return {
      highSeq: mark.highSeq,
      auditHead: mark.auditHead,
      after: String(after),
      items,
      next: String(next),
      more: next < mark.highSeq && items.length > 0,
      blocks,
    };
  }

  /** Every receipt number used, with the receipts that used it (tests: none twice). */
  receiptIssuedNumbers(): { number: string; receiptUid: string; station: string }[] {
    return (
      this.db
        .prepare(
          "SELECT json_extract(payload, '$.number') AS number, json_extract(payload, '$.receiptUid') AS uid, station, result FROM events WHERE kind = 'receipt.issued' ORDER BY rowid",
        )
        .all() as { number: string; uid: string; station: string; result: string }[]
    )
      .filter((r) => (JSON.parse(r.result) as PushResult).status === 'accepted')
      .map((r) => ({ number: r.number, receiptUid: r.uid, station: r.station }));
  }

  private applyEvent(station: string, req: PushRequest, nowIso: string, installation: string | null): PushResult {
    if (req.kind === 'receipt.issued') {
      // One receipt per formal number, ever: a counter that lost track of its stock and printed a
      // used number again is told so rather than recorded twice (issue 15).
      const number = typeof req.payload.number === 'string' ? req.payload.number : null;
      const uid = typeof req.payload.receiptUid === 'string' ? req.payload.receiptUid : null;
      if (number && uid) {
        const used = this.stmts.receiptNumber.get(number) as { receipt_uid: string } | undefined;
        if (used && used.receipt_uid !== uid) {
          return { status: 'rejected', code: 'RECEIPT_NUMBER_USED', message: `receipt number ${number} was already used by receipt ${used.receipt_uid}` };
        }
        this.stmts.insertReceiptNumber.run(number, uid, station, installation);
      }
      return { status: 'accepted', receivedAt: nowIso };
    }
    if (req.kind !== 'payment.recorded') return { status: 'accepted', receivedAt: nowIso };
    const parsed = PaymentRecordedPayload.safeParse(req.payload);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      return { status: 'rejected', code: 'INVALID_PAYLOAD', message: where };
    }
    const payload = parsed.data;
    for (const line of payload.lines) {
      if (!this.stmts.payerByIdNumber.get(line.idNumber)) {
        return { status: 'rejected', code: 'PAYER_NOT_FOUND', message: `line ${line.localUid}: payer not registered upstream` };
      }
      if (this.stmts.paymentByLocalUid.get(line.localUid)) {
        return { status: 'rejected', code: 'DUPLICATE_LINE', message: `line ${line.localUid} was recorded by another event` };
      }
    }
    // Another channel may already hold the same year: both payments are kept and the counter
    // surfaces the case for a refund, as the tax system does.
    const payments = payload.lines.map((line) => {
      const stored = this.insertPayment({
        idNumber: line.idNumber,
        year: line.year,
        tierFen: line.tierFen,
        amountFen: line.amountFen,
        subsidyFen: line.subsidyFen,
        governmentPaidFen: line.governmentPaidFen,
        backPayment: line.backPayment,
        channel: 'counter',
        channelRef: null,
        localUid: line.localUid,
        station,
        paidAt: payload.paidAt,
        recordedAt: nowIso,
      });
      return { localUid: line.localUid, upstreamId: stored.upstreamId };
    });
    return { status: 'accepted', receivedAt: nowIso, payments };
  }

  /** Events received, for tests and rehearsals. */
  events(): { station: string; idempotencyKey: string; kind: string; result: PushResult }[] {
    return (
      this.db.prepare('SELECT station, idempotency_key, kind, result FROM events ORDER BY rowid').all() as {
        station: string;
        idempotency_key: string;
        kind: string;
        result: string;
      }[]
    ).map((r) => ({ station: r.station, idempotencyKey: r.idempotency_key, kind: r.kind, result: JSON.parse(r.result) as PushResult }));
  }

  // ---- day totals ---------------------------------------------------------------------------

  /**
   * The upstream's totals for one operator's business day at one station (GET /v1/day-totals),
   * computed from the events that station pushed: accepted 'payment.recorded' events of that
   * date and operator (by year / 补缴, tier, method); 'receipt.issued' of that date and operator,
   * voided when a 'receipt.voided' names the receipt; 'exchange.claimed' by that operator whose
   * receipt was issued on that date. The same scoping as the counter's day summary.
   */
  dayTotals(station: string, businessDate: string, operatorUsername: string): UpstreamDayTotals {
    const rows = (kind: string, where: string, ...args: string[]) =>
      (
        this.db.prepare(`SELECT payload, result FROM events WHERE station = ? AND kind = ? ${where} ORDER BY rowid`).all(station, kind, ...args) as {
          payload: string;
          result: string;
        }[]
      ).map((r) => ({ payload: JSON.parse(r.payload) as Record<string, unknown>, result: JSON.parse(r.result) as PushResult }));
    const ofDay = "AND json_extract(payload, '$.businessDate') = ? AND json_extract(payload, '$.operatorUsername') = ?";

    type Line = { count: number; amountFen: number };
    const add = <K>(m: Map<K, Line>, k: K, amountFen: number) => {
      const l = m.get(k) ?? { count: 0, amountFen: 0 };
      l.count += 1;
      l.amountFen += amountFen;
      m.set(k, l);
    };
    const totals: Line = { count: 0, amountFen: 0 };
    const byYear = new Map<string, Line & { year: number; backPayment: boolean }>();
    const byTier = new Map<number, Line>();
    const byMethod = new Map<PaymentMethod, Line>();
    for (const e of rows('payment.recorded', ofDay, businessDate, operatorUsername)) {
      // A rejected event was never applied to the ledger.
      if (e.result.status !== 'accepted') continue;
      const p = PaymentRecordedPayload.safeParse(e.payload);
      if (!p.success) continue;
      for (const line of p.data.lines) {
        totals.count += 1;
        totals.amountFen += line.amountFen;
        const yk = `${line.year}|${line.backPayment ? 1 : 0}`;
        const y = byYear.get(yk) ?? { year: line.year, backPayment: line.backPayment, count: 0, amountFen: 0 };
        y.count += 1;
        y.amountFen += line.amountFen;
        byYear.set(yk, y);
        add(byTier, line.tierFen, line.amountFen);
        add(byMethod, p.data.method, line.amountFen);
      }
    }

    const issued = rows('receipt.issued', ofDay, businessDate, operatorUsername).map((e) => String(e.payload.receiptUid));
    const voidedUids = new Set(rows('receipt.voided', '').map((e) => String(e.payload.receiptUid)));
    const voided = issued.filter((uid) => voidedUids.has(uid)).length;

    // An exchange belongs to the day of the receipt it was first printed on.
    const receiptDate = this.db.prepare(
      "SELECT json_extract(payload, '$.businessDate') AS d FROM events WHERE station = ? AND kind = 'receipt.issued' AND json_extract(payload, '$.receiptUid') = ?",
    );
    const byChannel = new Map<ExchangeChannel, Line>();
    for (const e of rows('exchange.claimed', "AND json_extract(payload, '$.operatorUsername') = ?", operatorUsername)) {
      const d = (receiptDate.get(station, String(e.payload.receiptUid)) as { d: string } | undefined)?.d;
      if (d !== businessDate) continue;
      add(byChannel, e.payload.channel as ExchangeChannel, Number(e.payload.amountFen));
    }

    const methodOrder: readonly PaymentMethod[] = ['cash', 'bank_card', 'qr'];
    const channelOrder: readonly ExchangeChannel[] = ['bank_pos', 'bank_counter', 'mobile_app'];
    return {
      businessDate,
      operatorUsername,
      totals,
      byYear: [...byYear.values()].sort((a, b) => b.year - a.year || Number(a.backPayment) - Number(b.backPayment)),
      byTier: [...byTier.entries()].sort(([a], [b]) => a - b).map(([tierFen, l]) => ({ tierFen, ...l })),
      byMethod: methodOrder.flatMap((method) => {
        const l = byMethod.get(method);
        return l ? [{ method, ...l }] : [];
      }),
      exchangesByChannel: channelOrder.flatMap((channel) => {
        const l = byChannel.get(channel);
        return l ? [{ channel, ...l }] : [];
      }),
      receipts: { issued: issued.length - voided, voided },
    };
  }

  // ---- receipts and exchanges ---------------------------------------------------------------

  allocateReceiptBlock(
    station: string,
    idempotencyKey: string,
    req: { operatorUsername: string; count: number },
    now: Date,
    installation: string | null = null,
  ): { kind: 'allocated' | 'replay'; block: ReceiptBlock } | { kind: 'mismatch' } {
    return this.db.transaction(() => {
      const requestHash = hash(req);
      const seen = this.stmts.block.get(station, idempotencyKey) as { request_hash: string; data: string; installation_id: string | null } | undefined;
      if (seen) {
        // A block belongs to the installation that asked for it: another counter on the same key
        // sending the same request is not handed the same numbers (issue 15).
        const sameAsker = seen.installation_id === installation;
        return seen.request_hash === requestHash && sameAsker
          ? { kind: 'replay' as const, block: JSON.parse(seen.data) as ReceiptBlock }
          : { kind: 'mismatch' as const };
      }
      const year = now.getUTCFullYear();
      const key = `receipt_serial_${year}`;
      const first = Number(this.meta(key) ?? '0') + 1;
      const last = first + req.count - 1;
      this.setMeta(key, String(last));
      const block: ReceiptBlock = {
        blockId: `RB${year}-${String(first).padStart(8, '0')}`,
        receiptType: 'tax_cash',
        series: `(${year})示税现`,
        firstSerial: first,
        lastSerial: last,
        serialDigits: 8,
        operatorUsername: req.operatorUsername,
        allocatedAt: now.toISOString(),
      };
      this.stmts.insertBlock.run(block.blockId, station, idempotencyKey, requestHash, JSON.stringify(block), installation);
      return { kind: 'allocated' as const, block };
    })();
  }

  /** First claim wins; the same counter claiming again is told it holds the claim. */
  claimExchange(
    station: string,
    req: { channel: ExchangeChannel; channelRef: string; counterId: string },
    nowIso: string,
    installation: string | null = null,
  ): ClaimResult {
    return this.db.transaction((): ClaimResult => {
      const payment = this.stmts.paymentByRef.get(req.channel, req.channelRef) as PaymentRow | undefined;
      if (!payment) return { kind: 'not_found' };
      const existing = this.stmts.claim.get(req.channel, req.channelRef) as { data: string } | undefined;
      if (existing) {
        const stored = JSON.parse(existing.data) as ExchangeClaim & { installationId?: string | null };
        const { installationId: holder, ...claim } = stored;
        // Per installation, never per typed window number: two counters on one key that both call
        // themselves window 1 are still two claimants (issue 15). Claims from before installations
        // (no holder recorded) fall back to station and window.
        const mine = holder ? holder === installation : claim.station === station && claim.counterId === req.counterId && !installation;
        return { kind: mine ? 'claimed' : 'already_claimed', claim };
      }
      const claim: ExchangeClaim = {
        channel: req.channel,
        channelRef: req.channelRef,
        upstreamId: payment.upstream_id,
        counterId: req.counterId,
        station,
        claimedAt: nowIso,
      };
      this.stmts.insertClaim.run(req.channel, req.channelRef, JSON.stringify({ ...claim, installationId: installation }));
      return { kind: 'claimed', claim };
    })();
  }
}

function toWirePayer(row: { seq: number; data: string }): WirePayer {
  return { ...(JSON.parse(row.data) as Omit<WirePayer, 'seq'>), seq: row.seq };
}

function toWirePayment(r: PaymentRow): WirePayment {
  return {
    seq: r.seq,
    upstreamId: r.upstream_id,
    idNumber: r.id_number,
    year: r.year,
    tierFen: r.tier_fen,
    amountFen: r.amount_fen,
    subsidyFen: r.subsidy_fen,
    governmentPaidFen: r.government_paid_fen,
    backPayment: r.back_payment === 1,
    channel: r.channel,
    channelRef: r.channel_ref,
    localUid: r.local_uid,
    station: r.station,
    paidAt: r.paid_at,
    recordedAt: r.recorded_at,
  };
}
