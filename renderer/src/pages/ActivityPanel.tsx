import { Button, Space, Table, Tag } from 'antd';
import type { ReceiptView, RecordedPayment } from '../../../shared/api/views';
import { paymentMethodLabels } from '../../../shared/api/views';
import { hallDateTime, yuan } from '../format';
import { receiptStage } from './counter/flow';
import { receiptKindLabels, receiptStageLabels, type ReceiptActions } from './ReceiptFlow';

interface Row {
  key: string;
  at: string;
  what: string;
  amountFen: number;
  transaction: RecordedPayment | null;
  receipts: ReceiptView[];
}

/**
 * This payer's recent counter transactions and receipts, each with its state and what can be done
 * with it — so an issued receipt stays reachable after Esc, a refresh or the next payer.
 */
export function ActivityPanel({
  transactions,
  receipts,
  timeZone,
  actions,
}: {
  transactions: RecordedPayment[];
  receipts: ReceiptView[];
  timeZone: string;
  actions: ReceiptActions;
}) {
  const rows: Row[] = [
    ...transactions.map((t) => ({
      key: `t${t.transactionId}`,
      at: t.recordedAt,
      what: `柜台收款 · ${paymentMethodLabels[t.method]} · ${t.lines.map((l) => `${l.year}${l.kind === 'back_payment' ? '补缴' : ''}`).join('、')}`,
      amountFen: t.totals.payerFen,
      transaction: t,
      receipts: receipts.filter((r) => r.transactionId === t.transactionId),
    })),
    ...receipts
      .filter((r) => r.transactionId === null || !transactions.some((t) => t.transactionId === r.transactionId))
      .map((r) => ({
        key: `r${r.number}`,
        at: r.issuedAt,
        what: `${receiptKindLabels[r.kind]} · ${r.lines.map((l) => l.year).join('、')}`,
        amountFen: r.totalFen,
        transaction: null,
        receipts: [r],
      })),
  ].sort((a, b) => b.at.localeCompare(a.at));

  return (
    <Table<Row>
      size="small"
      pagination={false}
      rowKey="key"
      dataSource={rows}
      data-testid="payer-activity"
      locale={{ emptyText: '本窗口尚无该缴费人的收款或缴款书' }}
      columns={[
        { title: '时间', width: 150, render: (_, r) => hallDateTime(r.at, timeZone) },
        { title: '业务', render: (_, r) => r.what },
        { title: '金额', width: 100, className: 'money', render: (_, r) => yuan(r.amountFen) },
        {
          title: '缴款书',
          render: (_, r) => {
            const live = r.receipts.filter((x) => x.state !== 'voided');
            return (
              <Space direction="vertical" size={2}>
                {r.receipts.map((x) => {
                  const stage = receiptStage(x);
                  return (
                    <Space key={x.number} size={4} wrap data-testid="activity-receipt">
                      <span>{x.number}</span>
                      <Tag color={receiptStageLabels[stage].color}>{receiptStageLabels[stage].text}</Tag>
                      {stage === 'to_print' ? (
                        <Button size="small" type="link" onClick={() => void actions.print(x)}>
                          打印
                        </Button>
                      ) : null}
                      {stage === 'to_confirm' ? (
                        <>
                          <Button size="small" type="link" onClick={() => void actions.confirmPrinted(x)}>
                            打印正确
                          </Button>
                          <Button size="small" type="link" onClick={() => void actions.print(x)}>
                            同号重打
                          </Button>
                        </>
                      ) : null}
                      {stage !== 'voided' ? (
                        <Button size="small" type="link" onClick={() => void actions.pdf(x)}>
                          PDF
                        </Button>
                      ) : null}
                    </Space>
                  );
                })}
                {r.transaction && !live.length && r.transaction.totals.years > 0 ? (
                  <Space size={4}>
                    <Tag>未开缴款书</Tag>
                    <Button size="small" type="link" onClick={() => void actions.issue(r.transaction!.transactionId)} data-testid="activity-issue">
                      开具缴款书
                    </Button>
                  </Space>
                ) : null}
              </Space>
            );
          },
        },
      ]}
    />
  );
}
