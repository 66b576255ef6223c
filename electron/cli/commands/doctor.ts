// `pension-counter doctor [--json]`: the health report for IT staff (see services/doctor).
import path from 'node:path';
import type { Command } from 'commander';
import { READER_BAUD_RATE, detectReaderPort } from '../../devices/idcard/detect';
import { SamReader } from '../../devices/idcard/reader';
import { openPrinter } from '../../devices/printer/transport';
import { closeSerial, listSerialPaths, openSerial, type SerialSettings } from '../../devices/serial';
import { systemClock } from '../../platform/clock';
import { dataDirLayout, defaultDataDir } from '../../platform/config';
import { describeHolder, readLockHolder } from '../../platform/instance-lock';
import { formatReport, runDoctor, type PrinterProbe, type ReaderProbe } from '../../services/doctor';
import { openDataDirForReport } from '../data-dir';

export async function probeReader(configured: string, line?: SerialSettings, printer?: string): Promise<ReaderProbe> {
  // The search writes reader commands: never to the slip printer's port, which would print them.
  const listed = configured === 'auto' ? (await listSerialPaths()).filter((p) => p !== printer) : [];
  const port = configured === 'auto' ? await detectReaderPort({ candidates: listed, includeListed: false, ...(line ? { serial: line } : {}) }) : configured;
  if (!port) return { ok: false, message: '没有找到应答的读卡器（auto）' };
  let serial;
  try {
    serial = await openSerial(port, line ?? READER_BAUD_RATE);
  } catch (error) {
    return { ok: false, port, message: `无法打开端口 ${port}：${(error as Error).message}` };
  }
  try {
    const reader = new SamReader(serial, { timeoutMs: 800, retries: 1 });
    await reader.status();
    return { ok: true, port, samId: await reader.samId(), message: '正常' };
  } catch (error) {
    return { ok: false, port, message: `端口 ${port} 上的读卡器没有正常应答：${(error as Error).message}` };
  } finally {
    await closeSerial(serial).catch(() => {});
  }
}

export async function probePrinter(target: string, line?: SerialSettings): Promise<PrinterProbe> {
  let t;
  try {
    t = await openPrinter(target, line ?? {});
  } catch (error) {
    return { ok: false, state: 'offline', message: `无法连接：${(error as Error).message}` };
  }
  try {
    const s = await t.queryStatus(1000);
    if (!s) return { ok: false, state: 'unknown', message: '打印机没有应答状态查询（DLE EOT）' };
    return { ok: s.state === 'ready', state: s.state, message: `状态：${s.message}${s.paperNearEnd && s.state === 'ready' ? '（纸将用完）' : ''}` };
  } finally {
    await t.close().catch(() => {});
  }
}

export function registerDoctorCommands(program: Command): void {
  program
    .command('doctor')
    .description('健康检查：数据库、磁盘、备份、上游与时钟、待上传业务、读卡器、打印机、票证库存、政策表；有需要处理的项时以非零状态退出')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--json', '以 JSON 输出')
    .option('--no-devices', '不检测读卡器与打印机')
    .action(async (opts: { dataDir: string; json?: boolean; devices: boolean }) => {
      const dir = path.resolve(opts.dataDir);
      const { db, config } = openDataDirForReport(dir);
      // A running program holds the serial ports: its own panel shows the devices.
      const holder = readLockHolder(dir);
      const skipDevices = !opts.devices || holder !== null;
      try {
        const report = await runDoctor({
          layout: dataDirLayout(dir),
          config,
          db,
          clock: systemClock,
          probeReader: skipDevices ? undefined : () => probeReader(config.devices!.reader, config.devices!.readerSerial, config.devices!.printer),
          probePrinter: skipDevices ? undefined : () => probePrinter(config.devices!.printer, config.devices!.printerSerial),
        });
        if (holder) {
          for (const l of report.lines) {
            if ((l.id === 'reader' || l.id === 'printer') && l.verdict === 'skip')
              l.detail = `程序正在运行（${describeHolder(holder)}），设备状态见程序的系统管理页`;
          }
        }
        process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
        process.exitCode = report.ok ? 0 : 1;
      } finally {
        db.close();
      }
    });
}
