import { AppError } from '../../../shared/api/errors';
import type { TrainingCardView } from '../../../shared/api/views';
import { maskIdNumber } from '../../../shared/domain/id-number';
import { writeConfig } from '../../platform/config';
import { listSerialPaths } from '../../devices/serial';
import type { DemoCardCase } from '../demo/county';
import { appendAudit } from '../trust/audit';
import { trainingExchangeSlips } from '../counter/activity';
import type { AppContext, NamespaceHandlers } from './context';

export function printHandlers(ctx: AppContext): NamespaceHandlers<'print'> {
  return {
    'print.get': ({ jobId }) => ctx.live().devices.jobView(jobId),
    'print.retry': ({ jobId }) => {
      const r = ctx.live();
      return r.devices.retry(jobId, ctx.clock.now().toISOString(), r.session.actor());
    },
    'print.resolve': ({ jobId, outcome }) => {
      const r = ctx.live();
      return r.devices.resolve(jobId, outcome, ctx.clock.now().toISOString(), r.session.actor());
    },
    'print.uncertain': () => ctx.live().devices.uncertainJobs(),
    'print.reprint': ({ jobId }) => {
      const r = ctx.live();
      return r.devices.reprint(jobId, ctx.clock.now().toISOString(), r.session.actor());
    },
  };
}

export function devicesHandlers(ctx: AppContext): NamespaceHandlers<'devices'> {
  return {
    'devices.get': async () => ({ ...ctx.deviceConfig(), ports: await listSerialPaths() }),
    'devices.configure': async (devices) => {
      const r = ctx.live();
      const before = ctx.deviceConfig();
      const { cfg } = ctx;
      // Settings this call does not carry (serial lines, the receipt printer's) stay as they are.
      cfg.devices = { ...cfg.devices, ...devices, receiptPrinter: cfg.devices?.receiptPrinter ?? '', receiptLayout: cfg.devices?.receiptLayout ?? 'a4' };
      writeConfig(ctx.layout, cfg);
      appendAudit(r.db, { action: 'device.change', entity: 'devices', actor: r.session.actor(), before, after: devices, at: ctx.clock.now() });
      ctx.log.info({ devices }, 'device settings changed');
      await ctx.restartDevices();
      return { ...ctx.deviceConfig(), ports: await listSerialPaths() };
    },
    'devices.serial': async ({ device, baudRate, flowControl }) => {
      const r = ctx.live();
      const { cfg } = ctx;
      const current = cfg.devices ?? {
        reader: '',
        printer: '',
        paperWidth: 80 as const,
        printerType: 'epson' as const,
        printerFont: 'gbk' as const,
        receiptPrinter: '',
        receiptLayout: 'a4' as const,
      };
      const key = device === 'reader' ? 'readerSerial' : 'printerSerial';
      const before = ctx.deviceConfig()[key];
      cfg.devices = { ...current, [key]: { baudRate, flowControl } };
      writeConfig(ctx.layout, cfg);
      appendAudit(r.db, {
        action: 'device.change',
        entity: 'devices',
        actor: r.session.actor(),
        before: { [key]: before },
        after: { [key]: { baudRate, flowControl } },
        at: ctx.clock.now(),
      });
      ctx.log.info({ device, baudRate, flowControl }, 'serial settings changed');
      await ctx.restartDevices();
      return { ...ctx.deviceConfig(), ports: await listSerialPaths() };
    },
    'devices.testPrint': () => ctx.live().devices.testPrint(ctx.clock.now().toISOString()),
  };
}

const demoCardLabels: Record<DemoCardCase, string> = {
  normal: '本年未缴（常规）',
  new_registration: '新参保未满7天',
  turning_60: '本年满60周岁',
  back_pay: '往年有欠缴（补缴）',
  paid_this_year: '本年已在银行缴费',
  dibao: '低保对象（政府代缴）',
  rare_name: '姓名含生僻字',
  receiving: '已领取待遇',
  employee_scheme: '已参加职工养老保险',
};

export function trainingHandlers(ctx: AppContext): NamespaceHandlers<'training'> {
  return {
    'training.cards': (): TrainingCardView[] =>
      ctx
        .trainingOnly()
        .demoCards.map((c, index) => ({ index, label: demoCardLabels[c.case], name: c.card.name, idNumberMasked: maskIdNumber(c.card.idNumber) })),
    'training.exchangeSlips': () => trainingExchangeSlips(ctx.trainingOnly().db),
    'training.placeCard': async ({ index }) => {
      const r = ctx.trainingOnly();
      const c = r.demoCards[index];
      if (!c) throw new AppError('NOT_FOUND', '没有这张演示身份证');
      await r.devices.placeCard(c.card, index + 1);
      return {};
    },
    'training.removeCard': () => {
      ctx.trainingOnly().devices.removeCard();
      return {};
    },
    'training.lastSlip': () => {
      const slip = ctx.trainingOnly().devices.lastPrintedSlip();
      if (!slip) return null;
      // A raster line (a character beyond the printer's font) cannot be shown as text: the preview
      // says where one was printed, as the paper has it there.
      const lines = slip.items.flatMap((i) =>
        i.type === 'line'
          ? [{ text: i.text, align: i.align, bold: i.bold, widthMul: i.widthMul }]
          : i.type === 'raster'
            ? [{ text: '〔此行含打印机字库外的字，按图像打印〕', align: 'left' as const, bold: false, widthMul: 1 }]
            : [],
      );
      return { lines, qr: slip.qr, cuts: slip.cuts };
    },
    'training.printerFault': ({ paperOut, coverOpen, online }) => {
      const sim = ctx.trainingOnly().devices.printerSim;
      if (sim) Object.assign(sim.state, { paperOut, coverOpen, online });
      return {};
    },
  };
}
