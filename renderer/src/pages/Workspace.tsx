import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Input, Layout, Space, Typography, type InputRef } from 'antd';
import type { AppInfo, PayerView, SessionView } from '../../../shared/api/views';
import { roleLabels } from '../../../shared/api/views';
import { validateIdNumber } from '../../../shared/domain/id-number';
import { call, onEvent } from '../api/client';
import { Kbd } from '../components/Kbd';
import { PayerPanel } from './PayerPanel';

interface Props {
  info: AppInfo;
  session: SessionView;
  onSignedOut(session: SessionView): void;
}

export function Workspace({ info, session, onSignedOut }: Props) {
  const [idInput, setIdInput] = useState('');
  const [payer, setPayer] = useState<PayerView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<InputRef>(null);

  // Validate as the clerk types, but only complain once the number is complete.
  const trimmed = idInput.trim().toUpperCase();
  const check = trimmed.length >= 15 ? validateIdNumber(trimmed) : null;
  const inputProblem = check && !check.ok ? check.message : null;

  const lookup = async () => {
    if (!trimmed) return;
    if (check && !check.ok) {
      setError(check.message);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setPayer(await call('payer.lookup', { idNumber: trimmed }));
      setIdInput('');
    } catch (e) {
      setPayer(null);
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const openPayer = async (payerId: number) => {
    try {
      setPayer(await call('payer.get', { payerId }));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  useEffect(
    () =>
      onEvent('card.read', (e) => {
        if (e.payerId === null) {
          setPayer(null);
          setError(`${e.card.name}（${e.card.idNumberMasked}）未参保。请引导缴费人先到社保经办机构办理参保登记。`);
        } else void openPayer(e.payerId);
      }),
    [],
  );

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key === 'F2') {
        ev.preventDefault();
        inputRef.current?.focus();
      } else if (ev.key === 'Escape') {
        setPayer(null);
        setError(null);
        setIdInput('');
        inputRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const signOut = async () => onSignedOut(await call('session.signOut', {}));
  const op = session.operator!;

  return (
    <Layout style={{ minHeight: '100%' }}>
      <Layout.Header style={{ background: '#1e3a8a', display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Text style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>{info.hallName}</Typography.Text>
        <div style={{ flex: 1 }} />
        <Typography.Text style={{ color: '#dbeafe' }} data-testid="operator">
          {session.shift ? `${session.shift.counterNo} 号窗口 · ` : ''}
          {roleLabels[op.role]} {op.displayName}
        </Typography.Text>
        <Typography.Text style={{ color: '#dbeafe' }}>{info.today}</Typography.Text>
        <Button onClick={signOut}>退出登录</Button>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <Space.Compact style={{ width: '100%', maxWidth: 720 }}>
          <Input
            ref={inputRef}
            autoFocus
            size="large"
            placeholder="刷身份证，或输入身份证号码后按 Enter"
            value={idInput}
            maxLength={18}
            status={inputProblem ? 'error' : undefined}
            onChange={(e) => setIdInput(e.target.value)}
            onPressEnter={lookup}
            aria-label="身份证号码"
            data-testid="id-input"
          />
          <Button size="large" type="primary" loading={busy} onClick={lookup}>
            查询
          </Button>
        </Space.Compact>
        <div style={{ marginTop: 6, color: '#6b7280' }}>
          <Kbd>F2</Kbd>输入身份证号 <Kbd>Enter</Kbd>查询 <Kbd>Esc</Kbd>清空
          {inputProblem ? <span style={{ color: '#dc2626', marginLeft: 16 }} data-testid="id-input-problem">{inputProblem}</span> : null}
        </div>
        {error ? <Alert style={{ marginTop: 16, maxWidth: 960 }} type="warning" showIcon message={error} data-testid="lookup-error" /> : null}
        {payer ? <PayerPanel payer={payer} timeZone={info.timeZone} /> : null}
      </Layout.Content>
    </Layout>
  );
}
