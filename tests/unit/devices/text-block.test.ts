import { describe, expect, it } from 'vitest';
import { decodeTextBlock } from '../../../electron/devices/idcard/text-block';
import { encodeTextBlock, sampleCards } from '../../../electron/devices/sim/cards';
import { ReaderError } from '../../../electron/devices/idcard/protocol';
import { nationLabels } from '../../../shared/domain/id-card';

/** A block written field by field at the offsets the spec gives, padded with UTF-16LE spaces. */
function handBlock(fields: Array<[number, string]>): Buffer {
  const b = Buffer.alloc(256);
  for (let i = 0; i < 256; i += 2) b.writeUInt16LE(0x20, i);
  for (const [offset, text] of fields) b.write(text, offset, 'utf16le');
  return b;
}

describe('resident card text block', () => {
  const block = handBlock([
    [0, '张伟'],
    [30, '1'],
    [32, '03'],
    [36, '19850412'],
    [52, '湖南省湘阴县城西镇白马村'],
    [122, '430624198504120031'],
    [158, '湘阴县公安局'],
    [188, '20150101'],
    [204, '长期'],
  ]);

  it('decodes every field, trims padding and converts dates', () => {
    expect(decodeTextBlock(block, true)).toEqual({
      kind: 'resident',
      name: '张伟',
      gender: 'male',
      nationCode: '03',
      nationLabel: '回',
      birthDate: '1985-04-12',
      address: '湖南省湘阴县城西镇白马村',
      idNumber: '430624198504120031',
      authority: '湘阴县公安局',
      validFrom: '2015-01-01',
      validTo: '长期',
      hasPhoto: true,
    });
  });

  it('rejects an unknown nation code and a wrong length with a zh message', () => {
    const bad = Buffer.from(block);
    bad.write('77', 32, 'utf16le');
    expect(() => decodeTextBlock(bad, false)).toThrow(/民族代码 77/);
    expect(() => decodeTextBlock(block.subarray(0, 200), false)).toThrow(ReaderError);
  });

  it('rejects a card type flag it does not know', () => {
    const bad = Buffer.from(block);
    bad.write('Y', 248, 'utf16le');
    expect(() => decodeTextBlock(bad, false)).toThrow(/无法识别的卡类型/);
  });
});

describe('other documents', () => {
  it("decodes the foreigner's permanent residence card ('I')", () => {
    const block = handBlock([
      [0, 'ZHANG MARIA'],
      [120, '2'],
      [122, 'USA310085122301'],
      [152, 'USA'],
      [158, '张玛丽'],
      [188, '20200301'],
      [204, '20300301'],
      [220, '19851223'],
      [236, '01'],
      [240, '3100'],
      [248, 'I'],
    ]);
    expect(decodeTextBlock(block, false)).toMatchObject({
      kind: 'foreign_permanent',
      name: '张玛丽',
      nameEn: 'ZHANG MARIA',
      gender: 'female',
      nationality: 'USA',
      idNumber: 'USA310085122301',
      birthDate: '1985-12-23',
      validFrom: '2020-03-01',
      validTo: '2030-03-01',
      authority: '3100',
      cardVersion: '01',
      address: '',
      hasPhoto: false,
    });
  });

  it("decodes the HMT residence permit ('J') with permit number and issue count", () => {
    const block = handBlock([
      [0, '黄家明'],
      [30, '1'],
      [36, '19920708'],
      [52, '湖南省湘阴县文星镇'],
      [122, '810000199207080012'],
      [158, '湘阴县公安局'],
      [188, '20220101'],
      [204, '20270101'],
      [220, 'H01234567'],
      [238, '03'],
      [248, 'J'],
    ]);
    const card = decodeTextBlock(block, true);
    expect(card).toMatchObject({ kind: 'hmt_permit', name: '黄家明', permitNumber: 'H01234567', issueCount: 3 });
    expect(card.nationCode).toBeUndefined();
  });

  it('the simulator writes blocks the decoder reads back for every sample card', () => {
    for (const { card } of Object.values(sampleCards)) {
      expect(decodeTextBlock(encodeTextBlock(card), card.hasPhoto)).toEqual(card);
    }
  });
});

describe('nation table', () => {
  it('has the 56 nationalities plus 97 and 98', () => {
    const codes = Object.keys(nationLabels).sort();
    expect(codes).toHaveLength(58);
    expect(codes.slice(0, 56)).toEqual(Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect([nationLabels['01'], nationLabels['56'], nationLabels['97'], nationLabels['98']]).toEqual(['汉', '基诺', '其他', '外国血统']);
  });
});
