import { AppError } from '../../../shared/api/errors';
import type { PrintingView } from '../../../shared/api/views';
import { renderCalibrationPdf } from '../../documents/calibration-pdf';
import { renderDaySummaryPdfOffThread } from '../../documents/pdf-worker';
import { dayCloseModel } from '../dayclose/model';
import { writeConfig } from '../../platform/config';
import { DAY_SUMMARY_PAGE, PageSpool, receiptPage, receiptPaper, spoolerFor, SpoolError } from '../../printing';
import { appendAudit } from '../trust/audit';
import type { AppContext, NamespaceHandlers } from './context';

// The page print path on the IT screen (issue 22): the system's printers, the receipt printer
// chosen from them, and the calibration frame printed through the same spooler as receipts.

async function printingView(ctx: AppContext): Promise<PrintingView> {
  const desk = ctx.live().receipts;
  const cfg = desk.printerConfig;
  let printers: PrintingView['printers'] = [];
  let listError: string | null = null;
  try {
    printers = await desk.pages.spooler.printers();
  } catch (error) {
    listError = error instanceof SpoolError ? error.message : '无法读取系统打印机列表';
    ctx.log.warn({ err: error }, 'listing system printers failed');
  }
  return {
    spooler: desk.pages.spooler.kind,
    printers,
    listError,
    receiptPrinter: cfg.printer,
    receiptLayout: cfg.layout,
    paper: receiptPaper(cfg.layout, cfg.paper),
    calibration: desk.service.calibration(cfg.printer),
  };
}

export function printingHandlers(ctx: AppContext): NamespaceHandlers<'printing'> {
  return {
    'printing.get': () => printingView(ctx),
    'printing.configure': async ({ receiptPrinter, receiptLayout }) => {
      const r = ctx.live();
      const { cfg } = ctx;
      const before = { receiptPrinter: cfg.devices?.receiptPrinter ?? '', receiptLayout: cfg.devices?.receiptLayout ?? 'a4' };
      const devices = cfg.devices ?? {
        reader: '',
        printer: '',
        paperWidth: 80 as const,
        printerType: 'epson' as const,
        printerFont: 'gbk' as const,
        receiptPrinter: '',
        receiptLayout: 'a4' as const,
      };
      cfg.devices = { ...devices, receiptPrinter, receiptLayout };
      writeConfig(ctx.layout, cfg);
      appendAudit(r.db, {
        action: 'device.change',
        entity: 'devices',
        actor: r.session.actor(),
        before,
        after: { receiptPrinter, receiptLayout },
        at: ctx.clock.now(),
      });
      const pages = new PageSpool(r.db, spoolerFor(receiptPrinter, ctx.layout.dir, process.platform, cfg.devices.receiptPaperName), ctx.clock, ctx.log);
      await r.receipts.reconfigure({ printer: receiptPrinter, layout: receiptLayout, paper: cfg.devices.receiptPaper }, pages);
      ctx.log.info({ receiptPrinter, receiptLayout }, 'receipt printer changed');
      return printingView(ctx);
    },
    'printing.calibrate': ({ xMm, yMm }) => {
      const r = ctx.live();
      const desk = r.receipts;
      const printer = desk.printerConfig.printer;
      if (!printer) throw new AppError('VALIDATION', '未配置缴款书打印机：请先在打印机列表中选择');
      const before = desk.service.calibration(printer);
      const after = desk.service.setCalibration(printer, { xMm, yMm });
      appendAudit(r.db, {
        action: 'device.change',
        entity: 'devices',
        actor: r.session.actor(),
        before: { printer, ...before },
        after: { printer, ...after },
        at: ctx.clock.now(),
      });
      ctx.log.info({ printer, ...after }, 'receipt printer calibration changed');
      return printingView(ctx);
    },
    'printing.calibrationFrame': async () => {
      const desk = ctx.live().receipts;
      const cfg = desk.printerConfig;
      if (!cfg.printer) throw new AppError('VALIDATION', '未配置缴款书打印机：请先在打印机列表中选择');
      const page = receiptPage(cfg.layout);
      const pdf = await renderCalibrationPdf({
        pageMm: page,
        printer: cfg.printer,
        offsets: desk.service.calibration(cfg.printer),
        caption: `${cfg.layout === 'a4' ? 'A4 整页版式' : '套打版式'}  ${ctx.today()}`,
      });
      return desk.pages.print('calibration', cfg.printer, cfg.printer, { pdf, title: '校准框', page, paper: receiptPaper(cfg.layout, cfg.paper) });
    },
    'printing.job': ({ id }) => {
      try {
        return ctx.live().receipts.pages.job(id);
      } catch (error) {
        if (error instanceof SpoolError) throw new AppError('NOT_FOUND', error.message);
        throw error;
      }
    },
  };
}

/** The A4 day summary through the page print path. */
export async function printDaySummaryA4(ctx: AppContext, no: number) {
  const r = ctx.live();
  const desk = r.receipts;
  const cfg = desk.printerConfig;
  if (!cfg.printer) throw new AppError('VALIDATION', '未配置 A4 打印机：请信息技术人员在打印机设置中选择，或下载 PDF 打印');
  const record = r.dayClose.get(no);
  // The same model the thermal slip and the downloaded PDF draw.
  const model = dayCloseModel(record, { taxOffice: ctx.cfg.taxOffice, hallName: ctx.cfg.hallName, training: ctx.training });
  const pdf = await renderDaySummaryPdfOffThread({ model, printedAt: ctx.clock.now(), timeZone: ctx.cfg.timeZone });
  return desk.pages.print('day_summary', String(record.no), cfg.printer, {
    pdf,
    title: `日汇总单 ${record.number}`,
    page: DAY_SUMMARY_PAGE,
    paper: DAY_SUMMARY_PAGE,
  });
}
