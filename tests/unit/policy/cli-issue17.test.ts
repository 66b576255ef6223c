// `pension-counter policy check DIR` and `policy quote` with several tables, lump sums and capitals.
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../../electron/cli/errors';
import type { Quote } from '../../../shared/policy';
import { idFor, policyDir, runPolicyCli, tableFiles } from './helpers';

const run = runPolicyCli;

let dir: string;
const demo = join(policyDir, tableFiles.demo);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'policy-cli17-'));
});

async function payerFile(data: unknown): Promise<string> {
  const file = join(dir, `payer-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(data));
  return file;
}

const sixShort = {
  idNumber: idFor('1963-03-01'),
  birthDate: '1963-03-01',
  registrationDate: '2014-03-01',
  registrationStatus: 'active',
  paidYears: Array.from({ length: 9 }, (_, i) => ({ year: 2014 + i, tierFen: 30000, channel: 'counter' })),
};

type QuoteOut = { quote: Extract<Quote, { ok: true }> & { totals: { capitals: Record<string, unknown> } } };

describe('policy check DIR', () => {
  it('accepts the shipped directory, one line per table', async () => {
    const r = await run(['policy', 'check', policyDir]);
    expect(r.error).toBeUndefined();
    expect(r.out.split('\n').filter((l) => l.startsWith('政策表正确'))).toHaveLength(Object.keys(tableFiles).length);
  });

  it('two tables for one region and year fail the check, naming both files', async () => {
    const d = await mkdtemp(join(tmpdir(), 'policy-cli17-dup-'));
    await copyFile(demo, join(d, 'demo-2026.json'));
    await copyFile(demo, join(d, 'demo-2026-copy.json'));
    const r = await run(['policy', 'check', d]);
    expect(r.error).toBeInstanceOf(CliError);
    expect((r.error as CliError).exitCode).toBe(2);
    expect((r.error as CliError).message).toContain('demo-2026-copy.json');
    expect((r.error as CliError).message).toContain('有多个政策表');
  });
});

describe('policy quote', () => {
  it('prices a lump sum (--line lump:TIER) and prints every total in capitals', async () => {
    const r = await run(['policy', 'quote', '--policy', demo, '--payer', await payerFile(sixShort), '--date', '2026-06-15', '--line', 'lump:30000']);
    expect(r.error).toBeUndefined();
    const { quote } = JSON.parse(r.out) as QuoteOut;
    expect(quote.lines).toEqual([expect.objectContaining({ kind: 'lump_sum', years: 6, payerFen: 180000 })]);
    expect(quote.totals.capitals).toMatchObject({ payerFen: '壹仟捌佰元整', subsidyFen: '零元整', accountFen: '壹仟捌佰元整' });
  });

  it('lump:TIER:N sets the years; too many is an error with exit 3', async () => {
    const r = await run(['policy', 'quote', '--policy', demo, '--payer', await payerFile(sixShort), '--date', '2026-06-15', '--line', 'lump:30000:7']);
    expect((r.error as CliError).exitCode).toBe(3);
    expect(JSON.parse(r.out)).toMatchObject({ quote: { ok: false, errors: [{ code: 'lump_sum_years' }] } });
  });

  it('takes several tables: a back year at its own year’s tiers when the table says so', async () => {
    const current = JSON.parse(await readFile(demo, 'utf8')) as { backPayment: Record<string, unknown> };
    current.backPayment.tierYear = 'year_paid';
    const old = JSON.parse(await readFile(demo, 'utf8')) as Record<string, unknown> & { collection: Record<string, unknown> };
    Object.assign(old, { year: 2025, tiers: [{ amountFen: 15000, subsidyFen: 3000 }], specialGroups: [] });
    old.collection = { from: '2025-06-01', to: '2025-06-30', targets: [] };
    const d = await mkdtemp(join(tmpdir(), 'policy-cli17-years-'));
    await writeFile(join(d, 'demo-2026.json'), JSON.stringify(current));
    await writeFile(join(d, 'demo-2025.json'), JSON.stringify(old));
    const payer = await payerFile({ ...sixShort, idNumber: idFor('1990-03-07'), birthDate: '1990-03-07', paidYears: [] });
    const r = await run(['policy', 'quote', '--policy', d, '--payer', payer, '--date', '2026-06-15', '--line', '2025:15000', '--line', '2026:20000']);
    expect(r.error).toBeUndefined();
    const { quote } = JSON.parse(r.out) as QuoteOut;
    expect(quote.totals).toMatchObject({ payerFen: 35000, subsidyFen: 3500 });
    expect(quote.totals.capitals.payerFen).toBe('叁佰伍拾元整');
    // Only the 2026 table: 2025 has no tiers to price.
    const single = await run(['policy', 'quote', '--policy', join(d, 'demo-2026.json'), '--payer', payer, '--date', '2026-06-15', '--line', '2025:15000']);
    expect(JSON.parse(single.out)).toMatchObject({ quote: { ok: false, errors: [{ code: 'year_not_payable' }] } });
  });
});
