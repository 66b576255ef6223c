// A card as read from the second-generation ID card reader (domain notes §7). The services decode
// the reader's 256-byte text block into this shape; the photo stays in the services as raw WLT
// bytes (only a vendor library can decode it), so the card carries just `hasPhoto`.
// The full ID number is in here: whoever logs or forwards a card masks it (maskIdNumber).
import { z } from 'zod';
import { validateIdNumber } from './id-number';
import { Gender, IsoDate } from './payer';

export const idCardKinds = ['resident', 'foreign_permanent', 'hmt_permit'] as const;
export const IdCardKind = z.enum(idCardKinds);
export type IdCardKind = z.infer<typeof IdCardKind>;
export const idCardKindLabels: Record<IdCardKind, string> = {
  resident: '居民身份证',
  foreign_permanent: '外国人永久居留身份证',
  hmt_permit: '港澳台居民居住证',
};

/**
 * 民族 codes of GB 3304 as the card stores them, with the label the card prints (without 族).
 * 97 and 98 are the two non-ethnic codes the standard adds.
 */
export const nationLabels: Readonly<Record<string, string>> = {
  '01': '汉',
  '02': '蒙古',
  '03': '回',
  '04': '藏',
  '05': '维吾尔',
  '06': '苗',
  '07': '彝',
  '08': '壮',
  '09': '布依',
  '10': '朝鲜',
  '11': '满',
  '12': '侗',
  '13': '瑶',
  '14': '白',
  '15': '土家',
  '16': '哈尼',
  '17': '哈萨克',
  '18': '傣',
  '19': '黎',
  '20': '傈僳',
  '21': '佤',
  '22': '畲',
  '23': '高山',
  '24': '拉祜',
  '25': '水',
  '26': '东乡',
  '27': '纳西',
  '28': '景颇',
  '29': '柯尔克孜',
  '30': '土',
  '31': '达斡尔',
  '32': '仫佬',
  '33': '羌',
  '34': '布朗',
  '35': '撒拉',
  '36': '毛南',
  '37': '仡佬',
  '38': '锡伯',
  '39': '阿昌',
  '40': '普米',
  '41': '塔吉克',
  '42': '怒',
  '43': '乌孜别克',
  '44': '俄罗斯',
  '45': '鄂温克',
  '46': '德昂',
  '47': '保安',
  '48': '裕固',
  '49': '京',
  '50': '塔塔尔',
  '51': '独龙',
  '52': '鄂伦春',
  '53': '赫哲',
  '54': '门巴',
  '55': '珞巴',
  '56': '基诺',
  '97': '其他',
  '98': '外国血统',
};

export function nationLabel(code: string): string | undefined {
  return Object.hasOwn(nationLabels, code) ? nationLabels[code] : undefined;
}

/** 有效期限 end: a date, or 长期 for cards issued to people aged 46 and over. */
export const CardValidTo = z.union([IsoDate, z.literal('长期')]);
export type CardValidTo = z.infer<typeof CardValidTo>;

export const IdCard = z.object({
  kind: IdCardKind,
  /** Chinese name; on a foreigner's card it may be empty, then `nameEn` is the name. */
  name: z.string(),
  /** Foreigner's card only: the English name. */
  nameEn: z.string().optional(),
  gender: Gender,
  /** Resident card only (the HMT permit leaves the field blank). */
  nationCode: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  nationLabel: z.string().optional(),
  /** Foreigner's card only: nationality as ISO 3166-1 alpha-3 (e.g. CAN). */
  nationality: z.string().optional(),
  birthDate: IsoDate,
  /** Empty on the foreigner's card, which has no address. */
  address: z.string(),
  /** 公民身份号码 / 永久居留证号码. */
  idNumber: z.string().min(1),
  /** 签发机关; on the foreigner's card the 4-digit authority code. */
  authority: z.string(),
  validFrom: IsoDate,
  validTo: CardValidTo,
  /** HMT permit only: 通行证号码 and 签发次数. */
  permitNumber: z.string().optional(),
  issueCount: z.number().int().nonnegative().optional(),
  /** Foreigner's card only: 证件版本号. */
  cardVersion: z.string().optional(),
  hasPhoto: z.boolean(),
});
export type IdCard = z.infer<typeof IdCard>;

/** What the reader loop reports; the host turns these into renderer events. */
export const IdCardReaderEvent = z.discriminatedUnion('type', [
  /** A card was placed and read (once per placement). */
  z.object({ type: z.literal('card'), card: IdCard, port: z.string() }),
  /** The card that was read has been taken off the reader. */
  z.object({ type: z.literal('removed'), port: z.string() }),
  z.object({
    type: z.literal('status'),
    state: z.enum(['searching', 'connected', 'disconnected']),
    port: z.string().nullable(),
    message: z.string(),
  }),
  /** A placement could not be read (card moved, unknown card, SAM problem …). */
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type IdCardReaderEvent = z.infer<typeof IdCardReaderEvent>;

function isCalendarDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

/**
 * Whether a card's data holds together before anything is looked up with it: the number's check
 * character (GB 11643), the birth date and gender the number encodes against the card's own
 * fields, and real calendar dates in a sensible order. The reader's XOR checksum misses paired
 * bit flips; a garbled number that happens to exist would open someone else's record. Returns
 * the reasons (for the log, never with the number) — empty when the card is consistent.
 */
export function cardDataProblems(card: IdCard): string[] {
  const problems: string[] = [];
  if (!isCalendarDate(card.birthDate)) problems.push('birth date is not a calendar date');
  if (!isCalendarDate(card.validFrom)) problems.push('valid-from is not a calendar date');
  if (card.validTo !== '长期' && !isCalendarDate(card.validTo)) problems.push('valid-to is not a calendar date');
  if (card.validTo !== '长期' && card.validTo < card.validFrom) problems.push('valid-to before valid-from');
  if (card.validFrom < card.birthDate) problems.push('issued before birth');
  // The 2017 foreigner's card has a 15-character number (letters, no check character); every
  // other card carries an 18-character GB 11643 number.
  const oldForeign = card.kind === 'foreign_permanent' && /^[A-Z]{3}\d{12}$/.test(card.idNumber);
  if (oldForeign) return problems;
  const v = validateIdNumber(card.idNumber);
  if (!v.ok) {
    problems.push(`number: ${v.code}`);
    return problems;
  }
  const expectedKind = { resident: 'resident', hmt_permit: 'hmt_residence_permit', foreign_permanent: 'foreigner_permanent_residence' }[card.kind];
  if (v.kind !== expectedKind) problems.push('number does not fit the card type');
  if (v.birthDate !== card.birthDate) problems.push('birth date in the number differs from the card');
  if (v.gender !== card.gender) problems.push('gender in the number differs from the card');
  return problems;
}
