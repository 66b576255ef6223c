import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Input, Radio, Select, Space, Statistic, Table, type InputRef } from 'antd';
import type { PayerView, PaymentMethod, RecordedPayment } from '../../../shared/api/views';
import { paymentMethodLabels } from '../../../shared/api/views';
import { parseYuanInput } from '../../../shared/domain/money';
import { quote, type QuoteLine, type YearAssessment } from '../../../shared/policy';
import { call } from '../api/client';
import { Kbd } from '../components/Kbd';
import { tierName, yuan } from '../format';

interface Props {
  payer: PayerView;
  /** Generated when the payer opened: recording twice with it pays once. */
  transactionUid: string;
  selected: ReadonlySet<number>;
  tiers: ReadonlyMap<number, number>;
  onTierChange(year: number, tierFen: number): void;
  onRecorded(result: RecordedPayment): void;
}

export interface PaymentPanelHandle {
  confirm(): void;
  setMethod(method: PaymentMethod): void;
  focusTendered(): void;
}

const methodKeys: Record<PaymentMethod, string> = { cash: 'F5', bank_card: 'F6', qr: 'F7' };

/** The tier offered by default for a year: the one paid most recently if still offered, else the first. */
export function defaultTier(year: YearAssessment, lastPaidTierFen: number | null): number | null {
  const open = year.tiers.filter((t) => !t.reserved || year.governmentPaid);
  const pick = open.find((t) => t.tierFen === lastPaidTierFen) ?? open[0] ?? year.tiers[0];
  return pick?.tierFen ?? null;
}

export const PaymentPanel = forwardRef<PaymentPanelHandle, Props>(function PaymentPanel(
  { payer, transactionUid, selected, tiers, onTierChange, onRecorded },
  ref,
) {
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [tendered, setTendered] = useState('');
  const [posRef, setPosRef] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inflight = useRef(false);
  const tenderedRef = useRef<InputRef>(null);

  const assessment = payer.assessment;
  const lines = useMemo(
    () => [...selected].sort((a, b) => b - a).flatMap((year) => (tiers.has(year) ? [{ year, tierFen: tiers.get(year)! }] : [])),
    [selected, tiers],
  );
  // The same engine the services run, on the assessment they sent: instant, and re-checked on record.
  const q = useMemo(() => (assessment && lines.length ? quote(assessment, lines) : null), [assessment, lines]);
  const totalFen = q?.ok ? q.totals.payerFen : 0;
  const parsedTender = tendered.trim() === '' ? ({ ok: true, fen: totalFen } as const) : parseYuanInput(tendered);
  const tenderedFen = parsedTender.ok ? parsedTender.fen : null;
  const changeFen = tenderedFen !== null ? tenderedFen - totalFen : null;
  const cashProblem = method !== 'cash' ? null : !parsedTender.ok ? parsedTender.message : changeFen !== null && changeFen < 0 ? '实收金额不足' : null;

  const confirm = async () => {
    if (inflight.current || !q?.ok || cashProblem) return;
    inflight.current = true;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const result = await call('payment.record', {
        transactionUid,
        payerId: payer.id,
        lines,
        method,
        tenderedFen: method === 'cash' ? tenderedFen : null,
        ...(method === 'bank_card' ? { posRef } : {}),
      });
      if (result.outcome === 'nothing_to_collect') {
        setNotice(result.message);
        return;
      }
      setTendered('');
      setPosRef('');
      onRecorded(result);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      inflight.current = false;
      setBusy(false);
    }
  };

  // A new payer (new transaction): the cursor goes to the cash field, so the clerk types what was
  // handed over, or presses Enter when it is exact.
  useEffect(() => {
    tenderedRef.current?.focus({ cursor: 'all' });
  }, [transactionUid]);

  useImperativeHandle(ref, () => ({
    confirm: () => void confirm(),
    setMethod,
    focusTendered: () => tenderedRef.current?.focus({ cursor: 'all' }),
  }));

  if (!assessment) return null;
  const byYear = new Map(assessment.years.map((y) => [y.year, y]));
  const quoteLines = new Map<number, QuoteLine>(q?.ok ? q.lines.map((l) => [l.year, l]) : []);

  return (
    <Card
      style={{ marginTop: 16 }}
      title="收款"
      data-testid="payment-panel"
      extra={
        <span>
          <Kbd>F9</Kbd>确认收款
        </span>
      }
    >
      {lines.length === 0 ? (
        <Alert type="info" showIcon message="在上方勾选要缴费的年度" />
      ) : (
        <Table
          size="small"
          rowKey="year"
          pagination={false}
          dataSource={lines}
          columns={[
            { title: '年度', dataIndex: 'year', width: 80 },
            {
              title: '档次',
              width: 220,
              render: (_, l) => (
                <Select
                  value={l.tierFen}
                  style={{ width: 200 }}
                  data-testid={`tier-${l.year}`}
                  onChange={(v: number) => onTierChange(l.year, v)}
                  options={byYear
                    .get(l.year)
                    ?.tiers.map((t) => ({ value: t.tierFen, label: `${tierName(t.tierFen)}${t.subsidyFen ? `（补贴${t.subsidyFen / 100}元）` : ''}` }))}
                />
              ),
            },
            { title: '类别', render: (_, l) => (byYear.get(l.year)?.kind === 'current' ? '当年' : '补缴') },
            { title: '个人缴费', className: 'money', render: (_, l) => (quoteLines.get(l.year) ? yuan(quoteLines.get(l.year)!.payerFen) : '—') },
            { title: '政府补贴', className: 'money', render: (_, l) => (quoteLines.get(l.year) ? yuan(quoteLines.get(l.year)!.subsidyFen) : '—') },
            { title: '政府代缴', className: 'money', render: (_, l) => (quoteLines.get(l.year) ? yuan(quoteLines.get(l.year)!.governmentPaidFen) : '—') },
          ]}
        />
      )}
      {q && !q.ok ? (
        <Alert style={{ marginTop: 12 }} type="error" showIcon message={q.errors.map((e) => e.message).join('；')} data-testid="quote-error" />
      ) : null}
      {q?.ok ? (
        <Space size={48} align="start" style={{ marginTop: 16 }} wrap>
          <Statistic title="应收（个人缴费）" value={yuan(q.totals.payerFen)} valueStyle={{ fontSize: 36, color: '#1d4ed8' }} data-testid="total-due" />
          <Statistic title="政府补贴（不向缴费人收取）" value={yuan(q.totals.subsidyFen)} />
          <Statistic title="政府代缴（不向缴费人收取）" value={yuan(q.totals.governmentPaidFen)} />
          <div>
            <div style={{ marginBottom: 8 }}>收款方式</div>
            <Radio.Group value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)} optionType="button" buttonStyle="solid">
              {(Object.keys(paymentMethodLabels) as PaymentMethod[]).map((m) => (
                <Radio.Button key={m} value={m} data-testid={`method-${m}`}>
                  {paymentMethodLabels[m]} <Kbd>{methodKeys[m]}</Kbd>
                </Radio.Button>
              ))}
            </Radio.Group>
          </div>
          {method === 'cash' ? (
            <div>
              <div style={{ marginBottom: 8 }}>实收（元，留空为正好）</div>
              <Input
                ref={tenderedRef}
                size="large"
                style={{ width: 180 }}
                placeholder={(totalFen / 100).toFixed(2)}
                value={tendered}
                status={cashProblem ? 'error' : undefined}
                onChange={(e) => setTendered(e.target.value)}
                onPressEnter={() => void confirm()}
                aria-label="实收金额"
                data-testid="tendered"
              />
              <div style={{ marginTop: 8, fontSize: 20 }} data-testid="change">
                找零 {changeFen !== null && changeFen >= 0 ? yuan(changeFen) : '—'}
              </div>
            </div>
          ) : null}
          {method === 'bank_card' ? (
            <div>
              <div style={{ marginBottom: 8 }}>POS小票参考号</div>
              <Input
                size="large"
                style={{ width: 220 }}
                value={posRef}
                onChange={(e) => setPosRef(e.target.value)}
                onPressEnter={() => void confirm()}
                aria-label="参考号"
                data-testid="pos-ref"
              />
            </div>
          ) : null}
        </Space>
      ) : null}
      {notice ? <Alert style={{ marginTop: 12 }} type="info" showIcon message={notice} data-testid="payment-notice" /> : null}
      {cashProblem && q?.ok ? <Alert style={{ marginTop: 12 }} type="warning" showIcon message={cashProblem} /> : null}
      {error ? <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} data-testid="payment-error" /> : null}
      <div style={{ marginTop: 16 }}>
        <Button type="primary" size="large" disabled={!q?.ok || !!cashProblem} loading={busy} onClick={() => void confirm()} data-testid="confirm-payment">
          确认收款（F9 / Enter）
        </Button>
      </div>
    </Card>
  );
});
