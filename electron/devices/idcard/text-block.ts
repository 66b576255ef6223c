// Decodes the 256-byte text block of a read response (UTF-16LE, space padded) into an IdCard.
// Layouts (offset/length in bytes):
//   resident (domain notes §7): name 0/30, gender 30/2, nation 32/4, birth 36/16, address 52/70,
//     id 122/36, authority 158/30, valid from 188/16, valid to 204/16, reserved 220/36.
//   HMT residence permit ('J' at 248): the resident layout with a blank nation, plus
//     permit number 220/18 and issue count 238/4.
//   foreigner's permanent residence card ('I' at 248): English name 0/120, gender 120/2,
//     card number 122/30, nationality 152/6, Chinese name 158/30, valid from 188/16,
//     valid to 204/16, birth 220/16, card version 236/4, authority code 240/8.
import { IdCard, nationLabel, type IdCardKind } from '../../../shared/domain/id-card';
import { ReaderError, Sw3, sw3Message } from './protocol';

export const TEXT_BLOCK_LENGTH = 256;
const KIND_FLAG_OFFSET = 248;

function field(block: Buffer, offset: number, length: number): string {
  return block
    .subarray(offset, offset + length)
    .toString('utf16le')
    .replaceAll('\u0000', ' ')
    .trim();
}

function kindOf(block: Buffer): IdCardKind {
  const flag = field(block, KIND_FLAG_OFFSET, 2);
  if (flag === 'I') return 'foreign_permanent';
  if (flag === 'J') return 'hmt_permit';
  if (flag === '') return 'resident';
  throw new ReaderError('bad_card_data', sw3Message(Sw3.unknownCardType));
}

/** YYYYMMDD → YYYY-MM-DD; anything else is returned untouched and fails validation later. */
function date(raw: string): string {
  return /^\d{8}$/.test(raw) ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}` : raw;
}

function gender(raw: string): 'male' | 'female' | string {
  return raw === '1' ? 'male' : raw === '2' ? 'female' : raw;
}

/** The card's fields as printed on the card. */
const cardFieldLabels: Record<string, string> = {
  kind: '证件类型',
  name: '姓名',
  nameEn: '英文姓名',
  gender: '性别',
  nationCode: '民族',
  nationLabel: '民族',
  nationality: '国籍',
  birthDate: '出生日期',
  address: '住址',
  idNumber: '证件号码',
  authority: '签发机关',
  validFrom: '有效期限',
  validTo: '有效期限',
  permitNumber: '通行证号码',
  issueCount: '签发次数',
  cardVersion: '证件版本号',
  hasPhoto: '照片',
};

export function decodeTextBlock(block: Buffer, hasPhoto: boolean): IdCard {
  if (block.length !== TEXT_BLOCK_LENGTH) {
    throw new ReaderError('bad_card_data', `证件文字信息长度异常（${block.length} 字节）`);
  }
  const kind = kindOf(block);
  let candidate: Record<string, unknown>;
  if (kind === 'foreign_permanent') {
    candidate = {
      kind,
      nameEn: field(block, 0, 120),
      gender: gender(field(block, 120, 2)),
      idNumber: field(block, 122, 30),
      nationality: field(block, 152, 6),
      name: field(block, 158, 30),
      validFrom: date(field(block, 188, 16)),
      validTo: validTo(field(block, 204, 16)),
      birthDate: date(field(block, 220, 16)),
      cardVersion: field(block, 236, 4),
      authority: field(block, 240, 8),
      address: '',
      hasPhoto,
    };
  } else {
    const nationCode = field(block, 32, 4);
    candidate = {
      kind,
      name: field(block, 0, 30),
      gender: gender(field(block, 30, 2)),
      birthDate: date(field(block, 36, 16)),
      address: field(block, 52, 70),
      idNumber: field(block, 122, 36),
      authority: field(block, 158, 30),
      validFrom: date(field(block, 188, 16)),
      validTo: validTo(field(block, 204, 16)),
      hasPhoto,
    };
    if (kind === 'resident') {
      candidate.nationCode = nationCode;
      candidate.nationLabel = nationLabel(nationCode);
    } else {
      candidate.permitNumber = field(block, 220, 18);
      const count = field(block, 238, 4);
      candidate.issueCount = /^\d+$/.test(count) ? Number(count) : count;
    }
  }
  const parsed = IdCard.safeParse(candidate);
  if (!parsed.success) {
    // The clerk reads the card's field names, never the program's (birthDate → 出生日期).
    const where = [...new Set(parsed.error.issues.map((i) => cardFieldLabels[String(i.path[0])] ?? '其他项目'))].join('、');
    throw new ReaderError('bad_card_data', `证件信息无法识别（${where}），请重新放卡`);
  }
  if (kind === 'resident' && parsed.data.nationLabel === undefined) {
    throw new ReaderError('bad_card_data', `证件信息无法识别（民族代码 ${field(block, 32, 4)}）`);
  }
  return parsed.data;
}

function validTo(raw: string): string {
  return raw === '长期' ? raw : date(raw);
}
