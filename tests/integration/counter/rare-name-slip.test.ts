// A payer whose name has 𠮷 (outside GBK) pays in training mode: the slip the simulated printer
// received prints the name line as an image (the configured font is GBK), never a '?' or a box,
// and the training preview says so.
import crypto from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixedStartClock } from '../../../electron/platform/clock';
import { openDatabase } from '../../../electron/platform/db/database';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import type { SlipPreview } from '../../../shared/api/views';
import { tempDir } from '../../helpers/serve';

let services: AppServices;
let dir: string;
async function call<T>(method: string, input: unknown = {}): Promise<T> {
  const r = await services.dispatch(method, input, { transport: 'ipc' });
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  dir = tempDir('rare-slip');
  services = createAppServices({ dataDir: dir, clock: fixedStartClock(new Date('2026-06-15T01:00:00Z')), demoPayers: 20 });
  await services.ready;
  await call('session.signIn', { username: 'clerk', password: '1234', counterNo: 2 });
});
afterAll(async () => {
  await services.close();
});

it('the 𠮷 name prints as an image line, and no text line carries a ? or a replacement character', async () => {
  const db = openDatabase(path.join(dir, 'counter.sqlite'), { readonly: true });
  const payer = db.prepare("SELECT id, name FROM payers WHERE name LIKE '%𠮷%' LIMIT 1").get() as { id: number; name: string };
  db.close();
  expect(payer.name).toContain('𠮷');
  await call('payment.record', {
    transactionUid: crypto.randomUUID(),
    payerId: payer.id,
    lines: [{ year: 2026, tierFen: 20000 }],
    method: 'cash',
    tenderedFen: null,
  });
  let slip: SlipPreview | null = null;
  for (let i = 0; i < 50 && slip === null; i++) {
    slip = await call<SlipPreview | null>('training.lastSlip');
    if (slip === null) await new Promise((r) => setTimeout(r, 100));
  }
  const lines = slip!.lines.map((l) => l.text);
  expect(lines).toContain('〔此行含打印机字库外的字，按图像打印〕');
  expect(lines.some((l) => l.startsWith('缴费人'))).toBe(false);
  expect(lines.join('\n')).not.toMatch(/[?\ufffd□]/u);
  expect(lines.some((l) => l.startsWith('证件号码：'))).toBe(true);
  expect(slip!.cuts).toBe(1);
});
