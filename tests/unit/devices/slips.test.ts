import { describe, expect, it } from 'vitest';
import { decodeEscPos, type DecodedLine } from '../../../electron/devices/printer/decoder';
import { EscPosBuilder, displayWidth } from '../../../electron/devices/printer/escpos';
import { hallTime, leftRight, yuan } from '../../../electron/devices/printer/layout';
import { daySummary, exchangeRecord, paymentSlip, testPage, type PaymentSlipData } from '../../../electron/devices/printer/slips';
import { exchange, model } from './golden/cases';

const ID = '430624197503080026';
const payment: PaymentSlipData = {
  hallName: '湘阴县税务局第一税务分局办税服务厅',
  counter: '3号窗口',
  slipNo: 'XY20240601-0007',
  payerName: '李秀英',
  idNumber: ID,
  lines: [
    { year: 2024, tierFen: 30000, amountFen: 30000 },
    { year: 2023, tierFen: 50000, amountFen: 50000, backPay: true },
  ],
  totalFen: 80000,
  paymentMethod: '现金',
  cash: { tenderedFen: 100000, changeFen: 20000 },
  operator: '王小明',
  paidAt: '2024-06-01T02:23:45Z',
  timeZone: 'Asia/Shanghai',
};
const printedLines = (bytes: Buffer): DecodedLine[] => decodeEscPos(bytes).items.filter((i): i is DecodedLine => i.type === 'line');

describe.each([
  [58, 32],
  [80, 48],
] as const)('payment slip on %i mm paper', (width, cols) => {
  const bytes = paymentSlip(payment, { width });
  const slip = decodeEscPos(bytes);

  it('decodes cleanly, ends with one cut, and carries the slip number as QR', () => {
    expect(slip.problems).toEqual([]);
    expect(slip.cuts).toBe(1);
    expect(slip.items[slip.items.length - 1]!.type).toBe('cut');
    expect(slip.qr).toEqual(['XY20240601-0007']);
  });

  it(`keeps every line within ${cols} columns, a Chinese character counting two`, () => {
    for (const l of printedLines(bytes)) expect(l.columns, l.text).toBeLessThanOrEqual(cols);
  });

  it('prints the title large and centred, and the payer with a masked ID number', () => {
    const title = printedLines(bytes).find((l) => l.text === '缴费凭证');
    expect(title).toMatchObject({ align: 'center', widthMul: 2, heightMul: 2, bold: true });
    expect(slip.lines).toContain('缴费人：李秀英');
    expect(slip.lines).toContain('证件号码：430624********0026');
    expect(bytes.includes(Buffer.from(ID))).toBe(false);
    expect(bytes.includes(Buffer.from(ID.slice(6, 14)))).toBe(false);
  });

  it('lists each year with tier and amount flush right, the total, cash and change', () => {
    const right = (label: string, amount: string): string => label + ' '.repeat(cols - displayWidth(label) - displayWidth(amount)) + amount;
    expect(slip.lines).toContain(right('2024年 300元档', '￥300.00'));
    expect(slip.lines).toContain(right('2023年 500元档 补缴', '￥500.00'));
    expect(slip.lines).toContain(right('合计', '￥800.00'));
    expect(slip.lines).toContain(right('缴费方式', '现金'));
    expect(slip.lines).toContain(right('实收', '￥1,000.00'));
    expect(slip.lines).toContain(right('找零', '￥200.00'));
  });

  it('shows operator and the time in the hall time zone', () => {
    expect(slip.lines).toContain('经办人：王小明');
    expect(slip.lines).toContain('时间：2024-06-01 10:23:45');
  });
});

describe('payment slip variants', () => {
  it('marks a reprint and training slips at top and bottom', () => {
    const s = decodeEscPos(paymentSlip({ ...payment, reprint: 2 }, { width: 58, training: true }));
    const text = s.lines.filter((l) => l.trim() !== '');
    expect(text[0]).toContain('培训样张');
    expect(text[text.length - 1]).toContain('培训样张');
    expect(s.lines).toContain('（重打 第2次）');
  });

  it('omits tendered and change for non-cash payments', () => {
    const s = decodeEscPos(paymentSlip({ ...payment, paymentMethod: '扫码支付', cash: undefined }, { width: 80 }));
    expect(s.lines.some((l) => l.startsWith('实收') || l.startsWith('找零'))).toBe(false);
  });

  it('refuses to print a total that does not match its lines', () => {
    expect(() => paymentSlip({ ...payment, totalFen: 70000 }, { width: 58 })).toThrow(/80000/);
  });

  it('wraps a long hall name instead of overflowing', () => {
    const s = printedLines(paymentSlip({ ...payment, hallName: '湘阴县'.repeat(12) }, { width: 58 }));
    expect(s.every((l) => l.columns <= 32)).toBe(true);
    expect(s.map((l) => l.text).join('')).toContain('湘阴县'.repeat(12));
  });
});

describe('bytes on the wire', () => {
  it('sends Chinese as GB18030 inside FS & … FS . and ￥ as full-width A3 A4', () => {
    const bytes = paymentSlip(payment, { width: 58 });
    // 缴费凭证 in GB18030 (GB2312 area): BD C9 B7 D1 C6 BE D6 A4
    expect(bytes.includes(Buffer.from('1c26bdc9b7d1c6bed6a41c2e', 'hex'))).toBe(true);
    expect(bytes.includes(Buffer.from('1c26a3a41c2e', 'hex'))).toBe(true);
    expect(bytes.subarray(0, 2).toString('hex')).toBe('1b40');
    expect(bytes.subarray(-4).toString('hex')).toBe('1d564200');
  });

  it('encodes the QR with GS ( k store and print', () => {
    const b = new EscPosBuilder().qr('AB').bytes();
    expect(b.includes(Buffer.from('1d286b0500315030' + '4142', 'hex'))).toBe(true);
    expect(b.subarray(-8).toString('hex')).toBe('1d286b0300315130');
  });

  it('the decoder flags Chinese bytes sent outside Chinese mode', () => {
    const b = Buffer.concat([Buffer.from('1b40', 'hex'), Buffer.from('bdc9b7d1', 'hex'), Buffer.from('0a', 'hex')]);
    const d = decodeEscPos(b);
    expect(d.problems[0]).toContain('FS &');
    expect(d.lines[0]).not.toContain('缴费');
  });
});

describe('other slips', () => {
  it('exchange record names the proof and the formal receipt number', () => {
    const s = decodeEscPos(exchangeRecord({ ...exchange, at: new Date('2024-06-02T01:00:00Z'), reissue: true }, { width: 58 }));
    expect(s.lines).toContain('补开记录');
    expect(s.lines).toContain('原缴费凭据：银行POS小票');
    const at = s.lines.indexOf('税收缴款书：');
    expect(s.lines[at + 1]).toBe('(2024)湘税现 00012345');
    expect(s.lines).toContain('证件号码：430624********0031');
    expect(s.qr).toEqual(['HK-20240602-001']);
    expect(s.cuts).toBe(1);
  });

  it('day summary prints the one model: every receipt number counted, transactions and years told apart, 换开 and waiting receipts listed', () => {
    const bytes = daySummary({ model, printedAt: '2024-06-01T09:30:00Z', timeZone: 'Asia/Shanghai' }, { width: 80 });
    const joined = decodeEscPos(bytes).lines.join('\n');
    // Long notes wrap at the paper's width.
    const flat = decodeEscPos(bytes).lines.join('');
    expect(flat).toContain('使用 6份：已开具 5份，作废 1份；其中补开 0份。');
    expect(joined).toMatch(/XY00012345–XY00012350 +6份/);
    expect(joined).toMatch(/合计 +3笔 4年次 2,900\.00/);
    expect(joined).toMatch(/2000元档 +1年次 2,000\.00/);
    expect(joined).toMatch(/银行柜面 +1年次 300\.00/);
    expect(joined).toMatch(/应交现金 +600\.00/);
    expect(joined).toMatch(/XY00012347 +300\.00 打印错位 XY00012348/);
    expect(flat).toContain('经值班主任 赵主任（super） 审批，带上列缴款书日结。');
    expect(joined).toMatch(/XY00012350 +李秀英 300\.00 已打印待确认/);
    expect(joined).toMatch(/入库金额合计 +2,900\.00/);
    expect(joined).toContain('贰仟玖佰元整');
    expect(printedLines(bytes).every((l) => l.columns <= 48)).toBe(true);
    // 58 mm paper: nothing runs past the 32 columns.
    expect(printedLines(daySummary({ model, printedAt: '2024-06-01T09:30:00Z', timeZone: 'Asia/Shanghai' }, { width: 58 })).every((l) => l.columns <= 32)).toBe(
      true,
    );
  });

  it.each([58, 80] as const)('test page at %i mm fills exactly one line with the ruler and with Chinese', (width) => {
    const cols = width === 58 ? 32 : 48;
    const lines = printedLines(testPage({ printer: '/dev/ttyUSB0', at: new Date(0), timeZone: 'Asia/Shanghai' }, { width, training: false }));
    const ruler = lines.find((l) => l.text.startsWith('1234567890'))!;
    expect(ruler.columns).toBe(cols);
    const chinese = lines.find((l) => l.text.startsWith('中文中文'))!;
    expect(chinese.columns).toBe(cols);
    expect(lines.find((l) => l.text === '右对齐')?.align).toBe('right');
  });
});

describe('layout helpers', () => {
  it('formats fen as full-width yuan', () => {
    expect([yuan(0), yuan(5), yuan(123456), yuan(-1050)]).toEqual(['￥0.00', '￥0.05', '￥1,234.56', '-￥10.50']);
    expect(() => yuan(1.5)).toThrow();
  });

  it('puts a too-long left part on its own lines and keeps the amount flush right', () => {
    const lines = leftRight('很长的单位名称'.repeat(4), '￥12.00', 32);
    expect(lines.every((l) => displayWidth(l) <= 32)).toBe(true);
    expect(lines[lines.length - 1]!.endsWith('￥12.00')).toBe(true);
    expect(displayWidth(lines[lines.length - 1]!)).toBe(32);
  });

  it('shows instants in the hall time zone across midnight', () => {
    expect(hallTime('2024-06-30T16:05:00Z', 'Asia/Shanghai')).toBe('2024-07-01 00:05:00');
  });
});
