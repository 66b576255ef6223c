// Data shapes the API returns to the renderer. Money in fen, instants as UTC ISO strings, dates
// as YYYY-MM-DD in the hall's time zone. ID numbers are masked unless a call says otherwise.
import { z } from 'zod';
import { Channel, Gender, RegistrationStatus, SpecialGroupCode } from '../domain/payer';

export const roleCodes = ['clerk', 'supervisor', 'admin'] as const;
export const Role = z.enum(roleCodes);
export type Role = z.infer<typeof Role>;
export const roleLabels: Record<Role, string> = { clerk: '柜员', supervisor: '值班主任', admin: '系统管理员' };

export const OperatorView = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
});
export type OperatorView = z.infer<typeof OperatorView>;

export const SessionView = z.object({
  operator: OperatorView.nullable(),
  shift: z
    .object({ id: z.number().int(), counterNo: z.number().int(), openedAt: z.string() })
    .nullable(),
});
export type SessionView = z.infer<typeof SessionView>;

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['training', 'production']),
  hallName: z.string(),
  taxOffice: z.string(),
  countyName: z.string(),
  timeZone: z.string(),
  /** Today's civil date in the hall's time zone. */
  today: z.string(),
  status: z.enum(['starting', 'ready', 'failed']),
  statusMessage: z.string(),
  schemaVersion: z.number().int(),
  /** Training mode only: the demo accounts shown on the sign-in screen. */
  demoAccounts: z.array(z.object({ username: z.string(), password: z.string(), role: Role })),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const PaymentView = z.object({
  id: z.number().int(),
  year: z.number().int(),
  tierFen: z.number().int(),
  amountFen: z.number().int(),
  channel: Channel,
  channelRef: z.string().nullable(),
  paidAt: z.string(),
});
export type PaymentView = z.infer<typeof PaymentView>;

export const PayerYearView = z.object({
  year: z.number().int(),
  /** Every payment recorded for the year; more than one is a conflict for the supervisor. */
  payments: z.array(PaymentView),
});
export type PayerYearView = z.infer<typeof PayerYearView>;

export const PayerView = z.object({
  id: z.number().int(),
  idNumberMasked: z.string(),
  name: z.string(),
  gender: Gender,
  birthDate: z.string(),
  /** Age in full years on the hall's today. */
  age: z.number().int(),
  town: z.string(),
  village: z.string(),
  address: z.string(),
  registrationDate: z.string(),
  status: RegistrationStatus,
  inEmployeeScheme: z.boolean(),
  specialGroups: z.array(
    z.object({ code: SpecialGroupCode, from: z.string(), to: z.string().nullable() }),
  ),
  /** Years from the first payable year to the current year, newest first. */
  years: z.array(PayerYearView),
});
export type PayerView = z.infer<typeof PayerView>;
