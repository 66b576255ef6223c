import { runDoctor, type PrinterProbe, type ReaderProbe } from '../doctor';
import type { AppContext, NamespaceHandlers } from './context';

/**
 * health.check: the same report as `pension-counter doctor`, for IT staff in the app. The app
 * holds the device ports, so the reader and printer lines come from the devices' own last status.
 */
export function healthHandlers(ctx: AppContext): NamespaceHandlers<'health'> {
  let reader: ReaderProbe = { ok: false, message: '读卡器尚未报告状态' };
  let printer: PrinterProbe = { ok: false, state: 'unknown', message: '打印机尚未报告状态' };
  ctx.events.subscribe((name, payload) => {
    if (name === 'reader.status') {
      const p = payload as { state: string; port: string | null; message: string };
      reader = { ok: p.state === 'connected', port: p.port ?? undefined, message: p.message };
    } else if (name === 'printer.status') {
      const p = payload as { state: string; message: string };
      printer = { ok: p.state === 'ready' || p.state === 'printing', state: p.state, message: p.message };
    }
  });
  return {
    'health.check': () => {
      const r = ctx.live();
      return runDoctor({
        layout: ctx.layout,
        config: ctx.cfg,
        db: r.db,
        clock: ctx.clock,
        probeReader: async () => reader,
        probePrinter: async () => printer,
      });
    },
  };
}
