import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Form, Modal, Space, Tag } from 'antd';
import type { ReceiptView, SpoolJobView } from '../../../shared/api/views';
import { amountInCapitals } from '../../../shared/domain/capitals';
import { call } from '../api/client';
import { downloadFile } from '../download';
import { ApprovalFields, type ApprovalValues } from '../components/ApprovalFields';
import { Kbd } from '../components/Kbd';
import { SpoolTag, useSpoolJob } from '../components/SpoolTag';
import { yuan } from '../format';

interface Props {
  receipts: ReceiptView[];
  onChange(receipts: ReceiptView[]): void;
}

const kindLabels: Record<ReceiptView['kind'], string> = { counter: '柜台缴费', exchange: '换开', reissue: '补开' };

/**
 * 税收缴款书 after issuing: print, then the clerk confirms it printed correctly — or reprints on
 * the same number, or voids the number (reason + supervisor approval) and prints on the next.
 */
export function ReceiptFlow({ receipts, onChange }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<Record<string, string>>({});
  const [spool, setSpool] = useState<Record<string, SpoolJobView | null>>({});
  const [voiding, setVoiding] = useState<ReceiptView | null>(null);
  const [form] = Form.useForm<ApprovalValues>();

  const replace = (old: ReceiptView, next: ReceiptView) => onChange(receipts.map((r) => (r.number === old.number ? next : r)));
  const act = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const print = (r: ReceiptView) =>
    act(async () => {
      const res = await call('receipt.print', { number: r.number });
      setSent((s) => ({ ...s, [r.number]: res.sentTo }));
      setSpool((s) => ({ ...s, [r.number]: res.spool ?? null }));
      replace(r, res.receipt);
    });
  const confirm = (r: ReceiptView) => act(async () => replace(r, await call('receipt.confirmPrinted', { number: r.number })));
  const pdf = (r: ReceiptView) =>
    act(async () => {
      const f = await call('receipt.pdf', { number: r.number, layout: 'a4' });
      downloadFile(f.filename, f.base64, 'application/pdf');
    });
  const submitVoid = async () => {
    if (!voiding) return;
    const v = await form.validateFields();
    await act(async () => {
      const next = await call('receipt.voidAndReissue', { number: voiding.number, reason: v.reason, approval: { username: v.username, password: v.password } });
      onChange(receipts.map((r) => (r.number === voiding.number ? next : r)));
      setVoiding(null);
      form.resetFields();
    });
  };

  return (
    <Card title="税收缴款书（税务收现专用）" style={{ marginTop: 16 }} data-testid="receipt-flow">
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="receipt-error" /> : null}
      <Space direction="vertical" style={{ width: '100%' }}>
        {receipts.map((r) => (
          <Card
            key={r.number}
            size="small"
            type="inner"
            data-testid="receipt"
            title={<span data-testid="receipt-number">No. {r.number}</span>}
            extra={<Tag>{kindLabels[r.kind]}</Tag>}
          >
            <Descriptions size="small" column={2}>
              <Descriptions.Item label="纳税人">
                {r.payerName}（{r.idNumberMasked}）
              </Descriptions.Item>
              <Descriptions.Item label="填发日期">{r.businessDate}</Descriptions.Item>
              <Descriptions.Item label="税款所属时期">{r.lines.map((l) => `${l.year}年度 ${yuan(l.amountFen)}`).join('；')}</Descriptions.Item>
              <Descriptions.Item label="金额合计">
                <b>{yuan(r.totalFen)}</b>（{amountInCapitals(r.totalFen)}）
              </Descriptions.Item>
              {r.replaces ? <Descriptions.Item label="作废重开">原号 {r.replaces} 已作废</Descriptions.Item> : null}
              {r.reissueOf ? <Descriptions.Item label="补开">原缴款书 {r.reissueOf}</Descriptions.Item> : null}
            </Descriptions>
            {r.printCount === 0 ? (
              <Space>
                <Button type="primary" onClick={() => void print(r)} data-testid="receipt-print">
                  打印缴款书 <Kbd>F8</Kbd>
                </Button>
                <Button onClick={() => void pdf(r)}>下载 PDF</Button>
              </Space>
            ) : r.printState === 'pending' ? (
              <div data-testid="receipt-confirm">
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 8 }}
                  message={`已打印第 ${r.printCount} 次${sent[r.number] ? `（${sent[r.number]}）` : ''}。缴款书打印是否正确？`}
                />
                <PrintJobState number={r.number} job={spool[r.number]} />
                <Space>
                  <Button type="primary" onClick={() => void confirm(r)} data-testid="receipt-ok">
                    打印正确
                  </Button>
                  <Button onClick={() => void print(r)} data-testid="receipt-reprint">
                    同号重打
                  </Button>
                  <Button danger onClick={() => setVoiding(r)} data-testid="receipt-void">
                    作废并换号重开（需主任审批）
                  </Button>
                </Space>
              </div>
            ) : (
              <Alert type="success" showIcon message={`已开具，打印 ${r.printCount} 次，校验码 ${r.checkCode}`} data-testid="receipt-done" />
            )}
          </Card>
        ))}
      </Space>
      <Modal
        open={voiding !== null}
        title={`作废 ${voiding?.number ?? ''} 并换号重开`}
        okText="作废并重开"
        cancelText="取消"
        onOk={() => void submitVoid()}
        onCancel={() => setVoiding(null)}
        destroyOnHidden
      >
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="作废的缴款书三联须全部留存。由值班主任在本机输入自己的账号密码审批。" />
        <Form form={form} layout="vertical">
          <ApprovalFields reasonLabel="作废原因" reasonPlaceholder="如：打印机卡纸，票面污损" />
        </Form>
      </Modal>
    </Card>
  );
}

/** The receipt's print job as the spooler reports it (fetched when the screen did not send it itself). */
function PrintJobState({ number, job }: { number: string; job: SpoolJobView | null | undefined }) {
  const [fetched, setFetched] = useState<SpoolJobView | null>(null);
  useEffect(() => {
    if (job === undefined) call('receipt.printStatus', { number }).then(setFetched, () => {});
  }, [number, job]);
  const current = useSpoolJob(job ?? fetched);
  return current ? (
    <div style={{ marginBottom: 8 }}>
      打印机：
      <SpoolTag job={current} />
    </div>
  ) : null;
}
