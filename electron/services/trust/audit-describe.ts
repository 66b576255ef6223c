// The audit trail as a supervisor reads it: each row's action and subject in Chinese and one
// sentence of what happened (amounts in yuan, receipt numbers, reasons) instead of codes, row
// ids and JSON. Labels come from the one vocabulary (shared/vocab.ts).
import { formatYuan, tierName } from '../../../shared/domain/money';
import { auditActionLabels, auditEntityLabels, labelOr, paymentMethodLabels, proofLabels, receiptKindLabels } from '../../../shared/vocab';
import type { AuditRow } from './audit';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const yuan = (v: unknown): string => {
  const n = num(v);
  return n === null ? '' : `${formatYuan(n)}元`;
};
const label = (labels: Readonly<Record<string, string>>, v: unknown): string => (typeof v === 'string' ? labelOr(labels, v, '') : '');

function years(lines: unknown): string {
  if (!Array.isArray(lines)) return '';
  return lines
    .map((l) => {
      const o = obj(l);
      const y = num(o.year);
      const t = num(o.tierFen);
      return y === null ? '' : `${y}年度${t !== null ? ` ${tierName(t)}档` : ''}`;
    })
    .filter(Boolean)
    .join('、');
}

/** One sentence for the row; never an internal id, a field name or JSON. */
export function describeAudit(row: Pick<AuditRow, 'action' | 'entityId' | 'before' | 'after'>): string {
  const a = obj(row.after);
  const b = obj(row.before);
  switch (row.action) {
    case 'payment.record': {
      const method = label(paymentMethodLabels, a.method);
      const cash = num(a.tenderedFen) !== null ? `，实收 ${yuan(a.tenderedFen)}，找零 ${yuan(a.changeFen)}` : '';
      const pos = str(a.posRef) ? `，参考号 ${str(a.posRef)}` : '';
      return `收款 ${yuan(a.totalFen)}（${method}${cash}${pos}）：${years(a.lines)}`;
    }
    case 'receipt.issue': {
      const kind = label(receiptKindLabels, a.kind);
      const extra = str(a.replaces) ? `，作废重开 原票号 ${str(a.replaces)}` : str(a.reissueOf) ? `，补开 原票号 ${str(a.reissueOf)}` : '';
      return `开具缴款书 ${str(a.number) ?? ''}（${kind}）${yuan(a.totalFen)}：${years(a.lines)}${extra}`;
    }
    case 'receipt.void': {
      const by = obj(a.replacedBy);
      return `作废缴款书 ${str(a.number) ?? ''}，原因：${str(a.reason) ?? '—'}${str(by.number) ? `；在 ${str(by.number)} 重开` : ''}${str(a.approvedBy) ? `；审批人 ${str(a.approvedBy)}` : ''}`;
    }
    case 'receipt.exchange': {
      const proof = typeof a.channel === 'string' && a.channel in proofLabels ? proofLabels[a.channel as keyof typeof proofLabels] : null;
      return `换开：${proof ? `${proof.proof} ${proof.ref}` : '凭证'} ${str(a.channelRef) ?? ''}（${num(a.year) ?? ''}年度 ${yuan(a.amountFen)}）→ 缴款书 ${str(a.receiptNumber) ?? ''}`;
    }
    case 'receipt.reprint':
      return `重打缴款书 ${str(row.entityId) ?? ''}（第 ${(num(a.printCount) ?? 0) || ''} 次打印）`;
    case 'print.reprint':
      return '重打缴费凭证';
    case 'receipt.stockReceive':
      return `领用票证 ${str(a.series) ?? ''} ${num(a.firstSerial) ?? ''}–${num(a.lastSerial) ?? ''}`;
    case 'receipt.stockAdjust':
      return `交回票证 ${str(a.series) ?? ''} ${num(a.fromSerial) ?? ''}–${num(a.lastSerial) ?? ''}（${num(a.count) ?? ''} 份），原因：${str(a.reason) ?? '—'}`;
    case 'dayclose.close': {
      const cash = obj(a.cash);
      const diff = num(cash.differenceFen) ?? 0;
      const waiting = Array.isArray(a.waiting) ? `；带 ${a.waiting.length} 份未确认缴款书日结，审批人 ${str(a.waitingApprovedBy) ?? ''}` : '';
      return `日结 ${str(row.entityId) ?? ''}，业务日期 ${str(a.businessDate) ?? ''}，应交现金 ${yuan(cash.expectedFen)}，实点 ${yuan(cash.countedFen)}${diff === 0 ? '（相符）' : diff > 0 ? `（长款 ${formatYuan(diff)}元）` : `（短款 ${formatYuan(-diff)}元）`}${waiting}`;
    }
    case 'approval.grant':
      return `值班主任 ${str(a.approver) ?? ''} 审批通过`;
    case 'approval.refuse':
      return `值班主任 ${str(a.approver) ?? ''} 审批密码错误（第 ${num(a.attempts) ?? ''} 次）`;
    case 'session.signIn':
    case 'session.signOut':
    case 'session.lock':
    case 'session.unlock':
    case 'session.signInFailed':
    case 'session.unlockFailed': {
      const counter = num(a.counterNo) ?? num(b.counterNo);
      return `${labelOr(auditActionLabels, row.action)}${counter ? `（${counter}号窗口）` : ''}`;
    }
    default:
      return labelOr(auditActionLabels, row.action);
  }
}

/** The row as the API sends it: codes kept for filtering, labels and the sentence for reading. */
export function auditRowView<R extends AuditRow>(row: R): R & { actionLabel: string; entityLabel: string; description: string } {
  return {
    ...row,
    actionLabel: labelOr(auditActionLabels, row.action),
    entityLabel: labelOr(auditEntityLabels, row.entity, '其他'),
    description: describeAudit(row),
  };
}
