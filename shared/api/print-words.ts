// The words a clerk reads about a page print (formal receipt, A4 day summary, calibration frame):
// the state that follows the spooler's job, and the spooler's reasons in plain Chinese. The
// spooler's own codes (IPP keywords, Windows job status) go to the log, not to the screen.

export const spoolStateLabels = {
  sent: '已送打印',
  completed: '打印完成',
  failed: '打印失败',
} as const;
export type SpoolState = keyof typeof spoolStateLabels;

/** Reasons by the spooler's reason keyword (IPP job-state-reasons / printer-state-reasons, Windows JobStatus). */
export const spoolReasons: Record<string, string> = {
  'printer-stopped': '打印机已暂停（停用），任务未打印',
  paused: '打印机已暂停（停用），任务未打印',
  'not-accepting-jobs': '打印机拒收新任务',
  'job-canceled-by-user': '任务已在打印服务中被取消',
  'job-canceled-by-operator': '任务已在打印服务中被取消',
  'job-canceled-at-device': '任务已在打印机上被取消',
  'aborted-by-system': '打印服务中止了任务',
  'job-aborted-by-system': '打印服务中止了任务',
  'document-format-error': '打印服务无法处理该文档',
  'document-format-not-supported': '打印机不支持该文档格式',
  'job-hold-until-specified': '任务被挂起，未打印',
  'job-held': '任务被挂起，未打印',
  'media-empty': '打印机缺纸',
  'media-jam': '打印机卡纸',
  'door-open': '打印机机盖打开',
  offline: '打印机脱机',
  'paper-out': '打印机缺纸',
  'paper-jam': '打印机卡纸',
  error: '打印机报告错误',
  'not-found': '打印服务中找不到该打印机',
  'job-lost': '打印服务中已找不到该任务（可能被删除或打印服务重启），按未打印处理',
  timeout: '打印机长时间未完成任务，已取消，按未打印处理',
  unreachable: '无法连接打印服务',
};

/** A reason keyword in the clerk's words (a generic sentence for one the vocabulary lacks). */
export function spoolReason(keyword: string): string {
  return spoolReasons[keyword] ?? '打印服务报告任务未完成';
}
