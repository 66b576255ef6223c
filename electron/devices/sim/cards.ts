// Builds the text block a real card would hold, straight from the published layouts (domain
// notes §7 and the 'I' / 'J' layouts), for the reader simulator. Deliberately written apart from
// the decoder in idcard/text-block.ts so that a layout mistake there cannot hide in a round trip.
import { idCheckChar } from '../../../shared/domain/id-number';
import type { IdCard } from '../../../shared/domain/id-card';

export interface SimCard {
  card: IdCard;
  /** 1024 bytes of WLT in a real card; any bytes here. Empty = no photo. */
  photo: Buffer;
}

type Field = [offset: number, length: number, value: string];

function block(fields: Field[], flag: string): Buffer {
  const out = Buffer.alloc(256);
  // Every unused byte of a real block is a UTF-16LE space.
  for (let i = 0; i < 256; i += 2) out.writeUInt16LE(0x20, i);
  for (const [offset, length, value] of [...fields, [248, 2, flag] as Field]) {
    const bytes = Buffer.from(value, 'utf16le');
    if (bytes.length > length) throw new Error(`field at ${offset} too long for ${length} bytes: ${value}`);
    bytes.copy(out, offset);
  }
  return out;
}

const ymd = (isoDate: string): string => isoDate.replaceAll('-', '');
const sex = (g: IdCard['gender']): string => (g === 'male' ? '1' : '2');

export function encodeTextBlock(card: IdCard): Buffer {
  const validTo = card.validTo === '长期' ? '长期' : ymd(card.validTo);
  if (card.kind === 'foreign_permanent') {
    return block(
      [
        [0, 120, card.nameEn ?? ''],
        [120, 2, sex(card.gender)],
        [122, 30, card.idNumber],
        [152, 6, card.nationality ?? ''],
        [158, 30, card.name],
        [188, 16, ymd(card.validFrom)],
        [204, 16, validTo],
        [220, 16, ymd(card.birthDate)],
        [236, 4, card.cardVersion ?? ''],
        [240, 8, card.authority],
      ],
      'I',
    );
  }
  const common: Field[] = [
    [0, 30, card.name],
    [30, 2, sex(card.gender)],
    [36, 16, ymd(card.birthDate)],
    [52, 70, card.address],
    [122, 36, card.idNumber],
    [158, 30, card.authority],
    [188, 16, ymd(card.validFrom)],
    [204, 16, validTo],
  ];
  if (card.kind === 'hmt_permit') {
    return block([...common, [220, 18, card.permitNumber ?? ''], [238, 4, String(card.issueCount ?? '').padStart(2, '0')]], 'J');
  }
  return block([...common, [32, 4, card.nationCode ?? '']], ' ');
}

/** Deterministic stand-in for a WLT photo. */
export function fakePhoto(seed: number): Buffer {
  const out = Buffer.alloc(1024);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const withCheck = (first17: string): string => first17 + idCheckChar(first17);

/** Demo cards for tests and training mode. Every person here is invented. */
export const sampleCards: Record<'resident' | 'residentLongTerm' | 'foreign' | 'hmt', SimCard> = {
  resident: {
    card: {
      kind: 'resident',
      name: '李秀英',
      gender: 'female',
      nationCode: '01',
      nationLabel: '汉',
      birthDate: '1975-03-08',
      address: '湖南省湘阴县文星镇东湖村三组28号',
      idNumber: withCheck('43062419750308002'),
      authority: '湘阴县公安局',
      validFrom: '2016-05-20',
      validTo: '2036-05-20',
      hasPhoto: true,
    },
    photo: fakePhoto(1),
  },
  residentLongTerm: {
    card: {
      kind: 'resident',
      name: '欧阳建国',
      gender: 'male',
      nationCode: '15',
      nationLabel: '土家',
      birthDate: '1966-11-30',
      address: '湖南省湘阴县东塘镇金龙村七组',
      idNumber: withCheck('43062419661130003'),
      authority: '湘阴县公安局',
      validFrom: '2014-01-02',
      validTo: '长期',
      hasPhoto: true,
    },
    photo: fakePhoto(2),
  },
  foreign: {
    card: {
      kind: 'foreign_permanent',
      name: '史密斯',
      nameEn: 'SMITH JOHN',
      gender: 'male',
      nationality: 'CAN',
      birthDate: '1980-07-15',
      address: '',
      idNumber: 'CAN430080071501',
      authority: '1500',
      validFrom: '2019-09-01',
      validTo: '2029-09-01',
      cardVersion: '01',
      hasPhoto: true,
    },
    photo: fakePhoto(3),
  },
  hmt: {
    card: {
      kind: 'hmt_permit',
      name: '陈美玲',
      gender: 'female',
      birthDate: '1990-02-14',
      address: '湖南省湘阴县城西镇湘滨路66号',
      idNumber: withCheck('81000019900214004'),
      authority: '湘阴县公安局',
      validFrom: '2021-06-01',
      validTo: '2026-06-01',
      permitNumber: 'H60123456',
      issueCount: 1,
      hasPhoto: true,
    },
    photo: fakePhoto(4),
  },
};
