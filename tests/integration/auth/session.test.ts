import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../electron/services/auth/passwords';
import { MAX_FAILED_ATTEMPTS, SessionService } from '../../../electron/services/auth/session';
import type { Clock } from '../../../electron/platform/clock';
import { migrate, openDatabase } from '../../../electron/platform/db/database';
import { createLogger } from '../../../electron/platform/log';
import { AppError } from '../../../shared/api/errors';
import { tempDir } from '../../helpers/serve';

function setup() {
  const db = openDatabase(path.join(tempDir('auth'), 'a.sqlite'), { create: true });
  migrate(db);
  db.prepare("INSERT INTO operators (username, display_name, role, password_hash, created_at) VALUES ('li', '李柜员', 'clerk', ?, 'x')").run(
    hashPassword('s3cret'),
  );
  let now = new Date('2026-06-15T01:00:00Z');
  const clock: Clock = { now: () => now };
  const session = new SessionService(db, clock, createLogger(null));
  return { db, session, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};

describe('operator sign-in', () => {
  it('stores scrypt hashes, never the password', () => {
    const h = hashPassword('s3cret');
    expect(h).toMatch(/^scrypt\$/);
    expect(h).not.toContain('s3cret');
    expect(verifyPassword('s3cret', h)).toBe(true);
    expect(verifyPassword('s3cret ', h)).toBe(false);
    expect(hashPassword('s3cret')).not.toBe(h);
  });

  it('opens a shift at the counter and closes it on sign-out', () => {
    const { db, session } = setup();
    const s = session.signIn('li', 's3cret', 5);
    expect(s.operator?.displayName).toBe('李柜员');
    expect(s.shift?.counterNo).toBe(5);
    expect(session.signOut()).toEqual({ operator: null, shift: null, locked: false });
    const shift = db.prepare('SELECT counter_no, closed_at FROM shifts').get() as { counter_no: number; closed_at: string | null };
    expect(shift.counter_no).toBe(5);
    expect(shift.closed_at).not.toBeNull();
  });

  it(`locks the account after ${MAX_FAILED_ATTEMPTS} wrong passwords, even against the right one, until the lock expires`, () => {
    const { session, advance } = setup();
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) expect(codeOf(() => session.signIn('li', 'wrong', 1))).toBe('BAD_CREDENTIALS');
    expect(codeOf(() => session.signIn('li', 'wrong', 1))).toBe('ACCOUNT_LOCKED');
    expect(codeOf(() => session.signIn('li', 's3cret', 1))).toBe('ACCOUNT_LOCKED');
    advance(16 * 60_000);
    expect(session.signIn('li', 's3cret', 1).operator?.username).toBe('li');
  });

  it('gives the same answer for an unknown user as for a wrong password', () => {
    const { session } = setup();
    expect(codeOf(() => session.signIn('nobody', 'x', 1))).toBe('BAD_CREDENTIALS');
  });
});

describe('supervisor approval at the clerk screen', () => {
  it('accepts a supervisor with the right password, refuses a clerk and a wrong password', () => {
    const { db, session } = setup();
    db.prepare("INSERT INTO operators (username, display_name, role, password_hash, created_at) VALUES ('wang', '王主任', 'supervisor', ?, 'x')").run(
      hashPassword('boss'),
    );
    session.signIn('li', 's3cret', 1);
    expect(session.verifyApprover('wang', 'boss')).toMatchObject({ username: 'wang', role: 'supervisor' });
    expect(codeOf(() => session.verifyApprover('li', 's3cret'))).toBe('FORBIDDEN');
    expect(codeOf(() => session.verifyApprover('wang', 'guess'))).toBe('BAD_CREDENTIALS');
    expect(codeOf(() => session.verifyApprover('nobody', 'x'))).toBe('BAD_CREDENTIALS');
  });
});
