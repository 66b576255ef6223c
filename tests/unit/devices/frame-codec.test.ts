import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder, type CodecOutput } from '../../../electron/devices/idcard/frame-codec';
import { encodeRequest, Command } from '../../../electron/devices/idcard/protocol';
import { encodeResponse } from '../../../electron/devices/sim/reader-sim';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Feeds chunks through a fresh decoder and returns every output. */
function decode(chunks: Buffer[], opts = {}): { out: CodecOutput[]; dec: FrameDecoder } {
  const dec = new FrameDecoder(opts);
  const out: CodecOutput[] = [];
  dec.on('data', (o: CodecOutput) => out.push(o));
  for (const c of chunks) dec.write(c);
  return { out, dec };
}
const frames = (out: CodecOutput[]): string[] => out.flatMap((o) => (o.type === 'frame' ? [o.body.toString('hex')] : []));

describe('request frames (golden, from the published protocol)', () => {
  it.each([
    ['status', Command.status, 'aaaaaa9669 0003 11ff ed'],
    ['SAM id', Command.samId, 'aaaaaa9669 0003 12ff ee'],
    ['find card', Command.findCard, 'aaaaaa9669 0003 2001 22'],
    ['select card', Command.selectCard, 'aaaaaa9669 0003 2002 21'],
    ['read text+photo', Command.readTextPhoto, 'aaaaaa9669 0003 3001 32'],
    ['reset', Command.reset, 'aaaaaa9669 0003 10ff ec'],
  ])('%s', (_name, cmd, golden) => {
    expect(encodeRequest(cmd).toString('hex')).toBe(hex(golden).toString('hex'));
  });
});

describe('FrameDecoder', () => {
  const findOk = hex('aaaaaa9669 0008 00009f 00000000 97');
  const selectOk = hex('aaaaaa9669 000c 000090 0000000000000000 9c');

  it('decodes the golden find and select answers', () => {
    const { out } = decode([Buffer.concat([findOk, selectOk])], { minLen: 4 });
    expect(frames(out)).toEqual(['00009f00000000', '0000900000000000000000']);
  });

  it('reassembles a frame delivered one byte at a time', () => {
    const { out } = decode([...selectOk].map((b) => Buffer.of(b)));
    expect(frames(out)).toEqual(['0000900000000000000000']);
  });

  it('skips garbage before, between and after frames', () => {
    const { out, dec } = decode([Buffer.concat([hex('0102aa aa96'), findOk, hex('ffaaaa'), selectOk, hex('aaaa')])]);
    expect(frames(out)).toHaveLength(2);
    expect(dec.stats.garbageBytes).toBeGreaterThanOrEqual(8);
  });

  it('reports a wrong checksum and still finds the next good frame', () => {
    const bad = Buffer.from(findOk);
    bad[bad.length - 1] = 0x00;
    const { out } = decode([Buffer.concat([bad, selectOk])]);
    expect(out.map((o) => o.type)).toEqual(['bad_checksum', 'frame']);
    expect(frames(out)).toEqual(['0000900000000000000000']);
  });

  it('rejects impossible lengths without swallowing the next frame', () => {
    const tooShort = hex('aaaaaa9669 0001 00');
    const tooLong = hex('aaaaaa9669 ffff 0000');
    const { out, dec } = decode([Buffer.concat([tooShort, tooLong, findOk])], { minLen: 4, maxLen: 4096 });
    expect(frames(out)).toEqual(['00009f00000000']);
    expect(dec.stats.badLength).toBe(2);
  });

  it('drops a truncated frame when a complete one follows it', () => {
    // Header and LEN announce 1288 bytes, but the line dropped out after a few.
    const truncated = hex('aaaaaa9669 0508 000090 0100 0400 4e00');
    const { out } = decode([truncated, findOk]);
    expect(frames(out)).toEqual(['00009f00000000']);
  });

  it('reset() forgets a half-received frame', () => {
    const dec = new FrameDecoder();
    const out: CodecOutput[] = [];
    dec.on('data', (o: CodecOutput) => out.push(o));
    dec.write(findOk.subarray(0, 9));
    dec.reset();
    dec.write(findOk.subarray(9));
    dec.write(selectOk);
    expect(frames(out)).toEqual(['0000900000000000000000']);
  });

  const validFrame = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 300 })).map(([sw3, data]) => encodeResponse(sw3, data));
  const noise = fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a));

  it('fuzz: frames separated by random noise, split at random points, all come out intact', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(noise, validFrame), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (parts, cuts) => {
        // Noise that happens to contain the 5-byte header is a frame start by definition.
        fc.pre(parts.every(([n]) => !n.includes(Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]))));
        const stream = Buffer.concat(parts.flatMap(([n, f]) => [n, f]));
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of [...points, stream.length]) {
          chunks.push(stream.subarray(prev, p));
          prev = p;
        }
        const { out } = decode(chunks, { minLen: 4 });
        expect(frames(out)).toEqual(parts.map(([, f]) => f.subarray(7, -1).toString('hex')));
      }),
      { numRuns: 300 },
    );
  });

  it('fuzz: a truncated or corrupted frame never costs the good frame after it', () => {
    fc.assert(
      fc.property(validFrame, validFrame, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (victim, good, pos, flip, truncate) => {
        const broken = Buffer.from(victim);
        const at = pos % broken.length;
        let damaged: Buffer;
        if (truncate) {
          damaged = broken.subarray(0, Math.max(0, Math.min(at, broken.length - 1)));
        } else {
          broken[at] = broken[at]! ^ flip;
          damaged = broken;
        }
        const { out } = decode([Buffer.concat([damaged, good])], { minLen: 4 });
        const got = frames(out);
        expect(got[got.length - 1]).toBe(good.subarray(7, -1).toString('hex'));
      }),
      { numRuns: 500 },
    );
  });

  it('fuzz: random bytes never throw', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
        decode(chunks.map((c) => Buffer.from(c)));
      }),
    );
  });
});
