import { Button, Space, Tag } from 'antd';
import type { CounterTransactionView, ExchangeCandidateView, ReceiptView } from '../../../shared/api/views';
import {
  channelLabels,
  exchangeStatusLabels,
  lineKindLabels,
  paymentMethodLabels,
  POS_REF_LABEL,
  receiptKindLabels,
  receiptStatusLabels,
} from '../../../shared/vocab';
import { call } from '../api/client';
import { DataTable } from '../components/DataTable';
import { hallDateTime, yuan } from '../format';
import type { ReceiptActions } from './ReceiptFlow';

const statusColors: Record<ReceiptView['status'], string> = { issued: 'orange', printed: 'gold', confirmed: 'green', voided: 'default' };

interface Row {
  key: string;
  at: string;
  what: string;
  amountFen: number;
  transaction: CounterTransactionView | null;
  exchange: ExchangeCandidateView | null;
  receipts: ReceiptView[];
}

/** A receipt's number, state, 第n张/共m张, and the actions its state allows (from the services). */
export function ReceiptLine({ r, actions }: { r: ReceiptView; actions: ReceiptActions }) {
  return (
    <Space size={4} wrap data-testid="activity-receipt">
      <span>{r.number}</span>
      {r.group ? (
        <span className="year-reason">
          第{r.group.index}张/共{r.group.count}张
        </span>
      ) : null}
      {r.kind !== 'counter' ? <Tag>{receiptKindLabels[r.kind]}</Tag> : null}
      <Tag color={statusColors[r.status]}>{receiptStatusLabels[r.status]}</Tag>
      {r.replacedBy ? <span className="year-reason">由 {r.replacedBy} 重开</span> : null}
      {r.actions.includes('print') ? (
        <Button size="small" type="link" onClick={() => void actions.print(r)}>
          打印
        </Button>
      ) : null}
      {r.actions.includes('confirm') ? (
        <Button size="small" type="link" onClick={() => void actions.confirmPrinted(r)}>
          打印正确
        </Button>
      ) : null}
      {r.actions.includes('reprint') ? (
        <Button size="small" type="link" onClick={() => void actions.print(r)}>
          同号重打
        </Button>
      ) : null}
      {r.actions.includes('preview') ? (
        <Button size="small" type="link" onClick={() => void actions.pdf(r)}>
          PDF
        </Button>
      ) : null}
    </Space>
  );
}

/**
 * This payer's recent counter transactions, receipts and bank / app payments, each with its state
 * and what can be done with it — so an issued receipt stays reachable after Esc, a refresh or the
 * next payer.
 */
export function ActivityPanel({
  transactions,
  receipts,
  exchanges,
  timeZone,
  actions,
  onExchanged,
}: {
  transactions: CounterTransactionView[];
  receipts: ReceiptView[];
  exchanges: ExchangeCandidateView[];
  timeZone: string;
  actions: ReceiptActions;
  onExchanged(receipts: ReceiptView[]): void;
}) {
  const inTransaction = new Set(transactions.map((t) => t.transactionId));
  const rows: Row[] = [
    ...transactions.map((t) => ({
      key: `t${t.transactionId}`,
      at: t.recordedAt,
      what: `柜台收款 · ${paymentMethodLabels[t.method]}${t.posRef ? `（${POS_REF_LABEL} ${t.posRef}）` : ''} · ${t.lines
        .map((l) => `${l.year}${l.backPayment ? lineKindLabels.back_payment : ''}`)
        .join('、')}`,
      amountFen: t.totalFen,
      transaction: t,
      exchange: null,
      receipts: receipts.filter((r) => r.transactionId === t.transactionId),
    })),
    ...exchanges.map((x) => ({
      key: `x${x.paymentId}`,
      at: x.paidAt,
      what: `${channelLabels[x.channel]}缴费 · ${x.year} · 凭证号 ${x.channelRef}`,
      amountFen: x.amountFen,
      transaction: null,
      exchange: x,
      receipts: receipts.filter((r) => r.kind !== 'counter' && r.lines.some((l) => l.paymentId === x.paymentId)),
    })),
    ...receipts
      .filter((r) => r.kind === 'counter' && (r.transactionId === null || !inTransaction.has(r.transactionId)))
      .map((r) => ({
        key: `r${r.number}`,
        at: r.issuedAt,
        what: `${receiptKindLabels[r.kind]} · ${r.lines.map((l) => l.year).join('、')}`,
        amountFen: r.totalFen,
        transaction: null,
        exchange: null,
        receipts: [r],
      })),
  ].sort((a, b) => b.at.localeCompare(a.at));

  return (
    <DataTable<Row>
      // Fixed layout: the 业务 column wraps inside the card instead of pushing the table past it.
      tableLayout="fixed"
      rowKey="key"
      dataSource={rows}
      data-testid="payer-activity"
      emptyText="尚无该缴费人的收款或缴款书"
      columns={[
        { title: '时间', width: 104, render: (_, r) => hallDateTime(r.at, timeZone) },
        { title: '业务', render: (_, r) => r.what },
        { title: '金额', width: 96, className: 'money', render: (_, r) => yuan(r.amountFen) },
        {
          title: '缴款书 / 可办理',
          render: (_, r) => (
            <Space direction="vertical" size={2}>
              {r.receipts.map((x) => (
                <ReceiptLine key={x.number} r={x} actions={actions} />
              ))}
              {r.transaction?.canIssueReceipt ? (
                <Space size={4}>
                  <Tag>未开缴款书</Tag>
                  <Button size="small" type="link" onClick={() => void actions.issue(r.transaction!.transactionId)} data-testid="activity-issue">
                    开具缴款书
                  </Button>
                </Space>
              ) : null}
              {r.exchange ? (
                <Space size={4}>
                  <Tag color={r.exchange.status === 'exchangeable' ? 'green' : 'default'}>{exchangeStatusLabels[r.exchange.status]}</Tag>
                  {r.exchange.status === 'exchangeable' ? (
                    <Button
                      size="small"
                      type="link"
                      onClick={() =>
                        void actions.run(async () => {
                          const res = await call('exchange.issue', { paymentIds: [r.exchange!.paymentId] });
                          onExchanged(res.receipts);
                        })
                      }
                    >
                      换开缴款书
                    </Button>
                  ) : null}
                </Space>
              ) : null}
            </Space>
          ),
        },
      ]}
    />
  );
}
