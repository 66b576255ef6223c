// IT settings of the payer's screen (客显): on/off and which display for the desktop window, and
// how long the payer has to rate. The browser host serves the screen at its own address anyway.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, InputNumber, Switch } from 'antd';
import type { PayerDisplaySettings as Settings } from '../../../shared/payer-display';
import { call } from '../api/client';
import { useAction, useQuery } from '../api/hooks';

export function PayerDisplaySettings({ canConfigure }: { canConfigure: boolean }) {
  const { data } = useQuery('display.settings', {});
  const [form] = Form.useForm<Settings>();
  const { run, busy, error } = useAction();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (data) form.setFieldsValue(data);
  }, [data, form]);
  const save = async (v: Settings) => {
    setSaved(false);
    const r = await run(() => call('display.configure', v));
    if (r) setSaved(true);
  };
  return (
    <Card title="缴费人屏幕（客显）" style={{ marginTop: 16 }} data-testid="payer-display-settings">
      <Form form={form} layout="inline" onFinish={(v) => void save(v)} disabled={!canConfigure}>
        <Form.Item name="enabled" label="桌面版在第二显示器显示" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="displayIndex" label="显示器序号（0 为主显示器）">
          <InputNumber min={0} max={8} />
        </Form.Item>
        <Form.Item name="evaluationSeconds" label="评价等待秒数">
          <InputNumber min={5} max={300} />
        </Form.Item>
        {canConfigure ? (
          <Button type="primary" htmlType="submit" loading={busy}>
            保存
          </Button>
        ) : null}
      </Form>
      {error ? <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} /> : null}
      {saved ? <Alert type="success" showIcon message="已保存。桌面版的客显窗口在下次启动时按新设置打开。" style={{ marginTop: 8 }} /> : null}
      <Alert type="info" style={{ marginTop: 8 }} message="浏览器版：在第二台显示器或柜台平板上打开启动时显示的“客显”地址（与收费页面使用同一访问凭证）。" />
    </Card>
  );
}
