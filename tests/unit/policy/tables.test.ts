import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePolicyTable } from '../../../shared/policy';
import { findPolicyTable, listPolicyFiles, loadPolicyFile, PolicyFileError, readPolicyFile } from '../../../electron/services/policy';
import { policyDir, tableFiles } from './helpers';

async function demoJson(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(policyDir, tableFiles.demo), 'utf8')) as Record<string, unknown>;
}

function pathsOf(data: unknown): string[] {
  const r = validatePolicyTable(data);
  return r.ok ? [] : r.issues.map((i) => i.path);
}

describe('shipped policy tables', () => {
  it('every file in resources/policy is valid', async () => {
    const entries = await listPolicyFiles(policyDir);
    expect(entries.map((e) => e.file.split(/[\\/]/).pop()).sort()).toEqual(Object.values(tableFiles).sort());
    for (const e of entries) expect(e.result, e.file).toMatchObject({ ok: true });
  });

  it('the demo table matches the source document: 12 tiers 100–2000, 代缴 50 split 25/25, no back-payment subsidy', async () => {
    const t = await loadPolicyFile(join(policyDir, tableFiles.demo));
    expect(t.region).toEqual({ code: 'demo', name: '示范县', idRegionCode: '529901' });
    expect(t.tiers.map((x) => x.amountFen / 100)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000]);
    expect(t.tiers.every((x) => x.subsidyFen >= 3000)).toBe(true);
    const dibao = t.specialGroups.find((g) => g.group === 'dibao');
    expect(dibao?.benefit).toMatchObject({
      kind: 'fixed_amount',
      amountFen: 5000,
      split: [
        { level: 'province', amountFen: 2500 },
        { level: 'county', amountFen: 2500 },
      ],
    });
    expect(t.backPayment).toMatchObject({ subsidised: false, earliestYear: 2014 });
  });

  it('finds the table for a region and year', async () => {
    expect((await findPolicyTable(policyDir, 'guangxi', 2019))?.region.name).toBe('广西壮族自治区');
    expect(await findPolicyTable(policyDir, 'guangxi', 2020)).toBeUndefined();
  });
});

describe('bad tables are refused with the path of each problem', () => {
  it('unknown fields (typos) anywhere', async () => {
    const t = await demoJson();
    t.tiersx = [];
    (t.tiers as Record<string, unknown>[])[2]!.subsidyFenn = 1;
    const r = validatePolicyTable(t);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['$', 'tiers[2]']));
    expect(r.issues.map((i) => i.message).join()).toContain('subsidyFenn');
  });

  it('negative or fractional amounts', async () => {
    const t = await demoJson();
    const tiers = t.tiers as Record<string, unknown>[];
    tiers[0]!.subsidyFen = -3000;
    tiers[1]!.amountFen = 200.5;
    const r = validatePolicyTable(t);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.find((i) => i.path === 'tiers[0].subsidyFen')?.message).toContain('负数');
    expect(r.issues.find((i) => i.path === 'tiers[1].amountFen')?.message).toContain('整数');
  });

  it('overlapping (duplicate or unordered) tiers and a falling subsidy', async () => {
    const t = await demoJson();
    const tiers = t.tiers as Record<string, unknown>[];
    tiers[3]!.amountFen = tiers[2]!.amountFen;
    tiers[6]!.subsidyFen = 0;
    expect(pathsOf(t)).toEqual(['tiers[3].amountFen', 'tiers[6].subsidyFen']);
  });

  it('a government split that does not add up, and a full-tier benefit for a missing tier', async () => {
    const t = await demoJson();
    const groups = t.specialGroups as { benefit: Record<string, unknown> }[];
    (groups[1]!.benefit.split as { amountFen: number }[])[0]!.amountFen = 2000;
    groups[0]!.benefit.tierFen = 12345;
    // The 25/25 split of group 0 no longer adds up to the (wrong) tier either: both are reported.
    expect(pathsOf(t)).toEqual(['specialGroups[0].benefit.split', 'specialGroups[0].benefit.tierFen', 'specialGroups[1].benefit.split']);
  });

  it('malformed dates and a collection period outside the year', async () => {
    const t = await demoJson();
    const c = t.collection as Record<string, unknown>;
    c.from = '2026-6-1';
    c.to = '2026-02-30';
    const r = validatePolicyTable(t);
    const messages = r.ok ? [] : r.issues.map((i) => `${i.path} ${i.message}`);
    expect(messages).toContain('collection.from 日期格式应为 YYYY-MM-DD');
    expect(messages).toContain('collection.to 日期无效');
    // No follow-on complaints computed from the malformed dates themselves.
    expect(messages.filter((m) => !m.includes('日期'))).toEqual([]);
    expect(messages.every((m) => m.startsWith('collection.'))).toBe(true);
    const t2 = await demoJson();
    (t2.collection as Record<string, unknown>).to = '2027-01-10';
    expect(pathsOf(t2)).toEqual(['collection.to']);
  });

  it('files that are not JSON say where the syntax breaks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy-'));
    await writeFile(join(dir, 'broken.json'), '{\n  "schemaVersion": 1,\n  "year": 2026,,\n}');
    const r = await readPolicyFile(join(dir, 'broken.json'));
    expect(r.ok ? '' : r.issues[0]?.message).toContain('第3行');
    await expect(loadPolicyFile(join(dir, 'missing.json'))).rejects.toThrow(PolicyFileError);
    await expect(loadPolicyFile(join(dir, 'missing.json'))).rejects.toThrow('文件不存在');
  });

  it('two valid tables for the same region and year are an error, not a guess', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'policy-'));
    const text = JSON.stringify(await demoJson());
    await writeFile(join(dir, 'a.json'), text);
    await writeFile(join(dir, 'b.json'), text);
    await expect(findPolicyTable(dir, 'demo', 2026)).rejects.toThrow('多个政策表');
  });
});
