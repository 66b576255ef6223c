import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, AutoComplete, Button, Col, Input, Layout, Row, Select, Space, Tag, Typography, type InputRef } from 'antd';
import type { EventPayload } from '../../../shared/api/events';
import type { AppInfo, PayerSearchHit, PayerView, PrintJobView, ReceiptView, RecordedPayment, SessionView } from '../../../shared/api/views';
import { roleLabels } from '../../../shared/api/views';
import { normalizeIdInput, validateIdNumber } from '../../../shared/domain/id-number';
import { call, onEvent } from '../api/client';
import { Kbd } from '../components/Kbd';
import { hallDateTime } from '../format';
import { AuditPanel } from './AuditPanel';
import { CasesPanel } from './CasesPanel';
import { DayClosePanel } from './DayClosePanel';
import { ProgressPanel } from './ProgressPanel';
import { StockPanel } from './StockPanel';
import { DevicesPage } from './DevicesPage';
import { ExchangePanel } from './ExchangePanel';
import { ReceiptFlow } from './ReceiptFlow';
import { PayerPanel } from './PayerPanel';
import { defaultTier, PaymentPanel, type PaymentPanelHandle } from './PaymentPanel';
import { ResultPanel } from './ResultPanel';
import { TrainingPanel } from './TrainingPanel';

interface Props {
  info: AppInfo;
  session: SessionView;
  onSignedOut(session: SessionView): void;
  onLocked(session: SessionView): void;
}

interface RecentPayer {
  id: number;
  name: string;
  idNumberMasked: string;
}

/** Recent payers belong to one operator's shift: the next clerk at this screen starts with none. */
const recentKey = (session: SessionView) => `pension-counter.recent.${session.operator?.username ?? ''}.${session.shift?.id ?? 0}`;
/** Digits and X once full-width digits, spaces and dashes are normalised: an ID number, not a name. */
const isIdLike = (s: string) => /^[0-9X]+$/.test(normalizeIdInput(s));

function loadRecent(key: string): RecentPayer[] {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? '[]') as RecentPayer[];
  } catch {
    return [];
  }
}

interface PaymentDraft {
  transactionUid: string;
  selected: Set<number>;
  tiers: Map<number, number>;
}

/** Pre-selects the current year (when payable) with its default tier: the common case is one key. */
function draftFor(payer: PayerView): PaymentDraft {
  const tiers = new Map<number, number>();
  const paid = payer.years.flatMap((y) => y.payments).sort((a, b) => b.year - a.year);
  for (const y of payer.assessment?.years ?? []) {
    if (!y.payable) continue;
    const t = defaultTier(y, paid[0]?.tierFen ?? null);
    if (t !== null) tiers.set(y.year, t);
  }
  const current = payer.assessment?.years.find((y) => y.kind === 'current' && y.payable);
  return { transactionUid: crypto.randomUUID(), selected: new Set(current && tiers.has(current.year) ? [current.year] : []), tiers };
}

const printerTags: Record<EventPayload<'printer.status'>['state'], { color: string; text: string }> = {
  ready: { color: 'green', text: '打印机就绪' },
  printing: { color: 'blue', text: '打印中' },
  offline: { color: 'red', text: '打印机脱机' },
  cover_open: { color: 'red', text: '打印机开盖' },
  paper_out: { color: 'red', text: '打印机缺纸' },
  not_configured: { color: 'default', text: '未配置打印机' },
};

const syncTags: Record<EventPayload<'sync.status'>['state'], { color: string; text: string }> = {
  online: { color: 'green', text: '已联网' },
  syncing: { color: 'blue', text: '同步中' },
  offline: { color: 'orange', text: '离线' },
  disabled: { color: 'default', text: '单机' },
};

export function Workspace({ info, session, onSignedOut, onLocked }: Props) {
  const [idInput, setIdInput] = useState('');
  const [payer, setPayer] = useState<PayerView | null>(null);
  const [draft, setDraft] = useState<PaymentDraft | null>(null);
  const [result, setResult] = useState<RecordedPayment | null>(null);
  const [job, setJob] = useState<PrintJobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [printer, setPrinter] = useState<EventPayload<'printer.status'> | null>(null);
  const [sync, setSync] = useState<EventPayload<'sync.status'> | null>(null);
  const [hits, setHits] = useState<PayerSearchHit[]>([]);
  const [showDevices, setShowDevices] = useState(false);
  const [showCases, setShowCases] = useState(false);
  const [showAudit, setShowAudit] = useState(false);
  const [showDayClose, setShowDayClose] = useState(false);
  const [showProgress, setShowProgress] = useState(false);
  const [showStock, setShowStock] = useState(false);
  const [receipts, setReceipts] = useState<ReceiptView[] | null>(null);
  const [exchanging, setExchanging] = useState(false);
  const [village, setVillage] = useState<string | undefined>(undefined);
  const [villages, setVillages] = useState<{ town: string; villages: string[] }[]>([]);
  const RECENT_KEY = recentKey(session);
  const [recent, setRecent] = useState<RecentPayer[]>(() => loadRecent(RECENT_KEY));
  const inputRef = useRef<InputRef>(null);
  const paymentRef = useRef<PaymentPanelHandle>(null);

  useEffect(() => {
    call('payer.villages', {}).then(setVillages, () => {});
  }, []);

  // Name or pinyin initials: search as the clerk types (an ID number is looked up on Enter).
  useEffect(() => {
    const q = idInput.trim();
    if (!q || isIdLike(q)) return;
    const t = setTimeout(() => {
      call('payer.search', { query: q, village, limit: 20 }).then(
        (r) => setHits(r.hits),
        () => setHits([]),
      );
    }, 120);
    return () => clearTimeout(t);
  }, [idInput, village]);

  // Idle lock: no key, click or card for the configured minutes locks the screen.
  useEffect(() => {
    let timer = setTimeout(lock, info.idleLockMinutes * 60_000);
    function lock() {
      call('session.lock', {}).then(onLocked, () => {});
    }
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(lock, info.idleLockMinutes * 60_000);
    };
    window.addEventListener('keydown', activity);
    window.addEventListener('mousedown', activity);
    const offCard = onEvent('card.read', activity);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('keydown', activity);
      window.removeEventListener('mousedown', activity);
      offCard();
    };
  }, [info.idleLockMinutes, onLocked]);

  const show = useCallback(
    (p: PayerView) => {
      setRecent((list) => {
        const next = [{ id: p.id, name: p.name, idNumberMasked: p.idNumberMasked }, ...list.filter((r) => r.id !== p.id)].slice(0, 8);
        sessionStorage.setItem(RECENT_KEY, JSON.stringify(next));
        return next;
      });
      setHits([]);
      setReceipts(null);
      setExchanging(false);
      setPayer(p);
      setDraft(draftFor(p));
      setResult(null);
      setJob(null);
      setError(null);
      setIdInput('');
    },
    [RECENT_KEY],
  );

  const clear = useCallback(() => {
    setReceipts(null);
    setExchanging(false);
    setPayer(null);
    setDraft(null);
    setResult(null);
    setJob(null);
    setError(null);
    setIdInput('');
    inputRef.current?.focus();
  }, []);

  // Validate as the clerk types, but only complain once the number is complete.
  const trimmed = normalizeIdInput(idInput);
  const check = trimmed.length >= 15 ? validateIdNumber(trimmed) : null;
  const inputProblem = check && !check.ok ? check.message : null;

  const lookup = async () => {
    // Names are chosen from the search list; only ID numbers are looked up on Enter.
    if (!trimmed || !isIdLike(trimmed)) return;
    // The reason is already shown under the field: once is enough.
    if (check && !check.ok) return;
    setBusy(true);
    try {
      show(await call('payer.lookup', { idNumber: trimmed }));
    } catch (e) {
      setPayer(null);
      setDraft(null);
      setResult(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const openPayer = useCallback(
    (payerId: number) => {
      call('payer.get', { payerId }).then(show, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    },
    [show],
  );

  useEffect(() => {
    const offCard = onEvent('card.read', (e) => {
      if (e.payerId === null) {
        setPayer(null);
        setDraft(null);
        setResult(null);
        setError(`${e.card.name}（${e.card.idNumberMasked}）未参保。请引导缴费人先到社保经办机构办理参保登记。`);
      } else openPayer(e.payerId);
    });
    const offCardError = onEvent('card.error', (e) => setError(`读卡失败：${e.message}`));
    const offPrinter = onEvent('printer.status', setPrinter);
    const offSync = onEvent('sync.status', setSync);
    const offJob = onEvent('print.job', (j) => setJob((cur) => (cur && cur.id === j.id ? j : cur)));
    return () => {
      offCard();
      offCardError();
      offPrinter();
      offSync();
      offJob();
    };
  }, [openPayer]);

  const onRecorded = (r: RecordedPayment) => {
    setResult(r);
    setJob(r.printJob);
    // The slip may have printed before this response arrived (its event came first): ask once.
    if (r.printJob) call('print.get', { jobId: r.printJob.id }).then(setJob, () => {});
    // Refresh the ledger so the paid years show as paid.
    call('payer.get', { payerId: r.payerId }).then(setPayer, () => {});
  };

  const issueReceipt = useCallback(() => {
    if (!result) return;
    call('receipt.issue', { transactionId: result.transactionId }).then(
      (res) => setReceipts(res.receipts),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [result]);

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const keys: Record<string, () => void> = {
        F2: () => inputRef.current?.focus(),
        F3: () => {
          clear();
          setExchanging(true);
        },
        F8: issueReceipt,
        Escape: clear,
        F5: () => paymentRef.current?.setMethod('cash'),
        F6: () => paymentRef.current?.setMethod('bank_card'),
        F7: () => paymentRef.current?.setMethod('qr'),
        F9: () => paymentRef.current?.confirm(),
      };
      const action = keys[ev.key];
      if (action) {
        ev.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [clear, issueReceipt]);

  const toggleYear = (year: number) =>
    setDraft((d) => {
      if (!d) return d;
      const selected = new Set(d.selected);
      if (selected.has(year)) selected.delete(year);
      else selected.add(year);
      return { ...d, selected };
    });
  const setTier = (year: number, tierFen: number) => setDraft((d) => (d ? { ...d, tiers: new Map(d.tiers).set(year, tierFen) } : d));

  const signOut = () => void call('session.signOut', {}).then(onSignedOut, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  const op = session.operator!;
  const printerTag = printer ? printerTags[printer.state] : null;

  return (
    <Layout style={{ minHeight: '100%' }}>
      <Layout.Header style={{ background: '#1e3a8a', display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Text ellipsis style={{ color: '#fff', fontSize: 18, fontWeight: 600, minWidth: 0, flexShrink: 1 }} title={info.hallName}>
          {info.hallName}
        </Typography.Text>
        <div style={{ flex: 1 }} />
        {sync ? (
          <Tag color={syncTags[sync.state].color} data-testid="sync-status" title={sync.message}>
            {syncTags[sync.state].text}
            {sync.pending ? ` · 待上传 ${sync.pending}` : ''}
            {sync.state === 'syncing' && sync.message ? ` · ${sync.message}` : ''}
          </Tag>
        ) : null}
        {printerTag ? (
          <Tag color={printerTag.color} data-testid="printer-status" title={printer?.message}>
            {printerTag.text}
          </Tag>
        ) : null}
        <Typography.Text style={{ color: '#dbeafe', whiteSpace: 'nowrap' }} data-testid="operator">
          {session.shift ? `${session.shift.counterNo} 号窗口 · ` : ''}
          {roleLabels[op.role]} {op.displayName}
        </Typography.Text>
        <Typography.Text style={{ color: '#dbeafe', whiteSpace: 'nowrap' }}>{info.today}</Typography.Text>
        <Button onClick={() => setShowStock((v) => !v)} data-testid="open-stock">
          票证
        </Button>
        <Button onClick={() => setShowDayClose((v) => !v)} data-testid="open-dayclose">
          日结
        </Button>
        {op.role === 'supervisor' ? (
          <Button onClick={() => setShowProgress((v) => !v)} data-testid="open-progress">
            进度
          </Button>
        ) : null}
        {op.role === 'supervisor' ? <Button onClick={() => setShowCases((v) => !v)}>待处理</Button> : null}
        {op.role === 'supervisor' ? <Button onClick={() => setShowAudit((v) => !v)}>审计</Button> : null}
        {op.role === 'supervisor' ? (
          <Button onClick={() => setShowDevices((v) => !v)} data-testid="open-devices">
            设备
          </Button>
        ) : null}
        <Button onClick={signOut}>退出登录</Button>
      </Layout.Header>
      {sync && sync.state === 'offline' ? (
        <Alert
          banner
          type="warning"
          data-testid="sync-banner"
          message={`离线：无法连接上游系统，可继续收费。待上传 ${sync.pending} 笔；最近同步 ${sync.lastSuccessAt ? hallDateTime(sync.lastSuccessAt, info.timeZone) : '从未'}。${sync.message}`}
        />
      ) : null}
      <Layout.Content style={{ padding: 24 }}>
        <Row gutter={24} wrap={false}>
          <Col flex="auto" style={{ minWidth: 0 }}>
            <Space.Compact style={{ width: '100%', maxWidth: 900 }}>
              <AutoComplete
                style={{ flex: 1 }}
                value={idInput}
                options={
                  idInput.trim() && !isIdLike(idInput)
                    ? hits.map((h) => ({
                        value: String(h.id),
                        label: (
                          <span data-testid="search-hit">
                            <b>{h.name}</b> · {h.idNumberMasked} · {h.town}
                            {h.village}
                          </span>
                        ),
                      }))
                    : []
                }
                onChange={(v: string) => setIdInput(v)}
                onSelect={(v: string) => {
                  setIdInput('');
                  openPayer(Number(v));
                }}
              >
                <Input
                  ref={inputRef}
                  autoFocus
                  size="large"
                  placeholder="刷身份证，或输入身份证号码 / 姓名 / 拼音首字母"
                  maxLength={20}
                  status={inputProblem ? 'error' : undefined}
                  onPressEnter={() => void lookup()}
                  aria-label="身份证号码"
                  data-testid="id-input"
                />
              </AutoComplete>
              <Select
                size="large"
                style={{ width: 200 }}
                allowClear
                showSearch
                placeholder="全部村（社区）"
                value={village}
                onChange={(v: string | undefined) => setVillage(v)}
                options={villages.map((t) => ({ label: t.town, options: t.villages.map((v) => ({ label: v, value: v })) }))}
                aria-label="村（社区）"
                data-testid="village-filter"
              />
              <Button size="large" type="primary" loading={busy} onClick={() => void lookup()}>
                查询
              </Button>
            </Space.Compact>
            {recent.length ? (
              <div style={{ marginTop: 6 }} data-testid="recent-payers">
                <span style={{ color: '#6b7280' }}>最近：</span>
                {recent.map((r) => (
                  <Tag key={r.id} style={{ cursor: 'pointer' }} onClick={() => openPayer(r.id)} title={r.idNumberMasked}>
                    {r.name}
                  </Tag>
                ))}
              </div>
            ) : null}
            <div style={{ marginTop: 6, color: '#6b7280' }}>
              <Kbd>F2</Kbd>输入身份证号 <Kbd>Enter</Kbd>查询 <Kbd>F5</Kbd>现金 <Kbd>F6</Kbd>银行卡 <Kbd>F7</Kbd>扫码 <Kbd>F9</Kbd>确认收款 <Kbd>F8</Kbd>开缴款书{' '}
              <Kbd>F3</Kbd>换开 <Kbd>Esc</Kbd>下一位
              {inputProblem ? (
                <span style={{ color: '#dc2626', marginLeft: 16 }} data-testid="id-input-problem">
                  {inputProblem}
                </span>
              ) : null}
            </div>
            {showStock ? <StockPanel supervisor={op.role === 'supervisor'} /> : null}
            {showDayClose ? <DayClosePanel supervisor={op.role === 'supervisor'} /> : null}
            {showProgress ? <ProgressPanel /> : null}
            {showCases ? <CasesPanel timeZone={info.timeZone} /> : null}
            {showAudit ? <AuditPanel timeZone={info.timeZone} /> : null}
            {showDevices ? (
              <div style={{ marginTop: 16 }}>
                <DevicesPage canConfigure={false} />
              </div>
            ) : null}
            {error ? <Alert style={{ marginTop: 16 }} type="warning" showIcon message={error} data-testid="lookup-error" /> : null}
            {exchanging ? (
              <ExchangePanel
                timeZone={info.timeZone}
                onIssued={(r) => {
                  setExchanging(false);
                  setReceipts(r);
                }}
              />
            ) : null}
            {result ? (
              <ResultPanel result={result} job={job} timeZone={info.timeZone} onJob={setJob} onNext={clear} onIssueReceipt={receipts ? null : issueReceipt} />
            ) : null}
            {receipts ? <ReceiptFlow receipts={receipts} onChange={setReceipts} /> : null}
            {payer && draft && !result ? (
              <PaymentPanel
                ref={paymentRef}
                payer={payer}
                transactionUid={draft.transactionUid}
                selected={draft.selected}
                tiers={draft.tiers}
                onTierChange={setTier}
                onRecorded={onRecorded}
              />
            ) : null}
            {payer && draft ? (
              <PayerPanel payer={payer} timeZone={info.timeZone} selected={result ? new Set() : draft.selected} onToggleYear={toggleYear} />
            ) : null}
          </Col>
          {info.mode === 'training' ? (
            <Col flex="420px">
              <TrainingPanel />
            </Col>
          ) : null}
        </Row>
      </Layout.Content>
    </Layout>
  );
}
