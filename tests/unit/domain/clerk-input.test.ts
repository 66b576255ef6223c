// What a clerk types, read the one way: amounts in yuan (full-width digits, thousands grouping
// only when well formed, "100,50" refused instead of read as 10050 yuan) and ID numbers (full-width,
// spaces and dashes inside, lower-case x); the address printed on the receipt; the hall's time.
import { describe, expect, it } from 'vitest';
import { receiptAddress } from '../../../electron/documents/receipt-document';
import { describeAudit, auditRowView } from '../../../electron/services/trust/audit-describe';
import { validateIdNumberShape } from '../../../shared/api/id-input';
import { normalizeIdInput, validateIdNumber } from '../../../shared/domain/id-number';
import { formatYuan, formatYuanSigned, parseYuanInput } from '../../../shared/domain/money';
import { parseYuanToFen } from '../../../shared/domain/money-input';
import { addDays, ageOn, chineseDate, hallDate, hallTime, hallTimeSeconds } from '../../../shared/domain/time';
import { auditActionLabels, channelLabels, paymentMethodLabels } from '../../../shared/vocab';
import { auditActions } from '../../../electron/services/trust/audit';

describe('parseYuanInput', () => {
  it.each([
    ['500', 50_000],
    ['300.5', 30_050],
    ['300.50', 30_050],
    ['0.05', 5],
    ['１００', 10_000],
    ['１２３．４５', 12_345],
    ['¥1,000.50', 100_050],
    ['￥ 12,345', 1_234_500],
    ['1，000', 100_000],
    [' 7 ', 700],
  ])('%s → %i fen', (input, fen) => {
    expect(parseYuanInput(input)).toEqual({ ok: true, fen });
    expect(parseYuanToFen(input)).toBe(fen);
  });

  it.each([
    ['100,50', '小数点请用'],
    ['1,00', '小数点请用'],
    ['10,0000', '小数点请用'],
    ['1,000,00', '小数点请用'],
    ['12.345', '最多两位小数'],
    ['-5', '不能为负数'],
    ['abc', '只能包含数字'],
    ['', '请输入金额'],
    ['1234567890', '金额过大'],
  ])('refuses %j with a message the clerk can act on', (input, words) => {
    const r = parseYuanInput(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(words);
    expect(parseYuanToFen(input)).toBeNull();
  });

  it('formats fen one way', () => {
    expect([formatYuan(0), formatYuan(123456), formatYuan(-1050), formatYuanSigned(123456), formatYuanSigned(-5)]).toEqual([
      '0.00',
      '1,234.56',
      '-10.50',
      '¥1,234.56',
      '-¥0.05',
    ]);
  });
});

describe('ID number input', () => {
  it('normalises full-width digits, spaces and dashes inside, lower-case x', () => {
    expect(normalizeIdInput(' ５２０１２３ 1990-0101 123x ')).toBe('520123199001011' + '23X');
    expect(normalizeIdInput('520123\u30001990\uFF0D0101')).toBe('52012319900101');
    expect(validateIdNumberShape.parse('１１０１０１　１９９００３０７　７６７８')).toBe('110101199003077678');
  });

  it('validates the normalised number and gives one reason', () => {
    expect(validateIdNumber('110101 19900307 7678')).toMatchObject({ ok: true, idNumber: '110101199003077678' });
    const bad = validateIdNumber('110101199003077674');
    expect(bad).toEqual({ ok: false, code: 'bad_check_char', message: '证件号码校验位不正确，请核对号码是否录入有误' });
  });
});

describe('receipt address', () => {
  it('never repeats the town or the village', () => {
    const town = '西寨镇';
    const village = '安湾村';
    expect(receiptAddress({ town, village, address: '示范县西寨镇安湾村十组9号' })).toBe('示范县西寨镇安湾村十组9号');
    expect(receiptAddress({ town, village, address: '西寨镇安湾村十组9号' })).toBe('西寨镇安湾村十组9号');
    expect(receiptAddress({ town, village, address: '安湾村十组9号' })).toBe('西寨镇安湾村十组9号');
    expect(receiptAddress({ town, village, address: '十组9号' })).toBe('西寨镇安湾村十组9号');
    expect(receiptAddress({ town, village, address: '' })).toBe('西寨镇安湾村');
  });
});

describe('hall time', () => {
  it('formats instants in the hall zone and counts civil days', () => {
    const at = '2026-06-15T16:30:05Z';
    expect(hallDate(at, 'Asia/Shanghai')).toBe('2026-06-16');
    expect(hallTime(at, 'Asia/Shanghai')).toBe('2026-06-16 00:30');
    expect(hallTimeSeconds(new Date(at), 'Asia/Shanghai')).toBe('2026-06-16 00:30:05');
    expect(chineseDate('2026-06-05')).toBe('2026年06月05日');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(ageOn('1966-06-16', '2026-06-15')).toBe(59);
    expect(ageOn('1966-06-15', '2026-06-15')).toBe(60);
  });
});

describe('one vocabulary', () => {
  it('has a Chinese label for every audit action and the agreed channel and method words', () => {
    for (const a of auditActions) expect(auditActionLabels[a], a).toMatch(/^[\u4e00-\u9fa5]+$/);
    expect(channelLabels).toMatchObject({ bank_counter: '银行柜面', mobile_app: '手机App' });
    expect(paymentMethodLabels).toEqual({ cash: '现金', bank_card: '银行卡', qr: '扫码支付' });
  });

  it('describes audit rows in words, without codes, ids or JSON', () => {
    const row = {
      seq: 9,
      at: '2026-06-15T01:00:00Z',
      operatorId: 2,
      operatorUsername: 'clerk',
      counterNo: 1,
      action: 'payment.record',
      entity: 'transaction',
      entityId: '41',
      before: null,
      after: { payerId: 77, lines: [{ year: 2026, tierFen: 30000, amountFen: 30000 }], totalFen: 30000, method: 'cash', tenderedFen: 50000, changeFen: 20000 },
      prevHash: 'x',
      hash: 'y',
    };
    const v = auditRowView(row);
    expect(v).toMatchObject({ actionLabel: '柜台收款', entityLabel: '柜台缴费' });
    expect(v.description).toBe('收款 300.00元（现金，实收 500.00元，找零 200.00元）：2026年度 300元档');
    expect(
      describeAudit({
        action: 'receipt.void',
        entityId: 'k',
        before: null,
        after: { number: 'A001', reason: '卡纸', approvedBy: 'super', replacedBy: { number: 'A002' } },
      }),
    ).toBe('作废缴款书 A001，原因：卡纸；在 A002 重开；审批人 super');
    for (const action of auditActions) {
      const text = describeAudit({ action, entityId: '5', before: {}, after: {} });
      expect(text, action).not.toMatch(/[a-z]+\.[a-z]+|\{|undefined|null/);
    }
  });
});
