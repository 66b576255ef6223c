import { AppError } from '../../../shared/api/errors';
import { renderDaySummaryPdfOffThread } from '../../documents/pdf-worker';
import { toCloseView, toSummaryView } from '../counter/day-desk';
import { dayCloseModel, openBusinessDate, slipDataOfClose } from '../dayclose';
import { appendAudit } from '../trust/audit';
import type { AppContext, NamespaceHandlers } from './context';
import { printDaySummaryA4 } from './printing';

export function dayCloseHandlers(ctx: AppContext): NamespaceHandlers<'dayclose'> {
  return {
    'dayclose.preview': () => {
      const r = ctx.live();
      const c = ctx.counter();
      return toSummaryView(r.dayClose.summary(openBusinessDate(r.db, ctx.today(), c.operatorId), c.operatorId));
    },
    'dayclose.close': ({ cashCountedFen, approval }) => {
      const r = ctx.live();
      const c = ctx.counter();
      const waitingApprovedBy = approval ? ctx.approverId(approval) : null;
      // The audit row commits with the close (the close's own transaction nests as a savepoint).
      const record = r.db
        .transaction(() => {
          const closed = r.dayClose.close({
            businessDate: openBusinessDate(r.db, ctx.today(), c.operatorId),
            operatorId: c.operatorId,
            counterNo: c.counterNo,
            cashCountedFen,
            closedBy: c.operatorId,
            waitingApprovedBy,
          });
          appendAudit(r.db, {
            action: 'dayclose.close',
            entity: 'day_close',
            entityId: closed.number,
            actor: r.session.actor(),
            after: {
              businessDate: closed.businessDate,
              cash: closed.cash,
              ...(closed.waitingApprovedBy
                ? { waitingApprovedBy: closed.waitingApprovedBy.username, waiting: closed.summary.waiting.map((w) => w.number) }
                : {}),
            },
            at: ctx.clock.now(),
          });
          return closed;
        })
        .immediate();
      // The close is in the backup taken right after it.
      ctx.backupSoon('day_close');
      return toCloseView(record);
    },
    'dayclose.list': ({ limit }) => {
      const r = ctx.live();
      const c = ctx.counter();
      const mine = r.session.operator()?.role === 'supervisor' ? {} : { operatorId: c.operatorId };
      return r.dayClose.list({ ...mine, limit }).map(toCloseView);
    },
    'dayclose.pdf': async ({ no }) => {
      const record = ctx.live().dayClose.get(no);
      const doc = {
        model: dayCloseModel(record, { taxOffice: ctx.cfg.taxOffice, hallName: ctx.cfg.hallName, training: ctx.training }),
        printedAt: ctx.clock.now(),
        timeZone: ctx.cfg.timeZone,
      };
      return { filename: `日汇总单-${record.businessDate}-${record.number}.pdf`, base64: (await renderDaySummaryPdfOffThread(doc)).toString('base64') };
    },
    'dayclose.printSlip': ({ no }) => {
      const r = ctx.live();
      const record = r.dayClose.get(no);
      const printedAt = ctx.clock.now().toISOString();
      return r.devices.printDaySummary(
        record.no,
        slipDataOfClose(record, {
          taxOffice: ctx.cfg.taxOffice,
          hallName: ctx.cfg.hallName,
          training: ctx.training,
          timeZone: ctx.cfg.timeZone,
          printedAt,
        }),
        printedAt,
      );
    },
    'dayclose.printA4': ({ no }) => printDaySummaryA4(ctx, no),
    'dayclose.reconcile': async ({ no }) => {
      const r = ctx.live();
      if (!ctx.upstream) throw new AppError('UPSTREAM_UNAVAILABLE', '未配置上游系统，无法与上游日汇总核对');
      const record = r.dayClose.get(no);
      // The upstream has this close's payments only once they were pushed: push first.
      await r.sync?.syncOnce();
      let totals;
      try {
        totals = await ctx.upstream.dayTotals(record.businessDate, record.operator.username);
      } catch (error) {
        ctx.log.warn({ err: error, closeNo: no }, 'upstream day totals unavailable');
        throw new AppError('UPSTREAM_UNAVAILABLE', '暂时无法从上游系统取得日汇总数据，请稍后再核对');
      }
      return r.dayClose.reconcile(no, totals);
    },
  };
}
