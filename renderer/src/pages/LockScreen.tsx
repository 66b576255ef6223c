import { useState } from 'react';
import { Alert, Button, Card, Input, Typography } from 'antd';
import type { SessionView } from '../../../shared/api/views';
import { call } from '../api/client';

interface Props {
  session: SessionView;
  onChange(session: SessionView): void;
}

/** The counter after inactivity: nothing of the last payer is visible until the clerk returns. */
export function LockScreen({ session, onChange }: Props) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const unlock = async () => {
    try {
      onChange(await call('session.unlock', { password }));
    } catch (e) {
      setPassword('');
      setError(e instanceof Error ? e.message : String(e));
      // Too many failures end the shift: show the sign-in screen.
      onChange(await call('session.current', {}));
    }
  };
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 96 }} data-testid="lock-screen">
      <Card style={{ width: 420 }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          屏幕已锁定
        </Typography.Title>
        <Typography.Paragraph>
          {session.shift?.counterNo} 号窗口 · {session.operator?.displayName}。输入密码继续办理；换人请退出登录。
        </Typography.Paragraph>
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
        <Input.Password
          autoFocus
          size="large"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          onPressEnter={() => void unlock()}
          aria-label="解锁密码"
        />
        <div style={{ display: 'flex', gap: 8, marginTop: 16 }}>
          <Button type="primary" onClick={() => void unlock()}>
            解锁（Enter）
          </Button>
          <Button onClick={() => void call('session.signOut', {}).then(onChange, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))}>
            退出登录
          </Button>
        </div>
      </Card>
    </div>
  );
}
