// Typed error codes of the API with the zh-CN message the clerk sees, and the AppError that
// carries them. Kept free of zod: the renderer turns error envelopes back into AppErrors and must
// not load the schemas for that (shared/api/errors.ts adds the schema and re-exports all of this).

export const errorMessages = {
  VALIDATION: '输入内容有误，请检查后重试',
  UNKNOWN_METHOD: '不支持的操作',
  NOT_SIGNED_IN: '请先登录',
  SCREEN_LOCKED: '屏幕已锁定，请输入密码解锁',
  FORBIDDEN: '当前账户无权执行此操作',
  BAD_CREDENTIALS: '用户名或密码错误',
  ACCOUNT_LOCKED: '连续登录失败次数过多，账户已锁定，请稍后再试或联系值班主任',
  ACCOUNT_DISABLED: '账户已停用，请联系系统管理员',
  INVALID_ID_NUMBER: '身份证号码无效',
  PAYER_NOT_FOUND: '未找到该参保人。请引导缴费人先到社保经办机构办理参保登记，再来缴费。',
  NO_POLICY: '本年度政策表未安装或无效，暂不能收费。请联系信息技术人员安装政策表。',
  PAYMENT_NOT_ALLOWED: '所选年度或档次不能缴费',
  TENDERED_TOO_LOW: '实收金额不足',
  RECEIPT_STOCK_EMPTY: '没有可用的缴款书号码，请值班主任录入或申领票证后再开具',
  RECEIPT_ALREADY_ISSUED: '该笔缴费已开具缴款书',
  ALREADY_EXCHANGED: '该凭证已换开过缴款书，不能再次换开；原缴款书遗失的，经值班主任审批可补开',
  EXCHANGE_OFFLINE: '暂时无法连接上游系统，不能确认该凭证未被其他窗口换开，请稍后再试',
  UPSTREAM_UNAVAILABLE: '上游系统未配置或暂时无法连接，请稍后再试',
  APPROVAL_REQUIRED: '此操作需要值班主任审批',
  RECEIPT_STATE: '缴款书当前状态不允许此操作',
  GLYPH_MISSING: '姓名或地址中有字库缺少的汉字，不能打印',
  DAY_CLOSED: '该业务日已日结，不能再收款或开具缴款书；新业务记入下一业务日',
  RECEIPTS_WAITING: '还有缴款书未打印或未确认打印，请先处理；确需日结的，经值班主任审批后日结，这些缴款书将列在日汇总单上',
  DAY_ALREADY_CLOSED: '该操作员本业务日已日结，不能重复日结',
  NOT_TRAINING: '仅培训模式可用',
  MODE_MISMATCH: '培训数据与正式数据不能混用：该数据目录不能以当前模式启动，请联系信息技术人员',
  NOT_FOUND: '记录不存在',
  PRINT_JOB_STATE: '该凭证当前不需要确认是否已打印',
  STARTING: '系统正在准备数据，请稍候',
  DB_TOO_NEW: '数据库由更新版本的程序创建，本程序不能打开。请升级程序，数据未被改动。',
  DB_CORRUPT: '数据库文件已损坏或无法读取，请按恢复向导处理。',
  RECOVERY_PENDING: '本窗口的数据已从备份恢复或与上游记录不一致，正在与上游核对；核对完成前不能收款、开具或换开缴款书，请联系信息技术人员',
  STORAGE_UNAVAILABLE: '无法写入数据库（磁盘已满或文件只读），本笔未记录，请联系信息技术人员',
  INTERNAL: '系统内部错误，请重试；如仍失败请联系信息技术人员',
} as const;

export type ErrorCode = keyof typeof errorMessages;

/** An error as it travels in an envelope (validated against ApiErrorSchema in errors.ts). */
export interface ApiError {
  code: ErrorCode;
  message: string;
  /** Field-level problems for VALIDATION, by path (e.g. "idNumber"). */
  issues?: { path: string; message: string }[] | undefined;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: ApiError['issues'];

  constructor(code: ErrorCode, message?: string, issues?: ApiError['issues']) {
    super(message ?? errorMessages[code]);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
  }

  toApiError(): ApiError {
    return { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }

  static from(error: ApiError): AppError {
    return new AppError(error.code, error.message, error.issues);
  }
}
