// Slips for the two command sets, and names with characters the printer's font lacks.
import { describe, expect, it } from 'vitest';
import { decodeEscPos, decodeStarLine, type DecodedItem, type DecodedSlip } from '../../../electron/devices/printer/decoder';
import { createDuplexPair } from '../../../electron/devices/sim/duplex-pair';
import { PrinterSimulator } from '../../../electron/devices/sim/printer-sim';
import { inkCount, renderLine, type Bitmap } from '../../../electron/devices/printer/raster';
import { paymentSlip, testPage, type PaymentSlipData } from '../../../electron/devices/printer/slips';

const RARE = '\u{20BB7}'; // 𠮷: CJK Extension B, a 4-byte GB18030 character, not in GBK
const payment: PaymentSlipData = {
  hallName: '湘阴县办税服务厅',
  counter: '3号窗口',
  slipNo: 'XY20240601-0007',
  payerName: '李秀英',
  idNumber: '430624197503080026',
  lines: [{ year: 2024, tierFen: 30000, amountFen: 30000 }],
  totalFen: 30000,
  paymentMethod: '现金',
  operator: '王小明',
  paidAt: '2024-06-01T02:23:45Z',
  timeZone: 'Asia/Shanghai',
};

const same = (a: Bitmap, b: Bitmap): boolean => a.width === b.width && a.height === b.height && Buffer.from(a.bits).equals(Buffer.from(b.bits));
const nonBlank = (items: DecodedItem[]): DecodedItem[] => items.filter((it) => !(it.type === 'line' && it.text === ''));

describe.each([
  [58, 32],
  [80, 48],
] as const)('STAR printer, %i mm', (width, cols) => {
  const star = decodeStarLine(paymentSlip(payment, { width, printerType: 'star' }));
  const epson = decodeEscPos(paymentSlip(payment, { width, printerType: 'epson', printerFont: 'gb18030' }));

  it('decodes as Star Line Mode without a byte out of place, with the QR and one partial cut at the end', () => {
    expect(star.problems).toEqual([]);
    expect(star.qr).toEqual(['XY20240601-0007']);
    expect(star.cuts).toBe(1);
    expect(star.items[star.items.length - 1]).toMatchObject({ type: 'cut', partial: true });
  });

  it('prints every line the EPSON slip prints: ASCII as text, Chinese as a raster of the same line', () => {
    const s = nonBlank(star.items).filter((it) => it.type !== 'cut');
    const e = nonBlank(epson.items).filter((it) => it.type !== 'cut');
    expect(s).toHaveLength(e.length);
    e.forEach((el, i) => {
      const sl = s[i]!;
      if (el.type === 'line' && /[^ -~]/u.test(el.text)) {
        expect(sl.type, el.text).toBe('raster');
        if (sl.type === 'raster') {
          expect(sl.bitmap.width).toBe(cols * 12);
          expect(sl.bitmap.height).toBe(24 * el.heightMul);
          expect(same(sl.bitmap, renderLine(el.text, cols, { align: el.align, widthMul: el.widthMul, heightMul: el.heightMul })), el.text).toBe(true);
        }
      } else if (el.type === 'line') {
        expect(sl).toMatchObject({ type: 'line', text: el.text, align: el.align, columns: el.columns });
      } else {
        expect(sl).toEqual(el);
      }
    });
  });
});

describe('a name outside GBK', () => {
  const name = `${RARE}祥`;
  const rare = { ...payment, payerName: name };

  it('on a GBK printer is drawn as a raster carrying the glyph, and no text byte is a "?"', () => {
    const bytes = paymentSlip(rare, { width: 58, printerFont: 'gbk' });
    const d = decodeEscPos(bytes);
    expect(d.problems).toEqual([]);
    expect(d.lines.join('\n')).not.toMatch(/[?\ufffd]/u);
    expect(d.lines.some((l) => l.startsWith('缴费人'))).toBe(false);
    const expected = renderLine(`缴费人：${name}`, 32);
    const hit = d.rasters.find((r) => same(r, expected));
    expect(hit).toBeDefined();
    // The glyph is there: 𠮷 sits in columns 8–9 (dots 96–119) and puts ink there.
    const inCell = (b: Bitmap): number => {
      let n = 0;
      for (let y = 0; y < b.height; y++) for (let x = 96; x < 120; x++) n += b.bits[y * b.width + x]!;
      return n;
    };
    expect(hit!.width).toBe(384);
    expect(hit!.height).toBe(24);
    expect(inCell(hit!)).toBeGreaterThan(40);
    expect(inkCount(hit!)).toBeGreaterThan(inkCount(renderLine('缴费人：祥', 32)));
    // The other lines stay text.
    expect(d.lines).toContain('证件号码：430624********0026');
  });

  it('on a GB18030 printer goes as text: its 4-byte code inside FS & … FS .', () => {
    const bytes = paymentSlip(rare, { width: 58, printerFont: 'gb18030' });
    expect(bytes.includes(Buffer.from('1c26', 'hex'))).toBe(true);
    expect(bytes.includes(Buffer.from('9534b235', 'hex'))).toBe(true);
    expect(decodeEscPos(bytes).lines).toContain(`缴费人：${name}`);
    expect(decodeEscPos(bytes).rasters).toEqual([]);
  });
});

describe('test page', () => {
  const page = (printerType: 'epson' | 'star', printerFont: 'gbk' | 'gb18030' = 'gbk') => {
    const bytes = testPage({ printer: '/dev/usb/lp0', at: new Date(0), timeZone: 'Asia/Shanghai' }, { width: 80, printerType, printerFont });
    return printerType === 'star' ? decodeStarLine(bytes) : decodeEscPos(bytes);
  };

  it('names the printer type and font and prints 𠮷 through the printer font and as raster (EPSON)', () => {
    const d = page('epson', 'gbk');
    expect(d.problems).toEqual([]);
    expect(d.lines).toContain('打印机类型：EPSON 兼容（ESC/POS）');
    expect(d.lines.some((l) => l.startsWith('汉字字库：GBK'))).toBe(true);
    expect(d.lines).toContain(`字库：${RARE}吉`);
    const raster = d.rasters.find((r) => same(r, renderLine(`图像：${RARE}吉`, 48)));
    expect(raster).toBeDefined();
    expect(inkCount(raster!)).toBeGreaterThan(inkCount(renderLine('图像：吉', 48)));
    expect(d.qr).toEqual(['pension-counter test page']);
  });

  it('on STAR says so, and its Chinese comes as raster', () => {
    const d = page('star');
    expect(d.problems).toEqual([]);
    expect(d.rasters.some((r) => same(r, renderLine('打印机类型：STAR（Star Line Mode）', 48)))).toBe(true);
    expect(d.rasters.some((r) => same(r, renderLine(`图像：${RARE}吉`, 48)))).toBe(true);
    expect(d.cuts).toBe(1);
  });
});

describe('the simulated printer set to STAR (training preview)', () => {
  it('splits STAR bytes at the cut and decodes them as Star Line Mode', async () => {
    const [host, device] = createDuplexPair();
    const sim = new PrinterSimulator(device);
    sim.commandSet = 'star';
    const got: DecodedSlip[] = [];
    sim.on('slip', (d) => got.push(d));
    host.write(paymentSlip(payment, { width: 58, printerType: 'star' }));
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toHaveLength(1);
    expect(got[0]!.problems).toEqual([]);
    expect(got[0]!.qr).toEqual(['XY20240601-0007']);
    expect(got[0]!.rasters.length).toBeGreaterThan(10);
    expect(sim.lastSlip()?.cuts).toBe(1);
  });
});
