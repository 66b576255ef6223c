// The counter's one flow: find a payer → choose years and take the money → receipt → next payer
// (or 换开). One reducer owns it, so "next payer" is one action instead of ten hand-reset states.
import type {
  CounterTransactionView,
  ExchangeCandidateView,
  PayerView,
  PaymentMethod,
  PrintJobView,
  ReceiptView,
  RecordedPayment,
} from '../../../../shared/api/views';
import type { QuoteLineRequest, YearAssessment } from '../../../../shared/policy';

export interface PaymentDraft {
  /** Generated when the payer opened: recording twice with it pays once. */
  transactionUid: string;
  selected: number[];
  tiers: Record<number, number>;
  method: PaymentMethod;
  tendered: string;
  /** Bank card: the POS slip's reference number. */
  posRef: string;
  /** The year row the keyboard points at (Ctrl+↑ / Ctrl+↓), among the payable years. */
  cursor: number | null;
  /**
   * 一次性补缴 (F10): the lump sum for every year still missing after the ticked years, at one
   * tier, paid in `year`; null when not chosen. Optional: a draft saved before it existed has none.
   */
  lump?: { year: number; tierFen: number } | null;
}

export type Step =
  /** Waiting for a card, an ID number or a name. */
  | { kind: 'search' }
  /** A payer is open: years, payment, their transactions and receipts. */
  | { kind: 'payer' }
  /** 换开: a bank / app voucher number is being looked up. */
  | { kind: 'exchange' };

export interface FlowState {
  step: Step;
  payer: PayerView | null;
  draft: PaymentDraft | null;
  /** The payment just recorded in this visit (its result stays on screen until the next payer). */
  recorded: RecordedPayment | null;
  job: PrintJobView | null;
  /** This payer's counter transactions, receipts and bank / app payments as the services report them. */
  transactions: CounterTransactionView[];
  receipts: ReceiptView[];
  exchanges: ExchangeCandidateView[];
  /** Receipts issued in this visit (counter or 换开), shown in the receipt panel. */
  focus: string[];
  /** A problem with the lookup or the card (payment and receipt errors live with their panels). */
  notice: { type: 'error' | 'warning' | 'info'; text: string } | null;
}

export const initialFlow: FlowState = {
  step: { kind: 'search' },
  payer: null,
  draft: null,
  recorded: null,
  job: null,
  transactions: [],
  receipts: [],
  exchanges: [],
  focus: [],
  notice: null,
};

export type FlowAction =
  | { type: 'open'; payer: PayerView }
  | { type: 'payerRefreshed'; payer: PayerView }
  | { type: 'activity'; payerId: number; transactions: CounterTransactionView[]; receipts: ReceiptView[]; exchanges: ExchangeCandidateView[] }
  | { type: 'restoreDraft'; draft: PaymentDraft }
  | { type: 'toggleYear'; year: number }
  | { type: 'setTier'; year: number; tierFen: number }
  | { type: 'toggleLump' }
  | { type: 'setLumpTier'; tierFen: number }
  | { type: 'moveCursor'; by: 1 | -1 }
  | { type: 'toggleCursor' }
  | { type: 'stepTier'; by: 1 | -1 }
  | { type: 'setMethod'; method: PaymentMethod }
  | { type: 'setTendered'; tendered: string }
  | { type: 'setPosRef'; posRef: string }
  | { type: 'recorded'; payment: RecordedPayment }
  | { type: 'job'; job: PrintJobView }
  | { type: 'receipts'; receipts: ReceiptView[]; focus?: boolean }
  | { type: 'exchange' }
  | { type: 'notice'; notice: FlowState['notice'] }
  | { type: 'next' };

/** The tier offered by default for a year: the one paid most recently if still offered, else the first. */
export function defaultTier(year: YearAssessment, lastPaidTierFen: number | null): number | null {
  const open = year.tiers.filter((t) => !t.reserved || year.governmentPaid);
  const pick = open.find((t) => t.tierFen === lastPaidTierFen) ?? open[0] ?? year.tiers[0];
  return pick?.tierFen ?? null;
}

/** Pre-selects the current year (when payable) with its default tier: the common case is one key. */
export function draftFor(payer: PayerView, transactionUid: string): PaymentDraft {
  const tiers: Record<number, number> = {};
  const paid = payer.years.flatMap((y) => y.payments).sort((a, b) => b.year - a.year);
  for (const y of payer.assessment?.years ?? []) {
    if (!y.payable) continue;
    const t = defaultTier(y, paid[0]?.tierFen ?? null);
    if (t !== null) tiers[y.year] = t;
  }
  const current = payer.assessment?.years.find((y) => y.kind === 'current' && y.payable);
  return {
    transactionUid,
    selected: current && tiers[current.year] !== undefined ? [current.year] : [],
    tiers,
    method: 'cash',
    tendered: '',
    posRef: '',
    cursor: payer.assessment?.years.find((y) => y.payable)?.year ?? null,
    lump: null,
  };
}

/** The selected (year, tier) lines, newest year first, then the lump sum when chosen. */
export function draftLines(d: PaymentDraft): QuoteLineRequest[] {
  const years = [...d.selected].sort((a, b) => b - a).flatMap((year) => (d.tiers[year] !== undefined ? [{ year, tierFen: d.tiers[year] }] : []));
  return d.lump ? [...years, { year: d.lump.year, tierFen: d.lump.tierFen, lumpSum: true }] : years;
}

const upsert = (list: ReceiptView[], next: ReceiptView[]) => {
  const byNumber = new Map(list.map((r) => [r.number, r]));
  for (const r of next) byNumber.set(r.number, r);
  return [...byNumber.values()].sort((a, b) => b.id - a.id);
};

export function flowReducer(s: FlowState, a: FlowAction): FlowState {
  switch (a.type) {
    case 'open':
      return {
        ...initialFlow,
        step: { kind: 'payer' },
        payer: a.payer,
        draft: draftFor(a.payer, crypto.randomUUID()),
        // Re-opening the payer the clerk is serving keeps what was issued in this visit.
        ...(s.payer?.id === a.payer.id
          ? { recorded: s.recorded, job: s.job, focus: s.focus, transactions: s.transactions, receipts: s.receipts, exchanges: s.exchanges }
          : {}),
      };
    case 'payerRefreshed': {
      if (s.payer?.id !== a.payer.id) return s;
      // After a payment the paid years show as paid; a fresh draft for anything still payable.
      const draft = s.recorded && s.draft?.transactionUid === s.recorded.transactionUid ? draftFor(a.payer, crypto.randomUUID()) : s.draft;
      return { ...s, payer: a.payer, draft: draft ? { ...draft, selected: s.recorded ? [] : draft.selected } : draft };
    }
    case 'activity':
      if (s.payer?.id !== a.payerId) return s;
      return { ...s, transactions: a.transactions, receipts: upsert([], a.receipts), exchanges: a.exchanges };
    case 'restoreDraft':
      return s.payer && s.draft ? { ...s, draft: { ...s.draft, ...a.draft } } : s;
    case 'toggleYear': {
      if (!s.draft) return s;
      const has = s.draft.selected.includes(a.year);
      return { ...s, draft: { ...s.draft, selected: has ? s.draft.selected.filter((y) => y !== a.year) : [...s.draft.selected, a.year] } };
    }
    case 'setTier':
      return s.draft ? { ...s, draft: { ...s.draft, tiers: { ...s.draft.tiers, [a.year]: a.tierFen } } } : s;
    case 'toggleLump': {
      const offer = s.payer?.assessment?.lumpSum;
      if (!s.draft || !offer?.payable || !s.payer?.assessment) return s;
      const tierFen = offer.tiers[0]?.tierFen;
      if (s.draft.lump || tierFen === undefined) return { ...s, draft: { ...s.draft, lump: null } };
      return { ...s, draft: { ...s.draft, lump: { year: Number(s.payer.assessment.date.slice(0, 4)), tierFen } } };
    }
    case 'setLumpTier':
      return s.draft?.lump ? { ...s, draft: { ...s.draft, lump: { ...s.draft.lump, tierFen: a.tierFen } } } : s;
    case 'moveCursor': {
      // Rows run newest year first, as on screen: ↓ goes to an earlier year.
      const years = (s.payer?.assessment?.years ?? []).filter((y) => y.payable).map((y) => y.year);
      if (!s.draft || !years.length) return s;
      const i = s.draft.cursor === null ? -1 : years.indexOf(s.draft.cursor);
      const next = years[Math.max(0, Math.min(years.length - 1, i + a.by))]!;
      return { ...s, draft: { ...s.draft, cursor: next } };
    }
    case 'toggleCursor':
      return s.draft?.cursor != null ? flowReducer(s, { type: 'toggleYear', year: s.draft.cursor }) : s;
    case 'stepTier': {
      const d = s.draft;
      const year = d?.cursor;
      const y = s.payer?.assessment?.years.find((x) => x.year === year);
      if (!d || year == null || !y) return s;
      const tiers = y.tiers.map((t) => t.tierFen);
      const i = tiers.indexOf(d.tiers[year] ?? tiers[0]!);
      const next = tiers[Math.max(0, Math.min(tiers.length - 1, i + a.by))]!;
      // Choosing a tier for a year ticks it: that is what the clerk means.
      return { ...s, draft: { ...d, tiers: { ...d.tiers, [year]: next }, selected: d.selected.includes(year) ? d.selected : [...d.selected, year] } };
    }
    case 'setMethod':
      return s.draft ? { ...s, draft: { ...s.draft, method: a.method } } : s;
    case 'setTendered':
      return s.draft ? { ...s, draft: { ...s.draft, tendered: a.tendered } } : s;
    case 'setPosRef':
      return s.draft ? { ...s, draft: { ...s.draft, posRef: a.posRef } } : s;
    case 'recorded':
      return {
        ...s,
        recorded: a.payment,
        job: a.payment.printJob,
        focus: [],
      };
    case 'job':
      return s.job?.id === a.job.id ? { ...s, job: a.job } : s;
    case 'receipts':
      return {
        ...s,
        receipts: upsert(s.receipts, a.receipts),
        focus: a.focus ? [...new Set([...s.focus, ...a.receipts.map((r) => r.number)])] : s.focus,
      };
    case 'exchange':
      return { ...initialFlow, step: { kind: 'exchange' } };
    case 'notice':
      return { ...s, notice: a.notice };
    case 'next':
      return initialFlow;
  }
}

/** What a receipt is waiting for, as the clerk says it. */
export type ReceiptStage = 'to_print' | 'to_confirm' | 'done' | 'voided';
export function receiptStage(r: ReceiptView): ReceiptStage {
  return ({ issued: 'to_print', printed: 'to_confirm', confirmed: 'done', voided: 'voided' } as const)[r.status];
}

/** The next receipt step on this payer's page, i.e. what F8 / Enter act on. */
export function nextReceiptStep(s: FlowState): { kind: 'issue'; transactionId: number } | { kind: 'print' | 'confirm'; receipt: ReceiptView } | null {
  const live = s.receipts.filter((r) => r.state !== 'voided');
  // Receipts of this visit first, then older ones of this payer, oldest first.
  const ordered = [...live].sort((a, b) => Number(s.focus.includes(b.number)) - Number(s.focus.includes(a.number)) || a.id - b.id);
  const toPrint = ordered.find((r) => receiptStage(r) === 'to_print');
  if (toPrint) return { kind: 'print', receipt: toPrint };
  const toConfirm = ordered.find((r) => receiptStage(r) === 'to_confirm');
  if (toConfirm) return { kind: 'confirm', receipt: toConfirm };
  if (s.recorded && s.recorded.totals.years > 0 && !live.some((r) => r.transactionId === s.recorded!.transactionId)) {
    return { kind: 'issue', transactionId: s.recorded.transactionId };
  }
  return null;
}
