// The one clerk-facing vocabulary. Every word a clerk or supervisor reads for a code — payment
// method, channel, receipt kind and state, audit action, print job — comes from here, so the
// screen, the payment slip, the formal receipt and both day summaries say the same thing.
// Codes stay in the database and on the wire; labels never carry internals (no English codes,
// field names or paths). Error messages live with their codes in shared/api/errors.ts.
export { channelCodes, channelLabels, genderLabels, registrationStatusLabels, specialGroupLabels } from './domain/payer';
export { formatYuan, formatYuanSigned, tierLabel, tierName } from './domain/money';

/** How the payer pays at the counter. */
export const paymentMethodLabels = { cash: '现金', bank_card: '银行卡', qr: '扫码支付' } as const;

/** The bank or app proof a payer brings for 换开, and what its number is called. */
export const proofLabels = {
  bank_pos: { proof: '银行POS小票', ref: '参考号' },
  bank_counter: { proof: '银行缴费凭单', ref: '缴费凭单号' },
  mobile_app: { proof: '电子缴费凭证', ref: '电子凭证号' },
} as const;

/** The POS reference number of a bank-card payment at the counter (printed on the POS slip). */
export const POS_REF_LABEL = '参考号';

/** Why a formal receipt 《税收缴款书》 was issued. */
export const receiptKindLabels = { counter: '柜台收款', exchange: '换开', reissue: '补开' } as const;

/**
 * Where a receipt stands: issued (number taken, not yet printed), printed (waiting for the clerk's
 * "printed correctly?"), confirmed, voided. Issued and printed receipts are "waiting".
 */
export const receiptStatusCodes = ['issued', 'printed', 'confirmed', 'voided'] as const;
export type ReceiptStatus = (typeof receiptStatusCodes)[number];
export const receiptStatusLabels: Record<ReceiptStatus, string> = {
  issued: '已开具待打印',
  printed: '已打印待确认',
  confirmed: '已确认',
  voided: '已作废',
};

/** What a clerk may do with a receipt in its status. */
export const receiptActionCodes = ['print', 'reprint', 'confirm', 'void', 'reissue', 'preview'] as const;
export type ReceiptAction = (typeof receiptActionCodes)[number];
export const receiptActionLabels: Record<ReceiptAction, string> = {
  print: '打印',
  reprint: '重打',
  confirm: '确认打印正确',
  void: '作废重开',
  reissue: '补开',
  preview: '预览',
};

/** A bank or app payment's 换开 status. */
export const exchangeStatusLabels = { exchangeable: '可换开', exchanged: '已换开' } as const;

export const printJobKindLabels = { payment_slip: '缴费凭证', exchange_record: '换开记录', day_summary: '日汇总单', test_page: '打印测试页' } as const;
export const printJobStateLabels = { pending: '打印中', printed: '已打印', failed: '打印失败' } as const;

/** Payment lines by kind: the current year or an earlier year paid now (补缴). */
export const lineKindLabels = { current: '当年', back_payment: '补缴' } as const;

/** The audit trail's actions as the supervisor reads them. */
export const auditActionLabels = {
  'session.signIn': '登录',
  'session.signInFailed': '登录失败',
  'session.signOut': '退出登录',
  'session.lock': '锁定屏幕',
  'session.unlock': '解锁屏幕',
  'session.unlockFailed': '解锁失败',
  'payment.record': '柜台收款',
  'print.reprint': '重打缴费凭证',
  'receipt.issue': '开具缴款书',
  'receipt.void': '作废缴款书',
  'receipt.exchange': '换开缴款书',
  'receipt.reprint': '重打缴款书',
  'receipt.stockReceive': '领用票证',
  'receipt.stockAdjust': '交回票证',
  'approval.grant': '值班主任审批通过',
  'approval.refuse': '值班主任审批未通过',
  'dayclose.close': '日结',
  'policy.change': '更新政策表',
  'device.change': '更改设备设置',
  'config.change': '更改系统设置',
  'operator.change': '更改操作员',
  'backup.create': '备份数据',
  'backup.restore': '恢复数据',
  'sync.apply': '同步上游数据',
} as const;
export type AuditActionCode = keyof typeof auditActionLabels;

/** What an audit row is about. */
export const auditEntityLabels: Record<string, string> = {
  transaction: '柜台缴费',
  payment: '缴费记录',
  receipt: '缴款书',
  receipt_block: '票证号码段',
  exchange: '换开',
  shift: '班次',
  operator: '操作员',
  policy: '政策表',
  device: '设备',
  config: '系统设置',
  day_close: '日结',
  backup: '备份',
  session: '登录',
};

/** A label for a code that has none (a newer version's action): never the raw code. */
export function labelOr<T extends string>(labels: Readonly<Record<string, string>>, code: T, fallback = '其他操作'): string {
  return Object.prototype.hasOwnProperty.call(labels, code) ? labels[code]! : fallback;
}

/** What the clerk reads when a card's data does not hold together after a second read (a garbled
 *  number must never open a record, whoever's it would be). */
export const CARD_DATA_UNRELIABLE = '证件读取异常，请重新放卡';
