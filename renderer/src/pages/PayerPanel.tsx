import { Card, Descriptions, Table, Tag } from 'antd';
import type { PayerView } from '../../../shared/api/views';
import { channelLabels, genderLabels, registrationStatusLabels, specialGroupLabels } from '../../../shared/domain/payer';
import { formatYuan } from '../../../shared/domain/money';

/** Instants are stored in UTC; the counter shows them in the hall's time zone. */
function localDateTime(iso: string, timeZone: string): string {
  return new Date(iso).toLocaleString('zh-CN', { timeZone, hour12: false });
}

export function PayerPanel({ payer, timeZone }: { payer: PayerView; timeZone: string }) {
  return (
    <Card style={{ marginTop: 16 }} title={<span data-testid="payer-name" style={{ fontSize: 22 }}>{payer.name}</span>}>
      <Descriptions column={3} size="small" bordered>
        <Descriptions.Item label="身份证号">
          <span data-testid="payer-id">{payer.idNumberMasked}</span>
        </Descriptions.Item>
        <Descriptions.Item label="性别 / 年龄">
          {genderLabels[payer.gender]} / {payer.age} 岁
        </Descriptions.Item>
        <Descriptions.Item label="出生日期">{payer.birthDate}</Descriptions.Item>
        <Descriptions.Item label="参保状态">
          <Tag color={payer.status === 'active' ? 'green' : 'orange'}>{registrationStatusLabels[payer.status]}</Tag>
          {payer.inEmployeeScheme ? <Tag color="red">已参加职工养老保险</Tag> : null}
        </Descriptions.Item>
        <Descriptions.Item label="参保日期">{payer.registrationDate}</Descriptions.Item>
        <Descriptions.Item label="特殊群体">
          {payer.specialGroups.length
            ? payer.specialGroups.map((g) => (
                <Tag key={g.code + g.from} color="purple">
                  {specialGroupLabels[g.code]}（{g.from} 起{g.to ? `，至 ${g.to}` : ''}）
                </Tag>
              ))
            : '无'}
        </Descriptions.Item>
        <Descriptions.Item label="住址" span={3}>
          {payer.address}
        </Descriptions.Item>
      </Descriptions>
      <Table
        style={{ marginTop: 16 }}
        size="middle"
        rowKey="year"
        pagination={false}
        data-testid="payer-years"
        dataSource={payer.years}
        columns={[
          { title: '年度', dataIndex: 'year', width: 90 },
          {
            title: '状态',
            render: (_, y) =>
              y.payments.length === 0 ? (
                <Tag color="red">未缴</Tag>
              ) : y.payments.length > 1 ? (
                <Tag color="volcano">重复缴费（待处理）</Tag>
              ) : (
                <Tag color="green">已缴</Tag>
              ),
          },
          { title: '档次（元）', render: (_, y) => y.payments.map((p) => formatYuan(p.tierFen)).join(' / ') || '—' },
          {
            title: '金额（元）',
            className: 'money',
            render: (_, y) => y.payments.map((p) => formatYuan(p.amountFen)).join(' / ') || '—',
          },
          { title: '渠道', render: (_, y) => y.payments.map((p) => channelLabels[p.channel]).join(' / ') || '—' },
          { title: '缴费时间', render: (_, y) => y.payments.map((p) => localDateTime(p.paidAt, timeZone)).join(' / ') || '—' },
        ]}
      />
    </Card>
  );
}
