import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Input, Tag } from 'antd';
import type { ExchangeCandidateView, ReceiptView } from '../../../shared/api/views';
import { channelLabels } from '../../../shared/vocab';
import { call } from '../api/client';
import { DataTable } from '../components/DataTable';
import { messageOf, useAction } from '../api/hooks';
import { ApprovalDialog } from '../components/ApprovalFields';
import { useKeys } from '../keys';
import { Kbd } from '../components/Kbd';
import { hallDateTime, yuan } from '../format';

interface Props {
  timeZone: string;
  active: boolean;
  onIssued(receipts: ReceiptView[]): void;
}

/**
 * 换开: the payer shows a bank POS slip or an app e-voucher; the clerk types or scans (a
 * keyboard-wedge scanner types the number and Enter) its number, checks the payment, exchanges.
 */
export function ExchangePanel({ timeZone, active, onIssued }: Props) {
  const [ref, setRef] = useState('');
  const [found, setFound] = useState<ExchangeCandidateView[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [reissuing, setReissuing] = useState<ExchangeCandidateView | null>(null);
  const { run, busy, error, setError } = useAction();

  const find = () =>
    run(async () => {
      const list = await call('exchange.find', { channelRef: ref.trim() });
      setFound(list);
      setChosen(new Set(list.filter((c) => c.status === 'exchangeable').map((c) => c.paymentId)));
      if (list.length === 0) setError('本机同步的缴费记录中没有这个凭证号。请核对凭证，或稍后同步后再试。');
    });
  const exchange = () => {
    if (chosen.size === 0) return;
    void run(async () => {
      const r = await call('exchange.issue', { paymentIds: [...chosen] });
      setFound(null);
      setRef('');
      onIssued(r.receipts);
    });
  };
  useKeys([{ key: 'F9', label: '换开缴款书', run: exchange, enabled: chosen.size > 0 && !!found?.length }], { active });

  return (
    <Card size="small" title="换开缴款书（银行POS小票 / 手机APP电子凭证）" data-testid="exchange-panel">
      <Input.Search
        autoFocus
        size="large"
        placeholder="输入或扫描凭证号，按 Enter"
        value={ref}
        onChange={(e) => setRef(e.target.value)}
        onSearch={() => void find()}
        enterButton="查找"
        aria-label="凭证号"
        data-testid="exchange-ref"
      />
      {error ? <Alert style={{ marginTop: 12 }} type="warning" showIcon message={error} data-testid="exchange-error" /> : null}
      {found && found.length ? (
        <>
          <DataTable
            style={{ marginTop: 12 }}
            rowKey="paymentId"
            dataSource={found}
            columns={[
              {
                title: '',
                width: 40,
                render: (_, c) =>
                  c.status === 'exchangeable' ? (
                    <Checkbox
                      checked={chosen.has(c.paymentId)}
                      onChange={() =>
                        setChosen((s) => {
                          const n = new Set(s);
                          if (n.has(c.paymentId)) n.delete(c.paymentId);
                          else n.add(c.paymentId);
                          return n;
                        })
                      }
                    />
                  ) : null,
              },
              { title: '缴费人', render: (_, c) => `${c.payerName}（${c.idNumberMasked}）` },
              { title: '年度', dataIndex: 'year' },
              { title: '金额', render: (_, c) => yuan(c.amountFen) },
              { title: '渠道', render: (_, c) => channelLabels[c.channel] },
              { title: '缴费时间', render: (_, c) => hallDateTime(c.paidAt, timeZone) },
              {
                title: '状态',
                render: (_, c) =>
                  c.status === 'exchanged' ? (
                    <>
                      <Tag color="red">已换开 {c.receiptNumber}（只能补开）</Tag>
                      <Button size="small" onClick={() => setReissuing(c)} data-testid="reissue-open">
                        补开
                      </Button>
                    </>
                  ) : (
                    <Tag color="green">可换开</Tag>
                  ),
              },
            ]}
          />
          <Button
            style={{ marginTop: 12 }}
            type="primary"
            size="large"
            disabled={chosen.size === 0}
            loading={busy}
            onClick={exchange}
            data-testid="exchange-issue"
          >
            换开缴款书 <Kbd>F9</Kbd>
          </Button>
        </>
      ) : null}
      <ApprovalDialog
        open={reissuing !== null}
        title={`补开缴款书（原号 ${reissuing?.receiptNumber ?? ''} 遗失）`}
        okText="补开"
        warning="补开的缴款书注明“补开”及原号码，记入审计日志。由值班主任在本机输入自己的账号密码审批。"
        reasonLabel="补开原因"
        reasonPlaceholder="如：缴费人遗失原缴款书"
        testId="reissue-dialog"
        onCancel={() => setReissuing(null)}
        onSubmit={async (v) => {
          if (!reissuing?.receiptNumber) return null;
          try {
            const copy = await call('receipt.reissue', {
              number: reissuing.receiptNumber,
              reason: v.reason,
              approval: { username: v.username, password: v.password },
            });
            setReissuing(null);
            onIssued([copy]);
            return null;
          } catch (e) {
            return messageOf(e);
          }
        }}
      />
    </Card>
  );
}
