// The supervisor's view of the 好差评 ratings: per operator and business day, each level counted,
// plus the questions left unanswered (未评价).
import { useState } from 'react';
import { Alert, Card, DatePicker, Empty, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { EvaluationCountRow } from '../../../shared/payer-display';
import { EVALUATION_SKIPPED_LABEL, evaluationLevelCodes, evaluationLevelLabels } from '../../../shared/vocab';
import { useQuery } from '../api/hooks';

export function EvaluationPanel({ today }: { today: string }) {
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs(today), dayjs(today)]);
  const { data, error } = useQuery('evaluation.counts', { fromDate: range[0].format('YYYY-MM-DD'), toDate: range[1].format('YYYY-MM-DD') });
  return (
    <Card
      title="服务评价（好差评）"
      style={{ marginTop: 16 }}
      data-testid="evaluation-panel"
      extra={<DatePicker.RangePicker allowClear={false} value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />}
    >
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {data && data.length === 0 ? (
        <Empty description="所选日期没有评价" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Table<EvaluationCountRow>
          size="small"
          pagination={false}
          rowKey={(r) => `${r.businessDate}-${r.operatorUsername}`}
          dataSource={data ?? []}
          columns={[
            { title: '日期', dataIndex: 'businessDate' },
            { title: '操作员', render: (_, r) => r.operatorName },
            ...evaluationLevelCodes.map((l) => ({
              title: evaluationLevelLabels[l],
              align: 'right' as const,
              render: (_: unknown, r: EvaluationCountRow) => <span data-testid={`eval-${r.operatorUsername}-${l}`}>{r.counts[l]}</span>,
            })),
            {
              title: EVALUATION_SKIPPED_LABEL,
              align: 'right' as const,
              render: (_, r) => <span data-testid={`eval-${r.operatorUsername}-skipped`}>{r.skipped}</span>,
            },
            {
              title: '满意率',
              align: 'right' as const,
              // 满意率 as 政务服务 reports it: 非常满意 + 满意 + 基本满意 among the ratings given.
              render: (_, r) => (r.rated ? `${Math.round(((r.counts.very_satisfied + r.counts.satisfied + r.counts.basic) / r.rated) * 100)}%` : '—'),
            },
          ]}
        />
      )}
    </Card>
  );
}
