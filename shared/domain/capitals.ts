// RMB amounts in Chinese capitals (大写金额) for receipts, following the People's Bank rules for
// filling in vouchers: 壹拾 keeps its 壹; a run of zeros inside the number is one 零; 整 follows
// 元 when there are no 角/分 and is left off after 角 or 分. Where the rules allow either form
// (a zero 元 digit followed by 角) we write no 零, the form of the receipt example 壹仟零伍拾元伍角.
// No installed library does this, hence the hand-written version with full tests.

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const IN_SECTION = ['', '拾', '佰', '仟'] as const;

/** Integer yuan in capitals, without the 元. 0 gives ''. */
function yuanInCapitals(yuan: number): string {
  const digits = String(yuan);
  let out = '';
  let pendingZero = false;
  let sectionHasDigit = false;
  for (let i = 0; i < digits.length; i++) {
    const pos = digits.length - 1 - i;
    const d = Number(digits[i]);
    if (d === 0) {
      if (out !== '') pendingZero = true;
    } else {
      if (pendingZero) out += '零';
      pendingZero = false;
      out += DIGITS[d]! + IN_SECTION[pos % 4]!;
      sectionHasDigit = true;
    }
    if (pos % 4 === 0 && pos > 0) {
      const section = pos / 4;
      // 亿 is written even when its own four digits are zero, because 万亿 is 万 of 亿.
      if (section === 2 && out !== '') out += '亿';
      else if (sectionHasDigit) out += '万';
      sectionHasDigit = false;
    }
  }
  return out;
}

/**
 * The amount of `fen` (integer, ≥ 0) in capitals, e.g. 30000 → 叁佰元整,
 * 105050 → 壹仟零伍拾元伍角, 5 → 伍分, 0 → 零元整.
 */
export function amountInCapitals(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) {
    throw new RangeError(`amountInCapitals needs a non-negative integer number of fen, got ${fen}`);
  }
  if (fen === 0) return '零元整';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;
  let out = yuan > 0 ? `${yuanInCapitals(yuan)}元` : '';
  if (jiao === 0 && fenDigit === 0) return `${out}整`;
  if (jiao > 0) out += `${DIGITS[jiao]!}角`;
  else if (yuan > 0) out += '零';
  if (fenDigit > 0) out += `${DIGITS[fenDigit]!}分`;
  return out;
}
