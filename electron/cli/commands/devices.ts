// `pension-counter devices …`: try the ID card reader and the receipt printer from a terminal,
// and run the simulators on a serial line (a pty from socat) to rehearse without hardware.
import type { Command } from 'commander';
import type { SerialPort } from 'serialport';
import { maskIdNumber } from '../../../shared/domain/id-number';
import { READER_BAUD_RATE, detectReaderPort } from '../../devices/idcard/detect';
import { ReaderError, Sw3 } from '../../devices/idcard/protocol';
import { SamReader } from '../../devices/idcard/reader';
import { testPage } from '../../devices/printer/slips';
import { openPrinter, printJob } from '../../devices/printer/transport';
import { sampleCards } from '../../devices/sim/cards';
import { PrinterSimulator } from '../../devices/sim/printer-sim';
import { ReaderSimulator } from '../../devices/sim/reader-sim';
import { FLOW_CONTROLS, closeSerial, listPorts, openSerial, type FlowControl } from '../../devices/serial';
import { pacedLine } from '../../devices/sim/paced';
import { dataDirLayout, defaultDataDir, readConfig } from '../../platform/config';
import { CliError } from '../errors';
import { parseIntOption } from '../options';

const TRANSIENT = new Set<number>([Sw3.findFailed, Sw3.selectFailed, Sw3.readFailed, Sw3.cardAuthFailed, Sw3.randomFailed]);

const out = (s: string): void => void process.stdout.write(s);

async function open(path: string, baudRate: number): Promise<SerialPort> {
  try {
    return await openSerial(path, baudRate);
  } catch (e) {
    throw new CliError(`无法打开端口 ${path}：${e instanceof Error ? e.message : String(e)}`, 2);
  }
}

/** The slip printer's port in the counter's configuration, if any (a broken config counts as none). */
function configuredPrinter(dataDir: string): string | null {
  try {
    return readConfig(dataDirLayout(dataDir))?.devices?.printer || null;
  } catch {
    return null;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves on SIGINT/SIGTERM, or at once when `untilMs` is given and has passed (tests). */
function runUntilStopped(untilMs?: number): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (untilMs !== undefined) setTimeout(stop, untilMs);
  });
}

export function registerDevicesCommands(program: Command): void {
  const devices = program.command('devices').description('身份证读卡器与小票打印机');

  devices
    .command('list')
    .description('列出系统中的串口；加 --probe 时向各端口发读卡器状态命令，指出哪个连着读卡器')
    .option('--candidate <path...>', '另外要试的端口（如模拟器的 pty）')
    .option('--probe', '向端口发送读卡器命令以找出读卡器（不会碰已配置为打印机的端口）')
    .option('--data-dir <dir>', '数据目录（读取已配置的打印机端口）', defaultDataDir())
    .option('--dev-root <dir>', '扫描设备节点的目录（系统列表不可用时）', '/dev')
    .action(async (opts: { candidate?: string[]; probe?: boolean; dataDir: string; devRoot: string }) => {
      const { paths, listProblem } = await listPorts({ devRoot: opts.devRoot });
      if (listProblem) {
        out(`注意：无法取得系统的串口列表（${listProblem}），以下为扫描 ${opts.devRoot} 所得\n`);
      }
      for (const p of paths) out(`${p}\n`);
      if (paths.length === 0) out(listProblem ? `（扫描 ${opts.devRoot} 未找到串口或 USB 打印机）\n` : '（系统未列出串口）\n');
      if (opts.probe) {
        // A serial printer prints whatever it is sent: reader commands never go to it.
        const printer = configuredPrinter(opts.dataDir);
        const candidates = [...new Set([...(opts.candidate ?? []), ...paths])].filter((p) => p !== printer && !/\/usb\/lp\d+$/.test(p));
        if (printer && paths.concat(opts.candidate ?? []).includes(printer)) out(`跳过已配置为打印机的端口：${printer}\n`);
        const reader = await detectReaderPort({ candidates, includeListed: false });
        out(reader ? `读卡器：${reader}\n` : '未找到读卡器\n');
      }
      if (listProblem && paths.length === 0) throw new CliError(`无法列出串口：${listProblem}`, 2);
    });

  devices
    .command('read-card')
    .description('等待放卡并读取身份证，以 JSON 输出（证件号码默认打码）')
    .requiredOption('--port <path>', '读卡器端口（如 /dev/ttyUSB0、COM3），auto 为自动查找')
    .option('--reveal', '输出完整证件号码（仅限排查问题时使用）')
    .option('--wait <seconds>', '等待放卡的秒数', (v) => parseIntOption(v, '--wait', 0, 600), 10)
    .action(async (opts: { port: string; reveal?: boolean; wait: number }) => {
      let path = opts.port;
      if (path === 'auto') {
        const found = await detectReaderPort();
        if (!found) throw new CliError('未找到身份证读卡器，请检查连接或用 --port 指定端口', 2);
        path = found;
      }
      const port = await open(path, READER_BAUD_RATE);
      const reader = new SamReader(port);
      try {
        try {
          await reader.status();
        } catch (e) {
          throw new CliError(`端口 ${path} 上的读卡器没有正常应答：${e instanceof Error ? e.message : String(e)}`, 2);
        }
        const deadline = Date.now() + opts.wait * 1000;
        for (;;) {
          try {
            const { card, photo } = await reader.readCard();
            const shown = {
              ...card,
              idNumber: opts.reveal ? card.idNumber : maskIdNumber(card.idNumber),
              ...(card.permitNumber !== undefined && !opts.reveal ? { permitNumber: maskIdNumber(card.permitNumber) } : {}),
              photoBytes: photo.length,
            };
            out(JSON.stringify(shown, null, 2) + '\n');
            return;
          } catch (e) {
            if (!(e instanceof ReaderError)) throw e;
            // No card yet, or a card still being laid down: try again until the wait is over.
            const transient = e.sw3 !== undefined && TRANSIENT.has(e.sw3);
            if (!transient) throw new CliError(e.message, 3);
            if (Date.now() >= deadline) throw new CliError(`等待 ${opts.wait} 秒未读到证件：${e.message}`, 3);
            await sleep(200);
          }
        }
      } finally {
        reader.detach();
        await closeSerial(port);
      }
    });

  devices
    .command('print-test')
    .description('打印测试页：检查中文、列宽、二维码和切纸')
    .requiredOption('--port <target>', '打印机：串口路径、/dev/usb/lp0，或 host:9100')
    .option('--width <mm>', '纸宽 58 或 80', '58')
    .option('--baud <rate>', '串口波特率', (v) => parseIntOption(v, '--baud', 1200, 921600), 9600)
    .option('--flow <mode>', '串口流控：none、rtscts（硬件）、xonxoff（软件）', 'none')
    .option('--time-zone <tz>', '办税服务厅时区', 'Asia/Shanghai')
    .option('--training', '按培训样张打印')
    .option('--type <type>', '打印机指令集：epson（ESC/POS，佳博、芯烨等）或 star', 'epson')
    .option('--font <font>', '打印机汉字字库：gbk 或 gb18030', 'gbk')
    .action(async (opts: { port: string; width: string; baud: number; flow: string; timeZone: string; training?: boolean; type: string; font: string }) => {
      if (!(FLOW_CONTROLS as readonly string[]).includes(opts.flow)) throw new CliError(`--flow 只能是 ${FLOW_CONTROLS.join('、')}，收到 "${opts.flow}"`, 2);
      if (opts.width !== '58' && opts.width !== '80') throw new CliError(`--width 只能是 58 或 80，收到 "${opts.width}"`, 2);
      if (opts.type !== 'epson' && opts.type !== 'star') throw new CliError(`--type 只能是 epson 或 star，收到 "${opts.type}"`, 2);
      if (opts.font !== 'gbk' && opts.font !== 'gb18030') throw new CliError(`--font 只能是 gbk 或 gb18030，收到 "${opts.font}"`, 2);
      const printer = { printerType: opts.type, printerFont: opts.font } as const;
      const width = opts.width === '58' ? 58 : 80;
      let transport;
      try {
        transport = await openPrinter(opts.port, { baudRate: opts.baud, flowControl: opts.flow as FlowControl });
      } catch (e) {
        throw new CliError(`无法连接打印机 ${opts.port}：${e instanceof Error ? e.message : String(e)}`, 2);
      }
      try {
        const bytes = testPage({ printer: transport.description, at: new Date(), timeZone: opts.timeZone }, { width, training: opts.training, ...printer });
        const r = await printJob(transport, bytes);
        if (!r.ok) throw new CliError(r.message, 3);
        out(`已打印测试页（${width}mm，${bytes.length} 字节）：${r.message}\n`);
      } finally {
        await transport.close();
      }
    });

  devices
    .command('sim-reader')
    .description('在串口（如 socat 的 pty）上模拟身份证读卡器，直到 Ctrl+C')
    .requiredOption('--port <path>', '模拟器一端的端口')
    .option('--card <name>', `放在读卡器上的样例证件：${Object.keys(sampleCards).join('、')}，none 为不放卡`, 'resident')
    .option('--sam <state>', 'SAM 状态：ok、not_authorised、self_test_failed', 'ok')
    .option('--for <ms>', '运行指定毫秒后退出', (v) => parseIntOption(v, '--for', 1, 86_400_000))
    .action(async (opts: { port: string; card: string; sam: string; for?: number }) => {
      const card = opts.card === 'none' ? null : sampleCards[opts.card as keyof typeof sampleCards];
      if (card === undefined) throw new CliError(`没有名为 "${opts.card}" 的样例证件`, 2);
      if (!['ok', 'not_authorised', 'self_test_failed'].includes(opts.sam)) throw new CliError(`未知的 SAM 状态 "${opts.sam}"`, 2);
      const port = await open(opts.port, READER_BAUD_RATE);
      const sim = new ReaderSimulator(port, { sam: opts.sam as 'ok' });
      if (card) sim.place(card);
      out(`模拟读卡器已在 ${opts.port} 上运行${card ? `，证件：${card.card.name}` : '，未放卡'}\n`);
      await runUntilStopped(opts.for);
      sim.detach();
      await closeSerial(port);
    });

  devices
    .command('sim-printer')
    .description('在串口上模拟小票打印机，把收到的小票按文字输出，直到 Ctrl+C')
    .requiredOption('--port <path>', '模拟器一端的端口')
    .option('--baud <rate>', '串口波特率', (v) => parseIntOption(v, '--baud', 1200, 921600), 9600)
    .option('--paper-out', '模拟缺纸')
    .option('--cover-open', '模拟上盖打开')
    .option('--near-end', '模拟纸将用尽')
    .option('--paced', '按波特率的实际速度接收（pty 本身不限速），如同真实串口')
    .option('--for <ms>', '运行指定毫秒后退出', (v) => parseIntOption(v, '--for', 1, 86_400_000))
    .action(async (opts: { port: string; baud: number; paperOut?: boolean; coverOpen?: boolean; nearEnd?: boolean; paced?: boolean; for?: number }) => {
      const port = await open(opts.port, opts.baud);
      const line = opts.paced ? pacedLine(port, opts.baud) : port;
      const sim = new PrinterSimulator(line, { paperOut: !!opts.paperOut, coverOpen: !!opts.coverOpen, paperNearEnd: !!opts.nearEnd });
      sim.on('slip', (slip) => {
        out(`----- 小票（${slip.lines.length} 行，二维码 ${slip.qr.join(', ') || '无'}）-----\n`);
        for (const l of slip.lines) out(`${l}\n`);
        for (const p of slip.problems) out(`! ${p}\n`);
      });
      out(`模拟打印机已在 ${opts.port} 上运行\n`);
      await runUntilStopped(opts.for);
      sim.detach();
      await closeSerial(port);
    });
}
