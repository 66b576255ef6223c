import { AppError } from '../../../shared/api/errors';
import type { OperatorView, Role, SessionView } from '../../../shared/api/views';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/database';
import type { Logger } from '../../platform/log';
import { verifyPassword } from './passwords';
import { appendAudit } from '../trust/audit';

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MINUTES = 15;

interface OperatorRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
}

/**
 * One counter, one signed-in operator: the session belongs to the host (the desktop window or
 * the browser host), as the counter's sign-in does at a real 窗口. Signing in opens a shift.
 */
export class SessionService {
  private current: { operator: OperatorView; shift: NonNullable<SessionView['shift']>; locked: boolean; unlockFailures: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  view(): SessionView {
    return this.current
      ? { operator: this.current.operator, shift: this.current.shift, locked: this.current.locked }
      : { operator: null, shift: null, locked: false };
  }

  isLocked(): boolean {
    return this.current?.locked ?? false;
  }

  /** Locks the screen; the shift stays open and nothing is lost. */
  lock(): SessionView {
    if (this.current && !this.current.locked) {
      this.current.locked = true;
      appendAudit(this.db, { action: 'session.lock', entity: 'shift', entityId: this.current.shift.id, actor: this.actor(), at: this.clock.now() });
      this.log.info({ operatorId: this.current.operator.id }, 'screen locked');
    }
    return this.view();
  }

  /**
   * Unlocks with the signed-in operator's own password. Too many wrong passwords close the shift:
   * whoever is at the keyboard then has to sign in properly.
   */
  unlock(password: string): SessionView {
    const cur = this.current;
    if (!cur) throw new AppError('NOT_SIGNED_IN');
    if (!cur.locked) return this.view();
    const row = this.db.prepare('SELECT password_hash FROM operators WHERE id = ?').get(cur.operator.id) as { password_hash: string } | undefined;
    if (row && verifyPassword(password, row.password_hash)) {
      cur.locked = false;
      cur.unlockFailures = 0;
      appendAudit(this.db, { action: 'session.unlock', entity: 'shift', entityId: cur.shift.id, actor: this.actor(), at: this.clock.now() });
      this.log.info({ operatorId: cur.operator.id }, 'screen unlocked');
      return this.view();
    }
    cur.unlockFailures++;
    appendAudit(this.db, {
      action: 'session.unlockFailed',
      entity: 'shift',
      entityId: cur.shift.id,
      actor: this.actor(),
      after: { attempts: cur.unlockFailures },
      at: this.clock.now(),
    });
    this.log.warn({ operatorId: cur.operator.id, attempts: cur.unlockFailures }, 'unlock failed');
    if (cur.unlockFailures >= MAX_FAILED_ATTEMPTS) {
      this.closeShift();
      throw new AppError('NOT_SIGNED_IN', '密码错误次数过多，已退出登录，请重新登录');
    }
    throw new AppError('BAD_CREDENTIALS', `密码错误（还可尝试 ${MAX_FAILED_ATTEMPTS - cur.unlockFailures} 次）`);
  }

  operator(): OperatorView | null {
    return this.current?.operator ?? null;
  }

  signIn(username: string, password: string, counterNo: number): SessionView {
    const row = this.db.prepare('SELECT * FROM operators WHERE username = ?').get(username) as OperatorRow | undefined;
    const now = this.clock.now();
    if (!row) {
      this.log.warn({ username, counterNo }, 'sign-in failed: unknown user');
      throw new AppError('BAD_CREDENTIALS');
    }
    if (!row.active) throw new AppError('ACCOUNT_DISABLED');
    if (row.locked_until && new Date(row.locked_until) > now) {
      this.log.warn({ username, counterNo }, 'sign-in refused: account locked');
      throw new AppError('ACCOUNT_LOCKED');
    }
    if (!verifyPassword(password, row.password_hash)) {
      const attempts = row.failed_attempts + 1;
      const lock = attempts >= MAX_FAILED_ATTEMPTS;
      this.db.transaction(() => {
        this.db
          .prepare('UPDATE operators SET failed_attempts = ?, locked_until = ? WHERE id = ?')
          .run(lock ? 0 : attempts, lock ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null, row.id);
        appendAudit(this.db, {
          action: 'session.signInFailed',
          entity: 'operator',
          entityId: row.id,
          actor: { operatorId: row.id, username: row.username, counterNo },
          after: { attempts, locked: lock },
          at: now,
        });
      })();
      this.log.warn({ username, counterNo, attempts, locked: lock }, 'sign-in failed: wrong password');
      if (lock) throw new AppError('ACCOUNT_LOCKED');
      throw new AppError('BAD_CREDENTIALS', `用户名或密码错误（还可尝试 ${MAX_FAILED_ATTEMPTS - attempts} 次）`);
    }
    if (this.current) this.closeShift();
    const openedAt = now.toISOString();
    const shiftId = this.db.transaction(() => {
      this.db.prepare('UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(row.id);
      const id = Number(
        this.db.prepare('INSERT INTO shifts (operator_id, counter_no, opened_at) VALUES (?, ?, ?)').run(row.id, counterNo, openedAt).lastInsertRowid,
      );
      appendAudit(this.db, {
        action: 'session.signIn',
        entity: 'shift',
        entityId: id,
        actor: { operatorId: row.id, username: row.username, counterNo },
        after: { counterNo },
        at: openedAt,
      });
      return id;
    })();
    this.current = {
      operator: { id: row.id, username: row.username, displayName: row.display_name, role: row.role },
      shift: { id: shiftId, counterNo, openedAt },
      locked: false,
      unlockFailures: 0,
    };
    this.log.info({ operatorId: row.id, counterNo, shiftId }, 'signed in');
    return this.view();
  }

  /**
   * A supervisor's approval given at the clerk's screen with the supervisor's own credentials.
   * Wrong passwords count towards the supervisor's lockout exactly as at sign-in.
   */
  verifyApprover(username: string, password: string): OperatorView {
    const row = this.db.prepare('SELECT * FROM operators WHERE username = ?').get(username) as OperatorRow | undefined;
    const now = this.clock.now();
    if (!row || !row.active) throw new AppError('BAD_CREDENTIALS', '审批人用户名或密码错误');
    if (row.role !== 'supervisor') throw new AppError('FORBIDDEN', '需要值班主任审批');
    if (row.locked_until && new Date(row.locked_until) > now) throw new AppError('ACCOUNT_LOCKED');
    if (!verifyPassword(password, row.password_hash)) {
      const attempts = row.failed_attempts + 1;
      const lock = attempts >= MAX_FAILED_ATTEMPTS;
      this.db
        .prepare('UPDATE operators SET failed_attempts = ?, locked_until = ? WHERE id = ?')
        .run(lock ? 0 : attempts, lock ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : null, row.id);
      appendAudit(this.db, {
        action: 'approval.refuse',
        entity: 'operator',
        entityId: row.id,
        actor: this.actor(),
        after: { approver: row.username, attempts },
        at: now,
      });
      this.log.warn({ approver: username, attempts }, 'approval refused: wrong password');
      throw new AppError(lock ? 'ACCOUNT_LOCKED' : 'BAD_CREDENTIALS', lock ? undefined : '审批人用户名或密码错误');
    }
    this.db.transaction(() => {
      this.db.prepare('UPDATE operators SET failed_attempts = 0 WHERE id = ?').run(row.id);
      appendAudit(this.db, { action: 'approval.grant', entity: 'operator', entityId: row.id, actor: this.actor(), after: { approver: row.username }, at: now });
    })();
    this.log.info({ approverId: row.id, by: this.current?.operator.id }, 'supervisor approval given');
    return { id: row.id, username: row.username, displayName: row.display_name, role: row.role };
  }

  signOut(): SessionView {
    if (this.current) {
      this.log.info({ operatorId: this.current.operator.id, shiftId: this.current.shift.id }, 'signed out');
      this.closeShift();
    }
    return this.view();
  }

  private closeShift(): void {
    const cur = this.current;
    if (!cur) return;
    const at = this.clock.now().toISOString();
    this.db.transaction(() => {
      this.db.prepare('UPDATE shifts SET closed_at = ? WHERE id = ?').run(at, cur.shift.id);
      appendAudit(this.db, { action: 'session.signOut', entity: 'shift', entityId: cur.shift.id, actor: this.actor(), at });
    })();
    this.current = null;
  }

  /** The signed-in operator as the audit log records them. */
  actor(): { operatorId: number; username: string; counterNo: number } | null {
    return this.current ? { operatorId: this.current.operator.id, username: this.current.operator.username, counterNo: this.current.shift.counterNo } : null;
  }
}
