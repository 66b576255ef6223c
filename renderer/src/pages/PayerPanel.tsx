import { Alert, Card, Checkbox, Descriptions, Space, Table, Tag, Tooltip } from 'antd';
import type { PayerView } from '../../../shared/api/views';
import { channelLabels, genderLabels, registrationStatusLabels, specialGroupLabels } from '../../../shared/domain/payer';
import type { YearAssessment } from '../../../shared/policy/schema';
import { hallDateTime, tierName, yuan } from '../format';

interface Props {
  payer: PayerView;
  timeZone: string;
  selected: ReadonlySet<number>;
  onToggleYear(year: number): void;
}

interface Row {
  year: number;
  payments: PayerView['years'][number]['payments'];
  assessment: YearAssessment | undefined;
}

/** Identity, registration, warnings and the year-by-year ledger with what can be done per year. */
export function PayerPanel({ payer, timeZone, selected, onToggleYear }: Props) {
  const assessed = new Map(payer.assessment?.years.map((y) => [y.year, y]));
  const years = new Set([...payer.years.map((y) => y.year), ...assessed.keys()]);
  const rows: Row[] = [...years]
    .sort((a, b) => b - a)
    .map((year) => ({ year, payments: payer.years.find((y) => y.year === year)?.payments ?? [], assessment: assessed.get(year) }));

  return (
    <Card
      style={{ marginTop: 16 }}
      title={
        <span data-testid="payer-name" style={{ fontSize: 22 }}>
          {payer.name}
        </span>
      }
    >
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

      <Space direction="vertical" style={{ width: '100%', marginTop: 12 }} data-testid="payer-warnings">
        {payer.policyMessage ? <Alert type="error" showIcon message={payer.policyMessage} /> : null}
        {payer.assessment?.warnings.map((w) => (
          <Alert key={w.code} type="warning" showIcon message={w.message} />
        ))}
        {payer.conflictYears.length ? (
          <Alert type="error" showIcon message={`${payer.conflictYears.join('、')}年度有重复缴费记录，请值班主任核实并办理退费（税收收入退还书）。`} />
        ) : null}
      </Space>

      <Table<Row>
        style={{ marginTop: 12 }}
        size="middle"
        rowKey="year"
        pagination={false}
        data-testid="payer-years"
        dataSource={rows}
        rowClassName={(r) => (selected.has(r.year) ? 'row-selected' : '')}
        columns={[
          {
            title: '选择',
            width: 64,
            render: (_, r) =>
              r.assessment?.payable ? (
                <Checkbox
                  checked={selected.has(r.year)}
                  onChange={() => onToggleYear(r.year)}
                  aria-label={`选择${r.year}年度`}
                  data-testid={`select-${r.year}`}
                />
              ) : null,
          },
          { title: '年度', dataIndex: 'year', width: 80 },
          {
            title: '状态',
            render: (_, r) => {
              if (r.payments.length > 1) return <Tag color="volcano">重复缴费（待处理）</Tag>;
              if (r.payments.length === 1) return <Tag color="green">已缴</Tag>;
              if (r.assessment?.payable) {
                return <Tag color="blue">{r.assessment.kind === 'current' ? '可缴' : r.assessment.kind === 'back_payment' ? '可补缴' : '可补缴（到龄）'}</Tag>;
              }
              return (
                <Space size={4}>
                  <Tag color="red">未缴</Tag>
                  {r.assessment?.message ? <span className="year-reason">{r.assessment.message}</span> : null}
                </Space>
              );
            },
          },
          { title: '档次', render: (_, r) => r.payments.map((p) => tierName(p.tierFen)).join(' / ') || '—' },
          { title: '金额', className: 'money', render: (_, r) => r.payments.map((p) => yuan(p.amountFen)).join(' / ') || '—' },
          { title: '渠道', render: (_, r) => r.payments.map((p) => channelLabels[p.channel]).join(' / ') || '—' },
          {
            title: '缴费时间',
            render: (_, r) =>
              r.payments.map((p) => (
                <Tooltip key={p.id} title={p.channelRef ? `凭证号 ${p.channelRef}` : undefined}>
                  <div>{hallDateTime(p.paidAt, timeZone)}</div>
                </Tooltip>
              )),
          },
        ]}
      />
    </Card>
  );
}
