import { useState } from 'react';
import { Button, InputNumber, Space, Typography } from 'antd';
import type { PrintingView } from '../../../shared/api/views';
import { call } from '../api/client';

/**
 * IT screen: the overlay offsets of the formal-receipt printer, in millimetres (right and down
 * positive), stored per printer. The calibration frame printed on plain paper and laid on a
 * pre-printed form shows how far the fields sit off; enter that here and print the frame again.
 * The parent keys it by printer and stored offsets, so it starts again from what is stored.
 */
export function CalibrationPanel({ view, onSaved, onError }: { view: PrintingView; onSaved: (v: PrintingView) => void; onError: (e: unknown) => void }) {
  const [xMm, setX] = useState<number>(view.calibration.xMm);
  const [yMm, setY] = useState<number>(view.calibration.yMm);

  const save = async () => {
    try {
      onSaved(await call('printing.calibrate', { xMm, yMm }));
    } catch (e) {
      onError(e);
    }
  };
  const field = { min: -30, max: 30, step: 0.5, precision: 1, suffix: '毫米', style: { width: 140 } } as const;
  return (
    <Space wrap style={{ marginTop: 12 }} data-testid="calibration-panel">
      <Typography.Text>套打偏移（{view.receiptPrinter || '未选打印机'}）：</Typography.Text>
      向右
      <InputNumber {...field} value={xMm} onChange={(v) => setX(v ?? 0)} data-testid="calibration-x" />
      向下
      <InputNumber {...field} value={yMm} onChange={(v) => setY(v ?? 0)} data-testid="calibration-y" />
      <Button onClick={() => void save()} disabled={!view.receiptPrinter} data-testid="calibration-save">
        保存偏移
      </Button>
    </Space>
  );
}
