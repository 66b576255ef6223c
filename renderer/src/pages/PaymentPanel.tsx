import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, Input, Radio, Select, type InputRef } from 'antd';
import type { PayerView, PaymentMethod, RecordedPayment } from '../../../shared/api/views';
import { parseYuanInput } from '../../../shared/domain/money';
import { paymentMethodLabels, POS_REF_LABEL } from '../../../shared/vocab';
// The engine itself, not the policy index: the index brings the table schemas (zod) along.
import { quote } from '../../../shared/policy/engine';
import { call } from '../api/client';
import { useAction } from '../api/hooks';
import { Kbd } from '../components/Kbd';
import { tierName, yuan } from '../format';
import { useKeys } from '../keys';
import { draftLines, type PaymentDraft } from './counter/flow';

interface Props {
  payer: PayerView;
  draft: PaymentDraft;
  active: boolean;
  onMethod(method: PaymentMethod): void;
  onTendered(tendered: string): void;
  onPosRef(posRef: string): void;
  /** 一次性补缴 on / off (F10) and its tier. */
  onToggleLump(): void;
  onLumpTier(tierFen: number): void;
  onRecorded(result: RecordedPayment): void;
}

const methodKeys: Record<PaymentMethod, string> = { cash: 'F5', bank_card: 'F6', qr: 'F7' };

/** 收款: what is due for the ticked years, how it is paid, the cash handed over and the change. */
export function PaymentPanel({ payer, draft, active, onMethod, onTendered, onPosRef, onToggleLump, onLumpTier, onRecorded }: Props) {
  const { run, busy, error } = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const tenderedRef = useRef<InputRef>(null);
  const posRefRef = useRef<InputRef>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const { method, tendered, posRef, transactionUid } = draft;

  const assessment = payer.assessment;
  const lines = useMemo(() => draftLines(draft), [draft]);
  // The same engine the services run, on the assessment they sent: instant, and re-checked on record.
  const q = useMemo(() => (assessment && lines.length ? quote(assessment, lines) : null), [assessment, lines]);
  const totalFen = q?.ok ? q.totals.payerFen : 0;
  const parsedTender = tendered.trim() === '' ? ({ ok: true, fen: totalFen } as const) : parseYuanInput(tendered);
  const tenderedFen = parsedTender.ok ? parsedTender.fen : null;
  const changeFen = tenderedFen !== null ? tenderedFen - totalFen : null;
  const cashProblem = method !== 'cash' ? null : !parsedTender.ok ? parsedTender.message : changeFen !== null && changeFen < 0 ? '实收金额不足' : null;
  const posProblem = method === 'bank_card' && posRef.trim() === '' ? `请输入POS小票上的${POS_REF_LABEL}` : null;
  // 一次性补缴: offered by the engine to a payer past pension age who is short of the minimum years.
  const lumpOffer = assessment?.lumpSum?.payable ? assessment.lumpSum : null;
  const lumpLine = q?.ok ? q.lines.find((l) => l.kind === 'lump_sum') : undefined;
  // The government pays the whole tier (e.g. 重度残疾 at the minimum tier): nothing is taken.
  const nothingDue = q?.ok === true && q.totals.payerFen === 0;
  const payable = (assessment?.years.some((y) => y.payable) ?? false) || !!lumpOffer;
  const canConfirm = !!q?.ok && !cashProblem && !posProblem && !busy;

  const confirm = () => {
    if (!canConfirm) return;
    void run(async () => {
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
      onRecorded(result);
    });
  };

  const setMethod = (m: PaymentMethod) => {
    onMethod(m);
    // Cash: the cursor goes to the amount handed over. Card / QR: Enter confirms once the terminal says paid.
    setTimeout(() => {
      if (m === 'cash') tenderedRef.current?.focus({ cursor: 'all' });
      else if (m === 'bank_card') posRefRef.current?.focus({ cursor: 'all' });
      else confirmRef.current?.focus();
    }, 0);
  };

  useKeys(
    [
      { key: 'F5', label: '现金', run: () => setMethod('cash'), enabled: payable },
      { key: 'F6', label: '银行卡', run: () => setMethod('bank_card'), enabled: payable },
      { key: 'F7', label: '扫码', run: () => setMethod('qr'), enabled: payable },
      { key: 'F9', label: nothingDue ? '核实无需收费' : '确认收款', run: confirm, enabled: payable },
      { key: 'F10', label: draft.lump ? '取消一次性补缴' : '一次性补缴', run: onToggleLump, enabled: !!lumpOffer },
      { key: 'Enter', label: '确认收款', run: confirm, enabled: payable, hidden: true, outsideFields: true },
    ],
    { active },
  );

  // A new payer (new transaction): the cursor goes to the cash field, so the clerk types what was
  // handed over, or presses Enter when it is exact.
  useEffect(() => {
    if (active) tenderedRef.current?.focus({ cursor: 'all' });
  }, [transactionUid, active]);

  if (!assessment) return null;

  return (
    <Card size="small" title="收款" data-testid="payment-panel" className="side-card">
      {lumpOffer ? (
        <div className="lump-offer" data-testid="lump-sum-offer">
          <Checkbox checked={!!draft.lump} onChange={onToggleLump} data-testid="lump-sum">
            一次性补缴（还差{lumpOffer.maxYears}年，{lumpOffer.subsidised ? '享受' : '不享受'}政府补贴） <Kbd>F10</Kbd>
          </Checkbox>
          {draft.lump ? (
            <div className="lump-line">
              <span data-testid="kind-lump">
                一次性补缴 {lumpLine?.years ?? '—'} 年{lumpLine ? ` ${yuan(lumpLine.payerFen)}` : ''}
              </span>
              <Select
                size="small"
                value={draft.lump.tierFen}
                style={{ width: 150 }}
                popupMatchSelectWidth={false}
                aria-label="一次性补缴档次"
                data-testid="tier-lump"
                onChange={(v: number) => onLumpTier(v)}
                options={lumpOffer.tiers.map((t) => ({ value: t.tierFen, label: `${tierName(t.tierFen)}/年` }))}
              />
            </div>
          ) : null}
        </div>
      ) : null}
      {!payable ? (
        <Alert type="info" showIcon message="该缴费人目前没有可缴费的年度（原因见左侧年度表）" data-testid="nothing-payable" />
      ) : lines.length === 0 ? (
        <Alert
          type="info"
          showIcon
          message={assessment?.years.some((y) => y.payable) ? '在左侧年度表中勾选要缴费的年度' : '按 F10 选择一次性补缴'}
          data-testid="choose-years"
        />
      ) : null}
      {q && !q.ok ? (
        <Alert style={{ marginTop: 8 }} type="error" showIcon message={q.errors.map((e) => e.message).join('；')} data-testid="quote-error" />
      ) : null}
      {q?.ok ? (
        <>
          <div className="due-row">
            <div>
              <div className="label">应收（个人缴费 · {q.totals.years} 个年度）</div>
              <div className="due" data-testid="total-due">
                {yuan(q.totals.payerFen)}
              </div>
            </div>
            <div className="aside">
              <div>政府补贴 {yuan(q.totals.subsidyFen)}</div>
              <div>政府代缴 {yuan(q.totals.governmentPaidFen)}</div>
              <div className="hint">（均不向缴费人收取）</div>
            </div>
          </div>
          <Radio.Group
            value={method}
            onChange={(e) => setMethod(e.target.value as PaymentMethod)}
            optionType="button"
            buttonStyle="solid"
            style={{ marginTop: 8 }}
          >
            {(Object.keys(paymentMethodLabels) as PaymentMethod[]).map((m) => (
              <Radio.Button key={m} value={m} data-testid={`method-${m}`}>
                {paymentMethodLabels[m]} <Kbd>{methodKeys[m]}</Kbd>
              </Radio.Button>
            ))}
          </Radio.Group>
          {nothingDue ? (
            <Alert
              style={{ marginTop: 8 }}
              type="info"
              showIcon
              data-testid="nothing-due"
              message="所选年度的个人缴费由政府全额代缴：本次不收款、不开具缴款书。按 F9 核实并结束。"
            />
          ) : method === 'cash' ? (
            <div className="cash-row">
              <div>
                <div className="label">实收（元，留空为正好）</div>
                <Input
                  ref={tenderedRef}
                  size="large"
                  style={{ width: 170 }}
                  placeholder={(totalFen / 100).toFixed(2)}
                  value={tendered}
                  status={cashProblem ? 'error' : undefined}
                  onChange={(e) => onTendered(e.target.value)}
                  onPressEnter={confirm}
                  aria-label="实收金额"
                  data-testid="tendered"
                  suffix={<Kbd>Enter</Kbd>}
                />
              </div>
              <div className="change" data-testid="change">
                找零 {changeFen !== null && changeFen >= 0 ? yuan(changeFen) : '—'}
              </div>
            </div>
          ) : method === 'bank_card' ? (
            <div className="cash-row">
              <div>
                <div className="label">POS机刷卡成功后，输入小票上的{POS_REF_LABEL}</div>
                <Input
                  ref={posRefRef}
                  size="large"
                  style={{ width: 220 }}
                  value={posRef}
                  status={error && posProblem ? 'error' : undefined}
                  onChange={(e) => onPosRef(e.target.value)}
                  onPressEnter={confirm}
                  aria-label={POS_REF_LABEL}
                  data-testid="pos-ref"
                  suffix={<Kbd>Enter</Kbd>}
                />
              </div>
            </div>
          ) : (
            <div className="label" style={{ marginTop: 8 }}>
              缴费人扫码支付成功后按 Enter 或 F9 确认
            </div>
          )}
        </>
      ) : null}
      {cashProblem && q?.ok ? <Alert style={{ marginTop: 8 }} type="warning" showIcon message={cashProblem} data-testid="cash-problem" /> : null}
      {notice ? <Alert style={{ marginTop: 8 }} type="success" showIcon message={notice} data-testid="payment-notice" /> : null}
      {error ? <Alert style={{ marginTop: 8 }} type="error" showIcon message={error} data-testid="payment-error" /> : null}
      <Button
        ref={confirmRef}
        block
        type="primary"
        size="large"
        style={{ marginTop: 10 }}
        disabled={!q?.ok || !!cashProblem || !!posProblem}
        loading={busy}
        onClick={confirm}
        data-testid="confirm-payment"
      >
        {nothingDue ? '核实无需收费' : '确认收款'} <Kbd>F9</Kbd>
      </Button>
    </Card>
  );
}
