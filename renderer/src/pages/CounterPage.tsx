import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { Alert, Card, Tag } from 'antd';
import type { AppInfo, PayerView, ReceiptView, RecordedPayment } from '../../../shared/api/views';
import { call, onEvent } from '../api/client';
import { messageOf } from '../api/hooks';
import { Layer, useKeys } from '../keys';
import { ActivityPanel } from './ActivityPanel';
import { flowReducer, initialFlow, nextReceiptStep, type FlowState, type PaymentDraft } from './counter/flow';
import { ExchangePanel } from './ExchangePanel';
import { PayerIdentity, PayerWarnings, PayerYears } from './PayerPanel';
import { PayerSearch, type PayerSearchHandle } from './PayerSearch';
import { PaymentPanel } from './PaymentPanel';
import { ReceiptFlow, useReceiptActions } from './ReceiptFlow';
import { TrainingPanel } from './TrainingPanel';
import { usePayerDisplayPublisher } from '../payer-display/publish';

interface RecentPayer {
  id: number;
  name: string;
  idNumberMasked: string;
}

/** What survives a browser refresh: the open payer, the draft (same transaction uid) and this visit's results. */
interface Saved {
  payerId: number;
  draft: PaymentDraft | null;
  recordedTransactionId: number | null;
  focus: string[];
}

const storageKey = (operatorId: number, what: string) => `pension-counter.${what}.${operatorId}`;

function load<T>(key: string, fallback: T): T {
  try {
    const v = sessionStorage.getItem(key);
    return v ? (JSON.parse(v) as T) : fallback;
  } catch {
    return fallback;
  }
}

interface Props {
  info: AppInfo;
  operatorId: number;
  /** The counter tab is showing: its keys work only then. */
  visible: boolean;
  /** A card placed on the reader opens its payer here (not while the supervisor test-reads on the device view). */
  takesCards: boolean;
  /** Something changed the clerk's waiting receipts (the header's count). */
  onReceiptsChanged(): void;
  /** Lets the header open a payer (a waiting receipt's). */
  openPayerRef: { current: ((payerId: number) => void) | null };
}

/** The counter: find the payer, take the money, issue and print the receipt, next payer. */
export function CounterPage({ info, operatorId, visible, takesCards, onReceiptsChanged, openPayerRef }: Props) {
  const [s, dispatch] = useReducer(flowReducer, initialFlow);
  const [recent, setRecent] = useState<RecentPayer[]>(() => load(storageKey(operatorId, 'recent'), []));
  const [busy, setBusy] = useState(false);
  const search = useRef<PayerSearchHandle>(null);
  const current = useRef<FlowState>(s);
  usePayerDisplayPublisher(s);
  useEffect(() => {
    current.current = s;
  });

  /** This payer's transactions and receipts, from the services (never from memory alone). */
  const loadActivity = useCallback((payerId: number) => {
    call('payer.activity', { payerId }).then(
      (a) => dispatch({ type: 'activity', payerId, ...a }),
      (e: unknown) => dispatch({ type: 'notice', notice: { type: 'warning', text: `该缴费人的收款记录暂时无法读取：${messageOf(e)}` } }),
    );
  }, []);

  const show = useCallback(
    (p: PayerView) => {
      setRecent((list) => {
        const next = [{ id: p.id, name: p.name, idNumberMasked: p.idNumberMasked }, ...list.filter((r) => r.id !== p.id)].slice(0, 8);
        sessionStorage.setItem(storageKey(operatorId, 'recent'), JSON.stringify(next));
        return next;
      });
      dispatch({ type: 'open', payer: p });
      loadActivity(p.id);
    },
    [operatorId, loadActivity],
  );

  const openPayer = useCallback(
    (payerId: number) => {
      call('payer.get', { payerId }).then(show, (e: unknown) => dispatch({ type: 'notice', notice: { type: 'error', text: messageOf(e) } }));
    },
    [show],
  );

  useEffect(() => {
    openPayerRef.current = openPayer;
  }, [openPayer, openPayerRef]);

  const lookup = (idNumber: string) => {
    setBusy(true);
    call('payer.lookup', { idNumber })
      .then(show, (e: unknown) => {
        dispatch({ type: 'next' });
        dispatch({ type: 'notice', notice: { type: 'warning', text: messageOf(e) } });
      })
      .finally(() => setBusy(false));
  };

  const next = useCallback(() => {
    dispatch({ type: 'next' });
    search.current?.clear();
    search.current?.focus();
  }, []);

  // A browser refresh in the middle of a payment: the same payer, the same draft (and transaction
  // uid, so a payment already recorded is not taken twice), the same receipts on screen.
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current) return;
    restored.current = true;
    const saved = load<Saved | null>(storageKey(operatorId, 'flow'), null);
    if (!saved) return;
    Promise.all([
      call('payer.get', { payerId: saved.payerId }),
      call('payment.forPayer', { payerId: saved.payerId, limit: 10 }),
      call('payer.activity', { payerId: saved.payerId }),
    ]).then(
      ([payer, transactions, activity]) => {
        const receipts = activity.receipts;
        dispatch({ type: 'open', payer });
        dispatch({ type: 'activity', payerId: payer.id, ...activity });
        const recorded =
          transactions.find((t) => t.transactionId === saved.recordedTransactionId) ??
          transactions.find((t) => saved.draft && t.transactionUid === saved.draft.transactionUid);
        if (recorded) dispatch({ type: 'recorded', payment: recorded });
        else if (saved.draft) {
          const d = saved.draft;
          for (const y of d.selected) if (!payer.assessment?.years.some((a) => a.year === y && a.payable)) return;
          dispatch({ type: 'restoreDraft', draft: d });
        }
        if (saved.focus.length) dispatch({ type: 'receipts', receipts: receipts.filter((r) => saved.focus.includes(r.number)), focus: true });
      },
      () => sessionStorage.removeItem(storageKey(operatorId, 'flow')),
    );
  }, [operatorId]);
  useEffect(() => {
    if (!restored.current) return;
    const key = storageKey(operatorId, 'flow');
    if (!s.payer) sessionStorage.removeItem(key);
    else {
      const saved: Saved = { payerId: s.payer.id, draft: s.draft, recordedTransactionId: s.recorded?.transactionId ?? null, focus: s.focus };
      sessionStorage.setItem(key, JSON.stringify(saved));
    }
  }, [s.payer, s.draft, s.recorded, s.focus, operatorId]);

  const takesCardsRef = useRef(takesCards);
  useEffect(() => {
    takesCardsRef.current = takesCards;
  });
  useEffect(() => {
    const offCard = onEvent('card.read', (e) => {
      if (!takesCardsRef.current) return;
      // The card is the start of a new payer: the keys belong to the counter, not to whatever was focused.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      if (e.payerId === null) {
        dispatch({ type: 'next' });
        dispatch({
          type: 'notice',
          notice: { type: 'warning', text: `${e.card.name}（${e.card.idNumberMasked}）未参保。请引导缴费人先到社保经办机构办理参保登记。` },
        });
      } else openPayer(e.payerId);
    });
    const offCardError = onEvent('card.error', (e) => dispatch({ type: 'notice', notice: { type: 'error', text: `读卡失败：${e.message}` } }));
    const offJob = onEvent('print.job', (j) => dispatch({ type: 'job', job: j }));
    return () => {
      offCard();
      offCardError();
      offJob();
    };
  }, [openPayer]);

  const onRecorded = (r: RecordedPayment) => {
    dispatch({ type: 'recorded', payment: r });
    // The slip may have printed before this response arrived (its event came first): ask once.
    if (r.printJob)
      call('print.get', { jobId: r.printJob.id }).then(
        (job) => dispatch({ type: 'job', job }),
        () => {},
      );
    // Refresh the ledger so the paid years show as paid.
    call('payer.get', { payerId: r.payerId }).then(
      (payer) => dispatch({ type: 'payerRefreshed', payer }),
      () => {},
    );
    onReceiptsChanged();
  };
  const onReceipts = useCallback(
    (receipts: ReceiptView[], focus: boolean) => {
      dispatch({ type: 'receipts', receipts, focus });
      const payerId = current.current.payer?.id;
      if (payerId) loadActivity(payerId);
      onReceiptsChanged();
    },
    [onReceiptsChanged, loadActivity],
  );
  const actions = useReceiptActions(onReceipts);

  const onExchanged = (receipts: ReceiptView[]) => {
    const payerId = receipts[0]?.payerId;
    if (!payerId) return;
    call('payer.get', { payerId }).then(
      (p) => {
        show(p);
        dispatch({ type: 'receipts', receipts, focus: true });
      },
      (e: unknown) => dispatch({ type: 'notice', notice: { type: 'error', text: messageOf(e) } }),
    );
    onReceiptsChanged();
  };

  useKeys(
    [
      {
        key: 'F2',
        label: '查找缴费人',
        run: () => {
          search.current?.focus();
        },
      },
      { key: 'F3', label: '换开', run: () => dispatch({ type: 'exchange' }) },
      { key: 'Esc', label: s.step.kind === 'search' ? '清空' : '下一位', run: next },
    ],
    { layer: Layer.page, active: visible },
  );

  const step = nextReceiptStep(s);
  const paying = s.step.kind === 'payer' && !!s.payer && !!s.draft && !s.recorded;
  const payable = s.payer?.assessment?.years.some((y) => y.payable) ?? false;
  useKeys(
    [
      { key: 'Ctrl+ArrowUp', label: '上一年度', run: () => dispatch({ type: 'moveCursor', by: -1 }) },
      { key: 'Ctrl+ArrowDown', label: '下一年度', run: () => dispatch({ type: 'moveCursor', by: 1 }) },
      { key: 'Ctrl+Enter', label: '勾选 / 取消年度', run: () => dispatch({ type: 'toggleCursor' }) },
      { key: 'Ctrl+ArrowLeft', label: '档次降', run: () => dispatch({ type: 'stepTier', by: -1 }) },
      { key: 'Ctrl+ArrowRight', label: '档次升', run: () => dispatch({ type: 'stepTier', by: 1 }) },
    ],
    { layer: Layer.panel, active: visible && paying && payable },
  );
  const focusReceipts = s.receipts.filter((r) => s.focus.includes(r.number) || (s.recorded && r.transactionId === s.recorded.transactionId));
  const training = info.mode === 'training';

  return (
    <div className={training ? 'counter with-training' : 'counter'}>
      <div className="counter-main">
        <PayerSearch ref={search} busy={busy} onLookup={lookup} onOpen={openPayer} />
        {recent.length ? (
          <div className="recent" data-testid="recent-payers">
            <span>最近：</span>
            {recent.map((r) => (
              <Tag key={r.id} style={{ cursor: 'pointer' }} onClick={() => openPayer(r.id)} title={r.idNumberMasked}>
                {r.name}
              </Tag>
            ))}
          </div>
        ) : null}
        {s.notice ? <Alert style={{ marginTop: 8 }} type={s.notice.type} showIcon message={s.notice.text} data-testid="lookup-error" /> : null}
        {s.step.kind === 'exchange' ? (
          <div style={{ marginTop: 8 }}>
            <ExchangePanel timeZone={info.timeZone} active={visible} onIssued={onExchanged} />
          </div>
        ) : null}
        {s.step.kind === 'payer' && s.payer ? (
          <div className="payer-page">
            <div className="payer-left">
              <Card size="small" className="payer-card">
                <PayerIdentity payer={s.payer} />
                <PayerWarnings payer={s.payer} />
                <div style={{ marginTop: 8 }}>
                  <PayerYears
                    payer={s.payer}
                    timeZone={info.timeZone}
                    selected={paying ? (s.draft?.selected ?? []) : null}
                    tiers={s.draft?.tiers ?? {}}
                    onToggleYear={(year) => dispatch({ type: 'toggleYear', year })}
                    onTierChange={(year, tierFen) => dispatch({ type: 'setTier', year, tierFen })}
                    cursor={s.draft?.cursor ?? null}
                    maxHeight={training ? 230 : 280}
                  />
                </div>
              </Card>
              <Card size="small" title="本窗口的收款与缴款书" style={{ marginTop: 8 }} data-testid="activity-card">
                {actions.error ? <Alert type="error" showIcon message={actions.error} style={{ marginBottom: 8 }} /> : null}
                <ActivityPanel
                  transactions={s.transactions}
                  receipts={s.receipts}
                  exchanges={s.exchanges}
                  timeZone={info.timeZone}
                  actions={actions}
                  onExchanged={onExchanged}
                />
              </Card>
            </div>
            <div className="payer-right">
              {paying && s.payer && s.draft ? (
                <PaymentPanel
                  payer={s.payer}
                  draft={s.draft}
                  active={visible}
                  onMethod={(method) => dispatch({ type: 'setMethod', method })}
                  onTendered={(tendered) => dispatch({ type: 'setTendered', tendered })}
                  onPosRef={(posRef) => dispatch({ type: 'setPosRef', posRef })}
                  onToggleLump={() => dispatch({ type: 'toggleLump' })}
                  onLumpTier={(tierFen) => dispatch({ type: 'setLumpTier', tierFen })}
                  onRecorded={onRecorded}
                />
              ) : null}
              <ReceiptFlow
                recorded={s.recorded}
                job={s.job}
                step={step}
                receipts={focusReceipts.length ? focusReceipts : step && step.kind !== 'issue' ? [step.receipt] : []}
                timeZone={info.timeZone}
                active={visible}
                actions={actions}
                onJob={(job) => dispatch({ type: 'job', job })}
                onReceipts={onReceipts}
                onNext={next}
              />
            </div>
          </div>
        ) : null}
      </div>
      {training ? (
        <div className="counter-training">
          <TrainingPanel />
        </div>
      ) : null}
    </div>
  );
}
