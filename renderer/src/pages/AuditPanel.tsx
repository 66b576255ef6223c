import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, DatePicker, Input, Space, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import type { AuditPageView } from '../../../shared/api/views';
import { call } from '../api/client';
import { hallDateTime } from '../format';

/** The supervisor's view of the append-only audit log, with the hash chain checked on every load. */
export function AuditPanel({ timeZone }: { timeZone: string }) {
  const [page, setPage] = useState(0);
  const [username, setUsername] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [data, setData] = useState<AuditPageView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (p: number) => {
      call('audit.query', {
        page: p,
        ...(username.trim() ? { username: username.trim() } : {}),
        ...(range?.[0] ? { fromDate: range[0].format('YYYY-MM-DD') } : {}),
        ...(range?.[1] ? { toDate: range[1].format('YYYY-MM-DD') } : {}),
      }).then(
        (d) => {
          setData(d);
          setPage(p);
          setError(null);
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
    },
    [username, range],
  );
  useEffect(() => load(0), [load]);

  return (
    <Card title="审计日志" data-testid="audit-panel">
      {data ? (
        <Alert
          style={{ marginBottom: 12 }}
          type={data.chain.ok ? 'success' : 'error'}
          showIcon
          data-testid="audit-chain"
          message={data.chain.ok ? `哈希链完整：共 ${data.chain.rows} 条，未发现篡改、插入或删除` : `哈希链异常：${data.chain.problem}`}
        />
      ) : null}
      {error ? <Alert type="error" showIcon message={error} /> : null}
      <Space style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
        <Input placeholder="操作员用户名" value={username} onChange={(e) => setUsername(e.target.value)} style={{ width: 160 }} />
        <Button onClick={() => load(0)}>查询</Button>
      </Space>
      <Table
        size="small"
        rowKey="seq"
        dataSource={data?.rows ?? []}
        pagination={{ current: page + 1, pageSize: 50, total: data?.total ?? 0, onChange: (p) => load(p - 1), showSizeChanger: false }}
        columns={[
          { title: '序号', dataIndex: 'seq', width: 70 },
          { title: '时间', render: (_, r) => hallDateTime(r.at, timeZone), width: 160 },
          { title: '操作员', width: 150, render: (_, r) => `${r.operatorUsername ?? '系统'}${r.counterNo ? `（${r.counterNo}号窗口）` : ''}` },
          { title: '操作', width: 140, render: (_, r) => r.actionLabel },
          { title: '对象', width: 110, render: (_, r) => r.entityLabel },
          { title: '内容', render: (_, r) => r.description },
        ]}
      />
    </Card>
  );
}
