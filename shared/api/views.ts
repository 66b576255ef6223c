// Data shapes the API returns to the renderer. Money in fen, instants as UTC ISO strings, dates
// as YYYY-MM-DD in the hall's time zone. ID numbers are masked unless a call says otherwise.
import { z } from 'zod';
import { Channel, Gender, RegistrationStatus, SpecialGroupCode } from '../domain/payer';
import { Assessment, QuoteLine, QuoteTotals } from '../policy/schema';
import {
  healthVerdictLabels as verdictLabels,
  paymentMethodLabels as methodLabels,
  receiptActionCodes,
  receiptStatusCodes,
  roleLabels as roleWords,
} from '../vocab';

export const roleCodes = ['clerk', 'supervisor', 'admin'] as const;
export const Role = z.enum(roleCodes);
export type Role = z.infer<typeof Role>;
/** From the one vocabulary (shared/vocab.ts), which the renderer imports directly. */
export const roleLabels: Record<Role, string> = roleWords;

export const OperatorView = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
});
export type OperatorView = z.infer<typeof OperatorView>;

export const SessionView = z.object({
  operator: OperatorView.nullable(),
  shift: z.object({ id: z.number().int(), counterNo: z.number().int(), openedAt: z.string() }).nullable(),
  /** The screen was locked after inactivity: only the same operator's password opens it. */
  locked: z.boolean(),
});
export type SessionView = z.infer<typeof SessionView>;

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['training', 'production']),
  hallName: z.string(),
  taxOffice: z.string(),
  countyName: z.string(),
  timeZone: z.string(),
  /** Today's civil date in the hall's time zone. */
  today: z.string(),
  status: z.enum(['starting', 'ready', 'failed']),
  statusMessage: z.string(),
  schemaVersion: z.number().int(),
  /** Set when the database cannot be used: what is wrong and how to recover. */
  recovery: z
    .object({
      problem: z.enum(['missing', 'cannot_open', 'unreadable', 'corrupt', 'too_new']),
      message: z.string(),
      latestGoodBackup: z.object({ file: z.string(), at: z.string() }).nullable(),
      restoreCommand: z.string().nullable(),
    })
    .nullable(),
  /** Minutes without input before the counter screen locks itself. */
  idleLockMinutes: z.number().int().positive(),
  /** Training mode only: the demo accounts shown on the sign-in screen. */
  demoAccounts: z.array(z.object({ username: z.string(), password: z.string(), role: Role })),
  /** No configuration yet and this build asks IT staff first: the first-run screen shows. */
  firstRun: z.boolean().optional(),
  /** The version that ran on this database before this one, when this start was an upgrade. */
  upgradedFrom: z.object({ version: z.string(), schemaVersion: z.number().int(), backup: z.string().nullable() }).nullable().optional(),
  /** Training only: the county is still being written in the background (payers in / of). */
  trainingFill: z.object({ filled: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).nullable().optional(),
});
export type AppInfo = z.infer<typeof AppInfo>;

const Account = z.object({
  username: z.string().regex(/^[A-Za-z0-9_.-]{2,32}$/, '登录名为 2–32 位字母、数字、点、下划线或连字符'),
  displayName: z.string().trim().min(1, '请填写姓名').max(32),
  password: z.string().min(8, '密码至少 8 位').max(128),
});

/** The first-run screen's commissioning form: the same answers as `pension-counter setup`. */
export const SetupForm = z
  .object({
    hallName: z.string().trim().min(1, '请填写办税服务厅名称').max(100),
    taxOffice: z.string().trim().min(1, '请填写税务机关全称').max(100),
    countyName: z.string().trim().min(1, '请填写县（区）名称').max(50),
    regionCode: z.string().regex(/^\d{6}$/, '行政区划代码为 6 位数字'),
    policyRegion: z.string().trim().min(1).max(50),
    counterNo: z.number().int().min(1, '窗口号为 1–99').max(99, '窗口号为 1–99'),
    timeZone: z.string().min(1).max(64),
    upstreamUrl: z.string().url('请填写上游地址，如 https://10.0.0.5:8790'),
    upstreamKey: z.string().min(8, '柜台密钥至少 8 位').max(256),
    receiptPrinter: z.string().max(200),
    receiptLayout: z.enum(['a4', 'overlay']),
    reader: z.string().max(200),
    printer: z.string().max(200),
    paperWidth: z.union([z.literal(58), z.literal(80)]),
    backupDir: z.string().min(1, '请填写备份文件夹').max(500),
    supervisor: Account,
    it: Account,
  })
  .strict();
export type SetupForm = z.infer<typeof SetupForm>;
export const SetupOutcome = z.object({ installationId: z.string(), station: z.string(), firstBlock: z.string().nullable(), payers: z.number().int() });

/** The health report for IT staff (pension-counter doctor, the IT page's panel). */
export const HealthReportView = z.object({
  at: z.string(),
  version: z.string(),
  ok: z.boolean(),
  lines: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      verdict: z.enum(['ok', 'warn', 'fail', 'skip']),
      detail: z.string(),
      action: z.string().nullable(),
    }),
  ),
});
export type HealthReportView = z.infer<typeof HealthReportView>;
export const healthVerdictLabels: Record<HealthReportView['lines'][number]['verdict'], string> = verdictLabels;

export const PaymentView = z.object({
  id: z.number().int(),
  year: z.number().int(),
  tierFen: z.number().int(),
  amountFen: z.number().int(),
  channel: Channel,
  channelRef: z.string().nullable(),
  paidAt: z.string(),
});
export type PaymentView = z.infer<typeof PaymentView>;

export const PayerYearView = z.object({
  year: z.number().int(),
  /** Every payment recorded for the year; more than one is a conflict for the supervisor. */
  payments: z.array(PaymentView),
});
export type PayerYearView = z.infer<typeof PayerYearView>;

export const PayerView = z.object({
  id: z.number().int(),
  idNumberMasked: z.string(),
  name: z.string(),
  gender: Gender,
  birthDate: z.string(),
  /** Age in full years on the hall's today. */
  age: z.number().int(),
  town: z.string(),
  village: z.string(),
  address: z.string(),
  registrationDate: z.string(),
  status: RegistrationStatus,
  inEmployeeScheme: z.boolean(),
  specialGroups: z.array(z.object({ code: SpecialGroupCode, from: z.string(), to: z.string().nullable() })),
  /** Years from the first payable year to the current year, newest first. */
  years: z.array(PayerYearView),
  /** What the policy engine allows today; null with policyMessage when no table applies. */
  assessment: Assessment.nullable(),
  policyMessage: z.string().nullable(),
  /** Years with more than one payment (e.g. counter while offline and app): for the supervisor. */
  conflictYears: z.array(z.number().int()),
});
export type PayerView = z.infer<typeof PayerView>;

export const paymentMethodCodes = ['cash', 'bank_card', 'qr'] as const;
export const PaymentMethod = z.enum(paymentMethodCodes);
export type PaymentMethod = z.infer<typeof PaymentMethod>;
/** From the one vocabulary (shared/vocab.ts). */
export const paymentMethodLabels: Record<PaymentMethod, string> = methodLabels;

/** POS reference number (参考号) of a bank-card payment, as printed on the POS slip. */
export const PosRef = z
  .string()
  .transform((s) =>
    s
      .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      .replace(/[\s\u3000]/g, '')
      .toUpperCase(),
  )
  .pipe(z.string().regex(/^[0-9A-Z]{6,20}$/, '参考号为POS小票上的6–20位数字或字母'));

export const PrintJobView = z.object({
  id: z.number().int(),
  kind: z.enum(['payment_slip', 'exchange_record', 'day_summary', 'test_page']),
  /**
   * 'sending' from the first byte; 'uncertain' (可能已打印) when a send was cut off or did not
   * finish: never re-sent by itself, the clerk answers with print.resolve.
   */
  state: z.enum(['pending', 'sending', 'printed', 'failed', 'uncertain']),
  lastError: z.string().nullable(),
  /** An uncertain job the clerk chose to print again: the marked copy is a newer job. */
  resent: z.boolean().optional(),
});
export type PrintJobView = z.infer<typeof PrintJobView>;

export const RecordedPayment = z.object({
  outcome: z.literal('recorded'),
  transactionId: z.number().int(),
  transactionUid: z.string(),
  /** True when this uid had already been recorded: the earlier result is returned, nothing is paid twice. */
  duplicate: z.boolean(),
  payerId: z.number().int(),
  payerName: z.string(),
  idNumberMasked: z.string(),
  lines: z.array(QuoteLine),
  totals: QuoteTotals,
  method: PaymentMethod,
  tenderedFen: z.number().int().nullable(),
  changeFen: z.number().int().nullable(),
  /** Bank card: the POS reference number (参考号) the clerk typed from the POS slip. */
  posRef: z.string().nullable(),
  recordedAt: z.string(),
  businessDate: z.string(),
  printJob: PrintJobView.nullable(),
});
export type RecordedPayment = z.infer<typeof RecordedPayment>;

/**
 * Nothing to collect (无需缴费): the government pays the whole of the chosen years (e.g. 重度残疾 at
 * the minimum tier). The counter records nothing, takes no money and issues no receipt; the
 * clerk tells the payer so. `lines`/`totals` show what the government pays.
 */
export const NothingToCollect = z.object({
  outcome: z.literal('nothing_to_collect'),
  payerId: z.number().int(),
  payerName: z.string(),
  idNumberMasked: z.string(),
  lines: z.array(QuoteLine),
  totals: QuoteTotals,
  /** What to tell the payer, e.g. 无需缴费：2026年度由政府全额代缴，本次不收款、不开具缴款书。 */
  message: z.string(),
});
export type NothingToCollect = z.infer<typeof NothingToCollect>;

/** What payment.record answers: recorded, or nothing to collect (nothing recorded). */
export const PaymentOutcome = z.discriminatedUnion('outcome', [RecordedPayment, NothingToCollect]);
export type PaymentOutcome = z.infer<typeof PaymentOutcome>;

export const TrainingCardView = z.object({
  index: z.number().int(),
  /** What the card demonstrates, e.g. 本年未缴. */
  label: z.string(),
  name: z.string(),
  idNumberMasked: z.string(),
});
export type TrainingCardView = z.infer<typeof TrainingCardView>;

export const SlipPreview = z.object({
  lines: z.array(z.object({ text: z.string(), align: z.enum(['left', 'center', 'right']), bold: z.boolean(), widthMul: z.number() })),
  qr: z.array(z.string()),
  cuts: z.number().int(),
});
export type SlipPreview = z.infer<typeof SlipPreview>;

export const PayerSearchHit = z.object({
  id: z.number().int(),
  name: z.string(),
  idNumberMasked: z.string(),
  gender: Gender,
  birthDate: z.string(),
  town: z.string(),
  village: z.string(),
});
export type PayerSearchHit = z.infer<typeof PayerSearchHit>;

/** A serial line's settings as the IT device screen shows and sets them (8N1 always). */
export const SerialLineView = z.object({
  baudRate: z.union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)]),
  flowControl: z.enum(['none', 'rtscts', 'xonxoff']),
});
export type SerialLineView = z.infer<typeof SerialLineView>;

export const DevicesView = z.object({
  reader: z.string(),
  printer: z.string(),
  paperWidth: z.union([z.literal(58), z.literal(80)]),
  /** The reader's serial line (default 115200, no flow control). */
  readerSerial: SerialLineView,
  /** The slip printer's serial line, when it is a serial port (default 9600, no flow control). */
  printerSerial: SerialLineView,
  /** The slip printer's command set (test page and slips are built for it). */
  printerType: z.enum(['epson', 'star']),
  /** GBK: characters outside it (e.g. 𠮷) are printed as images; GB18030: sent as text. */
  printerFont: z.enum(['gbk', 'gb18030']),
  /** Serial ports the system lists (virtual COM ports of USB readers included). */
  ports: z.array(z.string()),
});
export type DevicesView = z.infer<typeof DevicesView>;

export const SupervisorCases = z.object({
  /** A year paid more than once (e.g. at the counter while offline and in the app): refund one. */
  conflicts: z.array(
    z.object({
      payerId: z.number().int(),
      name: z.string(),
      idNumberMasked: z.string(),
      year: z.number().int(),
      payments: z.array(
        z.object({
          paymentId: z.number().int(),
          channel: Channel,
          channelRef: z.string().nullable(),
          tierFen: z.number().int(),
          amountFen: z.number().int(),
          paidAt: z.string(),
        }),
      ),
    }),
  ),
  /** Counter events the upstream refused: each needs a person to look at it. */
  rejectedEvents: z.array(z.object({ seq: z.number().int(), kind: z.string(), code: z.string(), message: z.string(), confirmedAt: z.string() })),
});
export type SupervisorCases = z.infer<typeof SupervisorCases>;

/** A supervisor's approval, typed by the supervisor at the clerk's screen. */
export const Approval = z.object({
  username: z.string().trim().min(1, '请输入审批人用户名').max(32),
  password: z.string().min(1, '请输入审批人密码').max(128),
});
export type Approval = z.infer<typeof Approval>;

export const ReceiptView = z.object({
  id: z.number().int(),
  number: z.string(),
  kind: z.enum(['counter', 'exchange', 'reissue']),
  state: z.enum(['issued', 'voided']),
  payerId: z.number().int(),
  payerName: z.string(),
  idNumberMasked: z.string(),
  counterNo: z.number().int(),
  transactionId: z.number().int().nullable(),
  lines: z.array(z.object({ lineNo: z.number().int(), paymentId: z.number().int(), year: z.number().int(), amountFen: z.number().int() })),
  totalFen: z.number().int(),
  businessDate: z.string(),
  issuedAt: z.string(),
  checkCode: z.string(),
  printCount: z.number().int(),
  printState: z.enum(['pending', 'confirmed']),
  reissueOf: z.string().nullable(),
  replaces: z.string().nullable(),
  reason: z.string().nullable(),
  /** Where it stands (labels: receiptStatusLabels): issued and printed receipts are waiting. */
  status: z.enum(receiptStatusCodes),
  /** What the clerk may do with it now (labels: receiptActionLabels). */
  actions: z.array(z.enum(receiptActionCodes)),
  /** One confirmation whose years needed several forms: 第index张/共count张, all numbers in order. */
  group: z.object({ index: z.number().int(), count: z.number().int(), numbers: z.array(z.string()) }).nullable(),
  /** The voided number's replacement (作废重开), when this one is voided. */
  replacedBy: z.string().nullable(),
});
export type ReceiptView = z.infer<typeof ReceiptView>;

/** A counter payment (one confirmation) on the payer's page, with its receipts. */
export const CounterTransactionView = z.object({
  transactionId: z.number().int(),
  recordedAt: z.string(),
  businessDate: z.string(),
  method: PaymentMethod,
  posRef: z.string().nullable(),
  operatorName: z.string(),
  counterNo: z.number().int(),
  totalFen: z.number().int(),
  lines: z.array(z.object({ year: z.number().int(), tierFen: z.number().int(), amountFen: z.number().int(), backPayment: z.boolean() })),
  /** Live receipt numbers covering it (voided ones are in the receipts list). */
  receiptNumbers: z.array(z.string()),
  /** No live receipt yet: the clerk can issue it (receipt.issue). */
  canIssueReceipt: z.boolean(),
  slipJob: PrintJobView.nullable(),
});
export type CounterTransactionView = z.infer<typeof CounterTransactionView>;

export const ExchangeCandidateView = z.object({
  paymentId: z.number().int(),
  payerId: z.number().int(),
  payerName: z.string(),
  idNumberMasked: z.string(),
  year: z.number().int(),
  amountFen: z.number().int(),
  channel: z.enum(['bank_pos', 'bank_counter', 'mobile_app']),
  channelRef: z.string(),
  paidAt: z.string(),
  status: z.enum(['exchangeable', 'exchanged']),
  receiptNumber: z.string().nullable(),
});
export type ExchangeCandidateView = z.infer<typeof ExchangeCandidateView>;

/** The payer's page: recent counter payments, every receipt with its status and actions, bank / app payments for 换开. */
export const PayerActivityView = z.object({
  transactions: z.array(CounterTransactionView),
  receipts: z.array(ReceiptView),
  exchanges: z.array(ExchangeCandidateView),
});
export type PayerActivityView = z.infer<typeof PayerActivityView>;

/** Training mode: a bank slip / voucher number of the training county to practise 换开 with. */
export const TrainingExchangeView = z.object({
  channel: z.enum(['bank_pos', 'bank_counter', 'mobile_app']),
  channelRef: z.string(),
  payerName: z.string(),
  idNumberMasked: z.string(),
  year: z.number().int(),
  amountFen: z.number().int(),
  status: z.enum(['exchangeable', 'exchanged']),
});
export type TrainingExchangeView = z.infer<typeof TrainingExchangeView>;

export const StockRowView = z.object({
  operatorUsername: z.string(),
  operatorName: z.string(),
  received: z.number().int(),
  issued: z.number().int(),
  voided: z.number().int(),
  left: z.number().int(),
  handedBack: z.number().int(),
  nextNumber: z.string().nullable(),
});
export type StockRowView = z.infer<typeof StockRowView>;

/** A page print job (receipt, A4 day summary, calibration frame) as the spooler last reported it. */
export const SpoolJobView = z.object({
  id: z.number().int(),
  document: z.enum(['receipt', 'day_summary', 'calibration']),
  ref: z.string(),
  printer: z.string(),
  /** sent = 已送打印, completed = 打印完成, failed = 打印失败 (never counted as printed). */
  state: z.enum(['sent', 'completed', 'failed']),
  /** The state in the clerk's words (spoolStateLabels). */
  label: z.string(),
  /** Why it failed, with the spooler's message. */
  reason: z.string().nullable(),
  submittedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type SpoolJobView = z.infer<typeof SpoolJobView>;

export const SystemPrinterView = z.object({
  name: z.string(),
  info: z.string(),
  state: z.string(),
  acceptingJobs: z.boolean(),
  isDefault: z.boolean(),
});
export type SystemPrinterView = z.infer<typeof SystemPrinterView>;

export const PrintingView = z.object({
  /** cups | windows | training */
  spooler: z.enum(['cups', 'windows', 'training']),
  printers: z.array(SystemPrinterView),
  /** Null when the spooler could not be asked (its reason in listError). */
  listError: z.string().nullable(),
  receiptPrinter: z.string(),
  receiptLayout: z.enum(['a4', 'overlay']),
  /** The paper the receipt is printed on, mm. */
  paper: z.object({ widthMm: z.number(), heightMm: z.number() }),
  calibration: z.object({ xMm: z.number(), yMm: z.number() }),
});
export type PrintingView = z.infer<typeof PrintingView>;

/** A block of pre-numbered receipt stock held by an operator. */
export const ReceiptBlockView = z.object({
  id: z.number().int(),
  operatorUsername: z.string(),
  operatorName: z.string(),
  firstNumber: z.string(),
  lastNumber: z.string(),
  /** The next unused number, or null when used up or handed back. */
  nextNumber: z.string().nullable(),
  left: z.number().int(),
  handedBack: z.object({ fromNumber: z.string(), count: z.number().int(), at: z.string(), reason: z.string() }).nullable(),
});
export type ReceiptBlockView = z.infer<typeof ReceiptBlockView>;

export const ReceiptPrintResult = z.object({
  receipt: ReceiptView,
  /** Where the document went, as the clerk names it (培训打印机, or the printer's name): never a path. */
  sentTo: z.string(),
  /** The spooler's job: the clerk confirms "printed correctly" only once it is completed. */
  spool: SpoolJobView.optional(),
});
export type ReceiptPrintResult = z.infer<typeof ReceiptPrintResult>;

export const AuditPageView = z.object({
  rows: z.array(
    z.object({
      seq: z.number().int(),
      at: z.string(),
      operatorUsername: z.string().nullable(),
      counterNo: z.number().int().nullable(),
      action: z.string(),
      /** The action in Chinese (auditActionLabels). */
      actionLabel: z.string(),
      entity: z.string(),
      entityLabel: z.string(),
      entityId: z.string().nullable(),
      /** What happened, in Chinese, for the supervisor: amounts in yuan, numbers, reasons; no ids or JSON. */
      description: z.string(),
      before: z.unknown(),
      after: z.unknown(),
    }),
  ),
  total: z.number().int(),
  /** The hash chain checked on this call: the first altered, inserted or deleted row, if any. */
  chain: z.object({ ok: z.boolean(), rows: z.number().int(), problem: z.string().nullable() }),
});
export type AuditPageView = z.infer<typeof AuditPageView>;

const CountAmountView = z.object({ count: z.number().int(), amountFen: z.number().int() });

/** A receipt the close found waiting for print or confirmation. */
export const WaitingReceiptView = z.object({
  number: z.string(),
  payerName: z.string(),
  totalFen: z.number().int(),
  status: z.enum(receiptStatusCodes),
  businessDate: z.string(),
});
export type WaitingReceiptView = z.infer<typeof WaitingReceiptView>;

/** The figures of a business day (one operator), as the day-close screen shows them. */
export const DaySummaryView = z.object({
  businessDate: z.string(),
  transactions: z.number().int(),
  count: z.number().int(),
  amountFen: z.number().int(),
  subsidyFen: z.number().int(),
  governmentPaidFen: z.number().int(),
  current: CountAmountView,
  backPayment: CountAmountView,
  byMethod: z.array(z.object({ method: PaymentMethod, transactions: z.number().int(), count: z.number().int(), amountFen: z.number().int() })),
  byTier: z.array(z.object({ tierFen: z.number().int(), count: z.number().int(), amountFen: z.number().int() })),
  exchanges: CountAmountView,
  receipts: z.object({
    used: z.number().int(),
    issued: z.number().int(),
    voided: z.number().int(),
    reissued: z.number().int(),
    ranges: z.array(z.object({ firstNumber: z.string(), lastNumber: z.string(), count: z.number().int() })),
    voidedList: z.array(z.object({ number: z.string(), reason: z.string() })),
  }),
  /** Receipts of the operator issued but not yet printed-and-confirmed: the close waits for them (or a supervisor's approval). */
  waiting: z.array(WaitingReceiptView),
  cashExpectedFen: z.number().int(),
});
export type DaySummaryView = z.infer<typeof DaySummaryView>;

export const DayCloseView = z.object({
  no: z.number().int(),
  number: z.string(),
  businessDate: z.string(),
  operatorName: z.string(),
  counterNo: z.number().int(),
  closedByName: z.string(),
  closedAt: z.string(),
  cash: z.object({ expectedFen: z.number().int(), countedFen: z.number().int(), differenceFen: z.number().int() }),
  summary: DaySummaryView,
  /** Closed with receipts still waiting: the supervisor who approved it (listed on the summary). */
  waitingApprovedBy: z.string().nullable(),
});
export type DayCloseView = z.infer<typeof DayCloseView>;

const ProgressCount = { expected: z.number().int(), paid: z.number().int() };
export const ProgressView = z.object({
  year: z.number().int(),
  asOf: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  ...ProgressCount,
  targets: z.array(z.object({ by: z.string(), percent: z.number(), due: z.boolean(), met: z.boolean() })),
  towns: z.array(z.object({ town: z.string(), ...ProgressCount, villages: z.array(z.object({ village: z.string(), ...ProgressCount })) })),
});
export type ProgressView = z.infer<typeof ProgressView>;

export const ReconciliationView = z.object({
  matched: z.boolean(),
  comparedAt: z.string(),
  /** One line per figure that differs between the close and the upstream's day totals. */
  mismatches: z.array(
    z.object({
      label: z.string(),
      local: CountAmountView.nullable(),
      upstream: CountAmountView.nullable(),
      countDiff: z.number().int(),
      amountDiffFen: z.number().int(),
    }),
  ),
});
export type ReconciliationView = z.infer<typeof ReconciliationView>;
