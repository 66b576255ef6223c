import ExcelJS from 'exceljs';
import { AppError } from '../../../shared/api/errors';
import type { ProgressView } from '../../../shared/api/views';
import type { PolicyTable } from '../../../shared/policy';
import type { Db } from '../../platform/db/database';

/** Payers (by id) counted in one statement: a few milliseconds, then the loop gets a turn. */
const PROGRESS_CHUNK = 2_500;

/**
 * Collection progress for the year: payers who paid (any channel) against payers expected to pay,
 * by town and village, and the policy table's targets (e.g. 20 % by 10 June). Expected means
 * registered before today, active, not in the employees' scheme, aged from the minimum age to the
 * pension age in the year: the same people the engine would offer the current year to, counted in
 * indexed passes instead of a per-payer assessment.
 *
 * A county of a million payers takes a second or more to count: it is counted in ranges of payer
 * ids with a turn of the event loop between them (issue 18), so the counter, the card reader and
 * the printer queue keep running while the supervisor's report is made. The ranges are read at
 * slightly different moments; a payment recorded meanwhile may or may not be counted, as if the
 * report had been asked for a moment earlier or later.
 */
export async function collectionProgress(db: Db, table: PolicyTable, today: string, chunk = PROGRESS_CHUNK): Promise<ProgressView> {
  const year = Number(today.slice(0, 4));
  const count = db.prepare(
    `SELECT p.town, p.village,
            count(*) AS expected,
            sum(EXISTS (SELECT 1 FROM payments x WHERE x.payer_id = p.id AND x.year = ?)) AS paid
       FROM payers p
      WHERE p.id >= ? AND p.id < ?
        AND p.status = 'active' AND p.in_employee_scheme = 0 AND p.registration_date <= ?
        AND CAST(substr(p.birth_date, 1, 4) AS INTEGER) BETWEEN ? AND ?
      GROUP BY p.town, p.village`,
  );
  const { lo, hi } = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM payers').get() as { lo: number | null; hi: number | null };
  const byVillage = new Map<string, { town: string; village: string; expected: number; paid: number }>();
  for (let from = lo ?? 1; hi !== null && from <= hi; from += chunk) {
    if (from !== lo) await new Promise((resolve) => setImmediate(resolve));
    if (!db.open) throw new AppError('STARTING');
    const part = count.all(year, from, from + chunk, today, year - table.ages.pension, year - table.ages.min) as {
      town: string;
      village: string;
      expected: number;
      paid: number;
    }[];
    for (const r of part) {
      const key = `${r.town}\u0000${r.village}`;
      const v = byVillage.get(key);
      if (v) {
        v.expected += r.expected;
        v.paid += r.paid;
      } else byVillage.set(key, { ...r });
    }
  }
  // Ordered as SQLite's ORDER BY town, village would (binary collation = UTF-8 byte order).
  const bytes = (s: string) => Buffer.from(s, 'utf8');
  const rows = [...byVillage.values()].sort((a, b) => Buffer.compare(bytes(a.town), bytes(b.town)) || Buffer.compare(bytes(a.village), bytes(b.village)));
  const towns = new Map<string, ProgressView['towns'][number]>();
  for (const r of rows) {
    const t = towns.get(r.town) ?? { town: r.town, expected: 0, paid: 0, villages: [] };
    t.expected += r.expected;
    t.paid += r.paid;
    t.villages.push({ village: r.village, expected: r.expected, paid: r.paid });
    towns.set(r.town, t);
  }
  const expected = rows.reduce((s, r) => s + r.expected, 0);
  const paid = rows.reduce((s, r) => s + r.paid, 0);
  const percent = expected ? (paid * 100) / expected : 0;
  return {
    year,
    asOf: today,
    period: { from: table.collection.from, to: table.collection.to },
    expected,
    paid,
    targets: table.collection.targets.map((t) => ({ by: t.by, percent: t.percent, due: t.by <= today, met: percent >= t.percent })),
    towns: [...towns.values()],
  };
}

const rate = (paid: number, expected: number) => (expected ? Math.round((paid * 10000) / expected) / 100 : 0);

/** One row per village (with its town), then the county total: the table the supervisor exports. */
function exportRows(p: ProgressView): (string | number)[][] {
  const rows: (string | number)[][] = [['乡镇', '村（社区）', '应缴人数', '已缴人数', '缴费率（%）']];
  for (const t of p.towns) for (const v of t.villages) rows.push([t.town, v.village, v.expected, v.paid, rate(v.paid, v.expected)]);
  rows.push(['合计', '', p.expected, p.paid, rate(p.paid, p.expected)]);
  return rows;
}

/** CSV with a byte-order mark, so Excel on a Chinese Windows opens it as UTF-8. */
export function progressCsv(p: ProgressView): Buffer {
  const cell = (v: string | number) => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const text = exportRows(p)
    .map((r) => r.map(cell).join(','))
    .join('\r\n');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text + '\r\n', 'utf8')]);
}

export async function progressXlsx(p: ProgressView): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(`${p.year}年缴费进度`);
  sheet.addRows(exportRows(p));
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((c) => (c.width = 16));
  return Buffer.from(await book.xlsx.writeBuffer());
}
