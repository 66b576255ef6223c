import { useEffect, useState } from 'react';
import { Alert, Button, Card, Space, Tag } from 'antd';
import type { PrintJobView, ReceiptView, RecordedPayment, SpoolJobView } from '../../../shared/api/views';
import { amountInCapitals } from '../../../shared/domain/capitals';
import { call } from '../api/client';
import { SpoolTag, useSpoolJob } from '../components/SpoolTag';
import { messageOf, useAction } from '../api/hooks';
import { ApprovalDialog } from '../components/ApprovalFields';
import { Kbd } from '../components/Kbd';
import { downloadFile } from '../download';
import { hallDateTime, yuan } from '../format';
import { Layer, useKeys } from '../keys';
import { deviceWords, paymentMethodLabels, printJobKindLabels, printJobStateLabels, receiptKindLabels, receiptStatusLabels } from '../../../shared/vocab';

const statusColors: Record<ReceiptView['status'], string> = { issued: 'orange', printed: 'gold', confirmed: 'green', voided: 'default' };
const jobText = (state: PrintJobView['state']) => `${printJobKindLabels.payment_slip}${printJobStateLabels[state]}`;

export type ReceiptStep = { kind: 'issue'; transactionId: number } | { kind: 'print' | 'confirm'; receipt: ReceiptView } | null;

interface Props {
  recorded: RecordedPayment | null;
  job: PrintJobView | null;
  step: ReceiptStep;
  /** Receipts of this visit (counter or 换开) to show in full. */
  receipts: ReceiptView[];
  timeZone: string;
  active: boolean;
  onJob(job: PrintJobView): void;
  actions: ReceiptActions;
  onReceipts(receipts: ReceiptView[], focus: boolean): void;
  onNext(): void;
}

/** One receipt in full: number, payer, years, amount, and its state. */
function ReceiptCard({ r, timeZone }: { r: ReceiptView; timeZone: string }) {
  return (
    <div className="receipt-card" data-testid="receipt">
      <div className="receipt-head">
        <span data-testid="receipt-number">No. {r.number}</span>
        <Tag>{receiptKindLabels[r.kind]}</Tag>
        {r.group ? (
          <span className="year-reason" data-testid="receipt-group">
            第{r.group.index}张/共{r.group.count}张
          </span>
        ) : null}
        <Tag color={statusColors[r.status]} data-testid="receipt-stage">
          {receiptStatusLabels[r.status]}
        </Tag>
      </div>
      <div>
        {r.payerName}（{r.idNumberMasked}）· 填发 {hallDateTime(r.issuedAt, timeZone).slice(0, 10)}
      </div>
      <div>{r.lines.map((l) => `${l.year}年度 ${yuan(l.amountFen)}`).join('；')}</div>
      <div>
        金额合计 <b>{yuan(r.totalFen)}</b>（{amountInCapitals(r.totalFen)}）
      </div>
      {r.replaces ? <div>作废重开：原号 {r.replaces} 已作废</div> : null}
      {r.reissueOf ? <div>补开：原缴款书 {r.reissueOf}</div> : null}
      {r.status === 'confirmed' ? (
        <div data-testid="receipt-done">
          已开具，打印 {r.printCount} 次，校验码 {r.checkCode}
        </div>
      ) : null}
    </div>
  );
}

/**
 * The right-hand column after a payment or a 换开: the result (amount, change, slip) and the
 * 税收缴款书 step by step — issue (F8), print (F8), confirm it printed correctly (Enter), or reprint on
 * the same number (Shift+F8), or void it and print on the next number (F4, supervisor approval).
 */
/** Receipt actions shared by the receipt panel and the payer's list: one busy flag, one error. */
export function useReceiptActions(onReceipts: (receipts: ReceiptView[], focus: boolean) => void) {
  const { run, busy, error } = useAction();
  return {
    busy,
    error,
    issue: (transactionId: number) => run(async () => onReceipts((await call('receipt.issue', { transactionId })).receipts, true)),
    print: (r: ReceiptView) => run(async () => onReceipts([(await call('receipt.print', { number: r.number })).receipt], true)),
    confirmPrinted: (r: ReceiptView) => run(async () => onReceipts([await call('receipt.confirmPrinted', { number: r.number })], true)),
    pdf: (r: ReceiptView) =>
      run(async () => {
        const f = await call('receipt.pdf', { number: r.number, layout: 'a4' });
        downloadFile(f.filename, f.base64, 'application/pdf');
      }),
    run,
  };
}
export type ReceiptActions = ReturnType<typeof useReceiptActions>;

export function ReceiptFlow({ recorded, job, step, receipts, timeZone, active, actions, onJob, onReceipts, onNext }: Props) {
  const { busy, error, issue, print, confirmPrinted, pdf, run } = actions;
  const [voiding, setVoiding] = useState<ReceiptView | null>(null);
  const retrySlip = () =>
    job &&
    run(async () => {
      const queued = await call(job.state === 'failed' ? 'print.retry' : 'print.reprint', { jobId: job.id });
      onJob(queued);
      // The job's print.job event may have come before this answer ("pending" would then stick):
      // ask once more; a later event still updates it.
      if (queued.state === 'pending') onJob(await call('print.get', { jobId: queued.id }));
    });
  // A slip that may have printed: the clerk looks at the printer and says which.
  const settleSlip = (outcome: 'printed' | 'resend') => job && run(async () => onJob(await call('print.resolve', { jobId: job.id, outcome })));
  const uncertain = job?.state === 'uncertain' && !job.resent;

  const stepReceipt = step && step.kind !== 'issue' ? step.receipt : null;
  useKeys(
    [
      {
        key: 'F8',
        label: step?.kind === 'issue' ? '开具缴款书' : '打印缴款书',
        enabled: step?.kind === 'issue' || step?.kind === 'print',
        run: () => {
          if (step?.kind === 'issue') void issue(step.transactionId);
          else if (step?.kind === 'print') void print(step.receipt);
        },
      },
      { key: 'Enter', label: '打印正确', enabled: step?.kind === 'confirm', outsideFields: true, run: () => stepReceipt && void confirmPrinted(stepReceipt) },
      { key: 'Shift+F8', label: '同号重打', enabled: step?.kind === 'confirm', run: () => stepReceipt && void print(stepReceipt) },
      { key: 'F4', label: '作废并换号重开', enabled: step?.kind === 'confirm', run: () => stepReceipt && setVoiding(stepReceipt) },
      {
        key: 'Shift+F9',
        label: job?.state === 'failed' ? '重新打印缴费凭证' : uncertain ? '重打缴费凭证' : '补打缴费凭证',
        enabled: !!job && job.state !== 'pending' && job.state !== 'sending',
        run: () => void (uncertain ? settleSlip('resend') : retrySlip()),
      },
    ],
    { layer: Layer.focus, active },
  );

  // A voided number stays in the payer's list below; here the one that replaced it says so.
  const shown = receipts.filter((r) => r.state !== 'voided');
  if (!recorded && !shown.length && !step) return null;

  return (
    <Card size="small" className="side-card" data-testid="receipt-flow" title={recorded ? '收款结果' : '税收缴款书（税务收现专用）'}>
      {recorded ? (
        <div data-testid="payment-result">
          <div className="result-title" data-testid="result-title">
            收款成功 {yuan(recorded.totals.payerFen)}
          </div>
          <div className="hint">
            {amountInCapitals(recorded.totals.payerFen)} · {paymentMethodLabels[recorded.method]} · {hallDateTime(recorded.recordedAt, timeZone)} ·{' '}
            {recorded.lines.map((l) => `${l.year}${l.kind === 'back_payment' ? '补缴' : ''}`).join('、')}
          </div>
          {recorded.changeFen !== null ? (
            <div className="result-change" data-testid="result-change">
              实收 {yuan(recorded.tenderedFen ?? 0)} · 找零 <b>{yuan(recorded.changeFen)}</b>
            </div>
          ) : null}
          {job ? (
            // One line: the slip's state and its retry / reprint button (the right column is short at
            // 1024×768); a slip that may have printed asks the clerk, with the two answers.
            <Alert
              style={{ marginTop: 6 }}
              type={job.state === 'failed' ? 'error' : job.state === 'uncertain' ? 'warning' : job.state === 'printed' ? 'success' : 'info'}
              showIcon
              message={
                job.state === 'failed' && job.lastError
                  ? `${jobText('failed')}：${job.lastError}（款项已入账，不受影响）`
                  : uncertain
                    ? `${jobText('uncertain')}${job.lastError ? `（${job.lastError}）` : ''}`
                    : jobText(job.state)
              }
              description={uncertain ? deviceWords.askUncertain : undefined}
              data-testid="print-state"
              action={
                uncertain ? (
                  <Space direction="vertical" size={4}>
                    <Button size="small" onClick={() => void settleSlip('printed')} data-testid="slip-printed">
                      已打印
                    </Button>
                    <Button size="small" onClick={() => void settleSlip('resend')} data-testid="slip-resend">
                      重打 <Kbd>Shift+F9</Kbd>
                    </Button>
                  </Space>
                ) : job.state !== 'pending' && job.state !== 'sending' ? (
                  <Button size="small" onClick={() => void retrySlip()} data-testid="slip-retry">
                    {job.state === 'failed' ? '重新打印' : '补打'} <Kbd>Shift+F9</Kbd>
                  </Button>
                ) : null
              }
            />
          ) : null}
        </div>
      ) : null}
      {error ? <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} data-testid="receipt-error" /> : null}
      {shown.length ? (
        <Space direction="vertical" style={{ width: '100%', marginTop: recorded ? 8 : 0 }} size={6}>
          {shown.map((r) => (
            <ReceiptCard key={r.number} r={r} timeZone={timeZone} />
          ))}
        </Space>
      ) : null}
      <div style={{ marginTop: 8 }}>
        {step?.kind === 'issue' ? (
          <Button type="primary" size="large" block loading={busy} onClick={() => void issue(step.transactionId)} data-testid="issue-receipt">
            开具缴款书 <Kbd>F8</Kbd>
          </Button>
        ) : step?.kind === 'print' ? (
          <Space>
            <Button type="primary" size="large" loading={busy} onClick={() => void print(step.receipt)} data-testid="receipt-print">
              打印缴款书 {step.receipt.number} <Kbd>F8</Kbd>
            </Button>
            <Button onClick={() => void pdf(step.receipt)}>下载 PDF</Button>
          </Space>
        ) : step?.kind === 'confirm' ? (
          <div data-testid="receipt-confirm">
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 6 }}
              message={
                <>
                  缴款书 {step.receipt.number} 已打印第 {step.receipt.printCount} 次。打印是否正确？{' '}
                  <PrintJobState number={step.receipt.number} printCount={step.receipt.printCount} />
                </>
              }
            />
            <Space wrap>
              <Button type="primary" loading={busy} onClick={() => void confirmPrinted(step.receipt)} data-testid="receipt-ok" autoFocus>
                打印正确 <Kbd>Enter</Kbd>
              </Button>
              <Button onClick={() => void print(step.receipt)} data-testid="receipt-reprint">
                同号重打 <Kbd>Shift+F8</Kbd>
              </Button>
              <Button danger onClick={() => setVoiding(step.receipt)} data-testid="receipt-void">
                作废重开 <Kbd>F4</Kbd>
              </Button>
            </Space>
          </div>
        ) : null}
        {recorded ? (
          <Button style={{ marginTop: 8 }} block onClick={onNext} data-testid="next-payer">
            下一位 <Kbd>Esc</Kbd>
          </Button>
        ) : null}
      </div>
      <ApprovalDialog
        open={voiding !== null}
        title={`作废 ${voiding?.number ?? ''} 并换号重开`}
        okText="作废并重开"
        warning="作废的缴款书三联须全部留存。由值班主任在本机输入自己的账号密码审批。"
        reasonLabel="作废原因"
        reasonPlaceholder="如：打印机卡纸，票面污损"
        testId="void-dialog"
        onCancel={() => setVoiding(null)}
        onSubmit={async (v) => {
          if (!voiding) return null;
          try {
            const next = await call('receipt.voidAndReissue', {
              number: voiding.number,
              reason: v.reason,
              approval: { username: v.username, password: v.password },
            });
            const voided = await call('receipt.forPayer', { payerId: next.payerId });
            onReceipts([...voided.filter((r) => r.number === voiding.number), next], true);
            setVoiding(null);
            return null;
          } catch (e) {
            return messageOf(e);
          }
        }}
      />
    </Card>
  );
}

/** The receipt's last print job as the spooler reports it: 已送打印 → 打印完成, or 打印失败 with the reason. */
function PrintJobState({ number, printCount }: { number: string; printCount: number }) {
  const [fetched, setFetched] = useState<SpoolJobView | null>(null);
  useEffect(() => {
    call('receipt.printStatus', { number }).then(setFetched, () => setFetched(null));
  }, [number, printCount]);
  const current = useSpoolJob(fetched);
  return current ? (
    <span>
      打印机：
      <SpoolTag job={current} />
    </span>
  ) : null;
}
