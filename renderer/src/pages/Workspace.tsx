import { lazy, useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Popover, Tabs, Tag, Typography } from 'antd';
import type { EventPayload } from '../../../shared/api/events';
import type { AppInfo, SessionView } from '../../../shared/api/views';
import { roleLabels } from '../../../shared/vocab';
import { call, onEvent } from '../api/client';
import { UncertainSlips } from '../components/UncertainSlips';
import { useQuery } from '../api/hooks';
import { receiptStatusLabels } from '../../../shared/vocab';
import { hallDateTime, yuan } from '../format';
import { KeyBar, Layer, useKeys } from '../keys';
import { CounterPage } from './CounterPage';
import { TrainingPanel } from './TrainingPanel';
import { LoadBoundary } from '../components/LoadBoundary';

// Areas other than the counter load when first opened (the progress charts carry echarts, the day
// close and device views their own antd parts): sign-in and the counter screen do not wait for them.
const StockPanel = lazy(() => import('./StockPanel').then((m) => ({ default: m.StockPanel })));
const DayClosePanel = lazy(() => import('./DayClosePanel').then((m) => ({ default: m.DayClosePanel })));
const DevicesPage = lazy(() => import('./DevicesPage').then((m) => ({ default: m.DevicesPage })));
const ProgressPanel = lazy(() => import('./ProgressPanel').then((m) => ({ default: m.ProgressPanel })));
const AuditPanel = lazy(() => import('./AuditPanel').then((m) => ({ default: m.AuditPanel })));
const CasesPanel = lazy(() => import('./CasesPanel').then((m) => ({ default: m.CasesPanel })));
const EvaluationPanel = lazy(() => import('../payer-display/EvaluationPanel').then((m) => ({ default: m.EvaluationPanel })));

interface Props {
  info: AppInfo;
  session: SessionView;
  onSignedOut(session: SessionView): void;
  onLocked(session: SessionView): void;
}

const printerTags: Record<EventPayload<'printer.status'>['state'], { color: string; text: string }> = {
  ready: { color: 'green', text: '打印机就绪' },
  printing: { color: 'blue', text: '打印中' },
  offline: { color: 'red', text: '打印机脱机' },
  cover_open: { color: 'red', text: '打印机开盖' },
  paper_out: { color: 'red', text: '打印机缺纸' },
  absent: { color: 'red', text: '打印机未连接' },
  not_configured: { color: 'default', text: '未配置打印机' },
};

const syncTags: Record<EventPayload<'sync.status'>['state'], { color: string; text: string }> = {
  online: { color: 'green', text: '已联网' },
  syncing: { color: 'blue', text: '同步中' },
  offline: { color: 'orange', text: '离线' },
  disabled: { color: 'default', text: '单机' },
};

type TabKey = 'counter' | 'stock' | 'dayclose' | 'progress' | 'cases' | 'audit' | 'devices' | 'evaluations';

/** The signed-in counter: header with the state of the devices and the day, areas as tabs, the key bar. */
export function Workspace({ info, session, onSignedOut, onLocked }: Props) {
  const [tab, setTab] = useState<TabKey>('counter');
  const [printer, setPrinter] = useState<EventPayload<'printer.status'> | null>(null);
  const [sync, setSync] = useState<EventPayload<'sync.status'> | null>(null);
  const [receiptsTick, setReceiptsTick] = useState(0);
  const op = session.operator!;
  const supervisor = op.role === 'supervisor';

  useEffect(() => {
    const offPrinter = onEvent('printer.status', setPrinter);
    const offSync = onEvent('sync.status', setSync);
    return () => {
      offPrinter();
      offSync();
    };
  }, []);

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

  const receiptsChanged = useCallback(() => setReceiptsTick((t) => t + 1), []);
  const openPayer = useRef<((payerId: number) => void) | null>(null);
  const signOut = () => {
    call('session.signOut', {}).then(
      (s) => {
        // The next operator at this counter does not see who was served before.
        for (const k of Object.keys(sessionStorage)) if (k.startsWith('pension-counter.') && k !== 'pension-counter.token') sessionStorage.removeItem(k);
        onSignedOut(s);
      },
      () => {},
    );
  };

  // A card placed or F2 / F3 while another area is open: back to the counter.
  useKeys(
    [
      { key: 'F2', label: '回到柜台收费', run: () => setTab('counter') },
      { key: 'F3', label: '换开', run: () => setTab('counter') },
    ],
    { layer: Layer.page, active: tab !== 'counter' },
  );
  // …except on the device view, where the supervisor places a card to test the reader.
  const tabRef = useRef(tab);
  useEffect(() => {
    tabRef.current = tab;
  });
  useEffect(() => onEvent('card.read', () => tabRef.current !== 'devices' && setTab('counter')), []);

  const printerTag = printer ? printerTags[printer.state] : null;
  const tabs: { key: TabKey; label: string; testId?: string; show: boolean }[] = [
    { key: 'counter', label: '柜台收费', testId: 'open-counter', show: true },
    { key: 'stock', label: '票证', testId: 'open-stock', show: true },
    { key: 'dayclose', label: '日结', testId: 'open-dayclose', show: true },
    { key: 'progress', label: '进度', testId: 'open-progress', show: supervisor },
    { key: 'cases', label: '待处理', testId: 'open-cases', show: supervisor },
    { key: 'audit', label: '审计', testId: 'open-audit', show: supervisor },
    { key: 'devices', label: '设备', testId: 'open-devices', show: supervisor },
    { key: 'evaluations', label: '好差评', testId: 'open-evaluations', show: supervisor },
  ];

  const shown = tabs.filter((t) => t.show);
  useKeys(
    shown.map((t, i) => ({ key: `Alt+${i + 1}`, label: t.label, hidden: true, run: () => setTab(t.key) })),
    { layer: Layer.page },
  );

  return (
    <div className="workspace">
      <header className="app-header">
        <Typography.Text className="hall-name" title={`${info.hallName}（${info.taxOffice}）`} data-testid="hall-name">
          {info.hallName}
        </Typography.Text>
        <div className="header-status">
          {sync ? (
            <Tag color={syncTags[sync.state].color} data-testid="sync-status" title={sync.message}>
              {syncTags[sync.state].text}
              {sync.pending ? ` · 待上传 ${sync.pending}` : ''}
            </Tag>
          ) : null}
          {printerTag ? (
            <Tag color={printerTag.color} data-testid="printer-status" title={printer?.message}>
              {printerTag.text}
            </Tag>
          ) : null}
          {printer?.state === 'ready' && printer.paperNearEnd ? (
            <Tag color="orange" data-testid="printer-near-end" title={printer.message}>
              纸将用尽
            </Tag>
          ) : null}
          <WaitingReceipts
            tick={receiptsTick}
            onOpen={(payerId) => {
              setTab('counter');
              openPayer.current?.(payerId);
            }}
          />
        </div>
        <Typography.Text className="header-operator" data-testid="operator">
          {session.shift ? `${session.shift.counterNo} 号窗口 · ` : ''}
          {roleLabels[op.role]} {op.displayName} · {info.today}
        </Typography.Text>
        <Button size="small" onClick={signOut}>
          退出登录
        </Button>
      </header>
      {sync && sync.state === 'offline' ? (
        <Alert
          banner
          type="warning"
          data-testid="sync-banner"
          message={`离线：无法连接上游系统，可继续收费。待上传 ${sync.pending} 笔；最近同步 ${sync.lastSuccessAt ? hallDateTime(sync.lastSuccessAt, info.timeZone) : '从未'}。${sync.message}`}
        />
      ) : null}
      <UncertainSlips />
      <Tabs
        className="area-tabs"
        activeKey={tab}
        onChange={(k) => setTab(k as TabKey)}
        size="small"
        items={shown.map((t, i) => ({
          key: t.key,
          label: (
            <span data-testid={t.testId}>
              {t.label} <span className="tab-key">Alt+{i + 1}</span>
            </span>
          ),
          children: null,
        }))}
      />
      <main className="area">
        <div style={{ display: tab === 'counter' ? undefined : 'none' }}>
          <CounterPage
            info={info}
            operatorId={op.id}
            visible={tab === 'counter'}
            takesCards={tab !== 'devices'}
            onReceiptsChanged={receiptsChanged}
            openPayerRef={openPayer}
          />
        </div>
        {tab === 'stock' ? (
          <LoadBoundary>
            <StockPanel supervisor={supervisor} />
          </LoadBoundary>
        ) : null}
        {tab === 'dayclose' ? (
          <LoadBoundary>
            <DayClosePanel supervisor={supervisor} timeZone={info.timeZone} onClosed={receiptsChanged} />
          </LoadBoundary>
        ) : null}
        {tab === 'progress' ? (
          <LoadBoundary>
            <ProgressPanel />
          </LoadBoundary>
        ) : null}
        {tab === 'cases' ? (
          <LoadBoundary>
            <CasesPanel timeZone={info.timeZone} />
          </LoadBoundary>
        ) : null}
        {tab === 'audit' ? (
          <LoadBoundary>
            <AuditPanel timeZone={info.timeZone} />
          </LoadBoundary>
        ) : null}
        {tab === 'devices' ? (
          info.mode === 'training' ? (
            // Training: the simulated reader sits beside the device view, so a test read needs no real card.
            <div className="counter with-training">
              <div className="counter-main">
                <LoadBoundary>
                  <DevicesPage canConfigure={false} />
                </LoadBoundary>
              </div>
              <div className="counter-training">
                <TrainingPanel />
              </div>
            </div>
          ) : (
            <LoadBoundary>
              <DevicesPage canConfigure={false} />
            </LoadBoundary>
          )
        ) : null}
        {tab === 'evaluations' ? (
          <LoadBoundary>
            <EvaluationPanel today={info.today} />
          </LoadBoundary>
        ) : null}
      </main>
      <KeyBar />
    </div>
  );
}

/** The clerk's receipts issued but not yet printed and confirmed: a number in the header, the list on click. */
function WaitingReceipts({ tick, onOpen }: { tick: number; onOpen(payerId: number): void }) {
  const { data, reload } = useQuery('receipt.waiting', {});
  useEffect(() => {
    if (tick) reload();
  }, [tick, reload]);
  const waiting = data ?? [];
  if (!waiting.length) {
    return (
      <Tag color="green" data-testid="waiting-receipts">
        缴款书均已打印确认
      </Tag>
    );
  }
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title="待打印 / 待确认的缴款书"
      content={
        <div data-testid="waiting-list" style={{ maxWidth: 420 }}>
          {waiting.map((r) => (
            <div key={r.number} style={{ padding: '2px 0' }}>
              <Button size="small" type="link" onClick={() => onOpen(r.payerId)}>
                {r.number}
              </Button>
              {r.payerName} · {yuan(r.totalFen)} · <Tag>{receiptStatusLabels[r.status]}</Tag>
            </div>
          ))}
        </div>
      }
    >
      <Tag color="orange" style={{ cursor: 'pointer' }} data-testid="waiting-receipts">
        待打印/确认缴款书 {waiting.length}
      </Tag>
    </Popover>
  );
}
