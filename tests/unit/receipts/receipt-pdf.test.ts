// The receipt PDF: every field is in the text a PDF reader extracts, amounts in figures and in
// capitals, a rare name character drawn from a fallback font (never a missing glyph), training
// marks, and the overlay moved by the printer's calibration. PNGs of each layout are written to
// tests/artifacts/receipts/ for a person to look at.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentFonts, MissingGlyphError } from '../../../electron/documents/fonts';
import type { ReceiptDocument } from '../../../electron/documents/receipt-document';
import { renderReceiptPdf } from '../../../electron/documents/receipt-pdf';
import { repoRoot, tempDir } from '../../helpers/serve';

const artifacts = path.join(repoRoot, 'tests', 'artifacts', 'receipts');
const dir = tempDir('receipt-pdf');

const doc: ReceiptDocument = {
  number: '(2026)示税现00000101',
  issuedDate: '2026-06-15',
  taxOffice: '国家税务总局示范县税务局',
  idNumber: '529901199307070411',
  name: '陈𠮷祥',
  address: '城关镇东门村3组12号',
  lines: [
    { item: '城乡居民基本养老保险费', year: 2024, amountFen: 30_000 },
    { item: '城乡居民基本养老保险费', year: 2025, amountFen: 50_000 },
    { item: '城乡居民基本养老保险费', year: 2026, amountFen: 105_050 },
  ],
  totalFen: 185_050,
  operatorName: '演示柜员',
  printCount: 2,
  checkCode: '04718263',
  notes: ['换开 银行POS参考号 123456789012'],
  training: false,
};

async function write(name: string, d: ReceiptDocument, options: Parameters<typeof renderReceiptPdf>[1]): Promise<string> {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, await renderReceiptPdf(d, options));
  fs.mkdirSync(artifacts, { recursive: true });
  execFileSync('pdftoppm', ['-r', '100', '-png', '-singlefile', file, path.join(artifacts, name)]);
  return file;
}

const text = (file: string, mode = '-layout') => execFileSync('pdftotext', [mode, file, '-'], { encoding: 'utf8' });

/** Position (pt) of the first word containing `needle`, from pdftotext's bounding boxes. */
function wordBox(file: string, needle: string): { x: number; y: number } {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
  for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)) {
    if (m[3]!.includes(needle)) return { x: Number(m[1]), y: Number(m[2]) };
  }
  throw new Error(`word ${needle} not found`);
}

let a4: string;
beforeAll(async () => {
  a4 = await write('a4', doc, { layout: 'a4' });
});

describe('A4 receipt', () => {
  it('carries every field, the amounts in figures and the total in capitals', () => {
    const t = text(a4);
    for (const s of [
      '中华人民共和国税收缴款书（税务收现专用）',
      '(2026)示税现00000101',
      '2026年06月15日',
      '国家税务总局示范县税务局',
      '529901199307070411',
      '陈𠮷祥',
      '城关镇东门村3组12号',
      '2024年度',
      '2025年度',
      '2026年度',
      '300.00',
      '500.00',
      '1,050.50',
      '¥1,850.50',
      '壹仟捌佰伍拾元伍角',
      '演示柜员',
      '第2次打印',
      '校验码 04718263',
      '换开 银行POS参考号 123456789012',
      '纳税人识别号',
      '金额合计',
    ]) {
      expect(t, s).toContain(s);
    }
    expect(t.match(/城乡居民基本养老保险费/g)).toHaveLength(3);
    expect(t).not.toMatch(/样张|培训/);
  });

  it('draws 𠮷 from a fallback font and embeds only subsets', () => {
    const fonts = execFileSync('pdffonts', [a4], { encoding: 'utf8' });
    expect(fonts).toMatch(/\+NotoSansSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts).toMatch(/\+NotoSansCJKsc-Regular\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
    // A subset of a 10 MB face: the whole receipt stays small.
    expect(fs.statSync(a4).size).toBeLessThan(200_000);
  });

  it('refuses to print a name no font can draw, naming the character', async () => {
    const noFallback = documentFonts({ fallbacks: [] });
    const refused = await renderReceiptPdf(doc, { layout: 'a4', fonts: noFallback }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MissingGlyphError);
    expect((refused as Error).message).toContain('U+20BB7');
    // 㛃 (Extension A) is in the shipped font itself.
    const ok = await renderReceiptPdf({ ...doc, name: '王㛃' }, { layout: 'a4', fonts: documentFonts({ fallbacks: [] }) });
    const file = path.join(dir, 'ext-a.pdf');
    fs.writeFileSync(file, ok);
    expect(text(file)).toContain('王㛃');
  });
});

describe('training mode', () => {
  it('marks 样张 and 培训 across the page in both layouts', async () => {
    for (const layout of ['a4', 'overlay'] as const) {
      // -raw also extracts the rotated marks.
      const t = text(await write(`training-${layout}`, { ...doc, training: true, notes: ['培训样张 不作收款凭证'] }, { layout }), '-raw');
      expect(t.match(/样张/g)!.length, layout).toBeGreaterThanOrEqual(5);
      expect(t.match(/培训/g)!.length, layout).toBeGreaterThanOrEqual(5);
      expect(t).toContain('不作收款凭证');
    }
  });
});

describe('overlay on the pre-printed form', () => {
  it('prints the values without the form, the number in the remarks, moved by the calibration offsets', async () => {
    const plain = await write('overlay', doc, { layout: 'overlay' });
    const moved = await write('overlay-calibrated', doc, { layout: 'overlay', calibration: { xMm: 5, yMm: -3 } });
    const t = text(plain);
    for (const s of ['529901199307070411', '陈𠮷祥', '壹仟捌佰伍拾元伍角', '¥1,850.50', '票号 (2026)示税现00000101', '第2次打印']) expect(t).toContain(s);
    expect(t).not.toContain('纳税人识别号');
    const a = wordBox(plain, '529901199307070411');
    const b = wordBox(moved, '529901199307070411');
    expect(b.x - a.x).toBeCloseTo((5 * 72) / 25.4, 1);
    expect(b.y - a.y).toBeCloseTo((-3 * 72) / 25.4, 1);
  });
});
