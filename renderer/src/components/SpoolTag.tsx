import { useEffect, useState } from 'react';
import { Tag, Typography } from 'antd';
import type { SpoolJobView } from '../../../shared/api/views';
import { call } from '../api/client';

const colors: Record<SpoolJobView['state'], string> = { sent: 'processing', completed: 'success', failed: 'error' };

/** Follows a page print job until the spooler answers: 已送打印 → 打印完成, or 打印失败 with the reason. */
export function useSpoolJob(initial: SpoolJobView | null): SpoolJobView | null {
  const [polled, setPolled] = useState<SpoolJobView | null>(null);
  const job = polled && initial && polled.id === initial.id ? polled : initial;
  useEffect(() => {
    if (!job || job.state !== 'sent') return;
    const t = setTimeout(() => {
      call('printing.job', { id: job.id }).then(setPolled, () => {});
    }, 1000);
    return () => clearTimeout(t);
  }, [job]);
  return job;
}

/** The job's state as a tag, with the spooler's reason when it failed. */
export function SpoolTag({ job }: { job: SpoolJobView | null }) {
  if (!job) return null;
  return (
    <span data-testid="spool-state" data-state={job.state}>
      <Tag color={colors[job.state]}>{job.label}</Tag>
      {job.state === 'failed' && job.reason ? <Typography.Text type="danger">{job.reason}</Typography.Text> : null}
    </span>
  );
}
