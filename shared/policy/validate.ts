// Turns zod's verdict on untrusted data (a policy file, a payer file, an API body) into a list of
// zh-CN messages, each with a JSON path such as `tiers[3].subsidyFen`, so IT staff can find the
// wrong field in the file without reading a stack trace.
import { z } from 'zod';
import { PolicyPayer, PolicyTable } from './schema';

export interface ValidationIssue {
  /** `$` for the document itself, otherwise e.g. `tiers[3].subsidyFen`. */
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export function formatJsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === '' ? '$' : out;
}

const zhCN = z.locales.zhCN().localeError;

export function validateWith<S extends z.ZodType>(schema: S, data: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(data, { error: zhCN });
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ path: formatJsonPath(i.path), message: i.message })),
  };
}

export function validatePolicyTable(data: unknown): Validated<PolicyTable> {
  return validateWith(PolicyTable, data);
}

export function validatePolicyPayer(data: unknown): Validated<PolicyPayer> {
  return validateWith(PolicyPayer, data);
}
