// The one API contract between the renderer and the services. Both hosts (Electron IPC and the
// browser host's HTTP) bind exactly these methods, validate input with these schemas at the
// boundary and return an Envelope. Adding a capability means adding a method here first.
import { z } from 'zod';
import { AppInfo, PayerView, type Role, SessionView } from './views';
import { validateIdNumberShape } from './id-input';

interface MethodSpec<I extends z.ZodType, O extends z.ZodType> {
  summary: string;
  /** Who may call: 'public' before sign-in, or the roles allowed. */
  access: 'public' | readonly Role[];
  input: I;
  output: O;
}

const method = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>) => spec;
const counterStaff = ['clerk', 'supervisor'] as const;
const Empty = z.object({}).strict();

export const contract = {
  'app.info': method({
    summary: 'Mode, hall, today and start-up state',
    access: 'public',
    input: Empty,
    output: AppInfo,
  }),
  'session.current': method({
    summary: 'The signed-in operator and open shift, if any',
    access: 'public',
    input: Empty,
    output: SessionView,
  }),
  'session.signIn': method({
    summary: 'Sign in at a counter (窗口号) and open a shift',
    access: 'public',
    input: z
      .object({
        username: z.string().trim().min(1, '请输入用户名').max(32),
        password: z.string().min(1, '请输入密码').max(128),
        counterNo: z.number().int().min(1, '窗口号为 1–99').max(99, '窗口号为 1–99'),
      })
      .strict(),
    output: SessionView,
  }),
  'session.signOut': method({
    summary: 'Close the shift and sign out',
    access: ['clerk', 'supervisor', 'admin'],
    input: Empty,
    output: SessionView,
  }),
  'payer.lookup': method({
    summary: 'Find a payer by full ID number',
    access: counterStaff,
    input: z.object({ idNumber: validateIdNumberShape }).strict(),
    output: PayerView,
  }),
  'payer.get': method({
    summary: 'A payer by registry id',
    access: counterStaff,
    input: z.object({ payerId: z.number().int().positive() }).strict(),
    output: PayerView,
  }),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export const methodNames = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
