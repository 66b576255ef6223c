// The payer's screen (客显) and the 好差评 rating. Thin: the PayerDisplayService does the work.
import { writeConfig } from '../../platform/config';
import { appendAudit } from '../trust/audit';
import type { AppContext, NamespaceHandlers } from './context';

export const defaultPayerDisplaySettings = { enabled: false, displayIndex: 1, evaluationSeconds: 30 } as const;

export function displayHandlers(ctx: AppContext): NamespaceHandlers<'display'> {
  const settings = () => ({ ...defaultPayerDisplaySettings, ...ctx.cfg.payerDisplay });
  return {
    'display.publish': (input) => {
      const c = ctx.counter();
      return ctx.live().payerDisplay.publish(input, { operatorId: c.operatorId, operatorUsername: c.operatorUsername, counterNo: c.counterNo });
    },
    // Before start-up is done there is nothing to show but the hall's welcome.
    'display.state': () => {
      const r = ctx.running();
      if (r) return r.payerDisplay.current();
      const info = ctx.info();
      return { stage: 'idle', training: ctx.training, hallName: info.hallName, counterNo: null, period: null };
    },
    'display.settings': () => settings(),
    'display.configure': (next) => {
      const r = ctx.live();
      const before = settings();
      ctx.cfg.payerDisplay = next;
      writeConfig(ctx.layout, ctx.cfg);
      appendAudit(r.db, { action: 'device.change', entity: 'devices', actor: r.session.actor(), before, after: next, at: ctx.clock.now() });
      ctx.log.info({ payerDisplay: next }, "payer's screen settings changed");
      return settings();
    },
  };
}

export function evaluationHandlers(ctx: AppContext): NamespaceHandlers<'evaluation'> {
  return {
    'evaluation.submit': ({ evaluationId, level, reasons }) => ctx.live().payerDisplay.submit(evaluationId, level, reasons),
    'evaluation.counts': ({ fromDate, toDate }) => {
      const today = ctx.today();
      return ctx.live().payerDisplay.counts(fromDate ?? today, toDate ?? fromDate ?? today);
    },
  };
}
