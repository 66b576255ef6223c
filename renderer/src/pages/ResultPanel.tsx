import { Alert, Button, Card, Descriptions, Result, Space } from 'antd';
import type { PrintJobView, RecordedPayment } from '../../../shared/api/views';
import { paymentMethodLabels } from '../../../shared/api/views';
import { amountInCapitals } from '../../../shared/domain/capitals';
import { call } from '../api/client';
import { Kbd } from '../components/Kbd';
import { hallDateTime, tierName, yuan } from '../format';

interface Props {
  result: RecordedPayment;
  job: PrintJobView | null;
  timeZone: string;
  onJob(job: PrintJobView): void;
  onNext(): void;
  /** Issue the formal receipt for this payment; null once it has been issued. */
  onIssueReceipt: (() => void) | null;
}

const jobText: Record<PrintJobView['state'], string> = { pending: '缴费凭证打印中…', printed: '缴费凭证已打印', failed: '缴费凭证打印失败' };

/** What the clerk sees once a payment is recorded: amounts, change, and the slip's print state. */
export function ResultPanel({ result, job, timeZone, onJob, onNext, onIssueReceipt }: Props) {
  const retry = async () => job && onJob(await call('print.retry', { jobId: job.id }));
  const reprint = async () => job && onJob(await call('print.reprint', { jobId: job.id }));
  return (
    <Card style={{ marginTop: 16 }} data-testid="payment-result">
      <Result
        status="success"
        title={<span data-testid="result-title">收款成功 {yuan(result.totals.payerFen)}</span>}
        subTitle={`${amountInCapitals(result.totals.payerFen)} · ${paymentMethodLabels[result.method]} · ${hallDateTime(result.recordedAt, timeZone)}`}
        extra={
          // Not focused on purpose: a second Enter of a double press must not dismiss this screen.
          <Space>
            {onIssueReceipt ? (
              <Button type="primary" size="large" onClick={onIssueReceipt} data-testid="issue-receipt">
                开具缴款书 <Kbd>F8</Kbd>
              </Button>
            ) : null}
            <Button size="large" onClick={onNext}>
              下一位 <Kbd>Esc</Kbd>
            </Button>
          </Space>
        }
      />
      {result.changeFen !== null ? (
        <div style={{ textAlign: 'center', fontSize: 28, marginBottom: 16 }} data-testid="result-change">
          实收 {yuan(result.tenderedFen ?? 0)} · 找零 <b>{yuan(result.changeFen)}</b>
        </div>
      ) : null}
      <Descriptions size="small" bordered column={1}>
        {result.lines.map((l) => (
          <Descriptions.Item key={l.year} label={`${l.year}年度${l.kind === 'back_payment' ? '（补缴）' : ''}`}>
            档次 {tierName(l.tierFen)} · 个人缴费 {yuan(l.payerFen)} · 政府补贴 {yuan(l.subsidyFen)} · 政府代缴 {yuan(l.governmentPaidFen)}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {job ? (
        <Space style={{ marginTop: 16 }}>
          <Alert
            type={job.state === 'failed' ? 'error' : job.state === 'printed' ? 'success' : 'info'}
            showIcon
            message={job.state === 'failed' && job.lastError ? `${jobText.failed}：${job.lastError}（款项已入账，不受影响）` : jobText[job.state]}
            data-testid="print-state"
          />
          {job.state === 'failed' ? <Button onClick={() => void retry()}>重新打印</Button> : null}
          {job.state === 'printed' ? <Button onClick={() => void reprint()}>补打（重打）</Button> : null}
        </Space>
      ) : null}
    </Card>
  );
}
