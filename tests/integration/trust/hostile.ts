// Hostile values for the boundary fuzz tests: SQL metacharacters, very long strings, odd Unicode
// (astral CJK, bidi overrides, combining marks, NUL, lone surrogates), wrong types, numbers at the
// edges, and prototype-pollution keys.
import fc from 'fast-check';

export const nastyStrings = [
  '',
  ' ',
  "' OR 1=1 --",
  '"; DROP TABLE payers; --',
  "张三' UNION SELECT id_number FROM payers --",
  '%',
  '_%_',
  '\\',
  '*',
  '\u0000',
  '\u202eX2100',
  '\ud800',
  'e\u0301\u0301\u0301',
  '𠀀𠀁𪚥',
  'Ａ１２３',
  '\r\n\t',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '../../etc/passwd',
  '520123197001010014',
  '52012319700101001x',
  '５２０１２３１９７００１０１００１４',
  'NaN',
  '1e309',
  '__proto__',
  'constructor',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...nastyStrings),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 200, max: 300_000 }).map((n) => '查'.repeat(n)),
);

export const protoPayloads: unknown[] = [
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  JSON.parse('{"__proto__":{"role":"admin"},"prototype":{"polluted":"yes"}}'),
];

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, -1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 2 ** 63),
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  hostileNumber,
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(...protoPayloads),
  fc.array(fc.oneof(hostileString, hostileNumber), { maxLength: 30 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const extraKey = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'role', 'operatorId', 'toString'), fc.string({ maxLength: 12 }));

/**
 * A payload for a method whose input has these keys: either anything at all, or the template
 * with some keys replaced by hostile values and maybe an extra key (set as an own data property,
 * as JSON.parse would).
 */
export function hostilePayload(keys: string[], template: Record<string, unknown> = {}): fc.Arbitrary<unknown> {
  const mutated = fc
    .tuple(fc.subarray(keys), fc.array(hostileValue, { minLength: keys.length, maxLength: keys.length }), fc.option(fc.tuple(extraKey, hostileValue)))
    .map(([chosen, values, extra]) => {
      const out: Record<string, unknown> = { ...template };
      chosen.forEach((k, i) => (out[k] = values[i]));
      if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, writable: true, configurable: true });
      return out;
    });
  return fc.oneof({ weight: 1, arbitrary: hostileValue }, { weight: 4, arbitrary: mutated });
}
