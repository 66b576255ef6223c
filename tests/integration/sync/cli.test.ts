import { Writable } from 'node:stream';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { runSyncCommand, registerSyncCommands } from '../../../electron/cli/commands/sync';
import { CliError } from '../../../electron/cli/errors';
import { openDatabase } from '../../../electron/platform/db/database';
import type { UpstreamSim } from '../../../electron/tools/upstream-sim/server';
import { tempDir } from '../../helpers/serve';
import { compareLedgers, KEY, makeCounter, startSim } from './helpers';

let sim: UpstreamSim | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

const sink = () => {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
};

describe('pension-counter sync / upstream-sim commands', () => {
  it('sync runs one full sync of a data directory and reports it', async () => {
    sim = await startSim(300);
    const counter = await makeCounter();
    counter.db.close();
    const out = sink();
    const outcome = await runSyncCommand({ dataDir: counter.dir, upstream: sim.url, key: KEY }, out.stream, sink().stream);
    expect(outcome.ok).toBe(true);
    expect(out.text()).toContain('接收参保人 300 条');
    expect(out.text()).toContain('同步完成');
    const db = openDatabase(counter.file);
    expect(compareLedgers(db, sim.store).equal).toBe(true);
    db.close();
  });

  it('fails with one clear line and a non-zero code for a missing database, a bad address, a wrong key or no upstream', async () => {
    sim = await startSim(20);
    await expect(runSyncCommand({ dataDir: tempDir('nodb'), upstream: sim.url })).rejects.toThrow(/数据目录中没有数据库/);
    const counter = await makeCounter();
    counter.db.close();
    await expect(runSyncCommand({ dataDir: counter.dir, upstream: 'ftp://x', key: KEY })).rejects.toThrow(/http\(s\)/);
    const wrongKey = runSyncCommand({ dataDir: counter.dir, upstream: sim.url, key: 'nope' }, sink().stream, sink().stream);
    await expect(wrongKey).rejects.toBeInstanceOf(CliError);
    await expect(wrongKey).rejects.toMatchObject({ exitCode: 4, message: expect.stringContaining('HTTP 401') });
    const url = sim.url;
    await sim.close();
    sim = null;
    await expect(runSyncCommand({ dataDir: counter.dir, upstream: url, key: KEY, timeoutMs: 500 }, sink().stream, sink().stream)).rejects.toThrow(
      /无法连接上游/,
    );
  });

  it('registers both commands with their options; a bad --faults list is an operator error', async () => {
    const program = new Command('pension-counter').exitOverride();
    registerSyncCommands(program);
    const names = program.commands.map((c) => c.name());
    expect(names).toEqual(['sync', 'upstream-sim']);
    const sim = program.commands.find((c) => c.name() === 'upstream-sim')!;
    expect(sim.options.map((o) => o.long)).toEqual(expect.arrayContaining(['--port', '--payers', '--seed', '--faults', '--data-dir']));
    const sync = program.commands.find((c) => c.name() === 'sync')!;
    expect(sync.options.map((o) => o.long)).toEqual(expect.arrayContaining(['--data-dir', '--upstream', '--key']));
    await expect(program.parseAsync(['node', 'x', 'upstream-sim', '--faults', 'gremlins=1'])).rejects.toThrow(/未知的故障/);
  });
});
