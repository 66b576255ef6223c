import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import { nameInitials } from '../../../electron/platform/pinyin';
import type { Envelope } from '../../../shared/api/errors';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

let app: AppServices;
let registry: Database.Database;
const call = async <T>(method: string, input: unknown = {}) => (await app.dispatch(method, input, { transport: 'direct' })) as Envelope<T>;
const value = async <T>(method: string, input: unknown = {}) => {
  const r = await call<T>(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
};

beforeAll(async () => {
  process.env.PENSION_COUNTER_ROOT ??= repoRoot;
  app = createAppServices({ dataDir: tempDir('search'), demoPayers: 3_000, clock: fixedStartClock(new Date(TEST_CLOCK)) });
  await app.ready;
  registry = new Database(path.join(app.layout.dir, 'counter.sqlite'), { readonly: true });
  await value('session.signIn', { username: 'clerk', password: '1234', counterNo: 4 });
}, 60_000);

afterAll(async () => {
  registry.close();
  await app.close();
});

type Hits = { hits: { id: number; name: string; idNumberMasked: string; village: string }[]; more: boolean };

describe('payer search', () => {
  it('pinyin initials computed for names, including a rare character', () => {
    expect(nameInitials('张三')).toBe('zs');
    expect(nameInitials('欧阳娜娜')).toBe('oynn');
  });

  it('finds every payer whose initials start with what was typed, and only those', async () => {
    const sample = registry.prepare('SELECT name, name_initials FROM payers WHERE length(name_initials) >= 2 ORDER BY id LIMIT 1 OFFSET 40').get() as {
      name: string;
      name_initials: string;
    };
    const prefix = sample.name_initials.slice(0, 2);
    const expected = (
      registry.prepare('SELECT id FROM payers WHERE substr(name_initials, 1, 2) = ? ORDER BY name_initials, id').all(prefix) as { id: number }[]
    ).map((r) => r.id);
    const r = await value<Hits>('payer.search', { query: prefix.toUpperCase(), limit: 50 });
    expect(r.hits.map((h) => h.id)).toEqual(expected.slice(0, 50));
    expect(r.more).toBe(expected.length > 50);
    // Masked, never the full number.
    expect(r.hits.every((h) => /^\d{6}\*{8}[\dX]{4}$/.test(h.idNumberMasked))).toBe(true);
  });

  it('matches the start of a Chinese name and filters by village', async () => {
    const p = registry.prepare('SELECT name, village FROM payers ORDER BY id LIMIT 1 OFFSET 100').get() as { name: string; village: string };
    const surname = Array.from(p.name)[0]!;
    const all = await value<Hits>('payer.search', { query: surname, limit: 50 });
    expect(all.hits.length).toBeGreaterThan(0);
    expect(all.hits.every((h) => h.name.startsWith(surname))).toBe(true);
    const inVillage = await value<Hits>('payer.search', { query: surname, village: p.village, limit: 50 });
    expect(inVillage.hits.some((h) => h.name === p.name)).toBe(true);
    expect(inVillage.hits.every((h) => h.village === p.village)).toBe(true);
  });

  it('treats SQL and LIKE metacharacters as plain text', async () => {
    for (const query of ["' OR 1=1 --", '%', '_', '张%', 'a"; DROP TABLE payers; --']) {
      const r = await call<Hits>('payer.search', { query: query.slice(0, 20) });
      if (r.ok) expect(r.value.hits.every((h) => h.name.startsWith(query) || /^[a-z]/i.test(query))).toBe(true);
    }
    expect((registry.prepare('SELECT count(*) AS n FROM payers').get() as { n: number }).n).toBe(3_000);
    const wild = await value<Hits>('payer.search', { query: '%' });
    expect(wild.hits).toEqual([]);
  });
});

describe('idle screen lock', () => {
  it('locks: payer data is refused until the same operator unlocks with the password', async () => {
    const id = (registry.prepare('SELECT id FROM payers ORDER BY id LIMIT 1').get() as { id: number }).id;
    await value('session.lock');
    const refused = await call('payer.get', { payerId: id });
    expect(refused.ok ? null : refused.error.code).toBe('SCREEN_LOCKED');
    expect((await value<{ locked: boolean }>('session.current')).locked).toBe(true);
    const wrong = await call('session.unlock', { password: 'nope' });
    expect(wrong.ok ? null : wrong.error.message).toContain('密码错误');
    const open = await value<{ locked: boolean; operator: { username: string } }>('session.unlock', { password: '1234' });
    expect(open).toMatchObject({ locked: false, operator: { username: 'clerk' } });
    expect((await call('payer.get', { payerId: id })).ok).toBe(true);
  });

  it('too many wrong unlock passwords end the shift', async () => {
    await value('session.lock');
    for (let i = 0; i < 4; i++) await call('session.unlock', { password: 'x' });
    const last = await call('session.unlock', { password: 'x' });
    expect(last.ok ? null : last.error.code).toBe('NOT_SIGNED_IN');
    expect((await value<{ operator: unknown }>('session.current')).operator).toBeNull();
    await value('session.signIn', { username: 'clerk', password: '1234', counterNo: 4 });
  });
});
