import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../../../electron/cli/errors';
import type { Assessment, Quote } from '../../../shared/policy';
import { idFor, policyDir, runPolicyCli, tableFiles } from './helpers';

const run = runPolicyCli;

let dir: string;
const demo = join(policyDir, tableFiles.demo);
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'policy-cli-'));
});

async function payerFile(data: unknown): Promise<string> {
  const file = join(dir, `payer-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(data));
  return file;
}

const goodPayer = {
  idNumber: idFor('1990-03-07'),
  birthDate: '1990-03-07',
  registrationDate: '2015-03-01',
  registrationStatus: 'active',
  specialGroups: [{ group: 'dibao', from: '2021-01-01', to: null }],
  paidYears: [{ year: 2025, tierFen: 30000, channel: 'bank_pos' }],
};

describe('policy check', () => {
  it.each(Object.values(tableFiles))('accepts the shipped table %s', async (file) => {
    const r = await run(['policy', 'check', join(policyDir, file)]);
    expect(r.error).toBeUndefined();
    expect(r.out).toContain('政策表正确');
  });

  it('lists every problem by path and exits non-zero', async () => {
    const table = JSON.parse(await readFile(demo, 'utf8')) as { tiers: Record<string, unknown>[]; extra?: boolean };
    table.tiers[1]!.amountFen = -20000;
    table.tiers[4]!.amountFen = table.tiers[3]!.amountFen;
    table.extra = true;
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(table));
    const r = await run(['policy', 'check', file]);
    expect(r.error).toBeInstanceOf(CliError);
    const e = r.error as CliError;
    expect(e.exitCode).not.toBe(0);
    expect(e.message).toContain('tiers[1].amountFen');
    expect(e.message).toContain('tiers[4].amountFen');
    expect(e.message).toContain('extra');
  });
});

describe('policy quote', () => {
  it('prints every year with payable, reason and tier amounts in fen', async () => {
    const r = await run(['policy', 'quote', '--policy', demo, '--payer', await payerFile(goodPayer), '--date', '2026-06-15']);
    expect(r.error).toBeUndefined();
    const { assessment } = JSON.parse(r.out) as { assessment: Assessment };
    const y2026 = assessment.years.find((y) => y.year === 2026);
    expect(y2026?.payable).toBe(true);
    expect(y2026?.tiers.find((t) => t.tierFen === 20000)).toMatchObject({ payerFen: 20000, governmentPaidFen: 5000 });
    expect(assessment.years.find((y) => y.year === 2025)).toMatchObject({ payable: false, reason: 'already_paid' });
  });

  it('prices chosen lines with --line', async () => {
    const r = await run([
      'policy',
      'quote',
      '--policy',
      demo,
      '--payer',
      await payerFile(goodPayer),
      '--date',
      '2026-06-15',
      '--line',
      '2026:20000',
      '--line',
      '2024:10000',
    ]);
    expect(r.error).toBeUndefined();
    const { quote } = JSON.parse(r.out) as { quote: Quote };
    expect(quote.ok && quote.totals).toMatchObject({ years: 2, payerFen: 30000, governmentPaidFen: 5000 });
  });

  it('a bad line prints the errors and exits non-zero', async () => {
    const r = await run(['policy', 'quote', '--policy', demo, '--payer', await payerFile(goodPayer), '--date', '2026-06-15', '--line', '2025:30000']);
    expect(r.error).toBeInstanceOf(CliError);
    expect((r.error as CliError).message).toContain('2025年度已按300元档缴费');
    expect(JSON.parse(r.out)).toMatchObject({ quote: { ok: false } });
  });

  it('refuses an invalid ID number, a birth date that contradicts it, and unknown fields', async () => {
    const bad = { ...goodPayer, idNumber: '520123199003071230', birthDate: '1990-03-08', nickname: 'x' };
    const r = await run(['policy', 'quote', '--policy', demo, '--payer', await payerFile(bad), '--date', '2026-06-15']);
    expect(r.error).toBeInstanceOf(CliError);
    const m = (r.error as CliError).message;
    expect(m).toContain('idNumber');
    expect(m).toContain('nickname');
    expect(r.out).toBe('');
    const old = await run([
      'policy',
      'quote',
      '--policy',
      demo,
      '--payer',
      await payerFile({ ...goodPayer, idNumber: '520123900307123' }),
      '--date',
      '2026-06-15',
    ]);
    expect((old.error as CliError).message).toContain('15位');
  });

  it('refuses a malformed date, and a table of another year', async () => {
    const payer = await payerFile(goodPayer);
    const r = await run(['policy', 'quote', '--policy', demo, '--payer', payer, '--date', '2026-02-30']);
    expect(String(r.error)).toContain('YYYY-MM-DD');
    expect(r.out).toBe('');
    const other = await run(['policy', 'quote', '--policy', demo, '--payer', payer, '--date', '2027-01-04']);
    expect((other.error as CliError).message).toContain('2026年度');
  });
});
