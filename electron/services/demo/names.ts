// Synthetic personal names. Surnames follow their rough share of the population (published
// census rankings); given names follow the fashions of the decade of birth so that a 1950s
// payer reads like a 1950s villager. Every name is a random combination: none is taken from
// a record of a real person.
import type { Gender } from '../../../shared/domain/payer';
import { type Rng, Weighted } from './rng';

// Approximate share per thousand people.
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 71],
  ['李', 70],
  ['张', 67],
  ['刘', 54],
  ['陈', 46],
  ['杨', 32],
  ['黄', 25],
  ['赵', 20],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 15],
  ['马', 13],
  ['朱', 13],
  ['胡', 12],
  ['郭', 11],
  ['何', 11],
  ['高', 10],
  ['林', 10],
  ['罗', 10],
  ['郑', 9.5],
  ['梁', 9],
  ['谢', 8.5],
  ['宋', 7.5],
  ['唐', 7.5],
  ['许', 7],
  ['韩', 7],
  ['冯', 6.5],
  ['邓', 6.5],
  ['曹', 6.5],
  ['彭', 6],
  ['曾', 6],
  ['肖', 6],
  ['田', 5.5],
  ['董', 5.5],
  ['袁', 5.5],
  ['潘', 5],
  ['于', 5],
  ['蒋', 5],
  ['蔡', 5],
  ['余', 5],
  ['杜', 4.5],
  ['叶', 4.5],
  ['程', 4.5],
  ['苏', 4.5],
  ['魏', 4],
  ['吕', 4],
  ['丁', 4],
  ['任', 4],
  ['沈', 3.5],
  ['姚', 3.5],
  ['卢', 3.5],
  ['姜', 3.5],
  ['崔', 3.5],
  ['钟', 3.5],
  ['谭', 3.5],
  ['陆', 3.3],
  ['汪', 3.2],
  ['范', 3.2],
  ['金', 3],
  ['石', 3],
  ['廖', 3],
  ['贾', 3],
  ['夏', 3],
  ['韦', 3],
  ['付', 3],
  ['方', 3],
  ['白', 2.8],
  ['邹', 2.8],
  ['孟', 2.7],
  ['熊', 2.7],
  ['秦', 2.6],
  ['邱', 2.6],
  ['江', 2.6],
  ['尹', 2.5],
  ['薛', 2.4],
  ['闫', 2.4],
  ['段', 2.4],
  ['雷', 2.4],
  ['侯', 2.3],
  ['龙', 2.3],
  ['史', 2.2],
  ['陶', 2.2],
  ['黎', 2.1],
  ['贺', 2.1],
  ['顾', 2],
  ['毛', 2],
  ['郝', 2],
  ['龚', 2],
  ['邵', 1.9],
  ['万', 1.9],
  ['钱', 1.9],
  ['严', 1.8],
  ['覃', 1.8],
  ['武', 1.8],
  ['戴', 1.8],
  ['莫', 1.7],
  ['孔', 1.7],
  ['向', 1.7],
  ['汤', 1.7],
  ['班', 0.6],
  ['欧阳', 0.5],
  ['上官', 0.08],
  ['司马', 0.06],
];

interface EraPool {
  /** Characters combined freely into one- or two-character given names. */
  chars: readonly string[];
  /** Given names that were common as a whole in that era. */
  whole: readonly string[];
  /** Share of one-character given names. */
  single: number;
}

const split = (s: string): readonly string[] => Array.from(s);

// Eras by year of birth: before 1965, 1965–1984, 1985–1999, 2000 on.
const MALE: readonly EraPool[] = [
  {
    chars: split('国建华明德荣生福贵富成发林山忠文武学兴振祥清金树春海友民军志和平昌有全庆光宝仁义良顺才'),
    whole: split2('建国国庆建华国华德明福生建军志明永福金贵有才长青树林春生正华光明文华国强振华'),
    single: 0.22,
  },
  {
    chars: split('伟强军勇斌刚涛峰磊平辉杰波华明兵东鹏飞林亮超海江宏武俊新云松剑'),
    whole: split2('卫东卫国建伟海涛志强国栋文军红兵晓东小平建平永强立新春雷'),
    single: 0.35,
  },
  {
    chars: split('浩鹏宇杰超磊鑫帅凯健帆旭阳龙宁博俊涛斌振明亮翔毅晨昊伟坤'),
    whole: split2('俊杰浩然宇航鹏飞志鹏文博家豪晓明子龙建鑫'),
    single: 0.2,
  },
  {
    chars: split('子轩浩宇梓睿泽铭辰博航俊熙诚逸皓然晨翔锦宸沐瑞恒一嘉奕文乐'),
    whole: split2('子轩浩宇梓睿宇轩俊熙睿泽子墨一鸣浩然梓豪铭轩奕辰宇辰思远'),
    single: 0.08,
  },
];

const FEMALE: readonly EraPool[] = [
  {
    chars: split('秀英兰桂芳珍凤玉华梅淑莲菊琴云翠香花荣素金彩巧春银月娥霞'),
    whole: split2('秀英桂英桂兰玉兰凤英秀兰秀珍玉珍淑珍翠花春花桂芳玉梅金凤素珍'),
    single: 0.2,
  },
  {
    chars: split('丽芳红艳敏霞燕娟萍静玲梅华琴慧英丹莉洁芬冬晓春宁琳'),
    whole: split2('丽华晓燕丽娟春燕海燕红梅艳红小红晓红秀梅雪梅丽萍美玲建英'),
    single: 0.35,
  },
  {
    chars: split('婷娜静敏丹倩颖雪琳洁佳慧蕾璐琪晶莹欣媛艳玉露梦月瑶妍薇晨'),
    whole: split2('婷婷佳慧雪梅梦瑶晓雪丹丹倩倩静怡文静佳琪思雨玉婷雨婷'),
    single: 0.2,
  },
  {
    chars: split('欣怡梓涵雨萱诗琪可馨语佳思悦若一心依彤雅婧妍汐桐瑾沐芸晴'),
    whole: split2('欣怡梓涵子涵雨涵诗涵可馨语桐一诺雨萱思琪佳怡梓萱若曦欣妍'),
    single: 0.08,
  },
];

/** Splits a run of two-character names written back to back. */
function split2(s: string): readonly string[] {
  const chars = Array.from(s);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i += 2) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * Characters that many fonts and input paths get wrong: 𠮷 lies outside the BMP (a surrogate
 * pair in UTF-16, four bytes in UTF-8, absent from GBK), 㛃 is in CJK Extension A, 堃 and 犇
 * are in the BMP but missing from small fonts. Real registries hold such names.
 */
export const RARE_CHARACTERS = ['𠮷', '㛃', '堃', '犇'] as const;
const RARE_MALE = ['𠮷', '堃', '犇'] as const;
const RARE_FEMALE = ['𠮷', '㛃'] as const;
/** About one name in 5,000 carries a rare character. */
export const RARE_NAME_SHARE = 1 / 5000;

const surnameTable = new Weighted(SURNAMES);

function eraIndex(birthYear: number): number {
  if (birthYear < 1965) return 0;
  if (birthYear < 1985) return 1;
  if (birthYear < 2000) return 2;
  return 3;
}

export function drawName(rng: Rng, gender: Gender, birthYear: number): string {
  const pool = (gender === 'male' ? MALE : FEMALE)[eraIndex(birthYear)]!;
  let given: string;
  const r = rng.next();
  if (r < pool.single) {
    given = rng.pick(pool.chars);
  } else if (r < pool.single + (1 - pool.single) * 0.3) {
    given = rng.pick(pool.whole);
  } else {
    const first = rng.pick(pool.chars);
    let second = rng.pick(pool.chars);
    // Doubled characters (婷婷) come from the whole-name list; a random repeat looks odd.
    if (second === first) second = rng.pick(pool.chars);
    given = first + second;
  }
  if (rng.chance(RARE_NAME_SHARE)) {
    const rare = rng.pick<string>(gender === 'male' ? RARE_MALE : RARE_FEMALE);
    const chars = Array.from(given);
    chars[chars.length - 1] = rare;
    given = chars.join('');
  }
  return surnameTable.draw(rng) + given;
}

/** True when the name holds one of the deliberately awkward characters. */
export function hasRareCharacter(name: string): boolean {
  return RARE_CHARACTERS.some((c) => name.includes(c));
}
