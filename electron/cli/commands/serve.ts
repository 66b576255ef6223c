import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import { createServicesWithFirstRun } from '../../services/first-run';
import { fixedStartClock } from '../../platform/clock';
import { defaultDataDir } from '../../platform/config';
import { startHttpHost } from '../../services/host/http-host';
import { rendererDir } from '../../platform/paths';
import { installedElectronBinary } from '../electron-binary';
import type { InstanceLock } from '../../platform/instance-lock';
import { lockDataDir } from '../data-dir';
import { CliError } from '../errors';
import { parseClock, parseIntOption } from '../options';

interface ServeOptions {
  port: number;
  dataDir: string;
  clock?: Date;
  demoPayers?: number;
  token?: string;
  /** No configuration: show the first-run screen (production builds) instead of training. */
  firstRun?: boolean;
}

/** Runs the browser host until SIGINT/SIGTERM, then closes the database cleanly. */
async function serve(opts: ServeOptions, out: NodeJS.WritableStream): Promise<number> {
  // Taken before the database is opened: a second start is refused with the running one's address.
  const lock = lockDataDir(opts.dataDir, 'serve');
  // Stop requests that arrive while the host is still starting are remembered, not lost.
  let stopRequested = false;
  let onStop: (() => void) | null = null;
  const stop = () => {
    stopRequested = true;
    onStop?.();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    return await serveLocked(
      opts,
      out,
      lock,
      () => stopRequested,
      (fn) => (onStop = fn),
    );
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    lock.release();
  }
}

async function serveLocked(
  opts: ServeOptions,
  out: NodeJS.WritableStream,
  lock: InstanceLock,
  stopRequested: () => boolean,
  whenStopped: (fn: () => void) => void,
): Promise<number> {
  const services = createServicesWithFirstRun({
    askFirstRun: opts.firstRun ?? false,
    dataDir: opts.dataDir,
    clock: opts.clock ? fixedStartClock(opts.clock) : undefined,
    demoPayers: opts.demoPayers,
  });
  let host;
  try {
    host = await startHttpHost({ services, port: opts.port, rendererDir: rendererDir(), token: opts.token });
  } catch (error) {
    await services.close();
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new CliError(`端口 ${opts.port} 已被占用：请换一个端口（--port）`);
    throw new CliError(e.message);
  }
  lock.setAddress(host.url);
  const first = services.info().firstRun ? '【首次启动】' : '';
  out.write(`pension-counter ${services.info().mode === 'training' ? '【培训模式】' : first}浏览器主机已启动\n`);
  out.write(`  数据目录: ${services.layout.dir}\n`);
  out.write(`  打开: ${host.appUrl}\n`);
  out.write(`  客显（缴费人屏幕）: ${host.payerUrl}\n`);
  services.ready.then(
    () => {
      const up = services.info().upgradedFrom;
      if (up) out.write(`  已升级：上次运行的版本 ${up.version}（数据库版本 ${up.schemaVersion}）${up.backup ? `，升级前备份 ${up.backup}` : ''}\n`);
      out.write('  就绪\n');
    },
    (error: unknown) => out.write(`  启动失败: ${error instanceof Error ? error.message : String(error)}\n`),
  );
  await new Promise<void>((resolve) => {
    if (stopRequested()) resolve();
    else whenStopped(resolve);
  });
  await host.close();
  // Seeding may still be running; wait for it to reach a batch boundary before closing.
  await services.ready.catch(() => {});
  await services.close();
  out.write('已停止\n');
  return 0;
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('启动浏览器主机：同一套服务与界面，经 http://127.0.0.1 提供（无 Electron 的机器、演示、端到端测试）')
    .option('--port <n>', '端口 (仅监听 127.0.0.1)', (v) => parseIntOption(v, '--port', 0, 65535), 4780)
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--clock <iso>', '从指定时刻开始计时（培训与测试用），如 2026-06-15T09:00:00+08:00', parseClock)
    .option('--demo-payers <n>', '首次启动时培训县的参保人数', (v) => parseIntOption(v, '--demo-payers', 0, 2_000_000))
    .option('--first-run', '没有配置时先显示首次启动页（建立正式柜台或进入培训），而不是直接进入培训模式')
    .addOption(program.createOption('--token <token>', 'fixed API token (tests)').hideHelp())
    .action(async (opts: ServeOptions) => {
      process.exitCode = await serve({ ...opts, dataDir: path.resolve(opts.dataDir) }, process.stdout);
    });

  program
    .command('start')
    .description('启动桌面程序；未安装 Electron 可执行文件时改为启动浏览器主机')
    .option('--data-dir <dir>', '数据目录', defaultDataDir())
    .option('--port <n>', '浏览器主机端口', (v) => parseIntOption(v, '--port', 0, 65535), 4780)
    .action(async (opts: { dataDir: string; port: number }) => {
      const electron = installedElectronBinary();
      if (electron) {
        const appDir = path.resolve(__dirname, '..', '..');
        const child = spawn(electron, [appDir, `--data-dir=${path.resolve(opts.dataDir)}`], { stdio: 'inherit' });
        // A stop request to this command (npm start, a service manager) stops the app too.
        const forward = (signal: NodeJS.Signals) => child.kill(signal);
        process.on('SIGINT', forward);
        process.on('SIGTERM', forward);
        process.exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
        process.removeListener('SIGINT', forward);
        process.removeListener('SIGTERM', forward);
        return;
      }
      process.stdout.write(
        '未找到 Electron 可执行文件（本机无法下载；联网机器上运行 npx install-electron 安装）。改为启动浏览器主机，用 Chromium 打开下面的地址。\n',
      );
      process.exitCode = await serve({ port: opts.port, dataDir: path.resolve(opts.dataDir) }, process.stdout);
    });
}
