import type { z } from 'zod';
import { contract, isMethodName, type MethodName, type MethodOutput, type ParsedInput } from '../../../shared/api/contract';
import { AppError, type Envelope } from '../../../shared/api/errors';
import type { OperatorView } from '../../../shared/api/views';
import type { Logger } from '../../platform/log';

export interface CallContext {
  transport: 'ipc' | 'http' | 'direct';
}

export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>, ctx: CallContext) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

export interface DispatcherOptions {
  handlers: Handlers;
  log: Logger;
  /** The signed-in operator, for the contract's access rules. */
  operator: () => OperatorView | null;
  /** True while the screen is locked: only the calls that show or end the lock are served. */
  locked?: () => boolean;
  /** False while start-up work (migrations, training data) runs: only public calls are served. */
  ready: () => boolean;
}

export type Dispatch = (method: unknown, input: unknown, ctx: CallContext) => Promise<Envelope<unknown>>;

/** While the screen is locked, the clerk can only unlock it or hand the counter over. */
const callableWhileLocked: ReadonlySet<MethodName> = new Set(['session.signOut', 'session.lock']);

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** better-sqlite3's errors for a disk that is full, a file or file system that is read-only, or an I/O failure. */
function isStorageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(READONLY|FULL|IOERR)/.test(code);
}

/**
 * The boundary every call crosses, whatever the transport: unknown methods and malformed input
 * are rejected before any service runs, access rules from the contract are applied, and every
 * outcome becomes an Envelope. Services throw AppError for expected refusals; anything else is
 * logged and reported as INTERNAL without leaking its details to the screen.
 */
export function createDispatcher(options: DispatcherOptions): Dispatch {
  const { handlers, log } = options;
  return async (method, input, ctx) => {
    if (!isMethodName(method)) {
      log.warn({ method: String(method).slice(0, 80), transport: ctx.transport }, 'unknown API method');
      return { ok: false, error: new AppError('UNKNOWN_METHOD').toApiError() };
    }
    const spec = contract[method];
    try {
      if (spec.access !== 'public') {
        if (!options.ready()) throw new AppError('STARTING');
        const operator = options.operator();
        if (!operator) throw new AppError('NOT_SIGNED_IN');
        if (!spec.access.includes(operator.role)) throw new AppError('FORBIDDEN');
        if (options.locked?.() && !callableWhileLocked.has(method)) throw new AppError('SCREEN_LOCKED');
      }
      const parsed = spec.input.safeParse(input ?? {});
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        throw new AppError('VALIDATION', issues[0] ? `${issues[0].message}` : undefined, issues);
      }
      const handler = handlers[method] as (i: unknown, c: CallContext) => unknown;
      const value = await handler(parsed.data, ctx);
      // What leaves is what the contract says, parsed: fields a service keeps for itself (full ID
      // numbers, row ids, hashes) are stripped here, so handlers return service objects as they are.
      const out = spec.output.safeParse(value);
      if (!out.success) {
        log.error({ method, issues: issuesOf(out.error).slice(0, 5) }, 'API output does not match the contract');
        throw new AppError('INTERNAL');
      }
      return { ok: true, value: out.data };
    } catch (error) {
      if (error instanceof AppError) {
        if (error.code === 'INTERNAL') return { ok: false, error: error.toApiError() };
        log.info({ method, code: error.code, transport: ctx.transport }, 'API call refused');
        return { ok: false, error: error.toApiError() };
      }
      if (error instanceof Error && error.message.startsWith('RECOVERY_PENDING')) {
        // The database's recovery gate (migration 0012): nothing of this call was recorded.
        log.warn({ method }, 'API call refused: counter in recovery until it reconciles with the upstream');
        return { ok: false, error: new AppError('RECOVERY_PENDING').toApiError() };
      }
      if (isStorageError(error)) {
        // The transaction was rolled back by SQLite: nothing of this call was recorded.
        log.error({ method, code: (error as { code: string }).code, err: error }, 'API call failed: database not writable');
        return { ok: false, error: new AppError('STORAGE_UNAVAILABLE').toApiError() };
      }
      log.error({ method, err: error }, 'API call failed');
      return { ok: false, error: new AppError('INTERNAL').toApiError() };
    }
  };
}
