import { useRef, useState, type ReactNode } from 'react';
import { Alert, Form, Input, Modal, type InputRef } from 'antd';
import { Layer, useKeys } from '../keys';
import { Kbd } from './Kbd';

export interface ApprovalValues {
  reason: string;
  username: string;
  password: string;
}

/**
 * A reason and the supervisor's own credentials, typed at the clerk's screen: the approval that
 * voids and reissues need. A dialog: it takes every key while open (Esc closes only the dialog,
 * Enter in a field submits), so nothing underneath reacts.
 */
export function ApprovalDialog({
  open,
  title,
  okText,
  warning,
  reasonLabel,
  reasonPlaceholder,
  onSubmit,
  onCancel,
  testId,
}: {
  open: boolean;
  title: ReactNode;
  okText: string;
  warning: string;
  reasonLabel: string;
  reasonPlaceholder: string;
  /** Resolves with an error message to show in the dialog, or null when done. */
  onSubmit(values: ApprovalValues): Promise<string | null>;
  onCancel(): void;
  testId?: string;
}) {
  const [form] = Form.useForm<ApprovalValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<InputRef>(null);
  const cancel = () => {
    setError(null);
    form.resetFields();
    onCancel();
  };
  const submit = async () => {
    if (busy) return;
    let v: ApprovalValues;
    try {
      v = await form.validateFields();
    } catch {
      return; // The form shows which field is missing.
    }
    setBusy(true);
    const problem = await onSubmit(v);
    setBusy(false);
    setError(problem);
    if (!problem) form.resetFields();
  };
  useKeys(
    [
      { key: 'Esc', label: '取消', run: cancel },
      { key: 'Enter', label: okText, run: () => void submit() },
    ],
    { layer: Layer.dialog, blocking: true, active: open },
  );
  return (
    <Modal
      open={open}
      title={title}
      okText={
        <>
          {okText} <Kbd>Enter</Kbd>
        </>
      }
      cancelText={
        <>
          取消 <Kbd>Esc</Kbd>
        </>
      }
      okButtonProps={{ loading: busy, danger: true }}
      onOk={() => void submit()}
      onCancel={cancel}
      keyboard={false}
      // The dialog takes the focus on open; the reason field is where typing starts — unless the
      // user already went on to another field during the opening animation (focus is not yanked back).
      afterOpenChange={(isOpen) => {
        const at = document.activeElement;
        const typingInDialog = (at instanceof HTMLInputElement || at instanceof HTMLTextAreaElement) && at.closest('.ant-modal') !== null;
        if (isOpen && !typingInDialog) reasonRef.current?.focus();
      }}
      destroyOnHidden
      data-testid={testId}
    >
      <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={warning} />
      {error ? <Alert type="error" showIcon style={{ marginBottom: 12 }} message={error} data-testid="approval-error" /> : null}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label={reasonLabel} name="reason" rules={[{ required: true, min: 2, message: `请填写${reasonLabel}` }]}>
          <Input placeholder={reasonPlaceholder} autoFocus ref={reasonRef} />
        </Form.Item>
        <Form.Item label="值班主任用户名" name="username" rules={[{ required: true, message: '请输入' }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label="值班主任密码" name="password" rules={[{ required: true, message: '请输入' }]}>
          <Input.Password autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
