// Hostile input to the parsers at the edges of the app: policy files, printer status bytes,
// ID-card text blocks and upstream protocol pages. None may throw anything but its own refusal.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReaderError } from '../../../electron/devices/idcard/protocol';
import { decodeTextBlock, TEXT_BLOCK_LENGTH } from '../../../electron/devices/idcard/text-block';
import { isStatusByte, parseStatus } from '../../../electron/devices/printer/status';
import { encodeTextBlock, sampleCards } from '../../../electron/devices/sim/cards';
import { parsePolicyJson } from '../../../electron/services/policy/files';
import { PaymentsPage, PayersPage, PushResponse } from '../../../electron/sync/protocol';
import { IdCard } from '../../../shared/domain/id-card';
import { damage, mutate, mutations, textDamage } from './mutate';

const policyDir = path.resolve(__dirname, '..', '..', '..', 'resources', 'policy');
const policyTexts = fs
  .readdirSync(policyDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => fs.readFileSync(path.join(policyDir, f), 'utf8'));

describe('policy files: random mutations of valid tables', () => {
  it('the shipped tables are valid (the base of the mutations)', () => {
    for (const t of policyTexts) expect(parsePolicyJson(t).ok).toBe(true);
  });

  it('structural mutations: ok or issues with a path and message, never a throw', () => {
    fc.assert(
      fc.property(fc.nat(), mutations, (which, list) => {
        const doc = JSON.parse(policyTexts[which % policyTexts.length]!) as unknown;
        const r = parsePolicyJson(JSON.stringify(mutate(doc, list)));
        if (!r.ok) {
          expect(r.issues.length).toBeGreaterThan(0);
          for (const i of r.issues) expect(typeof i.path === 'string' && typeof i.message === 'string' && i.message.length > 0).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('text damage (cut, stray characters) and arbitrary text: issues at $, never a throw', () => {
    fc.assert(
      fc.property(fc.nat(), textDamage, (which, d) => {
        const r = parsePolicyJson(damage(policyTexts[which % policyTexts.length]!, d as { at: number; op: 'cut' | 'insert'; ch: string }));
        return r.ok || r.issues.length > 0;
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const r = parsePolicyJson(text);
        return r.ok || r.issues.length > 0;
      }),
    );
  });
});

describe('printer status bytes (DLE EOT answers)', () => {
  const states = new Set(['ready', 'offline', 'cover_open', 'paper_out', 'error', 'unknown']);
  it('any three bytes give a known state with a message; contradictions never come out', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, b, c) => {
        const s = parseStatus(a, b, c);
        expect(states.has(s.state)).toBe(true);
        expect(s.message.length).toBeGreaterThan(0);
        if (s.state === 'ready') expect(s.online && !s.paperOut && !s.coverOpen && !s.error).toBe(true);
        if (![a, b, c].every(isStatusByte)) expect(s.state).toBe('unknown');
      }),
      { numRuns: 2000 },
    );
  });

  it('exhaustively over every well-formed answer', () => {
    const valid = Array.from({ length: 256 }, (_, i) => i).filter(isStatusByte);
    for (const a of valid)
      for (const b of valid)
        for (const c of valid) {
          const s = parseStatus(a, b, c);
          expect(s.state === 'unknown').toBe(false);
        }
  });
});

describe('ID-card text blocks', () => {
  const blocks = Object.values(sampleCards).map(({ card }) => ({ block: encodeTextBlock(card), hasPhoto: card.hasPhoto }));
  const decodeOrRefuse = (block: Buffer, hasPhoto: boolean) => {
    try {
      const card = decodeTextBlock(block, hasPhoto);
      expect(IdCard.safeParse(card).success).toBe(true);
      return 'card';
    } catch (error) {
      expect(error).toBeInstanceOf(ReaderError);
      expect((error as ReaderError).code).toBe('bad_card_data');
      expect((error as ReaderError).message.length).toBeGreaterThan(0);
      return 'refused';
    }
  };

  it('random bytes of any length: a valid card or a bad_card_data refusal', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ minLength: TEXT_BLOCK_LENGTH, maxLength: TEXT_BLOCK_LENGTH }), fc.uint8Array({ maxLength: 600 })),
        fc.boolean(),
        (bytes, photo) => {
          decodeOrRefuse(Buffer.from(bytes), photo);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('sample cards with random bytes overwritten: a valid card or a refusal', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(fc.tuple(fc.integer({ min: 0, max: TEXT_BLOCK_LENGTH - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
        (which, edits) => {
          const { block, hasPhoto } = blocks[which % blocks.length]!;
          const b = Buffer.from(block);
          for (const [i, v] of edits) b[i] = v;
          decodeOrRefuse(b, hasPhoto);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('upstream protocol pages', () => {
  const id = '520123198001010015';
  const payer = {
    seq: 1,
    idNumber: id,
    name: '张三',
    gender: 'male',
    birthDate: '1980-01-01',
    town: '城关镇',
    village: '东村',
    address: '东村1号',
    registrationDate: '2014-03-01',
    status: 'active',
    statusSince: '2014-03-01',
    inEmployeeScheme: false,
    specialGroups: [{ code: 'dibao', from: '2019-01-01', to: null }],
    updatedAt: '2026-06-15T00:00:00Z',
  };
  const payersPage = { protocol: 1, stream: 'payers', after: '0', items: [payer, { ...payer, seq: 2 }], next: '2', more: false, remaining: 0 };
  const push = {
    protocol: 1,
    idempotencyKey: 'k1',
    replay: false,
    result: { status: 'accepted', receivedAt: '2026-06-15T00:00:00Z', payments: [{ localUid: 'a', upstreamId: 'UP1' }] },
  };

  it('a malformed idNumber in an upstream page is refused, not thrown', () => {
    const r = PayersPage.safeParse({ ...payersPage, items: [{ ...payer, idNumber: '' }] });
    expect(r.success).toBe(false);
  });

  it('mutated pages and push answers: parsed or refused by the schema, never a throw', () => {
    expect(PayersPage.safeParse(payersPage).success).toBe(true);
    expect(PushResponse.safeParse(push).success).toBe(true);
    fc.assert(
      fc.property(mutations, (list) => {
        for (const schema of [PayersPage, PaymentsPage] as const) schema.safeParse(mutate(payersPage, list));
        PushResponse.safeParse(mutate(push, list));
      }),
      { numRuns: 500 },
    );
  });
});
