// Issue 15: the audit head goes upstream with every push, and `audit verify` checks the local
// chain against the last head the upstream holds. Each attack below leaves a file that verifies
// on its own (the local check is shown passing), and each is reported against the upstream.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirLayout, trainingConfig, writeConfig } from '../../../electron/platform/config';
import { openDatabase, type Db } from '../../../electron/platform/db/database';
import { appendAudit, auditRowHash, verifyAgainstUpstreamHead, verifyAuditChain } from '../../../electron/services/trust/audit';
import { SyncEngine, UpstreamClient } from '../../../electron/sync';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/serve';
import { KEY, makeCounter, quietLog, recordCounterPayment, startSim, unpaidPayers } from '../sync/helpers';
import { dropAuditTriggers } from './helpers';

const T0 = Date.parse('2026-06-15T01:00:00Z');
let sim: UpstreamSim | null = null;
const open: Db[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) if (db.open) db.close();
  await sim?.close();
  sim = null;
});

type Raw = Record<string, unknown> & { seq: number; hash: string; prev_hash: string; at: string };
const rowAt = (db: Db, seq: number) => db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as Raw;
const lastSeq = (db: Db) => (db.prepare('SELECT max(seq) AS n FROM audit_log').get() as { n: number }).n;
const setHead = (db: Db, seq: number) => db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1').run(seq, seq ? rowAt(db, seq).hash : '');

function audit(db: Db, from: number, to: number) {
  db.transaction(() => {
    for (let i = from; i <= to; i++) {
      appendAudit(db, {
        action: 'payment.record',
        entity: 'payment',
        entityId: i,
        actor: { operatorId: 1, username: 'clerk', counterNo: 1 },
        after: { n: i },
        at: new Date(T0 + i * 60_000),
      });
    }
  })();
}

/** A counter that pushed with 10 audit rows, then wrote 2 more it has not pushed yet. */
async function pushedCounter() {
  sim = await startSim(40);
  const installationId = crypto.randomUUID();
  const c = await makeCounter({ seedPayers: 40 });
  open.push(c.db);
  const base = lastSeq(c.db) ?? 0;
  audit(c.db, base + 1, base + 10);
  // Taken a minute after the last of those rows, as the clock runs.
  recordCounterPayment(c, unpaidPayers(c.db, 2026, 1)[0]!, [{ year: 2026, tierFen: 30_000 }], new Date(T0 + (base + 11) * 60_000).toISOString());
  const engine = new SyncEngine({ db: c.db, client: new UpstreamClient({ baseUrl: sim.url, key: KEY, installationId }), log: quietLog() });
  expect((await engine.syncOnce()).error).toBeNull();
  const head = sim.store.installationMark(installationId).auditHead!;
  expect(head.seq).toBe(lastSeq(c.db));
  expect(head.hash).toBe(rowAt(c.db, head.seq).hash);
  const pushedSeq = head.seq;
  audit(c.db, pushedSeq + 1, pushedSeq + 2);
  c.db.pragma('wal_checkpoint(TRUNCATE)');
  return { ...c, head, pushedSeq, installationId };
}

/** A copy of the counter's file for one attack. */
function copyOf(file: string): Db {
  const dir = tempDir('attack');
  const f = path.join(dir, 'counter.sqlite');
  fs.copyFileSync(file, f);
  const db = openDatabase(f);
  open.push(db);
  dropAuditTriggers(db);
  return db;
}

describe('audit verify against the upstream head', () => {
  it('truncation with the head rewound, recomputation of every hash, and a forged appended row: each passes alone, each is caught', async () => {
    const c = await pushedCounter();
    const n = lastSeq(c.db);
    expect(verifyAgainstUpstreamHead(c.db, c.head)).toMatchObject({ checked: true, ok: true, unvouched: 2 });

    // 1. The newest rows deleted and the head rewound to the row before them.
    const truncated = copyOf(c.file);
    truncated.prepare('DELETE FROM audit_log WHERE seq >= ?').run(c.pushedSeq - 1);
    setHead(truncated, c.pushedSeq - 2);
    expect(verifyAuditChain(truncated).ok).toBe(true);
    expect(verifyAgainstUpstreamHead(truncated, c.head)).toMatchObject({ ok: false, problem: { kind: 'truncated' } });

    // 2. An old row altered and every hash after it recomputed, head included.
    const recomputed = copyOf(c.file);
    recomputed.prepare('UPDATE audit_log SET after = ? WHERE seq = ?').run('{"n":999999}', 3);
    for (let seq = 3; seq <= n; seq++) {
      const prev = rowAt(recomputed, seq - 1).hash;
      recomputed.prepare('UPDATE audit_log SET prev_hash = ? WHERE seq = ?').run(prev, seq);
      const { hash: _old, ...row } = rowAt(recomputed, seq);
      recomputed.prepare('UPDATE audit_log SET hash = ? WHERE seq = ?').run(auditRowHash(row as never), seq);
    }
    setHead(recomputed, n);
    expect(verifyAuditChain(recomputed).ok).toBe(true);
    expect(verifyAgainstUpstreamHead(recomputed, c.head)).toMatchObject({ ok: false, problem: { kind: 'rewritten', seq: c.pushedSeq } });

    // 3. A well-linked row appended and the head moved, dated back into the pushed past.
    const forged = copyOf(c.file);
    const fake = {
      seq: n + 1,
      at: new Date(T0 + 2 * 60_000).toISOString(),
      operator_id: 1,
      operator_username: 'super',
      counter_no: 1,
      action: 'approval.grant',
      entity: 'receipt',
      entity_id: '7',
      before: null,
      after: null,
      prev_hash: rowAt(forged, n).hash,
    };
    forged
      .prepare(
        'INSERT INTO audit_log (seq, at, operator_id, operator_username, counter_no, action, entity, entity_id, before, after, prev_hash, hash) VALUES (@seq, @at, @operator_id, @operator_username, @counter_no, @action, @entity, @entity_id, @before, @after, @prev_hash, @hash)',
      )
      .run({ ...fake, hash: auditRowHash(fake) });
    setHead(forged, n + 1);
    expect(verifyAuditChain(forged).ok).toBe(true);
    expect(verifyAgainstUpstreamHead(forged, c.head)).toMatchObject({ ok: false, problem: { kind: 'backdated', seq: n + 1 } });
  }, 30_000);

  it('the CLI reports the upstream check, and offline says which check it could not make', async () => {
    const c = await pushedCounter();
    c.db.close();
    const layout = dataDirLayout(c.dir);
    writeConfig(layout, { ...trainingConfig(40), installationId: c.installationId, upstream: { url: sim!.url, key: KEY } });
    const ok = await runCli(['audit', 'verify', '--data-dir', c.dir]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(new RegExp(`与上游链头一致：第 ${c.pushedSeq} 条`));

    const db = openDatabase(c.file);
    open.push(db);
    dropAuditTriggers(db);
    db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(c.pushedSeq);
    setHead(db, c.pushedSeq - 1);
    db.close();
    const caught = await runCli(['audit', 'verify', '--data-dir', c.dir]);
    expect(caught.code).toBe(3);
    expect(caught.out).toMatch(/审计日志完整/);
    expect(caught.out).toMatch(/与上游链头核对不符：上游记录的链头为第 \d+ 条/);

    await sim!.close();
    sim = null;
    const offline = await runCli(['audit', 'verify', '--data-dir', c.dir]);
    expect(offline.out).toMatch(/未能与上游记录的链头核对（无法连接上游/);
    expect(offline.out).toMatch(/只做了本地校验/);
  }, 30_000);
});
