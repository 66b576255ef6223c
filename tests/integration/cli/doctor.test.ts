import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probePrinter } from '../../../electron/cli/commands/doctor';
import { PrinterSimulator } from '../../../electron/devices/sim/printer-sim';
import { closeSerial, openSerial } from '../../../electron/devices/serial';
import { fixedStartClock, systemClock, type Clock } from '../../../electron/platform/clock';
import { dataDirLayout, readConfig, writeConfig, type CounterConfig } from '../../../electron/platform/config';
import { openDatabase } from '../../../electron/platform/db/database';
import { runDoctor, type DoctorLine } from '../../../electron/services/doctor';
import { commissionCounter } from '../../../electron/services/setup/commission';
import { createAppServices } from '../../../electron/services/app';
import { backupDatabase } from '../../../electron/services/trust/backup';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { tempDir } from '../../helpers/serve';
import { socatMissing, startPtyPair } from '../devices/pty';
import { KEY, quietLog, startSim } from '../sync/helpers';
import { IT_PASSWORD, requireBuilt, runCli, SUPERVISOR_PASSWORD } from './commission-helpers';

let sim: UpstreamSim;
let dir: string;
let config: CounterConfig;
const backups = () => path.join(path.dirname(dir), 'backups');

beforeAll(async () => {
  requireBuilt();
  // A healthy production counter: commissioned against an upstream whose clock agrees with ours,
  // with a fresh backup.
  sim = await startSim(200, { clock: systemClock });
  dir = path.join(tempDir('doctor'), 'counter');
  await commissionCounter(
    dir,
    {
      hallName: '示范县税务局第三办税服务厅',
      taxOffice: '国家税务总局示范县税务局',
      countyName: '示范县',
      regionCode: '529901',
      policyRegion: 'demo',
      counterNo: 4,
      timeZone: 'Asia/Shanghai',
      upstreamUrl: sim.url,
      upstreamKey: KEY,
      receiptPrinter: '',
      receiptLayout: 'a4',
      reader: '',
      printer: '',
      paperWidth: 80,
      backupDir: path.join(path.dirname(dir), 'backups'),
      supervisor: { username: 'wangzr', displayName: '王主任', password: SUPERVISOR_PASSWORD },
      it: { username: 'itadmin', displayName: '李工', password: IT_PASSWORD },
      firstBlockSize: 100,
    },
    { log: quietLog() },
  );
  const db = openDatabase(dataDirLayout(dir).databaseFile);
  await backupDatabase(db, backups());
  db.close();
  config = readConfig(dataDirLayout(dir))!;
}, 60_000);
afterAll(async () => {
  await sim?.close();
});

async function doctor(overrides: Partial<CounterConfig> = {}, clock: Clock = systemClock, extra: Partial<Parameters<typeof runDoctor>[0]> = {}) {
  const db = openDatabase(dataDirLayout(dir).databaseFile, { readonly: true });
  try {
    return await runDoctor({ layout: dataDirLayout(dir), config: { ...config, ...overrides }, db, clock, upstreamTimeoutMs: 2000, ...extra });
  } finally {
    db.close();
  }
}
const lineOf = (lines: DoctorLine[], id: DoctorLine['id']) => lines.find((l) => l.id === id)!;
const failed = (lines: DoctorLine[]) => lines.filter((l) => l.verdict === 'fail').map((l) => l.id);

describe('pension-counter doctor finds each fault it lists', () => {
  it('a healthy counter passes: the CLI exits 0 and reports every line', async () => {
    const r = await runCli(['doctor', '--data-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const title of ['数据库', '磁盘空间', '备份', '上游系统', '时钟', '待上传业务', '身份证读卡器', '小票打印机', '票证库存', '缴费政策表']) {
      expect(r.stdout).toContain(`${title}：`);
    }
    expect(r.stdout).toContain('wangzr 剩 100 张');
    expect(r.stdout).toContain('结论：正常');
    const json = JSON.parse((await runCli(['doctor', '--data-dir', dir, '--json'])).stdout) as { ok: boolean; lines: DoctorLine[] };
    expect(json.ok).toBe(true);
    expect(failed(json.lines)).toEqual([]);
  }, 60_000);

  it('upstream down, wrong key, clock skew', async () => {
    const down = await doctor({ upstream: { url: 'http://127.0.0.1:9', key: KEY } });
    expect(failed(down.lines)).toEqual(['upstream']);
    expect(lineOf(down.lines, 'upstream').detail).toContain('无法连接');
    expect(down.ok).toBe(false);

    const wrongKey = await doctor({ upstream: { url: sim.url, key: 'someone-elses-key' } });
    expect(failed(wrongKey.lines)).toEqual(['upstream']);
    expect(lineOf(wrongKey.lines, 'upstream').detail).toContain('柜台密钥被拒绝');

    // An upstream whose clock is 10 minutes ahead of this machine's.
    const skewed = await startSim(10, { clock: fixedStartClock(new Date(Date.now() + 10 * 60_000)) });
    try {
      const skew = await doctor({ upstream: { url: skewed.url, key: KEY } });
      expect(failed(skew.lines)).toEqual(['clock']);
      expect(lineOf(skew.lines, 'clock').detail).toMatch(/本机比上游慢 (599|600|601) 秒/);
    } finally {
      await skewed.close();
    }
  }, 60_000);

  it('backup too old, disk nearly full (threshold setting), no stock, missing policy table', async () => {
    const later = fixedStartClock(new Date(Date.now() + 30 * 3_600_000));
    const old = await doctor({}, later);
    expect(failed(old.lines)).toContain('backup');
    expect(lineOf(old.lines, 'backup').detail).toMatch(/30\.\d 小时前/);

    const full = await doctor({ doctor: { minFreeMb: 100_000_000 } });
    expect(failed(full.lines)).toEqual(['disk']);
    expect(lineOf(full.lines, 'disk').action).toContain('清理磁盘');

    const noPolicy = await doctor({ policyRegion: 'nowhere' });
    expect(failed(noPolicy.lines)).toEqual(['policy']);

    // The CLI exits non-zero when a line needs action (threshold set in config.json).
    const layout = dataDirLayout(dir);
    writeConfig(layout, { ...config, doctor: { minFreeMb: 100_000_000 } });
    try {
      const r = await runCli(['doctor', '--data-dir', dir, '--json']);
      expect(r.status).toBe(1);
      expect(failed((JSON.parse(r.stdout) as { lines: DoctorLine[] }).lines)).toEqual(['disk']);
    } finally {
      writeConfig(layout, config);
    }
    expect(fs.existsSync(layout.configFile)).toBe(true);
  }, 60_000);

  it('the same report reaches IT staff in the app (health.check), and only them', async () => {
    const services = createAppServices({ dataDir: dir });
    try {
      await services.ready;
      const asSupervisor = await services.dispatch('session.signIn', { username: 'wangzr', password: SUPERVISOR_PASSWORD, counterNo: 4 }, { transport: 'ipc' });
      expect(asSupervisor.ok).toBe(true);
      const refused = await services.dispatch('health.check', {}, { transport: 'ipc' });
      expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
      await services.dispatch('session.signOut', {}, { transport: 'ipc' });
      const asIt = await services.dispatch('session.signIn', { username: 'itadmin', password: IT_PASSWORD, counterNo: 4 }, { transport: 'ipc' });
      expect(asIt.ok).toBe(true);
      const r = await services.dispatch('health.check', {}, { transport: 'ipc' });
      if (!r.ok) throw new Error(r.error.message);
      const report = r.value as { ok: boolean; lines: DoctorLine[] };
      expect(report.lines.map((l) => l.id)).toEqual(
        expect.arrayContaining(['database', 'setup', 'disk', 'backup', 'upstream', 'clock', 'outbox', 'reader', 'printer', 'stock', 'policy']),
      );
      expect(lineOf(report.lines, 'upstream')).toMatchObject({ verdict: 'ok' });
      expect(lineOf(report.lines, 'stock').detail).toContain('wangzr 剩 100 张');
      expect(report.ok).toBe(true);
    } finally {
      await services.close();
    }
  }, 60_000);

  it.skipIf(socatMissing)(
    'printer out of paper (DLE EOT on a serial line) and printer ready',
    async () => {
      const pty = await startPtyPair();
      const port = await openSerial(pty.b, 9600);
      const sim = new PrinterSimulator(port, { paperOut: true });
      try {
        const probe = () => probePrinter(pty.a);
        const out = await doctor({ devices: { ...config.devices!, printer: pty.a } }, systemClock, { probePrinter: probe });
        expect(failed(out.lines)).toEqual(['printer']);
        expect(lineOf(out.lines, 'printer').action).toBe('装入热敏纸卷');
        expect(lineOf(out.lines, 'printer').detail).toContain('纸宽 80 mm');
        sim.state.paperOut = false;
        const ok = await doctor({ devices: { ...config.devices!, printer: pty.a } }, systemClock, { probePrinter: probe });
        expect(lineOf(ok.lines, 'printer').verdict).toBe('ok');
      } finally {
        await closeSerial(port);
        await pty.dispose();
      }
    },
    60_000,
  );
});
