// Issue 18: receipts and day summaries are laid out in the PDF worker, not on the services thread.
// Here the in-thread renderers are replaced by ones that throw: a PDF still comes back, so it
// was drawn in the worker, and it says what the document says.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ReceiptDocument } from '../../../electron/documents/receipt-document';
import { tempDir } from '../../helpers/serve';

vi.mock('../../../electron/documents/receipt-pdf', async (original) => ({
  ...(await original<object>()),
  renderReceiptPdf: () => {
    throw new Error('rendered on the services thread');
  },
}));
vi.mock('../../../electron/documents/day-summary-pdf', async (original) => ({
  ...(await original<object>()),
  renderDaySummaryPdf: () => {
    throw new Error('rendered on the services thread');
  },
}));

const { renderReceiptPdfOffThread, stopPdfWorker } = await import('../../../electron/documents/pdf-worker');
const { MissingGlyphError } = await import('../../../electron/documents/fonts');

const dir = tempDir('pdf-worker');
const doc: ReceiptDocument = {
  number: '(2026)示税现00000101',
  issuedDate: '2026-06-15',
  taxOffice: '国家税务总局示范县税务局',
  idNumber: '529901199307070411',
  name: '陈吉祥',
  address: '城关镇东门村3组12号',
  lines: [{ item: '城乡居民基本养老保险费', year: 2026, amountFen: 105_050 }],
  totalFen: 105_050,
  operatorName: '演示柜员',
  printCount: 1,
  checkCode: '04718263',
  notes: [],
  training: true,
};

afterAll(() => stopPdfWorker());

describe('the PDF worker', () => {
  it('draws receipts off the services thread, several at once, each with its own content', async () => {
    const names = ['陈吉祥', '王㛃', '李四'];
    const pdfs = await Promise.all(names.map((name, i) => renderReceiptPdfOffThread({ ...doc, name, number: `(2026)示税现0000010${i}` }, { layout: 'a4' })));
    pdfs.forEach((pdf, i) => {
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const file = path.join(dir, `r${i}.pdf`);
      fs.writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain(names[i]);
      expect(text).toContain(`(2026)示税现0000010${i}`);
      expect(text).toContain('1,050.50');
    });
  }, 60_000);

  it('a character no font has is refused as on the services thread, naming it', async () => {
    const refused = await renderReceiptPdfOffThread({ ...doc, name: '陈\u{3FFFD}' }, { layout: 'a4' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MissingGlyphError);
    expect((refused as InstanceType<typeof MissingGlyphError>).code).toBe('GLYPH_MISSING');
    expect((refused as Error).message).toContain('U+3FFFD');
  }, 60_000);
});
