// `pension-counter printers list / frame` against the test CUPS: the queue is listed, the
// calibration frame goes through the spooler path and comes out at the receipt's page size, and
// a stopped queue is reported as 打印失败 with the reason (non-zero exit through CliError).
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerPrintersCommands } from '../../../electron/cli/commands/printers';
import { CliError } from '../../../electron/cli/errors';
import { tempDir } from '../../helpers/serve';
import { pageSize, testCups, type Cups } from './cups';
import fs from 'node:fs';

const cups = testCups();
const skip = 'skip' in cups ? cups.skip : null;
if (skip && process.env.CI) throw new Error(`CI must run the CUPS print tests: ${skip}`);

describe.skipIf(skip !== null)('pension-counter printers', () => {
  const c = cups as Cups;
  const dir = tempDir('printers-cli');
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  afterAll(() => {
    write.mockRestore();
    c.stop();
  });
  const cli = async (...args: string[]) => {
    out = '';
    const program = new Command('pension-counter').exitOverride();
    registerPrintersCommands(program);
    await program.parseAsync(['node', 'pension-counter', 'printers', ...args, '--data-dir', dir]);
    return out;
  };

  it('lists the CUPS queue', async () => {
    expect(await cli('list')).toContain(c.queue);
  });

  it('prints the calibration frame on the form size and waits for 打印完成', async () => {
    const before = new Set(fs.readdirSync(c.out));
    const text = await cli('frame', '--printer', c.queue, '--layout', 'overlay');
    expect(text).toContain('已送打印');
    expect(text).toContain('打印完成');
    const made = fs.readdirSync(c.out).filter((f) => !before.has(f));
    expect(made).toHaveLength(1);
    const size = pageSize(path.join(c.out, made[0]!));
    expect(Math.abs(size.w - 683.15)).toBeLessThan(1);
    expect(Math.abs(size.h - 396.85)).toBeLessThan(1);
  }, 60_000);

  it('a stopped queue: 打印失败 with the queue’s reason', async () => {
    c.admin('cupsdisable', '-r', '更换色带');
    try {
      const error = await cli('frame', '--printer', c.queue).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CliError);
      expect((error as Error).message).toContain('打印失败');
      expect((error as Error).message).toContain('更换色带');
    } finally {
      c.admin('cupsenable');
    }
  }, 60_000);
});
