// Receipt stock (票证), formal receipts 《税收缴款书(税务收现专用)》 and exchanges (换开).
export { ReceiptService, channelLabels, formatReceiptNumber, type Calibration, type ClaimExchange } from './receipts';
export { ReceiptRefused, type ReceiptRefusal } from './errors';
export type * from './types';
