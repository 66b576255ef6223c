import { useEffect, useState } from 'react';
import { Alert, Card, Empty, Table } from 'antd';
import type { SupervisorCases } from '../../../shared/api/views';
import { channelLabels } from '../../../shared/vocab';
import { call } from '../api/client';
import { hallDateTime, yuan } from '../format';

/** The supervisor's queue: double payments to refund (税收收入退还书) and events the upstream refused. */
export function CasesPanel({ timeZone }: { timeZone: string }) {
  const [cases, setCases] = useState<SupervisorCases | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('supervisor.cases', {}).then(setCases, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!cases) return null;
  return (
    <Card title="待处理事项" style={{ marginTop: 16 }} data-testid="cases-panel">
      <h4>重复缴费（保留全部记录；多缴部分请开具税收收入退还书办理退费）</h4>
      {cases.conflicts.length === 0 ? (
        <Empty description="无" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey={(c) => `${c.payerId}-${c.year}`}
          dataSource={cases.conflicts}
          columns={[
            { title: '缴费人', render: (_, c) => `${c.name}（${c.idNumberMasked}）` },
            { title: '年度', dataIndex: 'year' },
            {
              title: '缴费记录',
              render: (_, c) =>
                c.payments.map((p) => (
                  <div key={p.paymentId}>
                    {channelLabels[p.channel]} {yuan(p.amountFen)} · {hallDateTime(p.paidAt, timeZone)}
                    {p.channelRef ? ` · 凭证号 ${p.channelRef}` : ''}
                  </div>
                )),
            },
          ]}
        />
      )}
      <h4 style={{ marginTop: 16 }}>上游拒收的记录</h4>
      {cases.rejectedEvents.length === 0 ? (
        <Empty description="无" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Table
          size="small"
          pagination={false}
          rowKey="seq"
          dataSource={cases.rejectedEvents}
          columns={[
            { title: '序号', dataIndex: 'seq' },
            { title: '类型', dataIndex: 'kind' },
            { title: '原因', render: (_, e) => `${e.code}：${e.message}` },
            { title: '时间', render: (_, e) => hallDateTime(e.confirmedAt, timeZone) },
          ]}
        />
      )}
    </Card>
  );
}
