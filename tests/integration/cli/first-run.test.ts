import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedStartClock } from '../../../electron/platform/clock';
import type { AppServices } from '../../../electron/services/app';
import { createServicesWithFirstRun } from '../../../electron/services/first-run';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { tempDir } from '../../helpers/serve';
import { KEY, START, STATION, startSim } from '../sync/helpers';
import { IT_PASSWORD, SUPERVISOR_PASSWORD } from './commission-helpers';

let sim: UpstreamSim | null = null;
let services: AppServices | null = null;
afterEach(async () => {
  await services?.close();
  await sim?.close();
  services = null;
  sim = null;
});

const call = (method: string, input: unknown) => services!.dispatch(method, input, { transport: 'ipc' });

const form = (upstreamUrl: string, backupDir: string) => ({
  hallName: '示范县税务局第四办税服务厅',
  taxOffice: '国家税务总局示范县税务局',
  countyName: '示范县',
  regionCode: '529901',
  policyRegion: 'demo',
  counterNo: 6,
  timeZone: 'Asia/Shanghai',
  upstreamUrl,
  upstreamKey: KEY,
  receiptPrinter: '',
  receiptLayout: 'a4',
  reader: '',
  printer: '',
  paperWidth: 80,
  backupDir,
  supervisor: { username: 'zhaozr', displayName: '赵主任', password: SUPERVISOR_PASSWORD },
  it: { username: 'itwang', displayName: '王工', password: IT_PASSWORD },
});

describe('first run of a production build: commission here, or training one click away', () => {
  it('with no configuration, only the first-run calls are served; the form commissions a production counter', async () => {
    sim = await startSim(200);
    const dir = path.join(tempDir('firstrun'), 'counter');
    services = createServicesWithFirstRun({ dataDir: dir, askFirstRun: true, clock: fixedStartClock(START) });
    expect(services.info()).toMatchObject({ firstRun: true, status: 'starting', demoAccounts: [] });
    const early = await call('payer.search', { query: '张' });
    expect(early.ok ? null : early.error.code).toBe('STARTING');
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(false);

    const bad = await call('setup.commission', { ...form(sim.url, path.join(dir, '..', 'bk')), regionCode: '52' });
    expect(bad.ok ? null : bad.error.message).toContain('行政区划代码为 6 位数字');
    const wrongKey = await call('setup.commission', { ...form(sim.url, path.join(dir, '..', 'bk')), upstreamKey: 'not-the-right-key' });
    expect(wrongKey.ok ? null : wrongKey.error.message).toContain('上游不接受这个柜台密钥');
    expect(services.info().firstRun).toBe(true);

    const done = await call('setup.commission', form(sim.url, path.join(dir, '..', 'bk')));
    if (!done.ok) throw new Error(done.error.message);
    expect(done.value).toMatchObject({ station: STATION, payers: 200 });
    await services.ready;
    expect(services.info()).toMatchObject({ mode: 'production', hallName: '示范县税务局第四办税服务厅', status: 'ready' });
    expect(services.info().firstRun).toBeUndefined();
    const signIn = await call('session.signIn', { username: 'zhaozr', password: SUPERVISOR_PASSWORD, counterNo: 6 });
    expect(signIn.ok).toBe(true);
    const again = await call('setup.training', {});
    expect(again.ok ? null : again.error.code).toBe('FORBIDDEN');
  }, 90_000);

  it('training is one click away: setup.training starts the training county', async () => {
    const dir = path.join(tempDir('firstrun-training'), 'counter');
    services = createServicesWithFirstRun({ dataDir: dir, askFirstRun: true, clock: fixedStartClock(START), demoPayers: 100 });
    const r = await call('setup.training', {});
    expect(r.ok).toBe(true);
    await services.ready;
    expect(services.info()).toMatchObject({ mode: 'training', status: 'ready' });
    expect(services.info().demoAccounts.map((a) => a.username)).toContain('clerk');
  }, 60_000);
});
