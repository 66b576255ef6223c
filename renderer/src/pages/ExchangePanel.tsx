import { useState } from 'react';
import { Alert, Button, Card, Checkbox, Form, Input, Modal, Table, Tag } from 'antd';
import type { ExchangeCandidateView, ReceiptView } from '../../../shared/api/views';
import { channelLabels } from '../../../shared/domain/payer';
import { call } from '../api/client';
import { ApprovalFields, type ApprovalValues } from '../components/ApprovalFields';
import { Kbd } from '../components/Kbd';
import { hallDateTime, yuan } from '../format';

interface Props {
  timeZone: string;
  onIssued(receipts: ReceiptView[]): void;
}

/**
 * 换开: the payer shows a bank POS slip or an app e-voucher; the clerk types or scans (a
 * keyboard-wedge scanner types the number and Enter) its number, checks the payment, exchanges.
 */
export function ExchangePanel({ timeZone, onIssued }: Props) {
  const [ref, setRef] = useState('');
  const [found, setFound] = useState<ExchangeCandidateView[] | null>(null);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reissuing, setReissuing] = useState<ExchangeCandidateView | null>(null);
  const [form] = Form.useForm<ApprovalValues>();

  // 补开: the exchanged receipt was lost; a marked copy, with a reason and a supervisor's approval.
  const reissue = async () => {
    if (!reissuing?.receiptNumber) return;
    const v = await form.validateFields();
    try {
      const copy = await call('receipt.reissue', {
        number: reissuing.receiptNumber,
        reason: v.reason,
        approval: { username: v.username, password: v.password },
      });
      setReissuing(null);
      form.resetFields();
      onIssued([copy]);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setReissuing(null);
    }
  };

  const find = async () => {
    setError(null);
    try {
      const list = await call('exchange.find', { channelRef: ref.trim() });
      setFound(list);
      setChosen(new Set(list.filter((c) => c.status === 'exchangeable').map((c) => c.paymentId)));
      if (list.length === 0) setError('本机同步的缴费记录中没有这个凭证号。请核对凭证，或稍后同步后再试。');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const exchange = async () => {
    if (busy || chosen.size === 0) return;
    setBusy(true);
    setError(null);
    try {
      const r = await call('exchange.issue', { paymentIds: [...chosen] });
      onIssued(r.receipts);
      setFound(null);
      setRef('');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="换开缴款书（银行POS小票 / 手机APP电子凭证）" style={{ marginTop: 16 }} data-testid="exchange-panel">
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
          <Table
            style={{ marginTop: 12 }}
            size="small"
            rowKey="paymentId"
            pagination={false}
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
            onClick={() => void exchange()}
            data-testid="exchange-issue"
          >
            换开缴款书 <Kbd>F9</Kbd>
          </Button>
        </>
      ) : null}
      <Modal
        open={reissuing !== null}
        title={`补开缴款书（原号 ${reissuing?.receiptNumber ?? ''} 遗失）`}
        okText="补开"
        cancelText="取消"
        onOk={() => void reissue()}
        onCancel={() => setReissuing(null)}
        destroyOnHidden
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message="补开的缴款书注明“补开”及原号码，记入审计日志。由值班主任在本机输入自己的账号密码审批。"
        />
        <Form form={form} layout="vertical">
          <ApprovalFields reasonLabel="补开原因" reasonPlaceholder="如：缴费人遗失原缴款书" />
        </Form>
      </Modal>
    </Card>
  );
}
