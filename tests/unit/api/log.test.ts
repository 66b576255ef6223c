import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubIdNumbers } from '../../../electron/platform/log';
import { tempDir } from '../../helpers/serve';

describe('log privacy', () => {
  it('masks every ID number in text, keeps other numbers', () => {
    expect(scrubIdNumbers('查询 52012319810314043X 失败，金额 30000')).toBe('查询 520123********043X 失败，金额 30000');
    expect(scrubIdNumbers('a=520123198103140435,b=520123198103140436')).toBe('a=520123********0435,b=520123********0436');
    // Longer digit runs (e.g. a slip number) are not ID numbers.
    expect(scrubIdNumbers('POS 12345678901234567890')).toBe('POS 12345678901234567890');
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
});
