import { useCallback, useEffect, useState } from 'react';
import { Button, Card, Checkbox, Empty, List, Space, Typography } from 'antd';
import type { SlipPreview, TrainingCardView, TrainingExchangeView } from '../../../shared/api/views';
import { exchangeStatusLabels, proofLabels } from '../../../shared/vocab';
import { yuan } from '../format';
import { call, onEvent } from '../api/client';

/** Training mode: the simulated reader (place a demo card) and the printer (slip preview, faults). */
export function TrainingPanel() {
  const [cards, setCards] = useState<TrainingCardView[]>([]);
  const [slips, setSlips] = useState<TrainingExchangeView[]>([]);
  const [slip, setSlip] = useState<SlipPreview | null>(null);
  const [faults, setFaults] = useState({ paperOut: false, coverOpen: false, online: true });

  const loadSlip = useCallback(() => {
    call('training.lastSlip', {}).then(setSlip, () => {});
  }, []);

  useEffect(() => {
    call('training.cards', {}).then(setCards, () => {});
    call('training.exchangeSlips', {}).then(setSlips, () => {});
    loadSlip();
    return onEvent('print.job', loadSlip);
  }, [loadSlip]);

  const setFault = (next: typeof faults) => {
    setFaults(next);
    void call('training.printerFault', next);
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        size="small"
        title="模拟读卡器"
        extra={
          <Button size="small" onClick={() => void call('training.removeCard', {})}>
            取走证件
          </Button>
        }
      >
        <List
          size="small"
          dataSource={cards}
          renderItem={(c) => (
            <List.Item
              actions={[
                <Button
                  key="place"
                  size="small"
                  type="link"
                  onClick={() => void call('training.placeCard', { index: c.index })}
                  data-testid={`place-card-${c.index}`}
                >
                  放卡
                </Button>,
              ]}
            >
              <div className="training-card" title={c.idNumberMasked}>
                <b>{c.name}</b> <span className="year-reason">{c.label}</span>
              </div>
            </List.Item>
          )}
        />
      </Card>
      {slips.length ? (
        <Card size="small" title="演示缴费凭证（练习换开，F3）" data-testid="training-slips">
          <div className="training-slips">
            {slips.slice(0, 6).map((x) => (
              <div key={x.channelRef} className="training-card" data-testid="training-slip">
                {proofLabels[x.channel].proof} <b>{x.channelRef}</b>
                <div className="year-reason">
                  {x.payerName} · {x.year} · {yuan(x.amountFen)} · {exchangeStatusLabels[x.status]}
                </div>
              </div>
            ))}
          </div>
        </Card>
      ) : null}
      <Card size="small" title="模拟打印机">
        <Space wrap>
          <Checkbox checked={!faults.online} onChange={(e) => setFault({ ...faults, online: !e.target.checked })}>
            脱机
          </Checkbox>
          <Checkbox checked={faults.coverOpen} onChange={(e) => setFault({ ...faults, coverOpen: e.target.checked })}>
            开盖
          </Checkbox>
          <Checkbox checked={faults.paperOut} onChange={(e) => setFault({ ...faults, paperOut: e.target.checked })} data-testid="fault-paper-out">
            缺纸
          </Checkbox>
        </Space>
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          最近一张小票（由发送给打印机的字节解码）：
        </Typography.Text>
        {slip ? (
          <pre className="slip-preview" data-testid="slip-preview">
            {slip.lines.map((l) => (l.align === 'center' ? l.text.padStart(Math.floor((48 + l.text.length) / 2)) : l.text)).join('\n')}
            {slip.qr.length ? `\n[二维码: ${slip.qr.join(', ')}]` : ''}
            {'\n'}
            {'✂'.repeat(slip.cuts)}
          </pre>
        ) : (
          <Empty description="尚未打印" image={Empty.PRESENTED_IMAGE_SIMPLE} />
        )}
      </Card>
    </Space>
  );
}
