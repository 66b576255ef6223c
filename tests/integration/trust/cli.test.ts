import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../electron/platform/db/database';
import { appendAudit } from '../../../electron/services/trust/audit';
import { listBackups } from '../../../electron/services/trust/backup';
import { runCli } from '../../helpers/cli';
import { cliBin, repoRoot, tempDir } from '../../helpers/serve';
import { auditedDb, databaseDigest, dropAuditTriggers } from './helpers';

const run = runCli;

function auditedDataDir(rows: number): string {
  const { db, dir } = auditedDb();
  db.transaction(() => {
    for (let i = 1; i <= rows; i++)
      appendAudit(db, { action: 'payment.record', entity: 'payment', entityId: i, actor: { operatorId: 1, username: 'clerk', counterNo: 1 } });
  })();
  db.close();
  return dir;
}

describe('pension-counter audit verify', () => {
  it('exits 0 on an intact chain and non-zero with the first problem on a tampered one', async () => {
    const dir = auditedDataDir(10);
    const ok = await run(['audit', 'verify', '--data-dir', dir]);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toContain('审计日志完整：10 条记录');

    const db = openDatabase(path.join(dir, 'counter.sqlite'));
    dropAuditTriggers(db);
    db.prepare("UPDATE audit_log SET entity_id = '99' WHERE seq = 4").run();
    db.prepare('DELETE FROM audit_log WHERE seq = 7').run();
    db.close();
    const bad = await run(['audit', 'verify', '--data-dir', dir]);
    expect(bad.code).toBe(3);
    expect(bad.out).toMatch(/第 4 条记录被修改（altered）/);
    const json = await run(['audit', 'verify', '--data-dir', dir, '--json']);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, firstProblem: { seq: 4, kind: 'altered' } });
  });

  it('explains a missing database or a database without the audit log', async () => {
    const empty = tempDir('noaudit');
    expect(await run(['audit', 'verify', '--data-dir', empty])).toMatchObject({ code: 1, err: expect.stringContaining('没有数据库') });
    const db = openDatabase(path.join(empty, 'counter.sqlite'), { create: true });
    migrate(db, []);
    db.close();
    expect(await run(['audit', 'verify', '--data-dir', empty])).toMatchObject({ code: 3, err: expect.stringContaining('还没有审计日志') });
  });

  it('audit list prints rows as JSON lines and refuses an unknown action', async () => {
    const dir = auditedDataDir(5);
    const r = await run(['audit', 'list', '--data-dir', dir, '--limit', '2']);
    expect(r.code).toBe(0);
    expect(
      r.out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { seq: number }).seq),
    ).toEqual([5, 4]);
    expect((await run(['audit', 'list', '--data-dir', dir, '--action', "x' OR 1=1"])).code).toBe(2);
  });
});

describe('pension-counter db backup / restore', () => {
  it('backs up with rotation, restores, keeps the replaced database, refuses a bad backup', async () => {
    const dir = auditedDataDir(3);
    const folder = path.join(tempDir('disk2'), 'pc-backups');
    for (let i = 0; i < 3; i++) expect((await run(['db', 'backup', '--data-dir', dir, '--to', folder, '--keep', '2'])).code).toBe(0);
    const kept = listBackups(folder);
    expect(kept).toHaveLength(2);
    expect((await run(['db', 'backup', '--data-dir', dir, '--to', folder, '--keep', '0'])).code).not.toBe(0);

    const listed = await run(['db', 'backups', '--data-dir', dir, '--to', folder]);
    expect(listed.out).toContain(kept[0]!.file);

    const file = path.join(dir, 'counter.sqlite');
    const junk = path.join(dir, 'junk.sqlite');
    fs.writeFileSync(junk, 'SQLite format 3\0 but not really');
    const digest = () => {
      const d = openDatabase(file, { readonly: true });
      const x = databaseDigest(d);
      d.close();
      return x;
    };
    const before = digest();
    const refused = await run(['db', 'restore', '--data-dir', dir, '--from', junk]);
    expect(refused.code).toBe(3);
    expect(refused.err).toContain('未做任何改动');
    expect(digest()).toBe(before);

    const restored = await run(['db', 'restore', '--data-dir', dir, '--from', kept[0]!.file]);
    expect(restored.code).toBe(0);
    expect(restored.out).toMatch(/原数据库已移至：.*replaced/);
    expect(fs.readdirSync(path.join(dir, 'replaced')).filter((n) => n.endsWith('.sqlite'))).toHaveLength(1);
    expect((await run(['audit', 'verify', '--data-dir', dir])).code).toBe(0);
    expect((await run(['db', 'restore', '--data-dir', dir])).code).not.toBe(0);
  });
});

describe('hostile CLI arguments to the built command', () => {
  const built = fs.existsSync(path.join(repoRoot, 'out', 'main', 'cli.js'));
  // Bases that can only fail (missing/invalid input), so no random argv can start a server or write data.
  const bases = [
    [],
    ['db'],
    ['db', 'migrate', '--data-dir'],
    ['db', 'check', '--data-dir', '/nonexistent/pc'],
    ['policy', 'check'],
    ['policy', 'quote', '--date', '2026-13-45'],
    ['demo-data', '--payers', 'many'],
    ['devices', 'read-card'],
    ['sync', 'run'],
    ['no-such-command'],
  ];
  const token = fc.string({ unit: fc.constantFrom('a', '-', '=', "'", '"', ';', '%', '…', '𠀀', '\u202e', ' ', '9', '\\', '/'), minLength: 1, maxLength: 24 });
  it.skipIf(!built)(
    'random argv: non-zero exit, a message first, never a stack trace or a hang',
    () => {
      const home = tempDir('clihome');
      fc.assert(
        fc.property(fc.constantFrom(...bases), fc.array(token, { minLength: 1, maxLength: 4 }), (base, extra) => {
          const argv = [...base, ...extra.map((t) => (t.startsWith('-') ? t : `--${t}`))];
          const r = spawnSync(process.execPath, [cliBin, ...argv], {
            cwd: repoRoot,
            encoding: 'utf8',
            timeout: 20_000,
            env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, APPDATA: home },
          });
          const firstLine = r.stderr.trim().split('\n')[0] ?? '';
          return r.status !== null && r.status !== 0 && /^(error|pension-counter):|^Usage:/.test(firstLine) && !/\n\s+at .+:\d+:\d+\)?/.test(r.stderr);
        }),
        { numRuns: Number(process.env.CLI_FUZZ_RUNS ?? 10) },
      );
      expect(fs.readdirSync(home)).toEqual([]);
    },
    120_000,
  );
});
