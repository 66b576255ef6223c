import { Component, Suspense, type ReactNode } from 'react';
import { Button, Result, Spin } from 'antd';

interface State {
  failed: boolean;
}

/**
 * Around a screen part loaded on demand: a spinner while it loads, and when its file cannot be
 * loaded (a tab left open across an upgrade, a file gone) a plain message with a reload button
 * instead of a blank window. Nothing already recorded depends on it: reloading is safe.
 */
export class LoadBoundary extends Component<{ children: ReactNode; fullscreen?: boolean }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (this.state.failed) {
      return (
        <Result
          status="warning"
          title="这部分界面未能加载"
          subTitle="请重新载入页面；已办理的业务不受影响。"
          extra={
            <Button type="primary" onClick={() => window.location.reload()}>
              重新载入
            </Button>
          }
        />
      );
    }
    return (
      <Suspense fallback={this.props.fullscreen ? <Spin fullscreen /> : <Spin style={{ display: 'block', margin: 48 }} />}>{this.props.children}</Suspense>
    );
  }
}
