// What goes on a formal receipt 《税收缴款书(税务收现专用)》 (domain.md §5), independent of layout.
// The receipt service builds it from the ledger; the PDF renderer only draws it.

export const PENSION_ITEM = '城乡居民基本养老保险费';
/** Payment lines the paper form holds (one per year). */
export const FORM_LINES = 5;
export const RECEIPT_TITLE = '中华人民共和国税收缴款书（税务收现专用）';

export interface ReceiptDocumentLine {
  /** 品目名称, e.g. 城乡居民基本养老保险费. */
  item: string;
  /** The year paid (税款所属时期). */
  year: number;
  /** 实缴金额, integer fen. */
  amountFen: number;
}

export interface ReceiptDocument {
  /** 字轨 + zero-padded serial, as printed: (2026)示税现00000101. */
  number: string;
  /** 填发日期, civil date YYYY-MM-DD in the hall's time zone. */
  issuedDate: string;
  taxOffice: string;
  /** 纳税人识别号: the full ID number (the receipt is the payer's own document). */
  idNumber: string;
  name: string;
  address: string;
  lines: ReceiptDocumentLine[];
  totalFen: number;
  /** 填票人. */
  operatorName: string;
  /** How many times this number has been printed, counting this print (第N次打印); 0 = not yet printed. */
  printCount: number;
  /** Random code printed in the remarks, checked when a receipt is presented again. */
  checkCode: string;
  /** Further remarks, e.g. 换开 银行POS 参考号 …, 补开 原票号 …, 作废重开 原票号 …. */
  notes: string[];
  /** Training mode: the page is marked 样张 / 培训 so it can never pass as a real receipt. */
  training: boolean;
}

export { chineseDate } from '../../shared/domain/time';

/**
 * The 地址 printed on the receipt, built from the registry's parts without saying a place twice:
 * the registry address usually starts with the county ("示范县西寨镇安湾村十组9号"); the town is
 * prefixed only when the address names neither the town nor anything above it, and the village
 * only when the address does not name it either.
 */
export function receiptAddress(p: { town: string; village: string; address: string }): string {
  const address = p.address.trim();
  if (address === '') return `${p.town}${p.village}`;
  if (p.town && address.includes(p.town)) return address;
  if (p.village && address.includes(p.village)) return address.startsWith(p.village) ? `${p.town}${address}` : address;
  return `${p.town}${p.village}${address}`;
}

/** The remarks line as printed: notes, 第N次打印, 校验码. */
export function remarksOf(doc: ReceiptDocument): string[] {
  const out = [...doc.notes];
  if (doc.printCount > 0) out.push(`第${doc.printCount}次打印`);
  out.push(`校验码 ${doc.checkCode}`);
  return out;
}
