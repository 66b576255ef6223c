import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createLogger, ResilientFileStream, scrubIdNumbers } from '../../../electron/platform/log';
import { tempDir } from '../../helpers/serve';

describe('log privacy', () => {
  it('masks every ID number in text, keeps other numbers', () => {
    expect(scrubIdNumbers('查询 52012319810314043X 失败，金额 30000')).toBe('查询 520123********043X 失败，金额 30000');
    expect(scrubIdNumbers('a=520123198103140435,b=520123198103140436')).toBe('a=520123********0435,b=520123********0436');
    // Longer digit runs (e.g. a slip number) are not ID numbers.
    expect(scrubIdNumbers('POS 12345678901234567890')).toBe('POS 12345678901234567890');
  });

  it('masks ID numbers typed with spaces, dashes or full-width digits, and keeps dates and short numbers', () => {
    expect(scrubIdNumbers('用户名 520123 19810314 0435 登录失败')).toBe('用户名 520123********0435 登录失败');
    expect(scrubIdNumbers('520123-1981-0314-043X')).toBe('520123********043X');
    expect(scrubIdNumbers('５２０１２３１９８１０３１４０４３５')).toBe('520123********0435');
    expect(scrubIdNumbers('{"username":"5201 2319 8103 1404 35"}')).toBe('{"username":"520123********0435"}');
    // A UUID key whose hex groups hold 18 digits in a row is a key, not a dashed ID number: masking
    // it broke the link from an audit row to its receipt ('receipt-issued-<uuid>').
    for (const key of ['receipt-issued-abcdef01-ab12-1234-1234-12345678ab12', 'e0c1a2b3-9012-3456-7890-123456789abc']) expect(scrubIdNumbers(key)).toBe(key);
    expect(scrubIdNumbers('key abcdef01-ab12-1234-1234-12345678ab12 id 520123-1981-0314-043X')).toBe(
      'key abcdef01-ab12-1234-1234-12345678ab12 id 520123********043X',
    );
    // …but an ID number glued to a UUID-shaped token is still masked.
    expect(scrubIdNumbers('abcdef01-ab12-cdef-abcd-ab5201231981-0314-043X')).not.toContain('1981-0314');
    expect(scrubIdNumbers('deadbeef-dead-beef-dead-beef52012319 8103 1404 35')).not.toContain('8103 1404');
    for (const keep of ['2026-06-15T09:00:00Z', '窗口 1 2 3', '电话 0851-8888-6666', '票号 (2026)示税现00000101']) expect(scrubIdNumbers(keep)).toBe(keep);
  });

  it('writes an owner-only log where ID numbers in messages, fields and errors are masked', () => {
    const dir = tempDir('log');
    const log = createLogger(dir);
    log.info({ idNumber: '520123198103140435', nested: { list: ['52012319810314043X'] } }, 'lookup 520123198103140435');
    log.error({ err: new Error('no payer 520123198103140435') }, 'failed');
    log.flush();
    const file = path.join(dir, 'app.log');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('520123********0435');
    expect(text).not.toMatch(/\d{17}[\dX]/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('survives a full disk: lines go to stderr with one notice, and the file resumes when writable', () => {
    const dir = tempDir('log-full');
    const file = path.join(dir, 'app.log');
    // /dev/full answers every write with ENOSPC, like a disk with no space left.
    fs.symlinkSync('/dev/full', file);
    let now = 0;
    const stream = new ResilientFileStream(file, 1_000, () => now);
    const err: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (err.push(String(c)), true));
    try {
      expect(() => stream.write('{"msg":"one"}\n')).not.toThrow();
      stream.write('{"msg":"two"}\n');
      expect(stream.degraded).toBe(true);
      expect(err.filter((l) => l.includes('日志文件无法写入（ENOSPC）'))).toHaveLength(1);
      expect(err).toContain('{"msg":"two"}\n');
      // Space returns: the file is writable again; after the retry interval lines go back to it.
      fs.unlinkSync(file);
      stream.write('{"msg":"three"}\n');
      expect(fs.existsSync(file)).toBe(false);
      now = 1_500;
      stream.write('{"msg":"four"}\n');
      expect(stream.degraded).toBe(false);
      expect(fs.readFileSync(file, 'utf8')).toBe('{"msg":"four"}\n');
      expect(err.some((l) => l.includes('日志文件恢复写入'))).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('a logger whose file is on a full disk keeps serving calls', () => {
    const dir = tempDir('log-full2');
    fs.symlinkSync('/dev/full', path.join(dir, 'app.log'));
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const log = createLogger(dir);
      expect(() => {
        for (let i = 0; i < 50; i++) log.info({ i }, 'payment recorded');
        log.flush();
      }).not.toThrow();
      expect(spy.mock.calls.some((c) => String(c[0]).includes('"payment recorded"'))).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });
});
