import { Command } from 'commander';
import { registerPolicyCommands } from '../../../electron/cli/commands/policy';
import { fileURLToPath } from 'node:url';
import { idCheckChar } from '../../../shared/domain/id-number';
import { PolicyPayer, type PolicyPayerInput, type PolicyTable } from '../../../shared/policy';
import { loadPolicyFile } from '../../../electron/services/policy';

export const policyDir = fileURLToPath(new URL('../../../resources/policy/', import.meta.url));

export const tableFiles = {
  demo: 'demo-2026.json',
  xiangyin: 'xiangyin-2023.json',
  guangxi: 'guangxi-2019.json',
  zibo: 'zibo-2024.json',
} as const;
export type TableName = keyof typeof tableFiles;

export async function loadTables(): Promise<Record<TableName, PolicyTable>> {
  const entries = await Promise.all((Object.keys(tableFiles) as TableName[]).map(async (k) => [k, await loadPolicyFile(policyDir + tableFiles[k])] as const));
  return Object.fromEntries(entries) as Record<TableName, PolicyTable>;
}

/** A valid resident ID number for a birth date (region 520123, sequence chosen by gender). */
export function idFor(birthDate: string, sequence = '123', region = '520123'): string {
  const first17 = `${region}${birthDate.replaceAll('-', '')}${sequence}`;
  return first17 + idCheckChar(first17);
}

/** A registered, active payer; override what the test is about. */
export function payer(birthDate: string, overrides: Partial<PolicyPayerInput> = {}): PolicyPayer {
  return PolicyPayer.parse({
    idNumber: idFor(birthDate),
    birthDate,
    registrationDate: '2015-03-01',
    registrationStatus: 'active',
    ...overrides,
  });
}

export function tierOf(table: PolicyTable, yuan: number) {
  const t = table.tiers.find((x) => x.amountFen === yuan * 100);
  if (t === undefined) throw new Error(`no ${yuan} tier in ${table.region.code}`);
  return t;
}

/**
 * `pension-counter policy ...` with its output captured; the error (usage or CliError) is returned,
 * not thrown, so tests can assert on both.
 */
export async function runPolicyCli(args: string[]): Promise<{ out: string; error: unknown }> {
  let out = '';
  const program = new Command('pension-counter').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerPolicyCommands(program, { out: (t) => (out += t) });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { out, error: undefined };
  } catch (error) {
    return { out, error };
  }
}
