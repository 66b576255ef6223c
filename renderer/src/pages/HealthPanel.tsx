import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Space, Table, Tag, Typography } from 'antd';
import type { HealthReportView } from '../../../shared/api/views';
import { healthVerdictLabels } from '../../../shared/vocab';
import { call } from '../api/client';

const verdictColors = { ok: 'green', warn: 'gold', fail: 'red', skip: 'default' } as const;

/** The doctor report for IT staff: the same checks as `pension-counter doctor`. */
export function HealthPanel() {
  const [report, setReport] = useState<HealthReportView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await call('health.check', {}));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }, []);
  useEffect(() => {
    // The first check runs when the page opens; its result arrives asynchronously.
    call('health.check', {}).then(setReport, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  const failures = report?.lines.filter((l) => l.verdict === 'fail').length ?? 0;
  return (
    <Card
      title="健康检查"
      data-testid="health-panel"
      extra={
        <Button onClick={() => void run()} loading={busy}>
          重新检查
        </Button>
      }
      style={{ marginBottom: 16 }}
    >
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      {report ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Alert
            type={report.ok ? 'success' : 'error'}
            showIcon
            message={report.ok ? '结论：正常' : `结论：有 ${failures} 项需要处理`}
            data-testid="health-verdict"
          />
          <Table
            size="small"
            pagination={false}
            rowKey="id"
            dataSource={report.lines}
            columns={[
              { title: '项目', dataIndex: 'title', width: 120 },
              {
                title: '结论',
                dataIndex: 'verdict',
                width: 90,
                render: (v: keyof typeof verdictColors) => <Tag color={verdictColors[v]}>{healthVerdictLabels[v]}</Tag>,
              },
              {
                title: '情况与处理',
                render: (_: unknown, l: HealthReportView['lines'][number]) => (
                  <>
                    <div>{l.detail}</div>
                    {l.action ? <Typography.Text type="danger">处理：{l.action}</Typography.Text> : null}
                  </>
                ),
              },
            ]}
          />
        </Space>
      ) : null}
    </Card>
  );
}
