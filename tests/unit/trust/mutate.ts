// Random structural mutations of a valid JSON document, for the policy-file and upstream fuzz
// tests: a field replaced by a hostile value, removed, duplicated into an array, or an extra key.
import fc from 'fast-check';

type Json = unknown;
type Path = (string | number)[];

function paths(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

export const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 0.5, 1e21, -0, '', ' ', '0', 'NaN', '2026-02-30', '长期', "' OR 1=1 --", '\u0000', '𠀀', '\ud800', [], {}, [null], {
    __proto__: 1,
  }),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => 'x'.repeat(n)),
  fc.jsonValue({ maxDepth: 2 }),
);

export type Mutation = { at: number; op: 'replace' | 'delete' | 'extra' | 'wrap'; value: Json };

export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({ at: fc.nat(), op: fc.constantFrom('replace', 'delete', 'extra', 'wrap'), value: oddValue }) as fc.Arbitrary<Mutation>,
  { minLength: 1, maxLength: 4 },
);

/** Applies the mutations to a deep copy of `doc`. */
export function mutate(doc: Json, list: Mutation[]): Json {
  let root: Json = structuredClone(doc);
  for (const entry of list) {
    // A fresh copy of the value each time: the same object placed twice could make a cycle.
    const m = { ...entry, value: structuredClone(entry.value) };
    const all = paths(root);
    const path = all[m.at % all.length]!;
    if (path.length === 0) {
      root = m.op === 'wrap' ? [root] : m.op === 'replace' ? m.value : root;
      continue;
    }
    const parent = path.slice(0, -1).reduce<Json>((v, k) => (v as Record<string | number, Json>)[k], root) as Record<string | number, Json>;
    const key = path[path.length - 1]!;
    if (m.op === 'replace') parent[key] = m.value;
    else if (m.op === 'wrap') parent[key] = [parent[key]];
    else if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
      Object.defineProperty(parent, ['__proto__', 'constructor', 'extra', 'x-'.concat(String(key))][m.at % 4]!, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return root;
}

/** Text-level damage: cut, or a character inserted, at a position. */
export const textDamage = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('cut', 'insert'),
  ch: fc.constantFrom('{', '}', '"', ',', ':', '\\', '\u0000', '𠀀', ' '),
});
export function damage(text: string, d: { at: number; op: 'cut' | 'insert'; ch: string }): string {
  const i = d.at % (text.length + 1);
  return d.op === 'cut' ? text.slice(0, i) : text.slice(0, i) + d.ch + text.slice(i);
}
