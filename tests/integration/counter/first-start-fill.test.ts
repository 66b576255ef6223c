// Issue 18: a first start in training mode is usable after the first few thousand payers; the rest
// of the county is written in the background, survives a restart half-way, and a lookup of a payer
// not written yet says so instead of "not registered".
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { generateCounty, type DemoCountyOptions } from '../../../electron/services/demo/county';
import type { Envelope } from '../../../shared/api/errors';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

process.env.PENSION_COUNTER_ROOT ??= repoRoot;

const PAYERS = 7_000;
const open: AppServices[] = [];
const start = (dir: string) => {
  const app = createAppServices({ dataDir: dir, demoPayers: PAYERS, clock: fixedStartClock(new Date(TEST_CLOCK)) });
  open.push(app);
  return app;
};
const call = async <T>(app: AppServices, method: string, input: unknown = {}) => (await app.dispatch(method, input, { transport: 'direct' })) as Envelope<T>;

/** What the database holds: payer count and the ID numbers in insertion order. */
function registry(dir: string): { count: number; ids: string[]; county: DemoCountyOptions } {
  const db = new Database(path.join(dir, 'counter.sqlite'), { readonly: true });
  try {
    const ids = (db.prepare('SELECT id_number FROM payers ORDER BY id').all() as { id_number: string }[]).map((r) => r.id_number);
    const county = JSON.parse((db.prepare("SELECT value FROM settings WHERE key = 'demo_county'").get() as { value: string }).value) as DemoCountyOptions;
    return { count: ids.length, ids, county };
  } finally {
    db.close();
  }
}

afterEach(async () => {
  for (const app of open.splice(0)) await app.close();
});

describe('first start of a training counter', () => {
  it('is ready before the whole county is written; a payer not written yet is "still being generated", then found', async () => {
    const dir = tempDir('fill');
    const app = start(dir);
    await app.ready;
    const fill = app.info().trainingFill;
    expect(fill).toMatchObject({ total: PAYERS });
    expect(fill!.filled).toBeGreaterThanOrEqual(5_000);
    expect(fill!.filled).toBeLessThan(PAYERS);

    const { county } = registry(dir);
    const all = [...generateCounty(county)];
    const last = all[PAYERS - 1]!;
    expect((await call(app, 'session.signIn', { username: 'clerk', password: '1234', counterNo: 3 })).ok).toBe(true);
    const early = await call(app, 'payer.lookup', { idNumber: last.idNumber });
    expect(early.ok ? null : early.error).toMatchObject({ code: 'PAYER_NOT_FOUND', message: expect.stringContaining('培训数据仍在生成') });

    await app.countyComplete();
    expect(app.info().trainingFill).toBeNull();
    const found = await call<{ name: string }>(app, 'payer.lookup', { idNumber: last.idNumber });
    expect(found.ok ? found.value.name : found.error).toBe(last.name);
    const held = registry(dir);
    expect(held.count).toBe(PAYERS);
    expect(held.ids).toEqual(all.map((p) => p.idNumber));
  }, 120_000);

  it('a restart in the middle of the background fill resumes it: the same county, nobody twice', async () => {
    const dir = tempDir('fill-restart');
    const first = start(dir);
    await first.ready;
    await first.close();
    open.splice(open.indexOf(first), 1);
    const partial = registry(dir);
    expect(partial.count).toBeLessThan(PAYERS);

    const second = start(dir);
    await second.ready;
    expect(second.info().trainingFill).toMatchObject({ total: PAYERS });
    await second.countyComplete();
    const held = registry(dir);
    expect(held.count).toBe(PAYERS);
    expect(held.ids).toEqual([...generateCounty(held.county)].map((p) => p.idNumber));
  }, 120_000);
});
