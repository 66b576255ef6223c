import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../electron/platform/db/database';
import { appendAudit, auditRowHash, queryAudit, verifyAuditChain, type AuditEntry } from '../../../electron/services/trust/audit';
import { auditedDb, dropAuditTriggers } from './helpers';

const ID = '520123197001010014';
const T0 = Date.parse('2026-06-15T01:00:00Z');

let open: Db[] = [];
afterEach(() => {
  for (const db of open) if (db.open) db.close();
  open = [];
});

function fresh(): Db {
  const { db } = auditedDb();
  open.push(db);
  return db;
}

const clerk = { operatorId: 1, username: 'clerk', counterNo: 2 };
const entry = (i: number): AuditEntry => ({
  action: i % 3 === 0 ? 'session.signIn' : 'payment.record',
  entity: i % 3 === 0 ? 'shift' : 'payment',
  entityId: i,
  actor: i % 5 === 4 ? { ...clerk, operatorId: 3, username: 'super' } : clerk,
  before: i % 2 ? null : { n: i },
  after: { n: i + 1, note: `第${i}笔` },
  at: new Date(T0 + i * 60_000),
});

function filled(n: number): Db {
  const db = fresh();
  db.transaction(() => {
    for (let i = 1; i <= n; i++) appendAudit(db, entry(i));
  })();
  return db;
}

type Raw = Record<string, unknown> & { seq: number; hash: string; prev_hash: string };
const rowAt = (db: Db, seq: number) => db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as Raw;
const rehash = (db: Db, seq: number) => {
  const r = rowAt(db, seq);
  db.prepare('UPDATE audit_log SET hash = ? WHERE seq = ?').run(auditRowHash(r as never), seq);
};

describe('audit log: append-only, in the caller’s transaction', () => {
  it('commits and rolls back with the change it describes; the head follows', () => {
    const db = fresh();
    db.exec('CREATE TABLE t (v INTEGER) STRICT');
    db.transaction(() => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      expect(appendAudit(db, entry(1))).toBe(1);
    })();
    expect(() =>
      db.transaction(() => {
        db.prepare('INSERT INTO t VALUES (2)').run();
        appendAudit(db, entry(2));
        throw new Error('payment refused');
      })(),
    ).toThrow('payment refused');
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT seq FROM audit_head').get()).toEqual({ seq: 1 });
    expect(queryAudit(db).rows.map((r) => r.seq)).toEqual([1]);
    expect(appendAudit(db, entry(2))).toBe(2);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 2, head: { seq: 2 } });
  });

  it('refuses UPDATE, DELETE, a row that does not continue the chain, and changes to the head', () => {
    const db = filled(3);
    expect(() => db.prepare("UPDATE audit_log SET action = 'session.signOut' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    const last = rowAt(db, 3);
    expect(() =>
      db
        .prepare("INSERT INTO audit_log (seq, at, action, entity, prev_hash, hash) VALUES (5, '2026-06-15T02:00:00.000Z', 'payment.record', 'payment', ?, ?)")
        .run(last.hash, 'f'.repeat(64)),
    ).toThrow(/continue the chain/);
    expect(() => db.prepare('UPDATE audit_head SET seq = 2').run()).toThrow(/audit_head/);
    expect(() => db.prepare('DELETE FROM audit_head').run()).toThrow(/audit_head/);
    expect(verifyAuditChain(db).ok).toBe(true);
  });

  it('masks full ID numbers in before/after, entity ids and keys; stores canonical JSON', () => {
    const db = fresh();
    appendAudit(db, {
      action: 'payment.record',
      entity: 'payer',
      entityId: ID,
      actor: clerk,
      before: { z: 1, a: ID, [ID]: true },
      after: { list: [ID.toLowerCase().replace('4', 'x')], n: NaN },
    });
    appendAudit(db, { action: 'session.signInFailed', entity: 'operator', actor: { username: `身份证${ID}`, counterNo: 1 } });
    expect(JSON.stringify(db.prepare('SELECT at, operator_username, entity_id, before, after FROM audit_log').all())).not.toMatch(/\d{17}[\dXx]/);
    const raw = db.prepare('SELECT entity_id, before, after FROM audit_log WHERE seq = 1').get() as Record<string, string>;
    expect(JSON.stringify(raw)).not.toMatch(/\d{17}[\dXx]/);
    expect(raw.entity_id).toBe('520123********0014');
    expect(raw.before).toBe('{"520123********0014":true,"a":"520123********0014","z":1}');
    expect(JSON.parse(raw.after!)).toEqual({ list: ['520123********001x'], n: null });
  });

  it('keeps a __proto__ key as data and never pollutes prototypes', () => {
    const db = fresh();
    appendAudit(db, {
      action: 'config.change',
      entity: 'config',
      after: JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}') as unknown,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const after = queryAudit(db).rows[0]!.after as object;
    expect(Object.getOwnPropertyDescriptor(after, '__proto__')?.value).toEqual({ polluted: 1 });
    expect(Object.getPrototypeOf(after)).toBe(Object.prototype);
  });
});

describe('audit verify finds the first altered, inserted or deleted row', () => {
  it('an intact chain of 40 rows verifies', () => {
    expect(verifyAuditChain(filled(40))).toEqual({ ok: true, rows: 40, head: { seq: 40, hash: expect.any(String) } });
    expect(verifyAuditChain(fresh())).toMatchObject({ ok: true, rows: 0, head: { seq: 0 } });
  });

  const n = 12;
  type Tamper = { name: string; apply: (db: Db, k: number) => void; expect: (k: number) => { seq: number; kind: string } };
  const tampers: Tamper[] = [
    {
      name: 'content edited',
      apply: (db, k) => db.prepare('UPDATE audit_log SET after = \'{"n":0}\' WHERE seq = ?').run(k),
      expect: (k) => ({ seq: k, kind: 'altered' }),
    },
    {
      name: 'operator changed',
      apply: (db, k) => db.prepare("UPDATE audit_log SET operator_username = 'someone' WHERE seq = ?").run(k),
      expect: (k) => ({ seq: k, kind: 'altered' }),
    },
    {
      name: 'content edited and its hash recomputed',
      apply: (db, k) => {
        db.prepare("UPDATE audit_log SET at = '2026-01-01T00:00:00.000Z' WHERE seq = ?").run(k);
        rehash(db, k);
      },
      expect: (k) => ({ seq: k, kind: 'altered' }),
    },
    { name: 'row deleted', apply: (db, k) => db.prepare('DELETE FROM audit_log WHERE seq = ?').run(k), expect: (k) => ({ seq: k, kind: 'deleted' }) },
    {
      name: 'row deleted and the rest renumbered',
      apply: (db, k) => {
        db.prepare('DELETE FROM audit_log WHERE seq = ?').run(k);
        for (let s = k + 1; s <= n; s++) db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(s - 1, s);
      },
      expect: (k) => ({ seq: k, kind: 'deleted' }),
    },
    {
      name: 'row inserted with the rest renumbered',
      apply: (db, k) => {
        for (let s = n; s >= k; s--) db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(s + 1, s);
        const prevHash = k === 1 ? '0'.repeat(64) : rowAt(db, k - 1).hash;
        const forged = {
          seq: k,
          at: '2026-06-15T01:30:00.000Z',
          operator_id: 9,
          operator_username: 'ghost',
          counter_no: 1,
          action: 'payment.record',
          entity: 'payment',
          entity_id: '999',
          before: null,
          after: '{"n":1}',
          prev_hash: prevHash,
        };
        db.prepare(
          'INSERT INTO audit_log (seq, at, operator_id, operator_username, counter_no, action, entity, entity_id, before, after, prev_hash, hash) VALUES (@seq, @at, @operator_id, @operator_username, @counter_no, @action, @entity, @entity_id, @before, @after, @prev_hash, @hash)',
        ).run({ ...forged, hash: auditRowHash(forged) });
      },
      expect: (k) => ({ seq: k, kind: 'inserted' }),
    },
  ];

  it.each(tampers.map((t) => [t.name, t] as const))('%s (first, middle and last row)', (_name, t) => {
    for (const k of [1, 6, n]) {
      const db = filled(n);
      dropAuditTriggers(db);
      t.apply(db, k);
      const r = verifyAuditChain(db);
      expect(r.ok, `${t.name} at ${k}`).toBe(false);
      expect(r.firstProblem, `${t.name} at ${k}`).toMatchObject(t.expect(k));
      expect(r.firstProblem!.detail.length).toBeGreaterThan(0);
    }
  });

  it('rows appended after the head (a forged but well-linked newest row) are reported as inserted', () => {
    const db = filled(n);
    dropAuditTriggers(db);
    const forged = {
      seq: n + 1,
      at: '2026-06-15T05:00:00.000Z',
      operator_id: 1,
      operator_username: 'clerk',
      counter_no: 2,
      action: 'receipt.void',
      entity: 'receipt',
      entity_id: '7',
      before: null,
      after: null,
      prev_hash: rowAt(db, n).hash,
    };
    db.prepare(
      'INSERT INTO audit_log (seq, at, operator_id, operator_username, counter_no, action, entity, entity_id, before, after, prev_hash, hash) VALUES (@seq, @at, @operator_id, @operator_username, @counter_no, @action, @entity, @entity_id, @before, @after, @prev_hash, @hash)',
    ).run({ ...forged, hash: auditRowHash(forged) });
    expect(verifyAuditChain(db).firstProblem).toMatchObject({ seq: n + 1, kind: 'inserted' });
  });

  it('the newest rows deleted (chain still well-linked) are reported through the head', () => {
    const db = filled(n);
    dropAuditTriggers(db);
    db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(n - 2);
    expect(verifyAuditChain(db).firstProblem).toMatchObject({ seq: n - 2, kind: 'deleted' });
    db.prepare('DELETE FROM audit_log').run();
    expect(verifyAuditChain(db).firstProblem).toMatchObject({ seq: 1, kind: 'deleted' });
  });

  it('property: any single tamper anywhere is reported at its row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: tampers.length - 1 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), (ti, size, pos) => {
        const k = Math.min(pos, size);
        const t = tampers[ti]!;
        const db = fresh();
        db.transaction(() => {
          for (let i = 1; i <= size; i++) appendAudit(db, entry(i));
        })();
        dropAuditTriggers(db);
        // The renumbering tampers above assume n rows.
        const apply = t.name.includes('renumbered') ? renumberTamper(t.name, size) : t.apply;
        apply(db, k);
        const r = verifyAuditChain(db);
        db.close();
        return r.ok === false && r.firstProblem?.seq === t.expect(k).seq && r.firstProblem.kind === t.expect(k).kind;
      }),
      { numRuns: 60 },
    );
  });

  function renumberTamper(name: string, size: number): (db: Db, k: number) => void {
    if (name.startsWith('row deleted'))
      return (db, k) => {
        db.prepare('DELETE FROM audit_log WHERE seq = ?').run(k);
        for (let s = k + 1; s <= size; s++) db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(s - 1, s);
      };
    return (db, k) => {
      for (let s = size; s >= k; s--) db.prepare('UPDATE audit_log SET seq = ? WHERE seq = ?').run(s + 1, s);
      const prevHash = k === 1 ? '0'.repeat(64) : rowAt(db, k - 1).hash;
      const forged = {
        seq: k,
        at: '2026-06-15T01:30:00.000Z',
        operator_id: null,
        operator_username: null,
        counter_no: null,
        action: 'payment.record',
        entity: 'payment',
        entity_id: null,
        before: null,
        after: null,
        prev_hash: prevHash,
      };
      db.prepare(
        'INSERT INTO audit_log (seq, at, operator_id, operator_username, counter_no, action, entity, entity_id, before, after, prev_hash, hash) VALUES (@seq, @at, @operator_id, @operator_username, @counter_no, @action, @entity, @entity_id, @before, @after, @prev_hash, @hash)',
      ).run({ ...forged, hash: auditRowHash(forged) });
    };
  }
});

describe('queryAudit for the supervisor screen', () => {
  it('filters by time range, operator, action and entity, newest first, paged', () => {
    const db = filled(30);
    const all = queryAudit(db, { pageSize: 200 });
    expect(all.total).toBe(30);
    expect(all.rows.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 30 - i));

    const window = queryAudit(db, { from: new Date(T0 + 10 * 60_000).toISOString(), to: '2026-06-15T09:20:00+08:00' });
    expect(window.rows.map((r) => r.seq)).toEqual([19, 18, 17, 16, 15, 14, 13, 12, 11, 10]);

    const signIns = queryAudit(db, { action: 'session.signIn' });
    expect(signIns.total).toBe(10);
    expect(signIns.rows.every((r) => r.action === 'session.signIn' && r.entity === 'shift')).toBe(true);
    expect(queryAudit(db, { action: ['session.signIn', 'payment.record'] }).total).toBe(30);
    expect(queryAudit(db, { action: [] }).total).toBe(0);

    expect(queryAudit(db, { username: 'super' }).rows.map((r) => r.seq)).toEqual([29, 24, 19, 14, 9, 4]);
    expect(queryAudit(db, { operatorId: 3, entity: 'payment' }).total).toBe(4);
    expect(queryAudit(db, { entity: 'payment', entityId: 7 }).rows).toMatchObject([
      { seq: 7, after: { n: 8, note: '第7笔' }, operatorUsername: 'clerk', counterNo: 2 },
    ]);

    const p0 = queryAudit(db, { pageSize: 7 });
    const p4 = queryAudit(db, { pageSize: 7, page: 4 });
    expect(p0.rows.map((r) => r.seq)).toEqual([30, 29, 28, 27, 26, 25, 24]);
    expect(p4.rows.map((r) => r.seq)).toEqual([2, 1]);
    expect(queryAudit(db, { pageSize: 100_000 }).pageSize).toBe(200);
  });

  it('treats hostile filter strings as data and rejects malformed instants', () => {
    const db = filled(5);
    for (const s of ["' OR 1=1 --", '%', '_', '"; DROP TABLE audit_log; --', '\u0000', '𠀀'.repeat(1000)]) {
      expect(queryAudit(db, { username: s, entity: s }).total).toBe(0);
    }
    expect(() => queryAudit(db, { from: 'yesterday' })).toThrow(/有效的时刻/);
    expect(verifyAuditChain(db).ok).toBe(true);
  });
});
