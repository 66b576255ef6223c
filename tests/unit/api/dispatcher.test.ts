import { describe, expect, it } from 'vitest';
import { contract, methodNames } from '../../../shared/api/contract';
import type { OperatorView } from '../../../shared/api/views';
import { createDispatcher, type Handlers } from '../../../electron/services/api/dispatcher';
import { createLogger } from '../../../electron/platform/log';

const clerk: OperatorView = { id: 1, username: 'clerk', displayName: '柜员', role: 'clerk' };
const admin: OperatorView = { id: 3, username: 'admin', displayName: '管理员', role: 'admin' };

const payer = {
  id: 7,
  idNumberMasked: '520123********1234',
  name: '张三',
  gender: 'male' as const,
  birthDate: '1970-01-01',
  age: 56,
  town: '青石镇',
  village: '柳塘村',
  address: '示范县青石镇柳塘村一组1号',
  registrationDate: '2015-03-01',
  status: 'active' as const,
  inEmployeeScheme: false,
  specialGroups: [],
  years: [],
};

function setup(operator: OperatorView | null, overrides: Partial<Handlers> = {}, ready = true) {
  const calls: string[] = [];
  const handlers = {
    'app.info': () => {
      throw new Error('not used');
    },
    'session.current': () => ({ operator, shift: null, locked: false }),
    'session.signIn': () => ({ operator, shift: null, locked: false }),
    'session.signOut': () => ({ operator: null, shift: null, locked: false }),
    'payer.lookup': ({ idNumber }) => {
      calls.push(idNumber);
      return payer;
    },
    'payer.get': () => payer,
    ...overrides,
  } as Handlers;
  const dispatch = createDispatcher({ handlers, log: createLogger(null), operator: () => operator, ready: () => ready });
  return { dispatch, calls };
}

describe('API dispatcher (the boundary every call crosses)', () => {
  it('binds exactly the methods of the contract', () => {
    expect(methodNames.sort()).toEqual(Object.keys(contract).sort());
  });

  it('rejects an unknown method without running anything', async () => {
    const { dispatch, calls } = setup(clerk);
    const r = await dispatch('payer.delete', {}, { transport: 'http' });
    expect(r).toEqual({ ok: false, error: { code: 'UNKNOWN_METHOD', message: '不支持的操作' } });
    expect(calls).toEqual([]);
  });

  it('refuses a protected call before sign-in, and a call outside the role', async () => {
    const anon = await setup(null).dispatch('payer.lookup', { idNumber: '1' }, { transport: 'ipc' });
    expect(anon.ok ? null : anon.error.code).toBe('NOT_SIGNED_IN');
    const { dispatch, calls } = setup(admin);
    const r = await dispatch('payer.lookup', { idNumber: '1' }, { transport: 'ipc' });
    expect(r.ok ? null : r.error).toMatchObject({ code: 'FORBIDDEN', message: '当前账户无权执行此操作' });
    expect(calls).toEqual([]);
  });

  it('answers STARTING while start-up work runs, but still serves public calls', async () => {
    const { dispatch } = setup(clerk, {}, false);
    const r = await dispatch('payer.get', { payerId: 7 }, { transport: 'http' });
    expect(r.ok ? null : r.error.code).toBe('STARTING');
    const s = await dispatch('session.current', {}, { transport: 'http' });
    expect(s.ok).toBe(true);
  });

  it('validates input with the contract schema and reports the field', async () => {
    const { dispatch, calls } = setup(clerk);
    const r = await dispatch('payer.get', { payerId: 'seven' }, { transport: 'http' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('VALIDATION');
      expect(r.error.issues?.[0]?.path).toBe('payerId');
    }
    const extra = await dispatch('payer.lookup', { idNumber: '520123', sql: 'DROP TABLE payers' }, { transport: 'http' });
    expect(extra.ok ? null : extra.error.code).toBe('VALIDATION');
    expect(calls).toEqual([]);
  });

  it('normalises the ID number shape before the service sees it', async () => {
    const { dispatch, calls } = setup(clerk);
    await dispatch('payer.lookup', { idNumber: ' 52012319700101123x ' }, { transport: 'http' });
    expect(calls).toEqual(['52012319700101123X']);
  });

  it('hides unexpected failures and output that breaks the contract behind INTERNAL', async () => {
    const boom = setup(clerk, {
      'payer.get': () => {
        throw new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path');
      },
    });
    const r = await boom.dispatch('payer.get', { payerId: 1 }, { transport: 'http' });
    expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('系统内部错误') } });
    expect(JSON.stringify(r)).not.toContain('/secret/path');

    const bad = setup(clerk, { 'payer.get': () => ({ ...payer, gender: 'x' }) as never });
    const b = await bad.dispatch('payer.get', { payerId: 1 }, { transport: 'http' });
    expect(b.ok ? null : b.error.code).toBe('INTERNAL');
  });
});
