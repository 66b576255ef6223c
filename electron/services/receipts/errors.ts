import { AppError, type ErrorCode } from '../../../shared/api/errors';

/**
 * Why the receipt service refuses something. Each reason carries its own zh-CN message; until
 * the API contract has dedicated codes for them, each maps to the nearest existing code (the
 * clerk sees the message either way). Proposed codes, for shared/api/errors.ts:
 *
 *   RECEIPT_STOCK_EMPTY   '没有可用的缴款书号码，请值班主任录入或申领票证后再开具'
 *   RECEIPT_ALREADY_ISSUED '该笔缴费已开具缴款书'
 *   ALREADY_EXCHANGED     '该凭证已换开过缴款书，不能再次换开；原缴款书遗失的，经值班主任审批可补开'
 *   EXCHANGE_OFFLINE      '暂时无法连接上游系统，不能确认该凭证未被其他窗口换开，请稍后再试'
 *   APPROVAL_REQUIRED     '此操作需要值班主任审批'
 *   RECEIPT_STATE         '缴款书当前状态不允许此操作'
 *   GLYPH_MISSING         '姓名或地址中有字库缺少的汉字，不能打印'
 */
export type ReceiptRefusal =
  | 'RECEIPT_STOCK_EMPTY'
  | 'RECEIPT_ALREADY_ISSUED'
  | 'ALREADY_EXCHANGED'
  | 'EXCHANGE_OFFLINE'
  | 'APPROVAL_REQUIRED'
  | 'RECEIPT_STATE'
  | 'GLYPH_MISSING'
  | 'NOT_FOUND'
  | 'VALIDATION';

const mapped: Record<ReceiptRefusal, ErrorCode> = {
  RECEIPT_STOCK_EMPTY: 'VALIDATION',
  RECEIPT_ALREADY_ISSUED: 'VALIDATION',
  ALREADY_EXCHANGED: 'VALIDATION',
  EXCHANGE_OFFLINE: 'VALIDATION',
  APPROVAL_REQUIRED: 'FORBIDDEN',
  RECEIPT_STATE: 'VALIDATION',
  GLYPH_MISSING: 'VALIDATION',
  NOT_FOUND: 'NOT_FOUND',
  VALIDATION: 'VALIDATION',
};

/** An AppError the clerk sees, with the refusal's reason kept for tests and the log. */
export class ReceiptRefused extends AppError {
  constructor(
    readonly reason: ReceiptRefusal,
    message: string,
  ) {
    super(mapped[reason], message);
    this.name = 'ReceiptRefused';
  }
}

export function refuse(reason: ReceiptRefusal, message: string): ReceiptRefused {
  return new ReceiptRefused(reason, message);
}
