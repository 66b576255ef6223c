import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase } from '../../../electron/platform/db/database';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { tempDir } from '../../helpers/serve';
import { KEY, START, STATION, startSim, unpaidPayers } from '../sync/helpers';
import { IT_PASSWORD, passwords, requireBuilt, runCli, setupArgs, SUPERVISOR_PASSWORD } from './commission-helpers';

let sim: UpstreamSim | null = null;
let services: AppServices | null = null;
beforeAll(requireBuilt);
afterEach(async () => {
  await services?.close();
  await sim?.close();
  services = null;
  sim = null;
});

async function call(method: string, input: unknown): Promise<unknown> {
  const r = await services!.dispatch(method, input, { transport: 'ipc' });
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

describe('pension-counter setup: from an empty directory to the first payment and receipt', () => {
  it('commissions a production counter against the reference upstream, then takes a payment and issues a receipt through the API', async () => {
    sim = await startSim(400);
    const dir = path.join(tempDir('setup'), 'counter');
    const r = await runCli(setupArgs(dir, sim.url, KEY, ['--page-size', '100']), passwords);
    expect(r.stderr).not.toContain('意外错误');
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`站点 ${STATION}`);
    // Progress of the first sync went to the terminal, and the counts are reported.
    expect(r.stderr).toMatch(/参保人：\d+%/);
    expect(r.stdout).toContain('首次同步：参保人 400 条');

    // The installation id is stored in config.json and the database, and the upstream knows it.
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ mode: 'production', counterNo: 3, upstream: { url: sim.url, key: KEY }, regionCode: '529901' });
    const installationId = config.installationId as string;
    expect(installationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stdout).toContain(installationId);
    expect(sim.store.installations(STATION).map((i) => i.installationId)).toEqual([installationId]);
    const db = openDatabase(path.join(dir, 'counter.sqlite'), { readonly: true });
    const accounts = db.prepare('SELECT username, role FROM operators ORDER BY id').all();
    expect(accounts).toEqual([
      { username: 'wangzr', role: 'supervisor' },
      { username: 'itadmin', role: 'admin' },
    ]);
    const blocks = db.prepare('SELECT series, first_serial, last_serial, source FROM receipt_blocks').all() as { series: string; source: string }[];
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.source).toBe('upstream');
    expect(blocks[0]!.series).not.toContain('培训');
    const [idNumber] = unpaidPayers(db, 2026, 1);
    const payerId = (db.prepare('SELECT id FROM payers WHERE id_number = ?').get(idNumber) as { id: number }).id;
    db.close();

    services = createAppServices({ dataDir: dir, clock: fixedStartClock(START) });
    await services.ready;
    const info = services.info();
    expect(info).toMatchObject({ mode: 'production', hallName: '示范县税务局第二办税服务厅', demoAccounts: [] });
    // No training accounts: the demo passwords do not open a production counter.
    const demo = await services.dispatch('session.signIn', { username: 'clerk', password: '1234', counterNo: 3 }, { transport: 'ipc' });
    expect(demo.ok).toBe(false);
    const it = await services.dispatch('session.signIn', { username: 'itadmin', password: 'wrong-password', counterNo: 3 }, { transport: 'ipc' });
    expect(it.ok).toBe(false);

    await call('session.signIn', { username: 'wangzr', password: SUPERVISOR_PASSWORD, counterNo: 3 });
    const paid = (await call('payment.record', {
      transactionUid: crypto.randomUUID(),
      payerId,
      lines: [{ year: 2026, tierFen: 50_000 }],
      method: 'cash',
      tenderedFen: 50_000,
    })) as { transactionId: number; totals: { payerFen: number } };
    expect(paid.totals.payerFen).toBe(50_000);
    const issued = (await call('receipt.issue', { transactionId: paid.transactionId })) as { receipts: { number: string; totalFen: number }[] };
    expect(issued.receipts).toHaveLength(1);
    const firstNumber = /首个票证号码段（wangzr）：(\S+) –/.exec(r.stdout)?.[1];
    expect(issued.receipts[0]).toMatchObject({ number: firstNumber, totalFen: 50_000 });

    // The payment and the receipt reach the upstream under this counter's station.
    await services.close();
    services = null;
    const sync = await runCli(['sync', '--data-dir', dir]);
    expect(sync.status).toBe(0);
    expect(sync.stdout).toContain('同步完成');
    const upstreamPayment = sim.store.allPayments().filter((p) => p.station === STATION);
    expect(upstreamPayment).toHaveLength(1);
    expect(upstreamPayment[0]).toMatchObject({ idNumber, year: 2026, amountFen: 50_000 });
    expect(IT_PASSWORD).not.toBe(SUPERVISOR_PASSWORD);
  }, 120_000);

  it('refuses a directory that already holds a counter, a wrong key, a missing answer and a weak password, writing nothing', async () => {
    sim = await startSim(50);
    const trainingDir = tempDir('training');
    fs.writeFileSync(path.join(trainingDir, 'config.json'), '{}');
    const held = await runCli(setupArgs(trainingDir, sim.url, KEY), passwords);
    expect(held.status).not.toBe(0);
    expect(held.stderr).toContain('已经有柜台');

    const dir = path.join(tempDir('setup-bad'), 'counter');
    const wrongKey = await runCli(setupArgs(dir, sim.url, 'not-the-key'), passwords);
    expect(wrongKey.status).toBe(3);
    expect(wrongKey.stderr).toContain('上游不接受这个柜台密钥');
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'counter.sqlite'))).toBe(false);

    const args = setupArgs(dir, sim.url, KEY);
    const noHall = await runCli(
      args.filter((_, i) => args[i - 1] !== '--hall-name' && args[i] !== '--hall-name'),
      passwords,
    );
    expect(noHall.status).toBe(2);
    expect(noHall.stderr).toContain('--hall-name');

    const weak = await runCli(setupArgs(dir, sim.url, KEY), '1234\n5678\n');
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('密码至少 8 位');
    const none = await runCli(setupArgs(dir, sim.url, KEY), '');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('不会使用默认密码');
    expect(fs.existsSync(path.join(dir, 'counter.sqlite'))).toBe(false);
  }, 60_000);

  it('resumes a first sync interrupted by an upstream failure: running setup again finishes it without a second block', async () => {
    sim = await startSim(600);
    const dir = path.join(tempDir('setup-resume'), 'counter');
    // The upstream fails once the payer stream is under way.
    sim.hooks.onResponse = ({ route }) => {
      if (route === 'payers' && sim!.served().payers >= 2) sim!.setFaults({ errorRate: 1 });
    };
    const first = await runCli(setupArgs(dir, sim.url, KEY, ['--page-size', '100']), passwords);
    expect(first.status).toBe(4);
    expect(first.stderr).toContain('再次运行同一条 setup 命令');
    const db = openDatabase(path.join(dir, 'counter.sqlite'), { readonly: true });
    const partial = (db.prepare('SELECT count(*) AS n FROM payers').get() as { n: number }).n;
    db.close();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(600);

    sim.hooks.onResponse = undefined;
    sim.setFaults({});
    const servedBefore = sim.served().payers;
    const again = await runCli(setupArgs(dir, sim.url, KEY, ['--page-size', '100']), '');
    expect(again.stderr).toContain('发现未完成的安装');
    expect(again.status).toBe(0);
    // Only the rest was fetched: the pages already applied are not asked for again.
    expect(sim.served().payers - servedBefore).toBeLessThanOrEqual(Math.ceil((600 - partial) / 100) + 1);
    const done = openDatabase(path.join(dir, 'counter.sqlite'), { readonly: true });
    expect((done.prepare('SELECT count(*) AS n FROM payers').get() as { n: number }).n).toBe(600);
    expect((done.prepare('SELECT count(*) AS n FROM receipt_blocks').get() as { n: number }).n).toBe(1);
    done.close();
    const third = await runCli(setupArgs(dir, sim.url, KEY), passwords);
    expect(third.status).toBe(2);
    expect(third.stderr).toContain('已经有柜台');
  }, 120_000);
});
