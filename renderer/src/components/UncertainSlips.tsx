import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Space } from 'antd';
import type { PrintJobView } from '../../../shared/api/views';
import { deviceWords, printJobKindLabels } from '../../../shared/vocab';
import { call, onEvent } from '../api/client';

/**
 * Slips that may have printed (the app stopped while one was going out, or the printer failed at
 * its end): nothing is sent again by itself, so the clerk is asked here, one banner per slip.
 */
export function UncertainSlips() {
  const [jobs, setJobs] = useState<PrintJobView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    call('print.uncertain', {}).then(setJobs, () => setJobs([]));
  }, []);
  useEffect(() => {
    load();
    return onEvent('print.job', load);
  }, [load]);
  const settle = async (jobId: number, outcome: 'printed' | 'resend') => {
    try {
      setError(null);
      await call('print.resolve', { jobId, outcome });
      load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  if (jobs.length === 0) return null;
  return (
    <div data-testid="uncertain-slips">
      {jobs.map((j) => (
        <Alert
          key={j.id}
          banner
          type="warning"
          message={`${printJobKindLabels[j.kind]}可能已打印${j.lastError ? `（${j.lastError}）` : ''}`}
          description={deviceWords.askUncertain}
          action={
            <Space>
              <Button size="small" onClick={() => void settle(j.id, 'printed')} data-testid={`uncertain-printed-${j.id}`}>
                已打印
              </Button>
              <Button size="small" type="primary" onClick={() => void settle(j.id, 'resend')} data-testid={`uncertain-resend-${j.id}`}>
                重打
              </Button>
            </Space>
          }
        />
      ))}
      {error ? <Alert banner type="error" message={error} /> : null}
    </div>
  );
}
