// The append-only audit trail (issue 10). Services call appendAudit() INSIDE the transaction that
// makes the change, so the change and its audit row commit or roll back together. Rows are
// hash-chained: each hash covers the row's own content and the previous row's hash, and the chain
// head (audit_head, moved by a trigger) lets verifyAuditChain() notice deleted newest rows too.
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import type { Db } from '../../platform/db/database';
import { AUDIT_GENESIS_HASH } from '../../platform/db/migrations/0005-audit';
import { scrubIdNumbers } from '../../platform/log';
import * as sql from '../../platform/db/sql';

/**
 * What can be audited. Extend here when a capability adds an action (the list keeps the
 * supervisor screen's filter and the tests honest).
 */
export const auditActions = [
  'session.signIn',
  'session.signInFailed',
  'session.signOut',
  'session.lock',
  'session.unlock',
  'session.unlockFailed',
  'payment.record',
  'print.reprint',
  'receipt.issue',
  'receipt.void',
  'receipt.exchange',
  'receipt.reprint',
  'receipt.stockReceive',
  'receipt.stockAdjust',
  'approval.grant',
  'approval.refuse',
  'dayclose.close',
  'policy.change',
  'device.change',
  'config.change',
  'operator.change',
  'backup.create',
  'backup.restore',
  'sync.apply',
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface AuditActor {
  operatorId: number | null;
  username: string | null;
  counterNo: number | null;
}

export interface AuditEntry {
  action: AuditAction;
  /** What kind of thing changed: 'payment', 'receipt', 'shift', 'operator', 'policy', 'device' … */
  entity: string;
  entityId?: string | number | null;
  /** Who; omitted (or null fields) for the system itself. */
  actor?: Partial<AuditActor> | null;
  /** State before and after the change: any JSON-able value; ID numbers are masked. */
  before?: unknown;
  after?: unknown;
  /** Default: now. Stored as a UTC ISO instant. */
  at?: Date | string;
}

export interface AuditRow {
  seq: number;
  at: string;
  operatorId: number | null;
  operatorUsername: string | null;
  counterNo: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string;
  hash: string;
}

interface RawRow {
  seq: number;
  at: string;
  operator_id: number | null;
  operator_username: string | null;
  counter_no: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

const MAX_JSON_CHARS = 64 * 1024;
const MAX_DEPTH = 12;

/**
 * Canonical form of a before/after value: object keys sorted, strings with ID numbers masked,
 * undefined dropped, non-finite numbers null, Dates as ISO strings, bigints as strings.
 */
function canonical(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return scrubIdNumbers(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return scrubIdNumbers(value.toString());
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value !== 'object') return null;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => canonical(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    // defineProperty so that a key named __proto__ is data, not a prototype change.
    Object.defineProperty(out, scrubIdNumbers(key), { value: canonical(v, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The stored text of a before/after value (null stays NULL). */
export function canonicalJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(canonical(value));
  if (text.length > MAX_JSON_CHARS) return JSON.stringify({ truncated: true, chars: text.length });
  return text;
}

/** SHA-256 over the row's columns in a fixed order, with the previous row's hash. */
export function auditRowHash(row: Omit<RawRow, 'hash'>): string {
  const material = JSON.stringify([
    'audit-v1',
    row.seq,
    row.at,
    row.operator_id,
    row.operator_username,
    row.counter_no,
    row.action,
    row.entity,
    row.entity_id,
    row.before,
    row.after,
    row.prev_hash,
  ]);
  return createHash('sha256').update(material, 'utf8').digest('hex');
}

function utcInstant(at: Date | string | undefined): string {
  const d = at === undefined ? new Date() : typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) throw new Error(`audit: invalid instant ${String(at)}`);
  return d.toISOString();
}

function actorField<T>(v: T | undefined): T | null {
  return v === undefined ? null : v;
}

/**
 * Appends one row to the audit trail. Synchronous, meant to run INSIDE the caller's
 * db.transaction(): when the caller's change rolls back, so does its audit row. Called outside a
 * transaction it still appends atomically (its own implicit transaction). Returns the new seq.
 */
export function appendAudit(db: Db, entry: AuditEntry): number {
  if (!(auditActions as readonly string[]).includes(entry.action)) throw new Error(`audit: unknown action ${String(entry.action)}`);
  const head = sql.get<{ seq: number; hash: string }>(db, 'SELECT seq, hash FROM audit_head WHERE id = 1');
  if (!head) throw new AppError('DB_CORRUPT', '审计日志链头缺失');
  const actor = entry.actor ?? {};
  const row: Omit<RawRow, 'hash'> = {
    seq: head.seq + 1,
    at: utcInstant(entry.at),
    operator_id: actorField(actor.operatorId),
    // A user name typed at a failed sign-in may be anything, an ID number included.
    operator_username: actor.username === undefined || actor.username === null ? null : scrubIdNumbers(actor.username),
    counter_no: actorField(actor.counterNo),
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : scrubIdNumbers(String(entry.entityId)),
    before: canonicalJson(entry.before),
    after: canonicalJson(entry.after),
    prev_hash: head.hash,
  };
  const hash = auditRowHash(row);
  sql.run(
    db,
    `INSERT INTO audit_log (seq, at, operator_id, operator_username, counter_no, action, entity, entity_id, before, after, prev_hash, hash)
     VALUES (@seq, @at, @operator_id, @operator_username, @counter_no, @action, @entity, @entity_id, @before, @after, @prev_hash, @hash)`,
    { ...row, hash },
  );
  return row.seq;
}

export type AuditProblemKind = 'altered' | 'inserted' | 'deleted';

export interface AuditVerifyResult {
  ok: boolean;
  /** Rows in the table. */
  rows: number;
  /** The chain head as recorded (seq 0 = empty log). */
  head: { seq: number; hash: string } | null;
  firstProblem?: { seq: number; kind: AuditProblemKind; detail: string };
}

/**
 * Walks the whole chain and reports the first row that was altered, inserted or deleted, by seq.
 *
 * - a row whose content does not match its hash: altered (or, when it matches with its seq
 *   shifted by one, the rows were renumbered around an inserted / deleted row);
 * - a gap in seq, or fewer rows than the head records: deleted;
 * - a row whose prev_hash names the same predecessor as the row before it: that row was inserted;
 * - a row whose prev_hash names a hash no longer present: the row before it was altered and
 *   its hash recomputed;
 * - rows beyond the head: inserted; a newest row whose hash is not the head's: altered.
 *
 * Without a secret, someone who rewrites every row after a change AND the head cannot be caught
 * from the file alone; keeping the head seen at each day close elsewhere (backups, the day-close
 * record upstream) closes that gap.
 */
export function verifyAuditChain(db: Db): AuditVerifyResult {
  const head = sql.get<{ seq: number; hash: string }>(db, 'SELECT seq, hash FROM audit_head WHERE id = 1') ?? null;
  const rows = sql.one<{ n: number }>(db, 'SELECT count(*) AS n FROM audit_log').n;
  const fail = (seq: number, kind: AuditProblemKind, detail: string): AuditVerifyResult => ({ ok: false, rows, head, firstProblem: { seq, kind, detail } });

  let prev: RawRow | null = null;
  for (const row of sql.iterate<RawRow>(db, 'SELECT * FROM audit_log ORDER BY seq')) {
    const expectedSeq = prev ? prev.seq + 1 : 1;
    const expectedPrevHash = prev ? prev.hash : AUDIT_GENESIS_HASH;
    if (row.seq > expectedSeq) {
      const missing = row.seq - 1 === expectedSeq ? `${expectedSeq}` : `${expectedSeq}–${row.seq - 1}`;
      return fail(expectedSeq, 'deleted', `第 ${missing} 条记录缺失（删除）`);
    }
    const own = auditRowHash(row);
    if (own !== row.hash) {
      if (auditRowHash({ ...row, seq: row.seq - 1 }) === row.hash) {
        return fail(row.seq - 1, 'inserted', `第 ${row.seq - 1} 条之后的记录被重新编号：有记录被插入`);
      }
      if (auditRowHash({ ...row, seq: row.seq + 1 }) === row.hash) {
        return fail(row.seq, 'deleted', `第 ${row.seq} 条之后的记录被重新编号：有记录被删除`);
      }
      return fail(row.seq, 'altered', `第 ${row.seq} 条记录的内容与其校验值不符（被修改）`);
    }
    if (row.prev_hash !== expectedPrevHash) {
      if (prev && row.prev_hash === prev.prev_hash) {
        return fail(prev.seq, 'inserted', `第 ${prev.seq} 条记录不在原链中（插入）`);
      }
      if (prev) return fail(prev.seq, 'altered', `第 ${prev.seq} 条记录被修改并重算了校验值（下一条记录指向原值）`);
      return fail(row.seq, 'altered', `第 ${row.seq} 条记录的前序校验值不是链首值`);
    }
    prev = row;
  }

  if (!head) return fail(prev ? prev.seq + 1 : 1, 'deleted', '审计日志链头（audit_head）缺失');
  const lastSeq = prev?.seq ?? 0;
  if (lastSeq < head.seq) {
    const missing = lastSeq + 1 === head.seq ? `${head.seq}` : `${lastSeq + 1}–${head.seq}`;
    return fail(lastSeq + 1, 'deleted', `最新的第 ${missing} 条记录缺失（删除）`);
  }
  if (lastSeq > head.seq) return fail(head.seq + 1, 'inserted', `第 ${head.seq + 1} 条起的记录在链头之后（插入）`);
  if ((prev?.hash ?? AUDIT_GENESIS_HASH) !== head.hash) {
    return fail(lastSeq, 'altered', `第 ${lastSeq} 条记录的校验值与链头不符（被修改）`);
  }
  return { ok: true, rows, head };
}

export interface AuditFilters {
  /** UTC instants (ISO 8601); from inclusive, to exclusive. */
  from?: string;
  to?: string;
  operatorId?: number;
  username?: string;
  action?: AuditAction | AuditAction[];
  entity?: string;
  entityId?: string | number;
  /** 0-based page; newest rows first. */
  page?: number;
  pageSize?: number;
}

export interface AuditPage {
  rows: AuditRow[];
  total: number;
  page: number;
  pageSize: number;
}

export const MAX_AUDIT_PAGE_SIZE = 200;

function parseJsonColumn(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toRow(r: RawRow): AuditRow {
  return {
    seq: r.seq,
    at: r.at,
    operatorId: r.operator_id,
    operatorUsername: r.operator_username,
    counterNo: r.counter_no,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: parseJsonColumn(r.before),
    after: parseJsonColumn(r.after),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

function filterInstant(value: string, name: string): string {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) throw new AppError('VALIDATION', `${name} 不是有效的时刻`);
  return d.toISOString();
}

/** One page of the trail for the supervisor screen, newest first, with the total count. */
export function queryAudit(db: Db, filters: AuditFilters = {}): AuditPage {
  const where: string[] = [];
  const params: sql.Param[] = [];
  if (filters.from !== undefined) {
    where.push('at >= ?');
    params.push(filterInstant(filters.from, '开始时间'));
  }
  if (filters.to !== undefined) {
    where.push('at < ?');
    params.push(filterInstant(filters.to, '结束时间'));
  }
  if (filters.operatorId !== undefined) {
    where.push('operator_id = ?');
    params.push(filters.operatorId);
  }
  if (filters.username !== undefined) {
    where.push('operator_username = ?');
    params.push(filters.username);
  }
  if (filters.action !== undefined) {
    const actions = Array.isArray(filters.action) ? filters.action : [filters.action];
    if (actions.length === 0) return { rows: [], total: 0, page: 0, pageSize: filters.pageSize ?? 50 };
    where.push('action IN (SELECT value FROM json_each(?))');
    params.push(sql.list(actions));
  }
  if (filters.entity !== undefined) {
    where.push('entity = ?');
    params.push(filters.entity);
  }
  if (filters.entityId !== undefined) {
    where.push('entity_id = ?');
    params.push(scrubIdNumbers(String(filters.entityId)));
  }
  const pageSize = Math.min(Math.max(Math.trunc(filters.pageSize ?? 50), 1), MAX_AUDIT_PAGE_SIZE);
  const page = Math.max(Math.trunc(filters.page ?? 0), 0);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = sql.one<{ n: number }>(db, `SELECT count(*) AS n FROM audit_log ${clause}`, ...params).n;
  const raw = sql.all<RawRow>(db, `SELECT * FROM audit_log ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`, ...params, pageSize, page * pageSize);
  return { rows: raw.map(toRow), total, page, pageSize };
}

/** Whether the database has the audit tables (migration 5 applied). */
export function hasAuditLog(db: Db): boolean {
  return sql.get(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'") !== undefined;
}

export type UpstreamAuditCheck =
  | { checked: false; reason: string }
  | {
      checked: true;
      ok: boolean;
      /** The head the upstream holds (seq, hash, when it received it). */
      upstreamHead: { seq: number; hash: string; at: string } | null;
      problem?: { seq: number; kind: 'truncated' | 'rewritten' | 'backdated'; detail: string };
      /** Rows after the upstream's head: the next push vouches for them. */
      unvouched: number;
    };

/**
 * Checks the local chain against the last head the upstream holds for this counter (issue 15):
 * someone with the file can rewrite it so that it verifies on its own (rewind the head after
 * deleting the newest rows, recompute every hash, append a well-linked row), but cannot change
 * what the upstream was told. The row at the upstream's seq must exist with the upstream's hash;
 * rows after it must not claim a time before that row (a row slipped in afterwards, backdated).
 */
export function verifyAgainstUpstreamHead(db: Db, upstreamHead: { seq: number; hash: string; at: string } | null): UpstreamAuditCheck {
  const last = sql.one<{ n: number }>(db, 'SELECT coalesce(max(seq), 0) AS n FROM audit_log').n;
  if (!upstreamHead || upstreamHead.seq === 0) return { checked: true, ok: true, upstreamHead, unvouched: last };
  const row = sql.get<{ hash: string; at: string }>(db, 'SELECT hash, at FROM audit_log WHERE seq = ?', upstreamHead.seq);
  const fail = (seq: number, kind: 'truncated' | 'rewritten' | 'backdated', detail: string): UpstreamAuditCheck => ({
    checked: true,
    ok: false,
    upstreamHead,
    problem: { seq, kind, detail },
    unvouched: Math.max(0, last - upstreamHead.seq),
  });
  if (!row) {
    return fail(last + 1, 'truncated', `上游记录的链头为第 ${upstreamHead.seq} 条，本地只有到第 ${last} 条：最新的记录被删除`);
  }
  if (row.hash !== upstreamHead.hash) {
    return fail(upstreamHead.seq, 'rewritten', `第 ${upstreamHead.seq} 条记录的校验值与上游记录的链头不符：记录被改写并重算了校验值`);
  }
  const early = sql.get<{ seq: number; at: string }>(
    db,
    'SELECT seq, at FROM audit_log WHERE seq > ? AND at < ? ORDER BY seq LIMIT 1',
    upstreamHead.seq,
    row.at,
  );
  if (early) {
    return fail(early.seq, 'backdated', `第 ${early.seq} 条记录在上游已确认的第 ${upstreamHead.seq} 条之后写入，却标着更早的时间（${early.at}）：事后补写`);
  }
  return { checked: true, ok: true, upstreamHead, unvouched: last - upstreamHead.seq };
}
