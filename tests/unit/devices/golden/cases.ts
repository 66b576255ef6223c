// The slips the golden test compares: the same data through the hand-written builder (recorded in
// slips-before-library.json) and through node-thermal-printer must print the same.
import { buildDaySummaryModel, type DaySummary } from '../../../../electron/services/dayclose';
import type * as Slips from '../../../../electron/devices/printer/slips';

type SlipsModule = Pick<typeof Slips, 'paymentSlip' | 'exchangeRecord' | 'daySummary'>;

const payment: Slips.PaymentSlipData = {
  hallName: '湘阴县税务局第一税务分局办税服务厅',
  counter: '3号窗口',
  slipNo: 'XY20240601-0007',
  payerName: '李秀英',
  idNumber: '430624197503080026',
  lines: [
    { year: 2024, tierFen: 30000, amountFen: 30000 },
    { year: 2023, tierFen: 50000, amountFen: 50000, backPay: true },
    { year: 0, tierFen: 300000, amountFen: 900000, lumpSumYears: 3 },
  ],
  totalFen: 980000,
  paymentMethod: '现金',
  cash: { tenderedFen: 1000000, changeFen: 20000 },
  operator: '王小明',
  paidAt: '2024-06-01T02:23:45Z',
  timeZone: 'Asia/Shanghai',
};

export const exchange: Slips.ExchangeRecordData = {
  hallName: '湘阴县办税服务厅',
  counter: '1号窗口',
  recordNo: 'HK-20240602-001',
  payerName: '欧阳建国',
  idNumber: '430624196611300031',
  proof: { kind: '银行POS小票', channel: '银行POS', reference: 'POS88120031', paidOn: '2024-05-30' },
  receipt: { series: '(2024)湘税现', number: '00012345' },
  lines: [{ year: 2024, tierFen: 100000, amountFen: 100000 }],
  totalFen: 100000,
  operator: '王小明',
  at: '2024-06-02T01:00:00Z',
  timeZone: 'Asia/Shanghai',
};

const summary: DaySummary = {
  businessDate: '2024-06-01',
  operatorId: 1,
  payments: {
    transactions: 3,
    count: 4,
    amountFen: 290_000,
    subsidyFen: 12_000,
    governmentPaidFen: 0,
    current: { count: 4, amountFen: 290_000 },
    backPayment: { count: 0, amountFen: 0 },
    byYear: [{ year: 2024, backPayment: false, count: 4, amountFen: 290_000, subsidyFen: 12_000, governmentPaidFen: 0 }],
    byTier: [
      { tierFen: 30_000, count: 3, amountFen: 90_000 },
      { tierFen: 200_000, count: 1, amountFen: 200_000 },
    ],
    byYearTier: [],
    byMethod: [
      { method: 'cash', transactions: 2, count: 2, amountFen: 60_000 },
      { method: 'bank_card', transactions: 1, count: 2, amountFen: 230_000 },
    ],
  },
  byCounter: [],
  exchanges: { count: 1, amountFen: 30_000, byChannel: [{ channel: 'bank_counter', count: 1, amountFen: 30_000 }] },
  receipts: {
    used: 6,
    issued: 5,
    voided: 1,
    reissued: 0,
    issuedFen: { counter: 290_000, exchange: 30_000, reissue: 0 },
    ranges: [{ series: 'XY', firstSerial: 12345, lastSerial: 12350, firstNumber: 'XY00012345', lastNumber: 'XY00012350', count: 6 }],
    voidedList: [{ number: 'XY00012347', kind: 'counter', totalFen: 30_000, reason: '打印错位', voidedAt: '2024-06-01T02:00:00Z', replacedBy: 'XY00012348' }],
    reissuedList: [],
  },
  waiting: [{ number: 'XY00012350', payerName: '李秀英', totalFen: 30_000, status: 'printed', businessDate: '2024-06-01' }],
  cash: { expectedFen: 60_000, tenderedFen: 70_000, changeFen: 10_000 },
};
/** A closed day with a void, a 换开 and a waiting receipt, approved by a supervisor. */
export const model = buildDaySummaryModel(
  summary,
  { taxOffice: '国家税务总局湘阴县税务局', hallName: '湘阴县办税服务厅', operator: '王小明（wxm）', counter: '3号窗口', training: false },
  {
    number: 'RJ000007',
    closedAt: '2024-06-01T09:00:00Z',
    closedBy: '王小明（wxm）',
    cashCountedFen: 60_000,
    cashDifferenceFen: 0,
    waitingApprovedBy: '赵主任（super）',
  },
);

export const goldenCases: { name: string; build: (m: SlipsModule) => Buffer }[] = ([58, 80] as const).flatMap((width) => [
  { name: `payment-${width}`, build: (m: SlipsModule) => m.paymentSlip(payment, { width }) },
  {
    name: `payment-reprint-training-${width}`,
    build: (m: SlipsModule) => m.paymentSlip({ ...payment, reprint: 2, cash: undefined, paymentMethod: '扫码支付' }, { width, training: true }),
  },
  { name: `exchange-${width}`, build: (m: SlipsModule) => m.exchangeRecord({ ...exchange, reissue: width === 58 }, { width }) },
  { name: `day-summary-${width}`, build: (m: SlipsModule) => m.daySummary({ model, printedAt: '2024-06-01T09:30:00Z', timeZone: 'Asia/Shanghai' }, { width }) },
]);
