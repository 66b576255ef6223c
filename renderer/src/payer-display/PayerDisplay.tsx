// The payer's screen (客显): large type, high contrast, read from a metre away. It shows only the
// state the services built for it ('payer.display': masked name and ID number, amounts priced by
// the services); the only input is the rating. Nothing of the counter's screen is rendered here.
import { useEffect, useRef, useState } from 'react';
import type { PayerDisplayState } from '../../../shared/payer-display';
import {
  evaluationLevelCodes,
  evaluationLevelLabels,
  evaluationLowLevels,
  evaluationReasonCodes,
  evaluationReasonLabels,
  formatYuan,
  paymentMethodLabels,
  type EvaluationLevel,
  type EvaluationReason,
} from '../../../shared/vocab';
import { call, onEvent } from '../api/client';
import { TrainingBanner } from '../components/TrainingBanner';
import './payer-display.css';

const yuan = (fen: number) => `¥${formatYuan(fen)}`;
/** 2026-12-31 → 2026年12月31日 */
const civil = (d: string) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

export function PayerDisplay() {
  const [state, setState] = useState<PayerDisplayState | null>(null);
  const [offline, setOffline] = useState(false);

  useEffect(() => {
    document.title = '缴费信息';
    let live = true;
    const off = onEvent('payer.display', (s) => {
      live = false;
      setState(s);
    });
    // A screen that opens (or reconnects) later starts from the current state.
    call('display.state', {}).then(
      (s) => {
        if (live) setState(s);
      },
      () => setOffline(true),
    );
    return off;
  }, []);

  if (!state) return <div className="pd-screen pd-center">{offline ? '暂停服务' : ''}</div>;
  return (
    <div className="pd-screen" data-testid="payer-display" data-stage={state.stage}>
      {state.training ? <TrainingBanner /> : null}
      <header className="pd-header">
        <span data-testid="pd-hall">{state.hallName}</span>
        {state.counterNo ? <span className="pd-counter">{state.counterNo} 号窗口</span> : null}
      </header>
      <main className="pd-main">
        <Stage state={state} />
      </main>
      <footer className="pd-footer">城乡居民基本养老保险费</footer>
    </div>
  );
}

function Stage({ state }: { state: PayerDisplayState }) {
  switch (state.stage) {
    case 'idle':
      return (
        <div className="pd-center" data-testid="pd-idle">
          <div className="pd-welcome">欢迎光临</div>
          {state.period ? (
            <div className="pd-period" data-testid="pd-period">
              <div>{state.period.year}年度城乡居民基本养老保险费征缴期</div>
              <div>
                {civil(state.period.from)} 至 <strong>{civil(state.period.to)}</strong>
              </div>
              <div className="pd-deadline">{state.period.ended ? '本年度征缴期已结束' : `请在 ${civil(state.period.to)} 前缴费`}</div>
            </div>
          ) : null}
        </div>
      );
    case 'payer':
      return (
        <>
          <Payer name={state.payer.name} id={state.payer.idNumberMasked} />
          {state.amounts ? <Amounts a={state.amounts} /> : <div className="pd-hint">请稍候，工作人员正在为您办理</div>}
        </>
      );
    case 'paid':
      return (
        <>
          <div className="pd-success" data-testid="pd-success">
            ✔ 缴费成功
          </div>
          <Payer name={state.payer.name} id={state.payer.idNumberMasked} />
          <div className="pd-due">
            <span>实缴金额</span> <strong data-testid="pd-due">{yuan(state.amounts.payerFen)}</strong>
            <span className="pd-capitals">{state.amounts.capitals}</span>
          </div>
          <Tendered a={state.amounts} />
          <div className="pd-numbers">
            <div>
              流水号 <strong data-testid="pd-slip">{state.slipNo}</strong>
            </div>
            {state.receiptNumbers.length ? (
              <div>
                缴款书号码 <strong data-testid="pd-receipt">{state.receiptNumbers.join('、')}</strong>
              </div>
            ) : null}
          </div>
        </>
      );
    case 'evaluate':
      return <Evaluate key={state.evaluationId} state={state} />;
    case 'thanks':
      return (
        <div className="pd-center" data-testid="pd-thanks">
          <div className="pd-welcome">感谢您的评价</div>
          <div className="pd-hint">祝您生活愉快</div>
        </div>
      );
  }
}

function Payer({ name, id }: { name: string; id: string }) {
  return (
    <div className="pd-payer">
      <div>
        缴费人 <strong data-testid="pd-name">{name}</strong>
      </div>
      <div>
        身份证号 <strong data-testid="pd-id">{id}</strong>
      </div>
    </div>
  );
}

type AmountsView = NonNullable<Extract<PayerDisplayState, { stage: 'payer' }>['amounts']>;

function Amounts({ a }: { a: AmountsView }) {
  return (
    <>
      <table className={`pd-lines${a.lines.length > 4 ? ' pd-many' : ''}`} data-testid="pd-lines">
        <thead>
          <tr>
            <th>缴费年度</th>
            <th>缴费档次</th>
            <th>个人缴费</th>
            <th>政府补贴</th>
            <th>政府代缴</th>
          </tr>
        </thead>
        <tbody>
          {a.lines.map((l) => (
            <tr key={`${l.year}-${l.lumpSum ? 'l' : 'y'}`}>
              <td>
                {l.lumpSum ? `一次性补缴 ${l.years} 年` : `${l.year}年度`}
                {l.backPayment ? '（补缴）' : ''}
              </td>
              <td>{yuan(l.tierFen)}</td>
              <td>{yuan(l.payerFen)}</td>
              <td>{yuan(l.subsidyFen)}</td>
              <td>{l.governmentPaidFen ? yuan(l.governmentPaidFen) : '—'}</td>
            </tr>
          ))}
        </tbody>
        {a.lines.length > 1 ? (
          <tfoot>
            <tr>
              <td>合计</td>
              <td />
              <td>{yuan(a.payerFen)}</td>
              <td>{yuan(a.subsidyFen)}</td>
              <td>{a.governmentPaidFen ? yuan(a.governmentPaidFen) : '—'}</td>
            </tr>
          </tfoot>
        ) : null}
      </table>
      <div className="pd-due">
        <span>应缴金额</span> <strong data-testid="pd-due">{yuan(a.payerFen)}</strong>
        <span className="pd-capitals" data-testid="pd-capitals">
          {a.capitals}
        </span>
      </div>
      <Tendered a={a} />
    </>
  );
}

function Tendered({ a }: { a: AmountsView }) {
  return (
    <div className="pd-tendered">
      <span>付款方式 {paymentMethodLabels[a.method]}</span>
      {a.tenderedFen !== null ? (
        <span>
          实收 <strong data-testid="pd-tendered">{yuan(a.tenderedFen)}</strong>
        </span>
      ) : null}
      {a.changeFen !== null ? (
        <span>
          找零 <strong data-testid="pd-change">{yuan(a.changeFen)}</strong>
        </span>
      ) : null}
    </div>
  );
}

function Evaluate({ state }: { state: Extract<PayerDisplayState, { stage: 'evaluate' }> }) {
  const [level, setLevel] = useState<EvaluationLevel | null>(null);
  const [reasons, setReasons] = useState<EvaluationReason[]>([]);
  const [left, setLeft] = useState(state.seconds);
  const [error, setError] = useState<string | null>(null);
  const sent = useRef(false);
  useEffect(() => {
    const started = Date.now();
    const t = setInterval(() => setLeft(Math.max(0, state.seconds - Math.floor((Date.now() - started) / 1000))), 500);
    return () => clearInterval(t);
  }, [state.seconds]);

  const submit = (l: EvaluationLevel, r: EvaluationReason[]) => {
    if (sent.current) return;
    sent.current = true;
    call('evaluation.submit', { evaluationId: state.evaluationId, level: l, reasons: r }).catch((e: unknown) => {
      sent.current = false;
      setError(e instanceof Error ? e.message : '评价未能提交');
    });
  };
  const choose = (l: EvaluationLevel) => {
    if (evaluationLowLevels.includes(l)) {
      setLevel(l);
      return;
    }
    submit(l, []);
  };

  return (
    <div className="pd-evaluate" data-testid="pd-evaluate">
      <div className="pd-question">请您对本次服务进行评价</div>
      <div className="pd-levels">
        {evaluationLevelCodes.map((l) => (
          <button
            key={l}
            type="button"
            className={`pd-level pd-level-${l}${level === l ? ' pd-chosen' : ''}`}
            onClick={() => choose(l)}
            data-testid={`pd-level-${l}`}
          >
            {evaluationLevelLabels[l]}
          </button>
        ))}
      </div>
      {level ? (
        <div className="pd-reasons" data-testid="pd-reasons">
          <div>请选择原因（可多选，也可不选）</div>
          <div className="pd-reason-list">
            {evaluationReasonCodes.map((r) => (
              <button
                key={r}
                type="button"
                className={`pd-reason${reasons.includes(r) ? ' pd-chosen' : ''}`}
                aria-pressed={reasons.includes(r)}
                onClick={() => setReasons((rs) => (rs.includes(r) ? rs.filter((x) => x !== r) : [...rs, r]))}
                data-testid={`pd-reason-${r}`}
              >
                {reasons.includes(r) ? '✓ ' : ''}
                {evaluationReasonLabels[r]}
              </button>
            ))}
          </div>
          <button type="button" className="pd-submit" onClick={() => submit(level, reasons)} data-testid="pd-submit">
            提交评价
          </button>
        </div>
      ) : null}
      {error ? <div className="pd-hint">{error}</div> : null}
      <div className="pd-countdown" data-testid="pd-countdown">
        {left} 秒后自动结束 · 流水号 {state.slipNo}
      </div>
    </div>
  );
}
