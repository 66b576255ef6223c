import { useEffect, useState } from 'react';
import { Alert, AutoComplete, Button, Card, Descriptions, Form, Radio, Select, Space, Tag } from 'antd';
import type { EventPayload } from '../../../shared/api/events';
import type { DevicesView, SerialLineView } from '../../../shared/api/views';
import { flowControlLabels } from '../../../shared/vocab';
import { call, onEvent } from '../api/client';

type DeviceForm = Pick<DevicesView, 'reader' | 'printer' | 'paperWidth' | 'printerType' | 'printerFont'>;
const BAUD_RATES: SerialLineView['baudRate'][] = [9600, 19200, 38400, 57600, 115200];
const FLOW_CONTROLS = Object.keys(flowControlLabels) as SerialLineView['flowControl'][];

interface Props {
  canConfigure: boolean;
}

const readerStates: Record<EventPayload<'reader.status'>['state'], { color: string; text: string }> = {
  connected: { color: 'green', text: '已连接' },
  searching: { color: 'blue', text: '查找中' },
  disconnected: { color: 'red', text: '未连接' },
  not_configured: { color: 'default', text: '未配置' },
};

/** Device settings (IT staff) and live status (supervisor too). */
export function DevicesPage({ canConfigure }: Props) {
  const [view, setView] = useState<DevicesView | null>(null);
  const [reader, setReader] = useState<EventPayload<'reader.status'> | null>(null);
  const [printer, setPrinter] = useState<EventPayload<'printer.status'> | null>(null);
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);
  const [lastRead, setLastRead] = useState<string | null>(null);
  const [form] = Form.useForm<DeviceForm>();

  useEffect(() => {
    call('devices.get', {}).then(
      (v) => {
        setView(v);
        form.setFieldsValue({ reader: v.reader, printer: v.printer, paperWidth: v.paperWidth, printerType: v.printerType, printerFont: v.printerFont });
      },
      (e: unknown) => setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) }),
    );
    const offReader = onEvent('reader.status', setReader);
    // Test read: place any card on the reader; what it decoded shows here (ID masked).
    const offCard = onEvent('card.read', (e) => setLastRead(`${e.card.name} · ${e.card.idNumberMasked}${e.payerId === null ? '（未参保）' : ''}`));
    const offCardError = onEvent('card.error', (e) => setLastRead(`读卡失败：${e.message}`));
    const offPrinter = onEvent('printer.status', setPrinter);
    return () => {
      offCard();
      offCardError();
      offReader();
      offPrinter();
    };
  }, [form]);

  const saveSerial = async (device: 'reader' | 'printer', line: SerialLineView) => {
    try {
      setView(await call('devices.serial', { device, ...line }));
      setMessage({ type: 'success', text: '串口设置已保存，设备已重新连接' });
    } catch (e) {
      setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };
  const save = async (values: DeviceForm) => {
    try {
      setView(await call('devices.configure', values));
      setMessage({ type: 'success', text: '已保存，设备已重新连接' });
    } catch (e) {
      setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };
  const testPrint = async () => {
    try {
      const job = await call('devices.testPrint', {});
      setMessage({ type: 'success', text: `测试页已发送（任务 ${job.id}）` });
    } catch (e) {
      setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };

  const portOptions = ['simulated', 'auto', ...(view?.ports ?? [])].map((p) => ({ value: p }));
  return (
    <Card title="设备设置" style={{ maxWidth: 820 }} data-testid="devices-page">
      <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label="读卡器状态">
          {reader ? <Tag color={readerStates[reader.state].color}>{readerStates[reader.state].text}</Tag> : '—'} {reader?.message}
        </Descriptions.Item>
        <Descriptions.Item label="打印机状态">
          <span data-testid="devices-printer-state">{printer?.message ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label="读卡测试" span={2}>
          <span data-testid="devices-last-read">{lastRead ?? '把任一身份证放到读卡器上，读到的内容显示在这里'}</span>
        </Descriptions.Item>
      </Descriptions>
      {message ? <Alert type={message.type} showIcon message={message.text} style={{ marginBottom: 16 }} data-testid="devices-message" /> : null}
      <Form form={form} layout="vertical" onFinish={(values) => void save(values)} disabled={!canConfigure}>
        <Form.Item label="身份证读卡器（串口路径；auto 自动查找；simulated 模拟；留空不用）" name="reader">
          <AutoComplete options={portOptions} placeholder="/dev/ttyUSB0 或 COM3" />
        </Form.Item>
        <Form.Item label="小票打印机（串口路径、/dev/usb/lp0、IP:9100；simulated 模拟；留空不用）" name="printer">
          <AutoComplete
            options={[{ value: 'simulated' }, { value: '/dev/usb/lp0' }, ...(view?.ports ?? []).map((p) => ({ value: p }))]}
            placeholder="192.168.1.50:9100"
          />
        </Form.Item>
        <Form.Item label="纸宽" name="paperWidth">
          <Radio.Group>
            <Radio value={58}>58 毫米（32 列）</Radio>
            <Radio value={80}>80 毫米（48 列）</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item label="打印机指令集" name="printerType" data-testid="devices-printer-type">
          <Radio.Group>
            <Radio value="epson">EPSON 兼容（佳博、芯烨等多数小票机）</Radio>
            <Radio value="star">STAR（中文按图像打印）</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item label="打印机汉字字库（看测试页上“生僻字测试”两行是否相同）" name="printerFont">
          <Radio.Group>
            <Radio value="gbk">GBK（生僻字按图像打印）</Radio>
            <Radio value="gb18030">GB18030（全部按文字打印）</Radio>
          </Radio.Group>
        </Form.Item>
        <Space>
          {canConfigure ? (
            <Button type="primary" htmlType="submit">
              保存并重新连接
            </Button>
          ) : null}
          <Button onClick={() => void testPrint()} disabled={false}>
            打印测试页
          </Button>
        </Space>
      </Form>
      {view ? (
        <Descriptions title="串口设置（8位数据、无校验、1位停止）" size="small" column={1} bordered style={{ marginTop: 16 }} data-testid="devices-serial">
          {(['reader', 'printer'] as const).map((device) => {
            const line = device === 'reader' ? view.readerSerial : view.printerSerial;
            return (
              <Descriptions.Item key={device} label={device === 'reader' ? '读卡器' : '小票打印机'}>
                <Space>
                  <span>波特率</span>
                  <Select
                    data-testid={`serial-${device}-baud`}
                    style={{ width: 110 }}
                    value={line.baudRate}
                    disabled={!canConfigure}
                    options={BAUD_RATES.map((b) => ({ value: b, label: String(b) }))}
                    onChange={(baudRate) => void saveSerial(device, { ...line, baudRate })}
                  />
                  <span>流控</span>
                  <Select
                    data-testid={`serial-${device}-flow`}
                    style={{ width: 200 }}
                    value={line.flowControl}
                    disabled={!canConfigure}
                    options={FLOW_CONTROLS.map((f) => ({ value: f, label: flowControlLabels[f] }))}
                    onChange={(flowControl) => void saveSerial(device, { ...line, flowControl })}
                  />
                </Space>
              </Descriptions.Item>
            );
          })}
        </Descriptions>
      ) : null}
    </Card>
  );
}
