import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { App } from './App';
import { KeyMapProvider } from './keys';
import { PayerDisplay } from './payer-display/PayerDisplay';
import './styles.css';

dayjs.locale('zh-cn');

// The payer's screen (客显) is the same renderer at ?view=payer: its own page, nothing of the counter.
const payerView = new URLSearchParams(window.location.search).get('view') === 'payer';

createRoot(document.getElementById('root')!).render(
  payerView ? (
    <StrictMode>
      <PayerDisplay />
    </StrictMode>
  ) : (
    <StrictMode>
      <ConfigProvider locale={zhCN} theme={{ token: { fontSize: 16, colorPrimary: '#1d4ed8', borderRadius: 4 } }}>
        <AntApp>
          <KeyMapProvider>
            <App />
          </KeyMapProvider>
        </AntApp>
      </ConfigProvider>
    </StrictMode>
  ),
);
