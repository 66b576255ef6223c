import { useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Typography } from 'antd';
import type { AppInfo, SessionView } from '../../../shared/api/views';
import { roleLabels } from '../../../shared/vocab';
import { call } from '../api/client';

const COUNTER_KEY = 'pension-counter.counterNo';

interface Props {
  info: AppInfo;
  onSignedIn(session: SessionView): void;
}

export function SignInPage({ info, onSignedIn }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const savedCounter = Number(localStorage.getItem(COUNTER_KEY) ?? '1') || 1;

  const submit = async (values: { username: string; password: string; counterNo: number }) => {
    setBusy(true);
    setError(null);
    try {
      const session = await call('session.signIn', values);
      localStorage.setItem(COUNTER_KEY, String(values.counterNo));
      onSignedIn(session);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: 64 }}>
      <Card style={{ width: 440 }} title={<span>{info.hallName}</span>}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          城乡居民养老保险费柜台收费 · 登录
        </Typography.Title>
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="signin-error" /> : null}
        <Form layout="vertical" onFinish={(values) => void submit(values)} initialValues={{ counterNo: savedCounter }} requiredMark={false}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoFocus autoComplete="username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item label="窗口号" name="counterNo" rules={[{ required: true, message: '请输入窗口号' }]}>
            <InputNumber min={1} max={99} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            登录（Enter）
          </Button>
        </Form>
        {info.demoAccounts.length ? (
          <>
            <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 4 }}>
              培训账号：
            </Typography.Paragraph>
            {/* A plain table: the sign-in screen loads before the counter's table component. */}
            <table className="demo-accounts">
              <thead>
                <tr>
                  <th>角色</th>
                  <th>用户名</th>
                  <th>密码</th>
                </tr>
              </thead>
              <tbody>
                {info.demoAccounts.map((a) => (
                  <tr key={a.username}>
                    <td>{roleLabels[a.role]}</td>
                    <td>{a.username}</td>
                    <td>{a.password}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </Card>
    </div>
  );
}
