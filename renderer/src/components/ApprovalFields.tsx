import { Form, Input } from 'antd';

/**
 * A reason and the supervisor's own credentials, typed at the clerk's screen: the approval that
 * voids and reissues need.
 */
export function ApprovalFields({ reasonLabel, reasonPlaceholder }: { reasonLabel: string; reasonPlaceholder: string }) {
  return (
    <>
      <Form.Item label={reasonLabel} name="reason" rules={[{ required: true, min: 2, message: `请填写${reasonLabel}` }]}>
        <Input placeholder={reasonPlaceholder} />
      </Form.Item>
      <Form.Item label="值班主任用户名" name="username" rules={[{ required: true, message: '请输入' }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item label="值班主任密码" name="password" rules={[{ required: true, message: '请输入' }]}>
        <Input.Password autoComplete="off" />
      </Form.Item>
    </>
  );
}

export interface ApprovalValues {
  reason: string;
  username: string;
  password: string;
}
