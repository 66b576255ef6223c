import { Button, Layout, message, Typography } from 'antd';
import type { AppInfo, SessionView } from '../../../shared/api/views';
import { roleLabels } from '../../../shared/vocab';
import { call } from '../api/client';
import { DevicesPage } from './DevicesPage';
import { HealthPanel } from './HealthPanel';
import { PrintersPanel } from './PrintersPanel';
import { PayerDisplaySettings } from '../payer-display/PayerDisplaySettings';

interface Props {
  info: AppInfo;
  session: SessionView;
  onSignedOut(session: SessionView): void;
}

/** What IT staff see: the counter's settings, not payers. */
export function AdminPage({ info, session, onSignedOut }: Props) {
  return (
    <Layout style={{ minHeight: '100%' }}>
      <Layout.Header style={{ background: '#374151', display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Typography.Text style={{ color: '#fff', fontSize: 18, fontWeight: 600 }}>{info.hallName} · 系统设置</Typography.Text>
        <div style={{ flex: 1 }} />
        <Typography.Text style={{ color: '#e5e7eb' }} data-testid="operator">
          {session.shift ? `${session.shift.counterNo} 号窗口 · ` : ''}
          {roleLabels[session.operator!.role]} {session.operator!.displayName}
        </Typography.Text>
        <Button onClick={() => void call('session.signOut', {}).then(onSignedOut, (e: unknown) => message.error(e instanceof Error ? e.message : String(e)))}>
          退出登录
        </Button>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        <HealthPanel />
        <DevicesPage canConfigure />
        <PrintersPanel canConfigure />
        <PayerDisplaySettings canConfigure />
      </Layout.Content>
    </Layout>
  );
}
