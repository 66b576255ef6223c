// Synthetic towns, villages and communities of the demo county. Names are random pairs of
// characters typical of place names in the south-west (坝, 寨, 冲, 哨 …); any match with a real
// place is a coincidence.
import { Rng, Weighted } from './rng';

const FIRST = Array.from('青石柳龙凤白马黄桃花沙红新大小高上下东西南北金银茶竹松杉梨枫梅云岩清平安长乐和兴宝双鹤鸭牛羊狮鹿龟');
const SECOND = Array.from('塘坪坝场寨沟湾冲坡岭山河桥堡关庄田林溪口洞井营屯哨坎岗园');
const SUBDISTRICTS = ['城关', '城南', '城北', '文昌', '龙泉', '景阳'];
const COMMUNITIES = Array.from('文昌兴隆新华人民建设和平阳光金桥玉泉翠湖锦绣滨河东门西关南苑北辰育才幸福民主光明振兴团结胜利').reduce<string[]>(
  (out, ch, i, all) => (i % 2 === 0 ? [...out, ch + all[i + 1]!] : out),
  [],
);
const ROADS = [
  '人民路',
  '建设路',
  '解放路',
  '文化路',
  '中山路',
  '兴业路',
  '新华路',
  '和平路',
  '环城路',
  '滨河路',
  '育才路',
  '迎宾大道',
  '金山路',
  '团结街',
  '老街',
];
const GROUP_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];

export interface CountyVillage {
  /** Full name with its suffix: '柳塘村', '文昌社区'. */
  name: string;
  kind: 'village' | 'community';
  /** 村民小组 count for a village; streets to live on for a community. */
  groups: number;
  roads: readonly string[];
}

export interface CountyTown {
  /** Full name with its suffix: '青石镇', '城关街道'. */
  name: string;
  villages: readonly CountyVillage[];
}

/** The county's towns and villages for `seed`: 8–12 towns, 8–20 villages or communities each. */
export function buildCountyMap(seed: number): CountyTown[] {
  // A stream of its own, so the map does not depend on how many payers are drawn.
  const rng = new Rng(seed, 1);
  const used = new Set<string>();
  const pair = (): string => {
    const a = rng.pick(FIRST);
    let b = rng.pick(SECOND);
    while (b === a) b = rng.pick(SECOND);
    return a + b;
  };
  // Falls back to random pairs once a short list (communities) runs out of unused names.
  const fresh = (make: () => string): string => {
    for (let attempt = 0; ; attempt++) {
      const name = attempt < 30 ? make() : pair();
      if (!used.has(name)) {
        used.add(name);
        return name;
      }
    }
  };

  const townCount = rng.between(8, 12);
  const subdistricts = rng.between(1, 2);
  const townships = rng.between(1, 3);
  const towns: CountyTown[] = [];
  for (let t = 0; t < townCount; t++) {
    const kind = t < subdistricts ? 'subdistrict' : t < subdistricts + townships ? 'township' : 'town';
    const base = kind === 'subdistrict' ? fresh(() => rng.pick(SUBDISTRICTS)) : fresh(pair);
    const name = base + (kind === 'subdistrict' ? '街道' : kind === 'township' ? '乡' : '镇');
    const villageCount = rng.between(8, 20);
    const villages: CountyVillage[] = [];
    for (let v = 0; v < villageCount; v++) {
      // A subdistrict is mostly urban communities; a town has one community at its centre.
      const community = kind === 'subdistrict' ? v < villageCount - 2 : kind === 'town' && v === 0;
      if (community) {
        const roads = new Set<string>();
        const roadCount = rng.between(2, 4);
        while (roads.size < roadCount) roads.add(rng.pick(ROADS));
        villages.push({
          name: (kind === 'town' ? base : fresh(() => rng.pick(COMMUNITIES))) + '社区',
          kind: 'community',
          groups: 0,
          roads: [...roads],
        });
      } else {
        villages.push({ name: fresh(pair) + '村', kind: 'village', groups: rng.between(5, 15), roads: [] });
      }
    }
    towns.push({ name, villages });
  }
  return towns;
}

/** Town and village names only, e.g. for pick lists. */
export function countyPlaces(seed: number): { town: string; villages: string[] }[] {
  return buildCountyMap(seed).map((t) => ({ town: t.name, villages: t.villages.map((v) => v.name) }));
}

export interface Residence {
  town: string;
  village: string;
  address: string;
}

/** Draws where a payer lives, weighting communities (denser) above villages. */
export class AddressBook {
  private readonly table: Weighted<readonly [CountyTown, CountyVillage]>;

  constructor(
    readonly towns: readonly CountyTown[],
    private readonly countyName: string,
    rng: Rng,
  ) {
    const entries: (readonly [readonly [CountyTown, CountyVillage], number])[] = [];
    for (const town of towns) {
      for (const village of town.villages) {
        entries.push([[town, village], (village.kind === 'community' ? 2.5 : 1) * (0.5 + rng.next())]);
      }
    }
    this.table = new Weighted(entries);
  }

  draw(rng: Rng): Residence {
    const [town, village] = this.table.draw(rng);
    return this.at(rng, town, village);
  }

  at(rng: Rng, town: CountyTown, village: CountyVillage): Residence {
    const place = this.countyName + town.name + village.name;
    const address =
      village.kind === 'community'
        ? `${place}${rng.pick(village.roads)}${rng.between(1, 320)}号`
        : `${place}${GROUP_NUMERALS[rng.int(village.groups)]!}组${rng.between(1, 120)}号`;
    return { town: town.name, village: village.name, address };
  }
}
