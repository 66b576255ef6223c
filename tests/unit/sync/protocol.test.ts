import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../electron/sync/engine';
import { PaymentsPage, PayersPage, PushResponse, WirePayment } from '../../../electron/sync/protocol';
import { parseFaults } from '../../../electron/tools/upstream-sim/faults';
import { idCheckChar } from '../../../shared/domain/id-number';

const id17 = '52012319800101001';
const idNumber = id17 + idCheckChar(id17);
const payment = (seq: number, extra: Partial<Record<string, unknown>> = {}) => ({
  seq,
  upstreamId: `UP${seq}`,
  idNumber,
  year: 2026,
  tierFen: 20000,
  amountFen: 20000,
  subsidyFen: 0,
  governmentPaidFen: 0,
  backPayment: false,
  channel: 'mobile_app',
  channelRef: `A${seq}`,
  localUid: null,
  station: null,
  paidAt: '2026-06-15T02:00:00Z',
  recordedAt: '2026-06-15T02:00:01.123Z',
  ...extra,
});
const page = (items: unknown[], extra: Record<string, unknown> = {}) => ({
  protocol: 1,
  stream: 'payments',
  after: '10',
  items,
  next: '12',
  more: false,
  remaining: 0,
  ...extra,
});

describe('protocol v1 schemas: what the counter accepts from the upstream', () => {
  it('accepts a well-formed page, redeliveries at or before the cursor included', () => {
    expect(PaymentsPage.safeParse(page([payment(11), payment(12), payment(3)])).success).toBe(true);
  });

  it('refuses pages that break the paging rules', () => {
    const bad = [
      page([payment(11)], { next: '9' }), // next before after
      page([payment(13)]), // item beyond next
      page([], { next: '10', more: true }), // more without progress
      page([payment(11)], { next: '0012' }), // cursor not canonical
      page([payment(11)], { protocol: 2 }),
      page([payment(11)], { stream: 'payers' }),
      page(
        Array.from({ length: 1001 }, (_, i) => payment(i + 11)),
        { next: '1011' },
      ),
    ];
    for (const b of bad) expect(PaymentsPage.safeParse(b).success, JSON.stringify(b).slice(0, 80)).toBe(false);
  });

  it('refuses payments with wrong types, fractional fen, a bad ID number or an inconsistent slip', () => {
    expect(WirePayment.safeParse(payment(1)).success).toBe(true);
    for (const extra of [
      { amountFen: '200.00' },
      { amountFen: 200.5 },
      { tierFen: 0 },
      { amountFen: -1 },
      { seq: '1' },
      { idNumber: id17 + (idCheckChar(id17) === '0' ? '1' : '0') },
      { channel: 'counter' }, // counter payments carry no slip number
      { channelRef: null }, // app payments must
      { paidAt: '2026-06-15 10:00:00' },
      { paidAt: '2026-06-15T10:00:00+08:00' },
      { year: 1999 },
    ]) {
      expect(WirePayment.safeParse(payment(1, extra)).success, JSON.stringify(extra)).toBe(false);
    }
    expect(WirePayment.safeParse(payment(1, { channel: 'counter', channelRef: null, localUid: 'u-1', station: 'c1' })).success).toBe(true);
  });

  it('refuses a payers page whose payer has an unknown status or special group', () => {
    const payer = {
      seq: 1,
      idNumber,
      name: '张三',
      gender: 'male',
      birthDate: '1980-01-01',
      town: '城关镇',
      village: '东村',
      address: '东村1号',
      registrationDate: '2014-03-01',
      status: 'active',
      statusSince: '2014-03-01',
      inEmployeeScheme: false,
      specialGroups: [{ code: 'dibao', from: '2019-01-01', to: null }],
      updatedAt: '2026-06-15T00:00:00Z',
    };
    const p = (x: object) => ({ protocol: 1, stream: 'payers', after: '0', items: [{ ...payer, ...x }], next: '1', more: false, remaining: 0 });
    expect(PayersPage.safeParse(p({})).success).toBe(true);
    expect(PayersPage.safeParse(p({ status: 'dead' })).success).toBe(false);
    expect(PayersPage.safeParse(p({ specialGroups: [{ code: 'vip', from: '2019-01-01', to: null }] })).success).toBe(false);
    expect(PayersPage.safeParse(p({ birthDate: '1980-02-30' })).success).toBe(false);
  });

  it('push answers: accepted with upstream ids, or a definitive refusal with a code', () => {
    const ok = {
      protocol: 1,
      idempotencyKey: 'k1',
      replay: false,
      result: { status: 'accepted', receivedAt: '2026-06-15T00:00:00Z', payments: [{ localUid: 'a', upstreamId: 'UP1' }] },
    };
    expect(PushResponse.safeParse(ok).success).toBe(true);
    expect(PushResponse.safeParse({ ...ok, result: { status: 'rejected', code: 'PAYER_NOT_FOUND', message: 'x' } }).success).toBe(true);
    expect(PushResponse.safeParse({ ...ok, result: { status: 'maybe' } }).success).toBe(false);
    expect(PushResponse.safeParse({ ...ok, idempotencyKey: 'has space' }).success).toBe(false);
  });
});

describe('retry backoff', () => {
  it('doubles per failure up to the cap, with half of each delay random', () => {
    const lo = (n: number) => backoffDelay(n, 1000, 60_000, () => 0);
    const hi = (n: number) => backoffDelay(n, 1000, 60_000, () => 0.999999);
    expect([1, 2, 3, 4].map(lo)).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map(hi)).toEqual([1000, 2000, 4000, 8000]);
    expect(lo(30)).toBe(30_000);
    expect(hi(30)).toBe(60_000);
  });
});

describe('--faults list', () => {
  it('parses every fault the simulator knows', () => {
    expect(parseFaults('latency=50-300,5xx=0.1,timeout=0.02,cut=0.05,duplicate=0.2,reorder,malformed=bad_json')).toEqual({
      latencyMs: [50, 300],
      errorRate: 0.1,
      timeoutRate: 0.02,
      cutRate: 0.05,
      duplicateRate: 0.2,
      reorder: true,
      malformed: 'bad_json',
    });
    expect(parseFaults('latency=20')).toEqual({ latencyMs: [20, 20] });
  });

  it('refuses unknown faults and rates outside 0–1, naming what is allowed', () => {
    expect(() => parseFaults('gremlins=1')).toThrow(/未知的故障 "gremlins".*5xx=RATE/);
    expect(() => parseFaults('5xx=1.5')).toThrow(/0–1/);
    expect(() => parseFaults('latency=300-50')).toThrow(/latency/);
    expect(() => parseFaults('malformed=spicy')).toThrow(/bad_json/);
  });
});
