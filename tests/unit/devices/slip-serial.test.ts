// Issue 16, finding 5: the slip's 流水号 date is the hall's date, as its time line is.
import { describe, expect, it } from 'vitest';
import { slipSerial } from '../../../electron/services/counter/devices';
import { hallTime } from '../../../shared/domain/time';

describe('slip serial number', () => {
  it('07:30 in Shanghai is the next day of its UTC instant: the serial says the hall date', () => {
    const paid = '2026-06-15T23:30:00.000Z';
    expect(hallTime(paid, 'Asia/Shanghai')).toBe('2026-06-16 07:30');
    expect(slipSerial(paid, 42, 'Asia/Shanghai')).toBe('20260616-000042');
  });

  it('the same instant in a hall on UTC keeps the UTC date', () => {
    expect(slipSerial('2026-06-15T23:30:00.000Z', 42, 'UTC')).toBe('20260615-000042');
  });

  it('New Year: a payment at 00:10 on 1 January in the hall belongs to the new year', () => {
    expect(slipSerial('2026-12-31T16:10:00.000Z', 7, 'Asia/Shanghai')).toBe('20270101-000007');
  });
});
