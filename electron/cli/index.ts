import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { registerAuditCommands } from './commands/audit';
import { registerBenchCommands } from './commands/bench';
import { registerBackupCommands } from './commands/backup';
import { registerDayCloseCommands } from './commands/day-close';
import { registerDbCommands, registerDemoCommands } from './commands/db';
import { registerDevicesCommands } from './commands/devices';
import { registerDoctorCommands } from './commands/doctor';
import { registerOperatorCommands } from './commands/operator';
import { registerPolicyCommands } from './commands/policy';
import { registerPrintersCommands } from './commands/printers';
import { registerReceiptCommands } from './commands/receipt';
import { registerServeCommands } from './commands/serve';
import { registerSetupCommands } from './commands/setup';
import { registerSoakCommands } from './commands/soak';
import { registerSyncCommands } from './commands/sync';
import { CliError, storageErrorLine } from './errors';

/** The `pension-counter` program: every subcommand IT staff can run. */
export function buildProgram(): Command {
  const program = new Command('pension-counter')
    .description('城乡居民基本养老保险费柜台收费系统 — 运维命令')
    .version(version, '-v, --version')
    .showHelpAfterError()
    .exitOverride();
  registerSetupCommands(program);
  registerDoctorCommands(program);
  registerServeCommands(program);
  registerDbCommands(program);
  // Adds backup / restore to the `db` group created just above.
  registerBackupCommands(program);
  registerAuditCommands(program);
  registerOperatorCommands(program);
  registerDemoCommands(program);
  registerPolicyCommands(program);
  registerDevicesCommands(program);
  registerSyncCommands(program);
  registerReceiptCommands(program);
  registerPrintersCommands(program);
  registerBenchCommands(program);
  registerDayCloseCommands(program);
  registerSoakCommands(program);
  return program;
}

/** Runs the CLI and returns the exit code; operator errors print one clear line, no stack. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit with 0; usage errors were already printed by commander.
      return error.exitCode;
    }
    if (error instanceof CliError) {
      process.stderr.write(`pension-counter: ${error.message}\n`);
      return error.exitCode;
    }
    // A disk or database fault is the operator's to fix: one line, no stack (issue 15).
    const storage = storageErrorLine(error);
    if (storage) {
      process.stderr.write(`pension-counter: ${storage}\n`);
      return 3;
    }
    process.stderr.write(`pension-counter: 意外错误：${error instanceof Error ? error.stack : String(error)}\n`);
    return 1;
  }
}
