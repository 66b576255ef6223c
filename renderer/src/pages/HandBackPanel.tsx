import { useEffect, useState } from 'react';
import { Alert, Button, Card, Input, Modal, Table } from 'antd';
import type { ReceiptBlockView } from '../../../shared/api/views';
import { call } from '../api/client';

/** 缴销: the supervisor hands back the unused rest of a block of receipt stock, with the reason. */
export function HandBackPanel({ onChanged }: { onChanged?(): void }) {
  const [blocks, setBlocks] = useState<ReceiptBlockView[]>([]);
  const [target, setTarget] = useState<ReceiptBlockView | null>(null);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ type: 'success' | 'error'; text: string } | null>(null);

  useEffect(() => {
    call('receipt.blocks', {}).then(setBlocks, (e: unknown) => setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) }));
  }, []);

  const submit = async () => {
    if (!target) return;
    try {
      setBlocks(await call('receipt.handBack', { blockId: target.id, reason }));
      setMessage({ type: 'success', text: `已交回 ${target.nextNumber ?? ''} 至 ${target.lastNumber}，共 ${target.left} 份` });
      setTarget(null);
      setReason('');
      onChanged?.();
    } catch (e) {
      setMessage({ type: 'error', text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <Card title="票证缴销（交回未用号码段）" size="small" style={{ marginTop: 16 }} data-testid="handback-panel">
      {message ? <Alert type={message.type} showIcon message={message.text} style={{ marginBottom: 12 }} data-testid="handback-message" /> : null}
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={blocks}
        columns={[
          { title: '领用人', render: (_, b) => `${b.operatorName}（${b.operatorUsername}）` },
          { title: '号码段', render: (_, b) => `${b.firstNumber} – ${b.lastNumber}` },
          { title: '未用', render: (_, b) => (b.handedBack ? `已交回 ${b.handedBack.count} 份（自 ${b.handedBack.fromNumber}）` : b.left) },
          {
            title: '',
            render: (_, b) =>
              b.left > 0 ? (
                <Button size="small" danger onClick={() => setTarget(b)} data-testid="handback-open">
                  交回未用部分
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={target !== null}
        title="交回未用票证（缴销）"
        okText="确认交回"
        cancelText="取消"
        okButtonProps={{ disabled: reason.trim().length < 2 }}
        onOk={() => void submit()}
        onCancel={() => setTarget(null)}
        destroyOnHidden
      >
        {target ? (
          <p>
            交回 {target.operatorName} 的 {target.nextNumber} 至 {target.lastNumber}，共 {target.left} 份。交回后这些号码不能再开具。
          </p>
        ) : null}
        <Input.TextArea
          placeholder="交回原因，如：年度结束，纸质票证交回"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={200}
          data-testid="handback-reason"
        />
      </Modal>
    </Card>
  );
}
