import { useEffect, useState } from 'react';
import { Alert, Button, Card, Form, Input, InputNumber, Space, Table } from 'antd';
import type { StockRowView } from '../../../shared/api/views';
import { call } from '../api/client';
import { HandBackPanel } from './HandBackPanel';

/** 票证: the receipt stock balance by operator; supervisors enter paper stock or request it upstream. */
export function StockPanel({ supervisor }: { supervisor: boolean }) {
  const [rows, setRows] = useState<StockRowView[]>([]);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const [form] = Form.useForm<{ operatorUsername: string; series: string; firstSerial: number; lastSerial: number }>();

  useEffect(() => {
    call('receipt.stock', {}).then(setRows, (e: unknown) => setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) }));
  }, []);
  const act = async (fn: () => Promise<StockRowView[]>, done: string) => {
    try {
      setRows(await fn());
      setMessage({ type: 'success', text: done });
    } catch (e) {
      setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <Card title="票证结存（税收缴款书）" style={{ marginTop: 16 }} data-testid="stock-panel">
      {message ? <Alert type={message.type} showIcon message={message.text} style={{ marginBottom: 12 }} data-testid="stock-message" /> : null}
      <Table
        size="small"
        rowKey="operatorUsername"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: '操作员', render: (_, r) => `${r.operatorName}（${r.operatorUsername}）` },
          { title: '领用', dataIndex: 'received' },
          { title: '已开具', dataIndex: 'issued' },
          { title: '作废', dataIndex: 'voided' },
          { title: '交回', dataIndex: 'handedBack' },
          { title: '结存', dataIndex: 'left' },
          { title: '下一号码（装入打印机的票）', render: (_, r) => r.nextNumber ?? '已用完' },
        ]}
      />
      {supervisor ? (
        <Form
          form={form}
          layout="inline"
          style={{ marginTop: 16, rowGap: 8 }}
          initialValues={{ series: `(${new Date().getFullYear()})` }}
          onFinish={(v) => void act(() => call('receipt.addBlock', { ...v, serialDigits: 8 }), `已录入 ${v.series} ${v.firstSerial}–${v.lastSerial}`)}
        >
          <Form.Item name="operatorUsername" rules={[{ required: true, message: '领用人' }]}>
            <Input placeholder="领用人登录名" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="series" rules={[{ required: true, message: '字轨' }]}>
            <Input placeholder="字轨" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="firstSerial" rules={[{ required: true, message: '起号' }]}>
            <InputNumber placeholder="起号" min={1} precision={0} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="lastSerial" rules={[{ required: true, message: '止号' }]}>
            <InputNumber placeholder="止号" min={1} precision={0} style={{ width: 120 }} />
          </Form.Item>
          <Space>
            <Button htmlType="submit" type="primary">
              录入纸质票证
            </Button>
            <Button
              onClick={() => {
                const u = form.getFieldValue('operatorUsername') as string | undefined;
                if (!u) return setMessage({ type: 'error', text: '请先填写领用人登录名' });
                void act(() => call('receipt.requestBlock', { operatorUsername: u, count: 100 }), `已从上游申领 100 份给 ${u}`);
              }}
            >
              向上游申领 100 份
            </Button>
          </Space>
        </Form>
      ) : null}
      {supervisor ? <HandBackPanel onChanged={() => void call('receipt.stock', {}).then(setRows)} /> : null}
    </Card>
  );
}
