// The calibration frame for a page printer (IT screen): a page of the receipt's size with a frame
// 5 mm inside the edge, millimetre rulers along the top and left edges, and the form's origin
// marked where the overlay would put it with the printer's offsets. Printed at 100 %, a ruler
// measures what the printer did: 10 mm on paper must be 10 mm on the ruler.
import { documentFonts } from './fonts';
import { mm, openPdf } from './pdf-page';

export interface CalibrationFrameOptions {
  pageMm: { widthMm: number; heightMm: number };
  printer: string;
  /** The printer's overlay offsets, mm. */
  offsets: { xMm: number; yMm: number };
  /** Printed on the frame: when and on which layout. */
  caption: string;
}

export async function renderCalibrationPdf(o: CalibrationFrameOptions): Promise<Buffer> {
  const fonts = documentFonts();
  const W = o.pageMm.widthMm;
  const H = o.pageMm.heightMm;
  const { doc, done } = openPdf({ widthMm: W, heightMm: H, title: `校准框 ${o.printer}` }, fonts);
  doc.lineWidth(0.5).strokeColor('#000000');
  doc.rect(mm(5), mm(5), mm(W - 10), mm(H - 10)).stroke();
  // Rulers: a tick each millimetre inside the frame, longer every 5 and 10.
  for (let x = 10; x <= W - 10; x++) {
    const len = x % 10 === 0 ? 4 : x % 5 === 0 ? 2.5 : 1.2;
    doc
      .moveTo(mm(x), mm(5))
      .lineTo(mm(x), mm(5 + len))
      .stroke();
  }
  for (let y = 10; y <= H - 10; y++) {
    const len = y % 10 === 0 ? 4 : y % 5 === 0 ? 2.5 : 1.2;
    doc
      .moveTo(mm(5), mm(y))
      .lineTo(mm(5 + len), mm(y))
      .stroke();
  }
  // The form's origin as the overlay places it: a cross at (offset x, offset y) from the corner, 10 mm in.
  const cx = 10 + o.offsets.xMm;
  const cy = 10 + o.offsets.yMm;
  doc
    .moveTo(mm(cx - 4), mm(cy))
    .lineTo(mm(cx + 4), mm(cy))
    .moveTo(mm(cx), mm(cy - 4))
    .lineTo(mm(cx), mm(cy + 4))
    .stroke();
  const face = fonts.primary.id;
  const line = (s: string, y: number) => doc.font(face).fontSize(10).fillColor('#000000').text(s, mm(20), mm(y), { lineBreak: false });
  line(`校准框  打印机：${o.printer}`, 20);
  line(`版面 ${W}×${H} 毫米，按 100% 打印；刻度每格 1 毫米`, 27);
  line(`当前偏移：向右 ${o.offsets.xMm} 毫米，向下 ${o.offsets.yMm} 毫米（十字为套打原点）`, 34);
  line(o.caption, 41);
  doc.end();
  return done;
}
