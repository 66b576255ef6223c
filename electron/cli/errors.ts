/** An error meant for the operator at the terminal: printed without a stack trace, exits non-zero. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * One line for an error of the disk or the database file (issue 15): what IT staff must do,
 * never a stack trace. Null for anything else.
 */
export function storageErrorLine(error: unknown): string | null {
  const e = error as { code?: unknown; path?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const where = typeof e?.path === 'string' ? `（${e.path}）` : '';
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return `数据库文件已损坏或不是数据库（${code}）：运行 pension-counter db check 查看，按恢复步骤处理`;
  if (/^SQLITE_FULL/.test(code) || code === 'ENOSPC') return `磁盘已满${where}：腾出空间后重试，数据未被改动`;
  if (/^SQLITE_(READONLY|PERM|AUTH)/.test(code) || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return `无法写入数据目录或数据库${where}：磁盘只读或没有权限（${code}），请检查所有者与权限`;
  }
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return `数据库正被其他程序锁定（${code}）：请先停止占用它的程序`;
  if (/^SQLITE_(CANTOPEN|IOERR)/.test(code) || code === 'EIO') return `无法打开或读写数据库${where}：${code}，请检查磁盘与权限`;
  return null;
}
