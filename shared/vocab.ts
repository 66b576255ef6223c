// The one clerk-facing vocabulary. Every word a clerk or supervisor reads for a code — payment
// method, channel, receipt kind and state, audit action, print job — comes from here, so the
// screen, the payment slip, the formal receipt and both day summaries say the same thing.
// Codes stay in the database and on the wire; labels never carry internals (no English codes,
// field names or paths). Error messages live with their codes in shared/api/errors.ts.
export { channelCodes, channelLabels, genderLabels, registrationStatusLabels, specialGroupLabels } from './domain/payer-codes';
export { formatYuan, formatYuanSigned, tierLabel, tierName } from './domain/money';

/** Operator roles (the codes are in shared/api/views.ts). */
export const roleLabels = { clerk: '柜员', supervisor: '值班主任', admin: '系统管理员' } as const;

/** Verdicts of IT's health report. */
export const healthVerdictLabels = { ok: '正常', warn: '注意', fail: '需处理', skip: '未检' } as const;

/** Levels of government that share a 代缴 amount, in the order sums list them (central → township). */
export const governmentLevels = ['central', 'province', 'city', 'county', 'township'] as const;
export const governmentLevelLabels: Record<(typeof governmentLevels)[number], string> = {
  central: '中央',
  province: '省级',
  city: '市级',
  county: '县级',
  township: '乡镇',
};

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
 * Codes and their labels written once, in the order a menu shows them: `codes` for z.enum and
 * lists, `labels` for the words a clerk reads. A code cannot be listed without its label.
 */
function vocabulary<const L extends Record<string, string>>(labels: L) {
  type Code = keyof L & string;
  return { codes: Object.keys(labels) as [Code, ...Code[]], labels: labels as Readonly<Record<Code, string>> };
}

/**
 * Where a receipt stands: issued (number taken, not yet printed), printed (waiting for the clerk's
 * "printed correctly?"), confirmed, voided. Issued and printed receipts are "waiting".
 */
const receiptStatus = vocabulary({
  issued: '已开具待打印',
  printed: '已打印待确认',
  confirmed: '已确认',
  voided: '已作废',
});
export const receiptStatusCodes = receiptStatus.codes;
export type ReceiptStatus = (typeof receiptStatusCodes)[number];
export const receiptStatusLabels = receiptStatus.labels;

/** What a clerk may do with a receipt in its status. */
const receiptAction = vocabulary({
  print: '打印',
  reprint: '重打',
  confirm: '确认打印正确',
  void: '作废重开',
  reissue: '补开',
  preview: '预览',
});
export const receiptActionCodes = receiptAction.codes;
export type ReceiptAction = (typeof receiptActionCodes)[number];
export const receiptActionLabels = receiptAction.labels;

/** A bank or app payment's 换开 status. */
export const exchangeStatusLabels = { exchangeable: '可换开', exchanged: '已换开' } as const;

export const printJobKindLabels = { payment_slip: '缴费凭证', exchange_record: '换开记录', day_summary: '日汇总单', test_page: '打印测试页' } as const;
/**
 * A slip job's state. 'sending' is from the first byte on; a job found sending after a restart,
 * or whose send did not finish, is 'uncertain' (可能已打印): it is never sent again by itself,
 * the clerk says whether it printed, and a resend is marked 重打 with the print count.
 */
export const printJobStateLabels = {
  pending: '打印中',
  sending: '打印中',
  printed: '已打印',
  failed: '打印失败',
  uncertain: '可能已打印，请查看打印机',
} as const;

/** Serial line settings on the IT device screen. */
export const flowControlLabels = { none: '无', rtscts: '硬件流控（RTS/CTS）', xonxoff: '软件流控（XON/XOFF）' } as const;

/** What the clerk reads about the reader and the slip printer (never a path or an `Error:`). */
export const deviceWords = {
  printerNotConfigured: '未配置打印机',
  printerAbsent: '打印机未连接，请检查电源和连接线（已配置，接上后自动恢复）',
  printerReady: '打印机就绪',
  printDone: '打印完成',
  printerDisconnected: '打印机连接已断开，请检查连接线',
  printerNoAnswer: '打印机无应答，请检查电源和连接线',
  printerNearEnd: '打印机纸将用尽，请准备换纸',
  readerNotConfigured: '未配置读卡器',
  readerAbsent: '读卡器未连接，请检查连接线（已配置，接上后自动恢复）',
  printIncomplete: '打印可能不完整',
  notPrinted: '未打印',
  printFailed: '打印失败',
  askUncertain: '这张凭证可能已经打印：请查看打印机，已打出请点"已打印"，否则点"重打"（将标注重打）',
} as const;

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

/** 政务服务"好差评": the five levels a payer rates the counter's service with (best first). */
const evaluationLevel = vocabulary({
  very_satisfied: '非常满意',
  satisfied: '满意',
  basic: '基本满意',
  dissatisfied: '不满意',
  very_dissatisfied: '非常不满意',
});
export const evaluationLevelCodes = evaluationLevel.codes;
export type EvaluationLevel = (typeof evaluationLevelCodes)[number];
export const evaluationLevelLabels = evaluationLevel.labels;
/** The two lowest levels: only these may carry reasons. */
export const evaluationLowLevels: readonly EvaluationLevel[] = ['dissatisfied', 'very_dissatisfied'];
/** Why a payer was not satisfied: a short fixed list (the payer taps, never types). */
const evaluationReason = vocabulary({
  waited_long: '等候时间长',
  attitude: '服务态度不好',
  not_explained: '政策解释不清楚',
  slow: '办理速度慢',
  error: '金额或票据有差错',
});
export const evaluationReasonCodes = evaluationReason.codes;
export type EvaluationReason = (typeof evaluationReasonCodes)[number];
export const evaluationReasonLabels = evaluationReason.labels;
/** The payer left without rating within the time allowed. */
export const EVALUATION_SKIPPED_LABEL = '未评价';
/** What the clerk reads when a card's data does not hold together after a second read (a garbled
 *  number must never open a record, whoever's it would be). */
export const CARD_DATA_UNRELIABLE = '证件读取异常，请重新放卡';
