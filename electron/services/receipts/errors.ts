import { AppError, type ErrorCode } from '../../../shared/api/errors';

/** Why the receipt service refuses something; each reason is an API error code with its own zh-CN message. */
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

/** An AppError the clerk sees, with the refusal's reason kept for tests and the log. */
export class ReceiptRefused extends AppError {
  constructor(
    readonly reason: ReceiptRefusal,
    message: string,
  ) {
    super(reason satisfies ErrorCode, message);
    this.name = 'ReceiptRefused';
  }
}

export function refuse(reason: ReceiptRefusal, message: string): ReceiptRefused {
  return new ReceiptRefused(reason, message);
}
