import { useEffect, useState } from 'react';
import { Alert, Button, Card, Progress, Space, Table, Tag } from 'antd';
import ReactEChartsCore from 'echarts-for-react/lib/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ProgressView } from '../../../shared/api/views';
import { call } from '../api/client';
import { downloadFile } from '../download';

// Only what this one bar chart uses: the full echarts bundle would be most of the renderer's size.
echarts.use([BarChart, GridComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

const pct = (paid: number, expected: number) => (expected ? Math.round((paid * 1000) / expected) / 10 : 0);

/** The supervisor's collection progress: by town (chart) and village (table), against the targets. */
export function ProgressPanel() {
  const [p, setP] = useState<ProgressView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    call('progress.get', {}).then(setP, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  const exportAs = async (format: 'csv' | 'xlsx') => {
    try {
      const f = await call('progress.export', { format });
      downloadFile(f.filename, f.base64, format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!p) return null;
  const nextTarget = p.targets.find((t) => !t.due);
  const option = {
    // A counter screen: figures appear at once, no animation.
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 90, top: 30, bottom: 60 },
    xAxis: { type: 'category', data: p.towns.map((t) => t.town), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name: '缴费率',
        type: 'bar',
        data: p.towns.map((t) => pct(t.paid, t.expected)),
        markLine: {
          symbol: 'none',
          data: p.targets.map((t) => ({ yAxis: t.percent, name: `${t.by} 目标`, label: { formatter: `${t.by.slice(5)} ${t.percent}%` } })),
        },
      },
    ],
  };
  return (
    <Card
      title={`${p.year}年度缴费进度（截至 ${p.asOf}）`}
      style={{ marginTop: 16 }}
      data-testid="progress-panel"
      extra={
        <Space>
          <Button onClick={() => void exportAs('csv')}>导出 CSV</Button>
          <Button onClick={() => void exportAs('xlsx')} data-testid="export-xlsx">
            导出 Excel
          </Button>
        </Space>
      }
    >
      <Space size={32} align="center" wrap>
        <Progress type="circle" percent={pct(p.paid, p.expected)} format={(v) => `${v}%`} />
        <div data-testid="progress-total">
          全县应缴 {p.expected} 人，已缴 {p.paid} 人
          <div style={{ marginTop: 8 }}>
            {p.targets.map((t) => (
              <Tag key={t.by} color={t.met ? 'green' : t.due ? 'red' : 'default'}>
                {t.by} 前 {t.percent}%{t.met ? ' 已达成' : t.due ? ' 未达成' : ''}
              </Tag>
            ))}
          </div>
          {nextTarget ? (
            <div style={{ marginTop: 8, color: '#6b7280' }}>
              下一目标：{nextTarget.by} 前达到 {nextTarget.percent}%
            </div>
          ) : null}
        </div>
      </Space>
      <ReactEChartsCore echarts={echarts} option={option} style={{ height: 300, marginTop: 16 }} />
      <Table
        size="small"
        rowKey="town"
        pagination={false}
        dataSource={p.towns}
        expandable={{
          expandedRowRender: (t) => (
            <Table
              size="small"
              rowKey="village"
              pagination={false}
              dataSource={t.villages}
              columns={[
                { title: '村（社区）', dataIndex: 'village' },
                { title: '应缴', dataIndex: 'expected' },
                { title: '已缴', dataIndex: 'paid' },
                { title: '缴费率', render: (_, v) => `${pct(v.paid, v.expected)}%` },
              ]}
            />
          ),
        }}
        columns={[
          { title: '乡镇', dataIndex: 'town' },
          { title: '应缴', dataIndex: 'expected' },
          { title: '已缴', dataIndex: 'paid' },
          { title: '缴费率', render: (_, t) => `${pct(t.paid, t.expected)}%` },
        ]}
      />
    </Card>
  );
}
