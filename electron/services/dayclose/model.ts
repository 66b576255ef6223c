// Builds the one day-summary model (shared/day-summary-model.ts) from a summary or a recorded
// close. The thermal slip and the A4 document only draw it.
import type { DaySummaryModel, SummaryModelRow, SummaryModelSection } from '../../../shared/day-summary-model';
import { amountInCapitals } from '../../../shared/domain/capitals';
import { formatYuan, tierLabel } from '../../../shared/domain/money';
import { channelLabels, lineKindLabels, paymentMethodLabels, receiptKindLabels, receiptStatusLabels } from '../../../shared/vocab';
import { governmentLevelLabels } from '../../../shared/policy/schema';
import type { DayCloseRecord, DaySummary, LevelAmount } from './types';
import { evaluationLine } from '../payer-display/tally';

export const DAY_SUMMARY_TITLE = '税务机关入库城乡居民养老保险费日汇总单';

const bi = (n: number) => `${n}笔`;
const nian = (n: number) => `${n}年次`;
const fen = (n: number) => `${n}份`;
const money = formatYuan;

export interface ModelHeader {
  taxOffice: string;
  hallName: string;
  /** 经办人 as printed, e.g. 演示柜员（clerk）. */
  operator: string;
  /** e.g. 1号窗口 */
  counter: string;
  training: boolean;
}

export interface ModelClose {
  number: string;
  closedAt: string;
  closedBy: string;
  cashCountedFen: number;
  cashDifferenceFen: number;
  /** The supervisor who approved closing with receipts still waiting. */
  waitingApprovedBy: string | null;
}

function section(s: Omit<SummaryModelSection, 'notes' | 'emptyText'> & Partial<Pick<SummaryModelSection, 'notes' | 'emptyText'>>): SummaryModelSection {
  return { notes: [], emptyText: '无', ...s };
}

export function cashDifferenceText(diffFen: number): string {
  return diffFen === 0 ? '0.00（相符）' : diffFen > 0 ? `长款 ${money(diffFen)}` : `短款 ${money(-diffFen)}`;
}

/** The model of a summary: a recorded close (close given) or a day still open (a draft). */
export function buildDaySummaryModel(s: DaySummary, h: ModelHeader, close: ModelClose | null): DaySummaryModel {
  const p = s.payments;
  const r = s.receipts;
  const waiting = s.waiting ?? [];
  const sections: SummaryModelSection[] = [];

  const yearRows: SummaryModelRow[] = p.byYear.map((y) => ({
    label: `${y.year}年度 ${y.backPayment ? lineKindLabels.back_payment : lineKindLabels.current}`,
    values: [nian(y.count), money(y.amountFen), money(y.subsidyFen), money(y.governmentPaidFen)],
  }));
  yearRows.push({ label: '当年小计', values: [nian(p.current.count), money(p.current.amountFen), '', ''], total: true });
  yearRows.push({ label: '补缴小计', values: [nian(p.backPayment.count), money(p.backPayment.amountFen), '', ''], total: true });
  yearRows.push({ label: '合计', values: [nian(p.count), money(p.amountFen), money(p.subsidyFen), money(p.governmentPaidFen)], total: true });
  if (p.lumpSum !== undefined && p.lumpSum.count > 0) {
    // 一次性补缴 counts years of contribution, not calendar years (policy engine): its own line.
    yearRows.push({ label: `其中一次性补缴 ${p.lumpSum.years}年`, values: [bi(p.lumpSum.count), money(p.lumpSum.amountFen), '', ''], total: true });
  }
  // The subsidy and 代缴 split between levels of government, as the policy table records it.
  const levels = [...new Set([...(p.subsidyByLevel ?? []), ...(p.governmentPaidByLevel ?? [])].map((x) => x.level))];
  for (const level of levels) {
    const find = (list: LevelAmount[] | undefined) => money(list?.find((x) => x.level === level)?.amountFen ?? 0);
    yearRows.push({ label: `其中${governmentLevelLabels[level]}出资`, values: ['', '', find(p.subsidyByLevel), find(p.governmentPaidByLevel)] });
  }
  sections.push(
    section({
      key: 'byYear',
      title: '一、缴费汇总（按缴费年度）',
      columns: ['缴费年度', '年次', '个人缴费', '政府补贴（记账）', '政府代缴（记账）'],
      rows: yearRows,
      thermalColumns: [0, 1],
      notes: [
        `收款 ${bi(p.transactions)}，缴费 ${nian(p.count)}（一笔收款可缴多个年度）。政府补贴、代缴只记入个人账户，不向缴费人收取，不计入入库金额。`,
        // Closes recorded before the payer's screen existed have no ratings: no line.
        ...(s.evaluations ? [evaluationLine(s.evaluations)] : []),
      ],
    }),
  );

  sections.push(
    section({
      key: 'byTier',
      title: '二、按缴费档次',
      columns: ['缴费档次', '年次', '金额'],
      rows: [
        ...p.byTier.map((t) => ({ label: tierLabel(t.tierFen), values: [nian(t.count), money(t.amountFen)] })),
        { label: '合计', values: [nian(p.count), money(p.amountFen)], total: true },
      ],
    }),
  );

  sections.push(
    section({
      key: 'byMethod',
      title: '三、按缴费方式',
      columns: ['缴费方式', '收款笔数', '年次', '金额'],
      rows: [
        ...p.byMethod.map((m) => ({ label: paymentMethodLabels[m.method], values: [bi(m.transactions), nian(m.count), money(m.amountFen)] })),
        { label: '合计', values: [bi(p.transactions), nian(p.count), money(p.amountFen)], total: true },
      ],
    }),
  );

  sections.push(
    section({
      key: 'byCounter',
      title: '四、按窗口和经办人',
      columns: ['窗口 经办人', '收款笔数', '年次', '金额', '其中现金'],
      rows: s.byCounter.map((c) => ({
        label: `${c.counterNo}号窗口 ${c.operatorName}（${c.operatorUsername}）`,
        values: [bi(c.transactions), nian(c.count), money(c.amountFen), money(c.cashFen)],
      })),
      emptyText: '本日无柜台收款。',
      a4Only: true,
    }),
  );

  sections.push(
    section({
      key: 'exchanges',
      title: '五、换开缴款书（银行、App 缴费，不收款）',
      columns: ['缴费渠道', '年次', '金额'],
      rows: s.exchanges.byChannel.length
        ? [
            ...s.exchanges.byChannel.map((e) => ({ label: channelLabels[e.channel], values: [nian(e.count), money(e.amountFen)] })),
            { label: '合计', values: [nian(s.exchanges.count), money(s.exchanges.amountFen)], total: true },
          ]
        : [],
      emptyText: '本日无换开。',
    }),
  );

  sections.push(
    section({
      key: 'receipts',
      title: '六、票证使用情况（税收缴款书）',
      columns: ['号码段', '份数'],
      rows: r.ranges.map((x) => ({ label: x.count === 1 ? x.firstNumber : `${x.firstNumber}–${x.lastNumber}`, values: [fen(x.count)] })),
      notes: [
        `使用 ${fen(r.used)}：已开具 ${fen(r.issued)}，作废 ${fen(r.voided)}；其中补开 ${fen(r.reissued)}。`,
        `有效票面金额：${receiptKindLabels.counter} ${money(r.issuedFen.counter)}，${receiptKindLabels.exchange} ${money(r.issuedFen.exchange)}，${receiptKindLabels.reissue} ${money(r.issuedFen.reissue)}。`,
      ],
      emptyText: '本日未使用票证。',
    }),
  );

  if (r.voidedList.length > 0) {
    sections.push(
      section({
        key: 'voided',
        title: `作废票证 ${fen(r.voided)}`,
        columns: ['作废票号', '类型', '金额', '作废原因', '重开票号'],
        rows: r.voidedList.map((v) => ({ label: v.number, values: [receiptKindLabels[v.kind], money(v.totalFen), v.reason, v.replacedBy ?? '—'] })),
        thermalColumns: [1, 2, 3],
      }),
    );
  }
  if (r.reissuedList.length > 0) {
    sections.push(
      section({
        key: 'reissued',
        title: `补开 ${fen(r.reissued)}`,
        columns: ['补开票号', '原票号', '金额', '补开原因'],
        rows: r.reissuedList.map((x) => ({
          label: x.state === 'voided' ? `${x.number}（已作废）` : x.number,
          values: [x.reissueOf, money(x.totalFen), x.reason],
        })),
        thermalColumns: [0, 1],
      }),
    );
  }
  if (waiting.length > 0) {
    sections.push(
      section({
        key: 'waiting',
        title: `七、未打印或未确认的缴款书 ${fen(waiting.length)}`,
        columns: ['票号', '缴费人', '金额', '状态'],
        rows: waiting.map((w) => ({ label: w.number, values: [w.payerName, money(w.totalFen), receiptStatusLabels[w.status]] })),
        notes: close?.waitingApprovedBy ? [`经值班主任 ${close.waitingApprovedBy} 审批，带上列缴款书日结。`] : ['日结前请打印并确认，或作废重开。'],
      }),
    );
  }

  const counted = close ? money(close.cashCountedFen) : '（日结时录入）';
  sections.push(
    section({
      key: 'cash',
      title: `${waiting.length > 0 ? '八' : '七'}、现金`,
      columns: ['项目', '金额'],
      rows: [
        { label: '应交现金', values: [money(s.cash.expectedFen)], total: true },
        { label: '实点现金', values: [counted] },
        { label: '差额（实点 − 应交）', values: [close ? cashDifferenceText(close.cashDifferenceFen) : '—'] },
      ],
    }),
  );

  return {
    title: DAY_SUMMARY_TITLE,
    taxOffice: h.taxOffice,
    hallName: h.hallName,
    businessDate: s.businessDate,
    operator: h.operator,
    counter: h.counter,
    closeNumber: close?.number ?? null,
    closedAt: close?.closedAt ?? null,
    closedBy: close?.closedBy ?? null,
    figures: {
      transactions: p.transactions,
      lines: p.count,
      amountFen: p.amountFen,
      subsidyFen: p.subsidyFen,
      governmentPaidFen: p.governmentPaidFen,
      cashExpectedFen: s.cash.expectedFen,
      cashCountedFen: close?.cashCountedFen ?? null,
      receiptsUsed: r.used,
      receiptsIssued: r.issued,
      receiptsVoided: r.voided,
      receiptsReissued: r.reissued,
      exchanges: s.exchanges.count,
      exchangesFen: s.exchanges.amountFen,
      waiting: waiting.length,
    },
    sections,
    total: { capitals: amountInCapitals(p.amountFen), figures: money(p.amountFen) },
    training: h.training,
  };
}

/** The model of a recorded close (what a reprint shows: the snapshot). */
export function dayCloseModel(rec: DayCloseRecord, h: Omit<ModelHeader, 'operator' | 'counter'>): DaySummaryModel {
  return buildDaySummaryModel(
    rec.summary,
    { ...h, operator: `${rec.operator.name}（${rec.operator.username}）`, counter: `${rec.counterNo}号窗口` },
    {
      number: rec.number,
      closedAt: rec.closedAt,
      closedBy: `${rec.closedBy.name}（${rec.closedBy.username}）`,
      cashCountedFen: rec.cash.countedFen,
      cashDifferenceFen: rec.cash.differenceFen,
      waitingApprovedBy: rec.waitingApprovedBy ? `${rec.waitingApprovedBy.name}（${rec.waitingApprovedBy.username}）` : null,
    },
  );
}
