import { useEffect, useRef } from 'react';
import { Alert, Checkbox, Select, Space, Tag } from 'antd';
import type { PayerView } from '../../../shared/api/views';
import { channelLabels, genderLabels, registrationStatusLabels, specialGroupLabels } from '../../../shared/vocab';
import type { YearAssessment } from '../../../shared/policy/schema';
import { DataTable } from '../components/DataTable';
import { hallDateTime, tierName, yuan } from '../format';

/** Who is at the counter: name, masked ID, status and groups in one strip that stays on screen. */
export function PayerIdentity({ payer }: { payer: PayerView }) {
  return (
    <div className="payer-identity" data-testid="payer-identity">
      <span data-testid="payer-name" className="payer-name">
        {payer.name}
      </span>
      <span data-testid="payer-id" className="payer-id">
        {payer.idNumberMasked}
      </span>
      <span>
        {genderLabels[payer.gender]} · {payer.age} 岁
      </span>
      <Tag color={payer.status === 'active' ? 'green' : 'orange'} data-testid="payer-status">
        {registrationStatusLabels[payer.status]}
      </Tag>
      {payer.inEmployeeScheme ? <Tag color="red">已参加职工养老保险</Tag> : null}
      {payer.specialGroups.map((g) => (
        <Tag key={g.code + g.from} color="purple">
          {specialGroupLabels[g.code]}（{g.from} 起{g.to ? `，至 ${g.to}` : ''}）
        </Tag>
      ))}
      <span className="payer-address" title={payer.address}>
        {payer.town}
        {payer.village} · 参保 {payer.registrationDate}
      </span>
    </div>
  );
}

/** Policy and ledger warnings about this payer. */
export function PayerWarnings({ payer }: { payer: PayerView }) {
  const warnings = payer.assessment?.warnings ?? [];
  if (!payer.policyMessage && !warnings.length && !payer.conflictYears.length) return <div data-testid="payer-warnings" />;
  return (
    <Space direction="vertical" style={{ width: '100%', marginTop: 8 }} size={4} data-testid="payer-warnings">
      {payer.policyMessage ? <Alert type="error" showIcon message={payer.policyMessage} /> : null}
      {warnings.map((w) => (
        <Alert key={w.code} type="warning" showIcon message={w.message} />
      ))}
      {payer.conflictYears.length ? (
        <Alert type="error" showIcon message={`${payer.conflictYears.join('、')}年度有重复缴费记录，请值班主任核实并办理退费（税收收入退还书）。`} />
      ) : null}
    </Space>
  );
}

interface Row {
  year: number;
  payments: PayerView['years'][number]['payments'];
  assessment: YearAssessment | undefined;
}

interface YearsProps {
  payer: PayerView;
  timeZone: string;
  /** Years ticked for payment, and their tiers; null when no payment is being taken. */
  selected: readonly number[] | null;
  tiers: Readonly<Record<number, number>>;
  onToggleYear(year: number): void;
  onTierChange(year: number, tierFen: number): void;
  /** The year the keyboard points at. */
  cursor: number | null;
  maxHeight: number;
}

/** A year's state in the ledger: paid, paid twice, payable now (and how) or not. */
function yearState(r: Row): { text: string; tone: 'volcano' | 'green' | 'blue' | 'red' } {
  if (r.payments.length > 1) return { text: '重复缴费', tone: 'volcano' };
  if (r.payments.length === 1) return { text: '已缴', tone: 'green' };
  if (r.assessment?.payable) {
    return { text: r.assessment.kind === 'current' ? '可缴' : r.assessment.kind === 'back_payment' ? '可补缴' : '可补缴（到龄）', tone: 'blue' };
  }
  return { text: '未缴', tone: 'red' };
}

/**
 * The year-by-year ledger: what was paid, what can be paid (tick it, choose the tier), and why not.
 * A plain table (styles.css .years-table), not antd's Table: it is drawn every time a card opens a
 * payer, and antd's per-cell components made it most of the time from card to painted page
 * (issue 18). Only the controls (tick box, tier choice) are antd components.
 */
export function PayerYears({ payer, timeZone, selected, tiers, onToggleYear, onTierChange, cursor, maxHeight }: YearsProps) {
  const assessed = new Map(payer.assessment?.years.map((y) => [y.year, y]));
  const years = new Set([...payer.years.map((y) => y.year), ...assessed.keys()]);
  const rows: Row[] = [...years]
    .sort((a, b) => b - a)
    .map((year) => ({ year, payments: payer.years.find((y) => y.year === year)?.payments ?? [], assessment: assessed.get(year) }));
  const isSelected = (y: number) => selected?.includes(y) ?? false;
  // The year under the keyboard cursor stays in view as Ctrl+↑ / Ctrl+↓ move it.
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    scroller.current?.querySelector('.row-cursor')?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  return (
    <div className="years-scroll" style={{ maxHeight: maxHeight }} ref={scroller}>
      <DataTable<Row>
        rowKey="year"
        data-testid="payer-years"
        dataSource={rows}
        rowClassName={(r) => `${isSelected(r.year) ? 'row-selected' : ''} ${selected && cursor === r.year ? 'row-cursor' : ''}`.trim()}
        columns={[
          {
            title: '选择',
            width: 44,
            render: (_, r) =>
              r.assessment?.payable && selected ? (
                <Checkbox
                  checked={isSelected(r.year)}
                  onChange={() => onToggleYear(r.year)}
                  aria-label={`选择${r.year}年度`}
                  data-testid={`select-${r.year}`}
                />
              ) : null,
          },
          { title: '年度', dataIndex: 'year', width: 60 },
          {
            title: '状态',
            width: 88,
            // A styled span, not antd's Tag: per-cell components were most of card → painted.
            render: (_, r) => {
              const state = yearState(r);
              return <span className={`year-tag ${state.tone}`}>{state.text}</span>;
            },
          },
          {
            title: '档次',
            width: 156,
            render: (_, r) => {
              if (r.payments.length) return r.payments.map((p) => tierName(p.tierFen)).join(' / ');
              if (!r.assessment?.payable || !isSelected(r.year)) return '—';
              return (
                <Select
                  size="small"
                  value={tiers[r.year]}
                  style={{ width: 146 }}
                  popupMatchSelectWidth={false}
                  data-testid={`tier-${r.year}`}
                  onChange={(v: number) => onTierChange(r.year, v)}
                  options={r.assessment.tiers.map((t) => ({
                    value: t.tierFen,
                    label: `${tierName(t.tierFen)}${t.subsidyFen ? `（补贴${t.subsidyFen / 100}元）` : ''}`,
                  }))}
                />
              );
            },
          },
          { title: '金额', width: 96, className: 'money', render: (_, r) => r.payments.map((p) => yuan(p.amountFen)).join(' / ') || '—' },
          {
            title: '说明',
            ellipsis: true,
            render: (_, r) =>
              r.payments.length ? (
                r.payments.map((p) => (
                  <div key={p.id} className="year-reason" title={p.channelRef ? `凭证号 ${p.channelRef}` : undefined}>
                    {channelLabels[p.channel]} {hallDateTime(p.paidAt, timeZone).slice(0, 10)}
                  </div>
                ))
              ) : r.assessment?.message ? (
                <span className="year-reason" title={r.assessment.message}>
                  {r.assessment.message}
                </span>
              ) : null,
          },
        ]}
      />
    </div>
  );
}
