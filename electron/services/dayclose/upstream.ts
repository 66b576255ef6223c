// Comparing a day close with the upstream's day totals: line by line, every key present on
// either side; a line is listed when its count or amount differs (or one side lacks it).
import { paymentMethodLabels, type PaymentMethod } from '../../../shared/api/views';
import { formatYuan } from '../../../shared/domain/money';
import type { ExchangeChannel, UpstreamDayTotals } from '../../sync/protocol';
import type { CountAmount, DayCloseRecord, MismatchLine, MismatchSection } from './types';

const channelNames: Record<ExchangeChannel, string> = { bank_pos: '银行POS', bank_counter: '银行柜面', mobile_app: '手机App' };

function compareSection(
  out: MismatchLine[],
  section: MismatchSection,
  local: Map<string, CountAmount>,
  upstream: Map<string, CountAmount>,
  label: (key: string) => string,
): void {
  const keys = [...new Set([...local.keys(), ...upstream.keys()])].sort();
  for (const key of keys) {
    const l = local.get(key) ?? null;
    const u = upstream.get(key) ?? null;
    if (l && u && l.count === u.count && l.amountFen === u.amountFen) continue;
    // A line with nothing in it on one side and missing on the other is no difference.
    if ((l === null || (l.count === 0 && l.amountFen === 0)) && (u === null || (u.count === 0 && u.amountFen === 0))) continue;
    out.push({
      section,
      key,
      label: label(key),
      local: l,
      upstream: u,
      countDiff: (l?.count ?? 0) - (u?.count ?? 0),
      amountDiffFen: (l?.amountFen ?? 0) - (u?.amountFen ?? 0),
    });
  }
}

function sumInto<T extends CountAmount>(rows: readonly T[], key: (r: T) => string): Map<string, CountAmount> {
  const m = new Map<string, CountAmount>();
  for (const r of rows) {
    const k = key(r);
    const prev = m.get(k) ?? { count: 0, amountFen: 0 };
    m.set(k, { count: prev.count + r.count, amountFen: prev.amountFen + r.amountFen });
  }
  return m;
}

/**
 * Lists every line where the close and the upstream disagree: day totals, by year (current /
 * 补缴), by tier, by payment method, exchanges by channel and receipt counts (the last two only
 * when the upstream reports them). Empty: the day matches.
 */
export function compareWithUpstream(record: DayCloseRecord, upstream: UpstreamDayTotals): MismatchLine[] {
  const out: MismatchLine[] = [];
  const s = record.summary;
  if (upstream.businessDate !== record.businessDate || upstream.operatorUsername !== record.operator.username) {
    out.push({
      section: 'date',
      key: `${upstream.businessDate}|${upstream.operatorUsername}`,
      label: `上游汇总为 ${upstream.businessDate} ${upstream.operatorUsername}，本日结为 ${record.businessDate} ${record.operator.username}`,
      local: null,
      upstream: null,
      countDiff: 0,
      amountDiffFen: 0,
    });
  }
  compareSection(
    out,
    'total',
    new Map([['all', { count: s.payments.count, amountFen: s.payments.amountFen }]]),
    new Map([['all', upstream.totals]]),
    () => '合计',
  );
  const yearKey = (r: { year: number; backPayment: boolean }) => `${r.year}|${r.backPayment ? 'back' : 'current'}`;
  compareSection(out, 'year', sumInto(s.payments.byYear, yearKey), sumInto(upstream.byYear, yearKey), (k) => {
    const [y, kind] = k.split('|');
    return `${y}年度${kind === 'back' ? '（补缴）' : '（当年）'}`;
  });
  compareSection(
    out,
    'tier',
    sumInto(s.payments.byTier, (r) => String(r.tierFen)),
    sumInto(upstream.byTier, (r) => String(r.tierFen)),
    (k) => `档次 ${formatYuan(Number(k))} 元`,
  );
  compareSection(
    out,
    'method',
    sumInto(s.payments.byMethod, (r) => r.method),
    sumInto(upstream.byMethod, (r) => r.method),
    (k) => `缴费方式 ${paymentMethodLabels[k as PaymentMethod] ?? k}`,
  );
  if (upstream.exchangesByChannel) {
    compareSection(
      out,
      'exchange',
      sumInto(s.exchanges.byChannel, (r) => r.channel),
      sumInto(upstream.exchangesByChannel, (r) => r.channel),
      (k) => `换开 ${channelNames[k as ExchangeChannel] ?? k}`,
    );
  }
  if (upstream.receipts) {
    const local = new Map([
      ['issued', { count: s.receipts.issued, amountFen: 0 }],
      ['voided', { count: s.receipts.voided, amountFen: 0 }],
    ]);
    const up = new Map([
      ['issued', { count: upstream.receipts.issued, amountFen: 0 }],
      ['voided', { count: upstream.receipts.voided, amountFen: 0 }],
    ]);
    compareSection(out, 'receipts', local, up, (k) => (k === 'issued' ? '缴款书 已开具份数' : '缴款书 作废份数'));
  }
  return out;
}
