import { AppError } from '../../../shared/api/errors';
import { startOfCivilDate } from '../../platform/clock';
import { listConflicts, listRejectedEvents } from '../../sync';
import { progressCsv, progressXlsx } from '../counter/progress';
import { auditActions, queryAudit, verifyAuditChain, type AuditAction } from '../trust/audit';
import { auditRowView } from '../trust/audit-describe';
import type { AppContext, NamespaceHandlers } from './context';

export function supervisorHandlers(ctx: AppContext): NamespaceHandlers<'supervisor'> {
  return {
    'supervisor.cases': () => {
      const r = ctx.live();
      return { conflicts: listConflicts(r.db), rejectedEvents: listRejectedEvents(r.db) };
    },
  };
}

export function progressHandlers(ctx: AppContext): NamespaceHandlers<'progress'> {
  return {
    'progress.get': () => ctx.live().payments.progress(),
    'progress.export': async ({ format }) => {
      const p = await ctx.live().payments.progress();
      const bytes = format === 'csv' ? progressCsv(p) : await progressXlsx(p);
      return { filename: `${p.year}年缴费进度-${p.asOf}.${format}`, base64: bytes.toString('base64') };
    },
  };
}

/** What a broken hash chain means, for the supervisor (the technical detail goes to the log). */
const chainProblemLabels = { altered: '被改动', inserted: '为插入的记录', deleted: '之后的记录被删除' } as const;

export function auditHandlers(ctx: AppContext): NamespaceHandlers<'audit'> {
  return {
    'audit.query': ({ fromDate, toDate, username, action, page }) => {
      const r = ctx.live();
      // Hall-local dates become UTC instants: from the start of fromDate to the start of the day after toDate.
      const instant = (date: string) => startOfCivilDate(date, ctx.cfg.timeZone).toISOString();
      const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      if (action && !(auditActions as readonly string[]).includes(action)) throw new AppError('VALIDATION', `没有这种操作类型：${action}`);
      const result = queryAudit(r.db, {
        ...(fromDate ? { from: instant(fromDate) } : {}),
        ...(toDate ? { to: instant(nextDay(toDate)) } : {}),
        ...(username ? { username } : {}),
        ...(action ? { action: action as AuditAction } : {}),
        page,
        pageSize: 50,
      });
      const chain = verifyAuditChain(r.db);
      if (chain.firstProblem) ctx.log.error({ problem: chain.firstProblem }, 'audit chain broken');
      return {
        rows: result.rows.map(auditRowView),
        total: result.total,
        chain: {
          ok: chain.ok,
          rows: chain.rows,
          problem: chain.firstProblem
            ? `第 ${chain.firstProblem.seq} 条${chainProblemLabels[chain.firstProblem.kind]}，审计记录不完整，请联系信息技术人员核查`
            : null,
        },
      };
    },
  };
}
