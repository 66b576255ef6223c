import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Input, Modal, Space, Statistic, Table } from 'antd';
import type { DayCloseView, DaySummaryView, ReconciliationView } from '../../../shared/api/views';
import { amountInCapitals } from '../../../shared/domain/capitals';
import { parseYuanInput } from '../../../shared/domain/money';
import { call } from '../api/client';
import { messageOf } from '../api/hooks';
import { Kbd } from '../components/Kbd';
import { Layer, useKeys } from '../keys';
import { paymentMethodLabels, receiptStatusLabels } from '../../../shared/vocab';
import { downloadFile } from '../download';
import { tierName, yuan } from '../format';

/** 长款 (over) / 短款 (short), as the cashier says it. */
function cashDifference(diffFen: number): string {
  if (diffFen === 0) return '现金相符';
  return `${diffFen > 0 ? '长款' : '短款'} ${yuan(Math.abs(diffFen))}（${amountInCapitals(Math.abs(diffFen))}）`;
}

/** 日结: the day's figures, the cash counted, the close, and its documents. */
export function DayClosePanel({ supervisor, onClosed }: { supervisor: boolean; timeZone: string; onClosed(): void }) {
  const [summary, setSummary] = useState<DaySummaryView | null>(null);
  const [closed, setClosed] = useState<DayCloseView | null>(null);
  const [counted, setCounted] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [past, setPast] = useState<DayCloseView[]>([]);
  const [reconciled, setReconciled] = useState<{ number: string; result: ReconciliationView } | null>(null);

  useEffect(() => {
    call('dayclose.preview', {}).then(setSummary, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    call('dayclose.list', { limit: 30 }).then(setPast, () => {});
  }, [closed]);

  const parsedCount = counted.trim() ? parseYuanInput(counted) : null;
  const countedFen = parsedCount?.ok ? parsedCount.fen : null;
  const [confirming, setConfirming] = useState(false);
  const [approval, setApproval] = useState({ username: '', password: '' });
  const ask = (e?: { preventDefault(): void }) => {
    // The Enter that opens the dialog must end here: its keypress would otherwise land on the
    // dialog's close button (focused as it opens) and cancel it at once.
    e?.preventDefault();
    if (countedFen === null || busy) return;
    setConfirming(true);
  };
  const close = async () => {
    if (countedFen === null || busy) return;
    setBusy(true);
    setError(null);
    try {
      const waiting = (closed?.summary ?? summary)?.waiting.length ?? 0;
      setClosed(await call('dayclose.close', { cashCountedFen: countedFen, ...(waiting ? { approval } : {}) }));
      setConfirming(false);
      onClosed();
    } catch (e) {
      setError(messageOf(e));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  useKeys(
    [
      { key: 'Enter', label: '确认日结', run: () => void close() },
      { key: 'Esc', label: '返回核对', run: () => setConfirming(false) },
    ],
    { layer: Layer.dialog, blocking: true, active: confirming },
  );
  useKeys([{ key: 'F8', label: '打印小票汇总', run: () => closed && void slip(closed.no), enabled: !!closed }]);
  const pdf = async (no: number) => {
    try {
      const f = await call('dayclose.pdf', { no });
      downloadFile(f.filename, f.base64, 'application/pdf');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const reconcile = async (c: DayCloseView) => {
    try {
      setReconciled({ number: c.number, result: await call('dayclose.reconcile', { no: c.no }) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  const slip = async (no: number) => {
    try {
      await call('dayclose.printSlip', { no });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const s = closed?.summary ?? summary;
  return (
    <Card title={`日结${s ? ` · ${s.businessDate}` : ''}`} data-testid="dayclose-panel">
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="dayclose-error" /> : null}
      {s ? (
        <>
          <Space size={48} wrap>
            <Statistic title="收款笔数 / 缴费年度数" value={`${s.transactions} / ${s.count}`} />
            <Statistic title="个人缴费合计" value={yuan(s.amountFen)} data-testid="dayclose-total" />
            <Statistic title="其中当年 / 补缴" value={`${yuan(s.current.amountFen)} / ${yuan(s.backPayment.amountFen)}`} />
            <Statistic title="应交现金" value={yuan(s.cashExpectedFen)} data-testid="dayclose-cash-expected" />
          </Space>
          {/* The count and the close come first: at 1366×768 they stay above the key bar; the detail follows. */}
          {closed ? (
            <Alert
              style={{ marginTop: 16 }}
              type={closed.cash.differenceFen === 0 ? 'success' : 'warning'}
              showIcon
              data-testid="dayclose-done"
              message={`已日结，编号 ${closed.number}。实点现金 ${yuan(closed.cash.countedFen)}，应交 ${yuan(closed.cash.expectedFen)}，${cashDifference(closed.cash.differenceFen)}。此后的收款记入下一业务日。`}
              description={
                <Space style={{ marginTop: 8 }}>
                  <Button onClick={() => void pdf(closed.no)}>下载日汇总单（PDF）</Button>
                  <Button onClick={() => void slip(closed.no)} data-testid="dayclose-slip">
                    打印小票汇总 <Kbd>F8</Kbd>
                  </Button>
                </Space>
              }
            />
          ) : (
            <Space style={{ marginTop: 16 }} align="end">
              <div>
                <div>实点现金（元）</div>
                <Input
                  size="large"
                  style={{ width: 200 }}
                  value={counted}
                  onChange={(e) => setCounted(e.target.value)}
                  onPressEnter={ask}
                  aria-label="实点现金"
                  autoFocus
                  status={counted && countedFen === null ? 'error' : undefined}
                />
              </div>
              <div style={{ fontSize: 16, paddingBottom: 8 }}>{countedFen !== null ? cashDifference(countedFen - s.cashExpectedFen) : ''}</div>
              <Button type="primary" size="large" danger disabled={countedFen === null} loading={busy} onClick={ask} data-testid="dayclose-confirm">
                日结… <Kbd>Enter</Kbd>
              </Button>
            </Space>
          )}
          <Table
            style={{ marginTop: 12 }}
            size="small"
            pagination={false}
            rowKey="method"
            dataSource={s.byMethod}
            columns={[
              { title: '收款方式', render: (_, m) => paymentMethodLabels[m.method] },
              { title: '笔数', dataIndex: 'transactions' },
              { title: '年度数', dataIndex: 'count' },
              { title: '金额', render: (_, m) => yuan(m.amountFen) },
            ]}
          />
          <Descriptions size="small" column={1} bordered style={{ marginTop: 12 }}>
            <Descriptions.Item label="按档次">
              {s.byTier.map((t) => `${tierName(t.tierFen)} ${t.count}笔 ${yuan(t.amountFen)}`).join('；') || '无'}
            </Descriptions.Item>
            <Descriptions.Item label="换开">
              {s.exchanges.count} 笔 {yuan(s.exchanges.amountFen)}
            </Descriptions.Item>
            <Descriptions.Item label="缴款书">
              使用 {s.receipts.used} 份（开具 {s.receipts.issued}，作废 {s.receipts.voided}，补开 {s.receipts.reissued}）
              {s.receipts.ranges.map((r) => `；${r.firstNumber}–${r.lastNumber}（${r.count}）`).join('')}
            </Descriptions.Item>
            {s.waiting.length ? (
              <Descriptions.Item label="待处理缴款书">
                <span data-testid="dayclose-waiting" style={{ color: '#b45309' }}>
                  {s.waiting.map((w) => `${w.number}（${w.payerName}，${receiptStatusLabels[w.status]}）`).join('；')}
                </span>
              </Descriptions.Item>
            ) : null}
            {s.receipts.voidedList.length ? (
              <Descriptions.Item label="作废号码">{s.receipts.voidedList.map((v) => `${v.number}（${v.reason}）`).join('；')}</Descriptions.Item>
            ) : null}
          </Descriptions>
        </>
      ) : null}
      {reconciled ? (
        <Alert
          style={{ marginTop: 16 }}
          type={reconciled.result.matched ? 'success' : 'error'}
          showIcon
          data-testid="dayclose-reconcile"
          message={reconciled.result.matched ? `${reconciled.number} 与上游日汇总一致` : `${reconciled.number} 与上游日汇总不一致：`}
          description={
            reconciled.result.matched ? null : (
              <ul style={{ margin: 0 }}>
                {reconciled.result.mismatches.map((m) => (
                  <li key={m.label}>
                    {m.label}：本机 {m.local ? `${m.local.count} 笔 ${yuan(m.local.amountFen)}` : '无'}，上游{' '}
                    {m.upstream ? `${m.upstream.count} 笔 ${yuan(m.upstream.amountFen)}` : '无'}
                  </li>
                ))}
              </ul>
            )
          }
        />
      ) : null}
      {past.length ? (
        <Table
          style={{ marginTop: 16 }}
          size="small"
          rowKey="no"
          pagination={false}
          title={() => (supervisor ? '历次日结（全部操作员）' : '我的历次日结')}
          dataSource={past}
          data-testid="dayclose-past"
          columns={[
            { title: '编号', dataIndex: 'number' },
            { title: '业务日', dataIndex: 'businessDate' },
            { title: '操作员', render: (_, c) => `${c.operatorName}（${c.counterNo}号窗口）` },
            { title: '个人缴费', render: (_, c) => yuan(c.summary.amountFen) },
            { title: '现金差额', render: (_, c) => cashDifference(c.cash.differenceFen) },
            {
              title: '',
              render: (_, c) => (
                <Space>
                  <Button size="small" onClick={() => void pdf(c.no)}>
                    日汇总单
                  </Button>
                  <Button size="small" onClick={() => void slip(c.no)}>
                    补打小票
                  </Button>
                  <Button size="small" onClick={() => void reconcile(c)}>
                    与上游核对
                  </Button>
                </Space>
              ),
            },
          ]}
        />
      ) : null}
      <Modal
        open={confirming && !!s}
        title={`确认日结 · ${s?.businessDate ?? ''}`}
        okText={
          <>
            确认日结（锁定本业务日） <Kbd>Enter</Kbd>
          </>
        }
        cancelText={
          <>
            返回核对 <Kbd>Esc</Kbd>
          </>
        }
        okButtonProps={{ danger: true, loading: busy, ...{ 'data-testid': 'dayclose-final' } }}
        onOk={() => void close()}
        onCancel={() => setConfirming(false)}
        keyboard={false}
        data-testid="dayclose-dialog"
      >
        {s ? (
          <div data-testid="dayclose-figures">
            <p>日结后本业务日锁定，不能再收款或开具缴款书；之后的业务记入下一业务日。请核对：</p>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label="收款笔数 / 缴费年度数">
                {s.transactions} / {s.count}
              </Descriptions.Item>
              <Descriptions.Item label="个人缴费合计">{yuan(s.amountFen)}</Descriptions.Item>
              {s.byMethod.map((m) => (
                <Descriptions.Item key={m.method} label={paymentMethodLabels[m.method]}>
                  {m.transactions} 笔 {yuan(m.amountFen)}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label="换开">
                {s.exchanges.count} 笔 {yuan(s.exchanges.amountFen)}
              </Descriptions.Item>
              <Descriptions.Item label="缴款书">
                使用 {s.receipts.used} 份（开具 {s.receipts.issued}，作废 {s.receipts.voided}，补开 {s.receipts.reissued}）
              </Descriptions.Item>
              <Descriptions.Item label="应交现金">{yuan(s.cashExpectedFen)}</Descriptions.Item>
              <Descriptions.Item label="实点现金">
                {countedFen !== null ? `${yuan(countedFen)} · ${cashDifference(countedFen - s.cashExpectedFen)}` : '—'}
              </Descriptions.Item>
            </Descriptions>
            {s.waiting.length ? (
              <div style={{ marginTop: 12 }} data-testid="dayclose-dialog-waiting">
                <Alert
                  type="warning"
                  showIcon
                  message={`还有 ${s.waiting.length} 份缴款书未打印或未确认打印：请先回到柜台处理（打印并确认，或作废）。确需现在日结的，由值班主任审批，这些缴款书将列在日汇总单上。`}
                />
                <ul style={{ margin: '8px 0' }}>
                  {s.waiting.map((w) => (
                    <li key={w.number}>
                      {w.number} · {w.payerName} · {yuan(w.totalFen)} · {receiptStatusLabels[w.status]}
                    </li>
                  ))}
                </ul>
                <Space>
                  <Input
                    placeholder="值班主任用户名"
                    aria-label="值班主任用户名"
                    value={approval.username}
                    onChange={(e) => setApproval({ ...approval, username: e.target.value })}
                  />
                  <Input.Password
                    placeholder="值班主任密码"
                    aria-label="值班主任密码"
                    value={approval.password}
                    onChange={(e) => setApproval({ ...approval, password: e.target.value })}
                  />
                </Space>
              </div>
            ) : null}
          </div>
        ) : null}
      </Modal>
    </Card>
  );
}
