import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Radio, Select, Space, Table, Tag } from 'antd';
import type { PrintingView, SpoolJobView } from '../../../shared/api/views';
import { call } from '../api/client';
import { SpoolTag, useSpoolJob } from '../components/SpoolTag';
import { CalibrationPanel } from './CalibrationPanel';

/** IT screen: the system's printers, the formal-receipt printer chosen from them, and the calibration frame. */
export function PrintersPanel({ canConfigure }: { canConfigure: boolean }) {
  const [view, setView] = useState<PrintingView | null>(null);
  const [printer, setPrinter] = useState('');
  const [layout, setLayout] = useState<PrintingView['receiptLayout']>('a4');
  const [frame, setFrame] = useState<SpoolJobView | null>(null);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const job = useSpoolJob(frame);

  const show = (v: PrintingView) => {
    setView(v);
    setPrinter(v.receiptPrinter);
    setLayout(v.receiptLayout);
  };
  const fail = (e: unknown) => setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) });
  useEffect(() => {
    call('printing.get', {}).then(show, fail);
  }, []);

  const save = async () => {
    try {
      show(await call('printing.configure', { receiptPrinter: printer, receiptLayout: layout }));
      setMessage({ type: 'success', text: '缴款书打印机已保存' });
    } catch (e) {
      fail(e);
    }
  };
  const calibrate = async () => {
    setMessage(null);
    try {
      setFrame(await call('printing.calibrationFrame', {}));
    } catch (e) {
      fail(e);
    }
  };

  const names = view ? [...view.printers.map((p) => p.name), ...(view.spooler === 'training' ? [] : ['simulated'])] : [];
  return (
    <Card title="缴款书与日汇总单打印机（系统打印队列）" style={{ marginTop: 16 }} data-testid="printers-panel">
      {message ? <Alert type={message.type} showIcon message={message.text} style={{ marginBottom: 12 }} data-testid="printers-message" /> : null}
      {view?.listError ? <Alert type="warning" showIcon message={view.listError} style={{ marginBottom: 12 }} /> : null}
      <Table
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={view?.printers ?? []}
        data-testid="system-printers"
        columns={[
          { title: '打印机', render: (_, p) => (p.name === 'simulated' ? '培训打印机' : p.name) },
          { title: '说明', dataIndex: 'info' },
          {
            title: '状态',
            render: (_, p) => <Tag color={p.acceptingJobs && p.state !== '已暂停' ? 'green' : 'red'}>{p.acceptingJobs ? p.state : '拒收任务'}</Tag>,
          },
          { title: '', render: (_, p) => (p.name === view?.receiptPrinter ? <Tag color="blue">缴款书打印机</Tag> : null) },
        ]}
      />
      {view ? (
        <Descriptions size="small" column={2} style={{ marginTop: 12 }}>
          <Descriptions.Item label="纸张">
            {view.paper.widthMm}×{view.paper.heightMm} 毫米，按 100% 打印（不缩放）
          </Descriptions.Item>
          <Descriptions.Item label="套打偏移">
            向右 {view.calibration.xMm} 毫米，向下 {view.calibration.yMm} 毫米
          </Descriptions.Item>
        </Descriptions>
      ) : null}
      {view && canConfigure ? (
        <CalibrationPanel
          key={`${view.receiptPrinter}:${view.calibration.xMm}:${view.calibration.yMm}`}
          view={view}
          onSaved={(v) => {
            show(v);
            setMessage({ type: 'success', text: `套打偏移已保存：向右 ${v.calibration.xMm} 毫米，向下 ${v.calibration.yMm} 毫米；请再打印校准框核对` });
          }}
          onError={fail}
        />
      ) : null}
      <Space wrap style={{ marginTop: 12 }}>
        {canConfigure ? (
          <>
            <Select
              style={{ width: 240 }}
              value={printer || undefined}
              placeholder="选择缴款书打印机"
              onChange={setPrinter}
              options={names.map((n) => ({ value: n, label: n === 'simulated' ? '培训打印机（保存为 PDF）' : n }))}
              data-testid="receipt-printer"
            />
            <Radio.Group value={layout} onChange={(e) => setLayout(e.target.value as PrintingView['receiptLayout'])}>
              <Radio value="a4">A4 整页</Radio>
              <Radio value="overlay">套打（预印票面）</Radio>
            </Radio.Group>
            <Button type="primary" onClick={() => void save()} data-testid="printers-save">
              保存
            </Button>
          </>
        ) : null}
        <Button onClick={() => void calibrate()} data-testid="print-calibration">
          打印校准框
        </Button>
        <SpoolTag job={job} />
      </Space>
    </Card>
  );
}
