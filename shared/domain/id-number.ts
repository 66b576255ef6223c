// Resident identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit
// sequence (odd = male), 1 check character computed with ISO 7064 MOD 11-2. Residence permits
// for Hong Kong, Macao and Taiwan residents (81/82/83) and the 2023 foreigner's permanent
// residence card (leading 9) use the same 18-character layout and check character.
import type { Gender } from './payer';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** The check character for the first 17 digits of an ID number. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckChar needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Masks an ID number for screens, logs and slips: the first six and last four characters stay,
 * everything between becomes '*'. Short or malformed input is masked entirely so that nothing
 * identifying leaks by accident.
 */
export function maskIdNumber(id: string): string {
  if (id.length < 11) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** Province-level codes (GB/T 2260) that open a mainland resident's number. */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
]);

/**
 * An ID number as typed, pasted or scanned, in the one form stored and compared: full-width
 * digits and letters (a Chinese IME) made half-width, spaces and dashes inside removed (numbers
 * are often written 520123 1990 0101 1234), a lower-case x upper-cased.
 */
export function normalizeIdInput(input: string): string {
  return input
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\-\u2010-\u2015\uFF0D]/g, '')
    .toUpperCase();
}

export type IdDocumentKind = 'resident' | 'hmt_residence_permit' | 'foreigner_permanent_residence';
export const idDocumentKindLabels: Record<IdDocumentKind, string> = {
  resident: '居民身份证',
  hmt_residence_permit: '港澳台居民居住证',
  foreigner_permanent_residence: '外国人永久居留身份证',
};

export type IdNumberErrorCode = 'empty' | 'old_15_digit' | 'wrong_length' | 'bad_characters' | 'bad_region' | 'bad_birth_date' | 'bad_check_char';

export type IdNumberValidation =
  | {
      ok: true;
      /** Upper-cased, trimmed: the form to store and compare. */
      idNumber: string;
      kind: IdDocumentKind;
      birthDate: string;
      gender: Gender;
    }
  | { ok: false; code: IdNumberErrorCode; message: string };

export interface ValidateIdNumberOptions {
  /** When given (the hall's date), a birth date after it is rejected. */
  today?: string;
}

function fail(code: IdNumberErrorCode, message: string): IdNumberValidation {
  return { ok: false, code, message };
}

function isCalendarDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

/**
 * Checks an 18-character identity number and reads what it encodes. Messages are for the clerk,
 * so they say what to do, and never repeat the number itself.
 */
export function validateIdNumber(input: string, options: ValidateIdNumberOptions = {}): IdNumberValidation {
  const id = normalizeIdInput(input);
  if (id === '') return fail('empty', '请输入证件号码');
  if (/^\d{15}$/.test(id)) {
    return fail('old_15_digit', '这是15位旧身份证号码，已停止使用，请提供18位公民身份号码');
  }
  if (id.length !== 18) return fail('wrong_length', `证件号码应为18位，当前为${id.length}位`);
  if (!/^\d{17}[\dX]$/.test(id)) return fail('bad_characters', '证件号码前17位应为数字，最后一位为数字或X');

  let kind: IdDocumentKind;
  const prefix = id.slice(0, 2);
  if (prefix === '81' || prefix === '82' || prefix === '83') {
    // Permits carry the region code 810000 / 820000 / 830000 in full.
    if (id.slice(2, 6) !== '0000') return fail('bad_region', '港澳台居民居住证号码的地址码应为810000、820000或830000');
    kind = 'hmt_residence_permit';
  } else if (id[0] === '9') {
    // New permanent residence card: 9, issuing province (2 digits), nationality (3 digits).
    if (!PROVINCE_CODES.has(id.slice(1, 3))) return fail('bad_region', '外国人永久居留身份证号码的受理地代码无效');
    kind = 'foreigner_permanent_residence';
  } else {
    if (!PROVINCE_CODES.has(prefix)) return fail('bad_region', '身份证号码的地址码（前6位）无效');
    kind = 'resident';
  }

  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (Number(id.slice(6, 10)) < 1900 || !isCalendarDate(birthDate)) {
    return fail('bad_birth_date', '证件号码中的出生日期（第7至14位）无效');
  }
  if (options.today !== undefined && birthDate > options.today) {
    return fail('bad_birth_date', '证件号码中的出生日期晚于今天');
  }
  if (idCheckChar(id.slice(0, 17)) !== id[17]) {
    return fail('bad_check_char', '证件号码校验位不正确，请核对号码是否录入有误');
  }
  const gender: Gender = Number(id[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, idNumber: id, kind, birthDate, gender };
}
