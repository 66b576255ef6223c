// The overlay offsets of the formal-receipt printer, set on the IT screen through the typed API:
// validated in main, stored per printer, used by the calibration frame.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices, type AppServices } from '../../../electron/services/app';
import { fixedStartClock } from '../../../electron/platform/clock';
import type { Envelope } from '../../../shared/api/errors';
import type { PrintingView, SpoolJobView } from '../../../shared/api/views';
import { repoRoot, tempDir, TEST_CLOCK } from '../../helpers/serve';

process.env.PENSION_COUNTER_ROOT ??= repoRoot;

describe('printing.calibrate', () => {
  let app: AppServices;
  const send = (method: string, input: unknown = {}) => app.dispatch(method, input, { transport: 'direct' }) as Promise<Envelope<unknown>>;
  const call = async <T>(method: string, input: unknown = {}): Promise<T> => {
    const r = await send(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const signIn = async (username: string, password: string) => {
    await send('session.signOut');
    await call('session.signIn', { username, password, counterNo: 1 });
  };

  beforeAll(async () => {
    app = createAppServices({ dataDir: tempDir('calibration'), demoPayers: 200, clock: fixedStartClock(new Date(TEST_CLOCK)) });
    await app.ready;
    await signIn('admin', '0000');
    await call('printing.configure', { receiptPrinter: 'simulated', receiptLayout: 'overlay' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('stores the offsets for the chosen printer and shows them back, rounded to 0.1 mm', async () => {
    const v = await call<PrintingView>('printing.calibrate', { xMm: 2.54, yMm: -1.5 });
    expect(v.calibration).toEqual({ xMm: 2.5, yMm: -1.5 });
    expect((await call<PrintingView>('printing.get')).calibration).toEqual({ xMm: 2.5, yMm: -1.5 });
  });

  it('keeps them per printer', async () => {
    await call('printing.configure', { receiptPrinter: 'OKI-5860SP', receiptLayout: 'overlay' });
    expect((await call<PrintingView>('printing.get')).calibration).toEqual({ xMm: 0, yMm: 0 });
    await call('printing.configure', { receiptPrinter: 'simulated', receiptLayout: 'overlay' });
    expect((await call<PrintingView>('printing.get')).calibration).toEqual({ xMm: 2.5, yMm: -1.5 });
  });

  it('refuses offsets beyond ±30 mm, non-numbers and extra fields, in the clerk’s words', async () => {
    for (const input of [
      { xMm: 31, yMm: 0 },
      { xMm: 0, yMm: -30.5 },
      { xMm: '2', yMm: 0 },
      { xMm: 1, yMm: 1, printer: 'x' },
    ]) {
      const r = await send('printing.calibrate', input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('VALIDATION');
    }
    const r = await send('printing.calibrate', { xMm: 31, yMm: 0 });
    expect(!r.ok && r.error.message).toContain('校准偏移应在 -30 到 30 毫米之间');
    expect((await call<PrintingView>('printing.get')).calibration).toEqual({ xMm: 2.5, yMm: -1.5 });
  });

  it('is for IT staff only', async () => {
    await signIn('super', '5678');
    const r = await send('printing.calibrate', { xMm: 1, yMm: 1 });
    expect(r.ok).toBe(false);
    await signIn('admin', '0000');
  });

  it('the calibration frame prints on plain paper with the stored offsets', async () => {
    const job = await call<SpoolJobView>('printing.calibrationFrame');
    expect(job.document).toBe('calibration');
    expect(job.state === 'sent' || job.state === 'completed').toBe(true);
  });
});
