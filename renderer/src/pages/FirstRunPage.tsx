import { useEffect, useState } from 'react';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Progress, Radio, Row, Typography } from 'antd';
import type { AppInfo, SetupForm } from '../../../shared/api/views';
import { call, onEvent } from '../api/client';

interface Props {
  info: AppInfo;
  onDone(): void;
}

type Values = Omit<SetupForm, 'supervisor' | 'it'> & {
  supervisorUsername: string;
  supervisorName: string;
  supervisorPassword: string;
  itUsername: string;
  itName: string;
  itPassword: string;
};

const required = (message: string) => [{ required: true, message }];

/** The first supervisor's or IT administrator's account: user name, name and password. */
function AccountFields({ prefix, role }: { prefix: 'supervisor' | 'it'; role: string }) {
  return (
    <>
      <Col span={4}>
        <Form.Item label={`${role}登录名`} name={`${prefix}Username`} rules={required('请填写登录名')}>
          <Input />
        </Form.Item>
      </Col>
      <Col span={4}>
        <Form.Item label={`${role}姓名`} name={`${prefix}Name`} rules={required('请填写姓名')}>
          <Input />
        </Form.Item>
      </Col>
      <Col span={4}>
        <Form.Item label={`${role}密码`} name={`${prefix}Password`} rules={[{ required: true, min: 8, message: '密码至少 8 位' }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Col>
    </>
  );
}

/**
 * First start of a production build with no configuration: IT staff commission the counter here
 * (the same answers as `pension-counter setup`), or start training with one click.
 */
export function FirstRunPage({ info, onDone }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ message: string; progress: number | null } | null>(null);
  const [form] = Form.useForm<Values>();

  useEffect(() => onEvent('app.status', (s) => setStatus({ message: s.message, progress: s.progress })), []);

  const commission = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await call('setup.commission', {
        hallName: v.hallName,
        taxOffice: v.taxOffice,
        countyName: v.countyName,
        regionCode: v.regionCode,
        policyRegion: v.policyRegion,
        counterNo: v.counterNo,
        timeZone: v.timeZone,
        upstreamUrl: v.upstreamUrl,
        upstreamKey: v.upstreamKey,
        receiptPrinter: v.receiptPrinter ?? '',
        receiptLayout: v.receiptLayout,
        reader: v.reader ?? '',
        printer: v.printer ?? '',
        paperWidth: v.paperWidth,
        backupDir: v.backupDir,
        supervisor: { username: v.supervisorUsername, displayName: v.supervisorName, password: v.supervisorPassword },
        it: { username: v.itUsername, displayName: v.itName, password: v.itPassword },
      });
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const training = async () => {
    setError(null);
    setBusy(true);
    try {
      await call('setup.training', {});
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div style={{ padding: '16px 24px', maxWidth: 1320, margin: '0 auto' }} data-testid="first-run">
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        城乡居民养老保险费柜台收费 · 首次启动
      </Typography.Title>
      <Row gutter={16}>
        <Col span={17}>
          <Card title="建立正式柜台（信息技术人员）" size="small">
            {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="first-run-error" /> : null}
            {busy && status ? (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                message={status.message}
                description={status.progress !== null ? <Progress percent={Math.round(status.progress * 100)} /> : null}
              />
            ) : null}
            <Form
              form={form}
              layout="vertical"
              size="small"
              requiredMark={false}
              onFinish={(values) => void commission(values)}
              disabled={busy}
              initialValues={{
                policyRegion: 'demo',
                timeZone: info.timeZone,
                receiptLayout: 'a4',
                reader: 'auto',
                printer: '',
                receiptPrinter: '',
                paperWidth: 80,
              }}
            >
              <Row gutter={12}>
                <Col span={8}>
                  <Form.Item label="办税服务厅名称" name="hallName" rules={required('请填写办税服务厅名称')}>
                    <Input autoFocus />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label="税务机关全称" name="taxOffice" rules={required('请填写税务机关全称')}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item label="县（区）" name="countyName" rules={required('请填写县（区）名称')}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item label="行政区划代码" name="regionCode" rules={required('请填写 6 位代码')}>
                    <Input maxLength={6} />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item label="窗口号" name="counterNo" rules={required('请填写窗口号')}>
                    <InputNumber min={1} max={99} precision={0} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item label="政策地区" name="policyRegion" rules={required('请填写政策地区')}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item label="时区" name="timeZone" rules={required('请填写时区')}>
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item label="上游地址" name="upstreamUrl" rules={required('请填写上游地址')}>
                    <Input placeholder="https://10.0.0.5:8790" />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item label="柜台密钥" name="upstreamKey" rules={required('请填写柜台密钥')}>
                    <Input.Password autoComplete="off" />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item label="读卡器端口（auto = 自动）" name="reader">
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={6}>
                  <Form.Item label="小票打印机" name="printer">
                    <Input placeholder="/dev/usb/lp0 或 主机:9100" />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item label="纸宽" name="paperWidth">
                    <Radio.Group options={[58, 80].map((w) => ({ value: w, label: `${w} mm` }))} />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item label="缴款书打印机" name="receiptPrinter">
                    <Input />
                  </Form.Item>
                </Col>
                <Col span={4}>
                  <Form.Item label="缴款书版式" name="receiptLayout">
                    <Radio.Group
                      options={[
                        { value: 'a4', label: 'A4' },
                        { value: 'overlay', label: '套打' },
                      ]}
                    />
                  </Form.Item>
                </Col>
                <Col span={12}>
                  <Form.Item label="备份文件夹（最好在另一块磁盘上）" name="backupDir" rules={required('请填写备份文件夹')}>
                    <Input />
                  </Form.Item>
                </Col>
                <AccountFields prefix="supervisor" role="值班主任" />
                <AccountFields prefix="it" role="管理员" />
              </Row>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="commission">
                核对上游并建立柜台（Enter）
              </Button>
            </Form>
          </Card>
        </Col>
        <Col span={7}>
          <Card title="练习" size="small">
            <Typography.Paragraph>培训模式使用合成的示范县、培训账户和模拟设备，打印的内容都标有“培训”，不能当作正式票据。</Typography.Paragraph>
            <Button onClick={() => void training()} disabled={busy} data-testid="start-training">
              进入培训模式
            </Button>
          </Card>
        </Col>
      </Row>
    </div>
  );
}
