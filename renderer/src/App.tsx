import { lazy, useCallback, useEffect, useState } from 'react';
import { Alert, Progress, Result, Spin } from 'antd';
import type { AppInfo, SessionView } from '../../shared/api/views';
import { call, onEvent } from './api/client';
import { LoadBoundary } from './components/LoadBoundary';
import { TrainingBanner } from './components/TrainingBanner';
import { SignInPage } from './pages/SignInPage';
import { LockScreen } from './pages/LockScreen';

// Screens a counter clerk never opens load on demand: IT's settings and the first-run form. The
// workspace (counter tables and panels) loads while the sign-in screen shows, so the sign-in
// page's own script stays small and the counter is there by the time the password is typed.
const loadWorkspace = () => import('./pages/Workspace');
const Workspace = lazy(() => loadWorkspace().then((m) => ({ default: m.Workspace })));
const AdminPage = lazy(() => import('./pages/AdminPage').then((m) => ({ default: m.AdminPage })));
const FirstRunPage = lazy(() => import('./pages/FirstRunPage').then((m) => ({ default: m.FirstRunPage })));

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [session, setSession] = useState<SessionView | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Training county still being written: from its own event (undefined: as app.info said).
  const [fill, setFill] = useState<AppInfo['trainingFill']>(undefined);

  // Fetches state and applies it from the promise callback, never synchronously in an effect.
  const refresh = useCallback(() => {
    Promise.all([call('app.info', {}), call('session.current', {})]).then(
      ([i, s]) => {
        setInfo(i);
        setSession(s);
        setError(null);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, []);

  useEffect(() => onEvent('training.fill', (e) => setFill(e.done ? null : { filled: e.filled, total: e.total })), []);

  // Once the first screen is up (sign-in, usually), fetch the workspace in the background: it does
  // not compete with that screen's own script and data, and is there when the password is typed.
  const shown = info !== null && session !== null;
  useEffect(() => {
    if (shown) void loadWorkspace();
  }, [shown]);

  useEffect(() => {
    refresh();
    return onEvent('app.status', (s) => {
      setProgress(s.progress);
      // While starting, the event's words are shown as they come (no reload per event); a state
      // change reloads everything.
      if (s.state === 'starting') setInfo((i) => (i && i.status === 'starting' ? { ...i, statusMessage: s.message } : i));
      else refresh();
    });
  }, [refresh]);

  // Start-up events may arrive before the socket connects: poll while starting as a fallback.
  useEffect(() => {
    if (info?.status !== 'starting') return;
    const t = setInterval(refresh, 1000);
    return () => clearInterval(t);
  }, [info?.status, refresh]);

  if (error && !info) return <Result status="error" title="无法连接到本机服务" subTitle={error} />;
  if (!info || !session) return <Spin fullscreen tip="正在准备…（连接本机服务）" data-testid="app-connecting" />;

  if (info.firstRun)
    return (
      <LoadBoundary fullscreen>
        <FirstRunPage info={info} onDone={refresh} />
      </LoadBoundary>
    );
  const training = info.mode === 'training' ? <TrainingBanner fill={fill !== undefined ? fill : info.trainingFill} /> : null;
  if (info.status === 'failed' && info.recovery) {
    const r = info.recovery;
    return (
      <>
        {training}
        <Result
          status="error"
          title="数据库不能使用：需要恢复"
          subTitle={r.message}
          data-testid="recovery-screen"
          extra={
            <div style={{ textAlign: 'left', maxWidth: 760, margin: '0 auto' }}>
              <p>程序没有改动、也不会自动重建数据库。请信息技术人员按以下任一方式处理后重新启动程序：</p>
              <ol>
                <li>
                  恢复最近一次完好的备份
                  {r.latestGoodBackup ? (
                    <>
                      （{new Date(r.latestGoodBackup.at).toLocaleString('zh-CN', { timeZone: info.timeZone, hour12: false })}）：
                      <pre data-testid="restore-command">{r.restoreCommand}</pre>
                      被替换的数据库会移到数据目录下的 replaced 文件夹保存。备份之后的收费记录随后从上游系统重新同步。
                    </>
                  ) : (
                    '：未找到可用的备份。'
                  )}
                </li>
                <li>无备份时：保留损坏的文件，安装新的数据目录并从上游系统重新同步（pension-counter sync）；本机未上传的记录需按纸质凭证补录。</li>
              </ol>
            </div>
          }
        />
      </>
    );
  }
  if (info.status === 'failed') {
    return (
      <>
        {training}
        <Result status="error" title="程序启动失败" subTitle={info.statusMessage} />
      </>
    );
  }
  if (info.status === 'starting') {
    return (
      <>
        {training}
        <Result
          icon={<Spin size="large" />}
          title={info.statusMessage}
          data-testid="app-starting"
          extra={progress !== null ? <Progress percent={Math.round(progress * 100)} style={{ maxWidth: 480 }} /> : null}
        />
      </>
    );
  }
  return (
    <>
      {training}
      {error ? <Alert type="error" showIcon message={error} banner /> : null}
      {session.operator && session.locked ? (
        <LockScreen session={session} onChange={setSession} />
      ) : session.operator?.role === 'admin' ? (
        <LoadBoundary fullscreen>
          <AdminPage info={info} session={session} onSignedOut={setSession} />
        </LoadBoundary>
      ) : session.operator ? (
        <LoadBoundary fullscreen>
          <Workspace info={info} session={session} onSignedOut={setSession} onLocked={setSession} />
        </LoadBoundary>
      ) : (
        <SignInPage info={info} onSignedIn={setSession} />
      )}
    </>
  );
}
