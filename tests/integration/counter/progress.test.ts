import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import type { Envelope } from '../../../shared/api/errors';
import type { ProgressView } from '../../../shared/api/views';
import { collectionProgress } from '../../../electron/services/counter/progress';
import { PolicyRegistry } from '../../../electron/services/policy/registry';
import { trainingConfig } from '../../../electron/platform/config';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

process.env.PENSION_COUNTER_ROOT ??= repoRoot;
let app: AppServices;
const call = async <T>(method: string, input: unknown = {}) => {
  const r = (await app.dispatch(method, input, { transport: 'direct' })) as Envelope<T>;
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
};

beforeAll(async () => {
  app = createAppServices({ dataDir: tempDir('progress'), demoPayers: 2_000, clock: fixedStartClock(new Date(TEST_CLOCK)) });
  await app.ready;
  await call('session.signIn', { username: 'super', password: '5678', counterNo: 1 });
}, 60_000);
afterAll(async () => app.close());

describe('collection progress', () => {
  it('counted in ranges of payers with turns of the event loop between them, the report is the same as in one pass', async () => {
    const whole = await call<ProgressView>('progress.get');
    const db = new Database(path.join(app.layout.dir, 'counter.sqlite'), { readonly: true });
    try {
      const policies = await PolicyRegistry.load(app.log);
      const table = policies.table(trainingConfig().policyRegion, 2026, '2026-06-15')!;
      let turns = 0;
      const ticker = setInterval(() => turns++, 0);
      const ranged = await collectionProgress(db, table, '2026-06-15', 37);
      clearInterval(ticker);
      expect(ranged).toEqual(whole);
      expect(whole.towns.length).toBeGreaterThan(1);
      // 2,000 payers in ranges of 37: the loop ran timers between them.
      expect(turns).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('counts expected and paid payers per village as an independent pass over the registry does', async () => {
    const p = await call<ProgressView>('progress.get');
    const db = new Database(path.join(app.layout.dir, 'counter.sqlite'), { readonly: true });
    const payers = db.prepare('SELECT id, village, status, in_employee_scheme, registration_date, birth_date FROM payers').all() as {
      id: number;
      village: string;
      status: string;
      in_employee_scheme: number;
      registration_date: string;
      birth_date: string;
    }[];
    const paid2026 = new Set((db.prepare('SELECT DISTINCT payer_id FROM payments WHERE year = 2026').all() as { payer_id: number }[]).map((r) => r.payer_id));
    db.close();
    const expected = new Map<string, { expected: number; paid: number }>();
    for (const x of payers) {
      const age = 2026 - Number(x.birth_date.slice(0, 4));
      if (x.status !== 'active' || x.in_employee_scheme || x.registration_date > '2026-06-15' || age < 16 || age > 60) continue;
      const v = expected.get(x.village) ?? { expected: 0, paid: 0 };
      v.expected++;
      if (paid2026.has(x.id)) v.paid++;
      expected.set(x.village, v);
    }
    const shown = new Map(p.towns.flatMap((t) => t.villages.map((v) => [v.village, { expected: v.expected, paid: v.paid }] as const)));
    expect(shown).toEqual(expected);
    expect(p.expected).toBe([...expected.values()].reduce((s, v) => s + v.expected, 0));
    // The demo table's targets, marked due / met as of 15 June.
    expect(p.targets.map((t) => [t.by, t.percent, t.due])).toEqual([
      ['2026-06-10', 20, true],
      ['2026-06-20', 50, false],
      ['2026-06-30', 95, false],
      ['2026-11-30', 100, false],
    ]);
  });

  it('exports the same table as CSV (Excel-readable UTF-8) and XLSX', async () => {
    const p = await call<ProgressView>('progress.get');
    const csv = Buffer.from((await call<{ base64: string }>('progress.export', { format: 'csv' })).base64, 'base64');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('乡镇,村（社区）,应缴人数,已缴人数,缴费率（%）');
    expect(lines.at(-1)).toMatch(new RegExp(`^合计,,${p.expected},${p.paid},`));
    const book = new ExcelJS.Workbook();
    const xlsx = Buffer.from((await call<{ base64: string }>('progress.export', { format: 'xlsx' })).base64, 'base64');
    // exceljs declares its own Buffer (an ArrayBuffer); hand it exactly the file's bytes.
    await book.xlsx.load(xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength) as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('乡镇');
    expect(sheet.rowCount).toBe(lines.length);
    expect(sheet.getRow(sheet.rowCount).getCell(3).value).toBe(p.expected);
  });

  it('is for supervisors only', async () => {
    await call('session.signOut');
    await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 1 });
    const r = await app.dispatch('progress.get', {}, { transport: 'direct' });
    expect(r.ok ? null : r.error.code).toBe('FORBIDDEN');
  });
});
