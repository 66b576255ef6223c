import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { App } from './App';
import { KeyMapProvider } from './keys';
import './styles.css';

// The payer's screen is its own page: the counter's window never loads it.
const PayerDisplay = lazy(() => import('./payer-display/PayerDisplay').then((m) => ({ default: m.PayerDisplay })));

dayjs.locale('zh-cn');

// The payer's screen (客显) is the same renderer at ?view=payer: its own page, nothing of the counter.
const payerView = new URLSearchParams(window.location.search).get('view') === 'payer';

createRoot(document.getElementById('root')!).render(
  payerView ? (
    <StrictMode>
      <Suspense fallback={null}>
        <PayerDisplay />
      </Suspense>
    </StrictMode>
  ) : (
    <StrictMode>
      <ConfigProvider locale={zhCN} theme={{ token: { fontSize: 16, colorPrimary: '#1d4ed8', borderRadius: 4 } }}>
        {/* Not antd's App: nothing uses its message/notification/modal hooks, which load about 25 kB.
            The wrapper keeps its text style (styles.css .app-root). */}
        <div className="app-root">
          <KeyMapProvider>
            <App />
          </KeyMapProvider>
        </div>
      </ConfigProvider>
    </StrictMode>
  ),
);
