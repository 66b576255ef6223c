// The one API contract between the renderer and the services. Both hosts (Electron IPC and the
// browser host's HTTP) bind exactly these methods, validate input with these schemas at the
// boundary and return an Envelope. Adding a capability means adding a method here first.
import { z } from 'zod';
import {
  AppInfo,
  Approval,
  AuditPageView,
  DayCloseView,
  ReconciliationView,
  ProgressView,
  DaySummaryView,
  DevicesView,
  SerialLineView,
  HealthReportView,
  SetupForm,
  SetupOutcome,
  ExchangeCandidateView,
  ReceiptPrintResult,
  ReceiptView,
  StockRowView,
  SupervisorCases,
  PayerSearchHit,
  PayerView,
  PayerActivityView,
  PaymentMethod,
  PaymentOutcome,
  RecordedPayment,
  PosRef,
  PrintJobView,
  TrainingExchangeView,
  PrintingView,
  ReceiptBlockView,
  SpoolJobView,
  type Role,
  SessionView,
  SlipPreview,
  TrainingCardView,
} from './views';
import { Quote, QuoteLineRequest } from '../policy/schema';
import { validateIdNumberShape } from './id-input';
import { DisplayPublish, EvaluationCountRow, EvaluationSubmit, PayerDisplaySettings, PayerDisplayState } from '../payer-display';

interface MethodSpec<I extends z.ZodType, O extends z.ZodType> {
  summary: string;
  /** Who may call: 'public' before sign-in, or the roles allowed. */
  access: 'public' | readonly Role[];
  input: I;
  output: O;
}

const method = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>) => spec;
const counterStaff = ['clerk', 'supervisor'] as const;
const Empty = z.object({}).strict();
/** Years one counter transaction may cover (the receipt form has room for at most this many lines). */
export const MAX_LINES = 20;

export const contract = {
  'app.info': method({
    summary: 'Mode, hall, today and start-up state',
    access: 'public',
    input: Empty,
    output: AppInfo,
  }),
  'session.current': method({
    summary: 'The signed-in operator and open shift, if any',
    access: 'public',
    input: Empty,
    output: SessionView,
  }),
  'session.signIn': method({
    summary: 'Sign in at a counter (窗口号) and open a shift',
    access: 'public',
    input: z
      .object({
        username: z.string().trim().min(1, '请输入用户名').max(32),
        password: z.string().min(1, '请输入密码').max(128),
        counterNo: z.number().int().min(1, '窗口号为 1–99').max(99, '窗口号为 1–99'),
      })
      .strict(),
    output: SessionView,
  }),
  'session.lock': method({
    summary: 'Lock the counter screen (inactivity or the clerk stepping away)',
    access: ['clerk', 'supervisor', 'admin'],
    input: Empty,
    output: SessionView,
  }),
  'session.unlock': method({
    summary: "Unlock the screen with the signed-in operator's password",
    access: 'public',
    input: z.object({ password: z.string().min(1, '请输入密码').max(128) }).strict(),
    output: SessionView,
  }),
  'session.signOut': method({
    summary: 'Close the shift and sign out',
    access: ['clerk', 'supervisor', 'admin'],
    input: Empty,
    output: SessionView,
  }),
  'payer.lookup': method({
    summary: 'Find a payer by full ID number',
    access: counterStaff,
    input: z.object({ idNumber: validateIdNumberShape }).strict(),
    output: PayerView,
  }),
  'payer.search': method({
    summary: 'Find payers by name or pinyin initials (张三 / zs), optionally within one village',
    access: counterStaff,
    input: z
      .object({
        query: z.string().trim().min(1, '请输入姓名或拼音首字母').max(20, '查询内容过长'),
        village: z.string().trim().max(40).optional(),
        limit: z.number().int().min(1).max(50).default(20),
      })
      .strict(),
    output: z.object({ hits: z.array(PayerSearchHit), more: z.boolean() }),
  }),
  'payer.villages': method({
    summary: 'Towns and villages of the registry, for the village filter',
    access: counterStaff,
    input: Empty,
    output: z.array(z.object({ town: z.string(), villages: z.array(z.string()) })),
  }),
  'payer.get': method({
    summary: 'A payer by registry id',
    access: counterStaff,
    input: z.object({ payerId: z.number().int().positive() }).strict(),
    output: PayerView,
  }),
  'payer.activity': method({
    summary: "The payer's page: recent counter payments, receipts with status and allowed actions, bank / app payments for 换开",
    access: counterStaff,
    input: z.object({ payerId: z.number().int().positive() }).strict(),
    output: PayerActivityView,
  }),
  'payment.quote': method({
    summary: 'Price chosen (year, tier) lines for a payer: payer amount, subsidy, 代缴, totals',
    access: counterStaff,
    input: z.object({ payerId: z.number().int().positive(), lines: z.array(QuoteLineRequest).max(MAX_LINES, `一次最多缴 ${MAX_LINES} 个年度`) }).strict(),
    output: Quote,
  }),
  'payment.record': method({
    summary: 'Take a payment: ledger rows, outbox and slip print job in one transaction; idempotent by transactionUid',
    access: counterStaff,
    input: z
      .object({
        transactionUid: z.string().uuid('交易编号无效'),
        payerId: z.number().int().positive(),
        lines: z.array(QuoteLineRequest).min(1, '请至少选择一个缴费年度').max(MAX_LINES, `一次最多缴 ${MAX_LINES} 个年度`),
        method: PaymentMethod,
        /** Cash handed over, in fen; required for cash. */
        tenderedFen: z.number().int().nonnegative().max(100_000_000).nullable(),
        /** Bank card: the POS slip's reference number (参考号); required for bank_card. */
        posRef: PosRef.optional(),
      })
      .strict()
      .refine((i) => i.method !== 'bank_card' || i.posRef !== undefined, { message: '请输入POS小票上的参考号', path: ['posRef'] }),
    /** Recorded, or nothing to collect (the government pays it all: nothing recorded, no receipt). */
    output: PaymentOutcome,
  }),
  'payment.forPayer': method({
    summary: "A payer's recent counter transactions, newest first (to print or receipt them again after leaving the screen)",
    access: counterStaff,
    input: z.object({ payerId: z.number().int().positive(), limit: z.number().int().min(1).max(50).default(10) }).strict(),
    output: z.array(RecordedPayment),
  }),
  'receipt.issue': method({
    summary: 'Issue the formal receipt 税收缴款书 for a counter payment (idempotent)',
    access: counterStaff,
    input: z.object({ transactionId: z.number().int().positive() }).strict(),
    output: z.object({ receipts: z.array(ReceiptView), duplicate: z.boolean() }),
  }),
  'receipt.forPayer': method({
    summary: "A payer's receipts",
    access: counterStaff,
    input: z.object({ payerId: z.number().int().positive() }).strict(),
    output: z.array(ReceiptView),
  }),
  'receipt.waiting': method({
    summary: "The signed-in operator's receipts issued but not yet printed and confirmed (any business day)",
    access: counterStaff,
    input: Empty,
    output: z.array(ReceiptView),
  }),
  'receipt.print': method({
    summary: 'Print a receipt on the receipt printer (counts the print: 第N次打印)',
    access: counterStaff,
    input: z.object({ number: z.string().min(1).max(40) }).strict(),
    output: ReceiptPrintResult,
  }),
  'receipt.pdf': method({
    summary: 'The receipt as a PDF for preview or download (not counted as a print)',
    access: counterStaff,
    input: z.object({ number: z.string().min(1).max(40), layout: z.enum(['a4', 'overlay']).default('a4') }).strict(),
    output: z.object({ filename: z.string(), base64: z.string() }),
  }),
  'receipt.printStatus': method({
    summary: "The receipt's last print job as the spooler reports it: 已送打印, 打印完成 or 打印失败 with the reason",
    access: counterStaff,
    input: z.object({ number: z.string().min(1).max(40) }).strict(),
    output: SpoolJobView.nullable(),
  }),
  'receipt.confirmPrinted': method({
    summary: 'The clerk confirms the receipt printed correctly (only once the spooler reported the job completed)',
    access: counterStaff,
    input: z.object({ number: z.string().min(1).max(40) }).strict(),
    output: ReceiptView,
  }),
  'receipt.voidAndReissue': method({
    summary: 'Void a misprinted number (reason, supervisor approval) and print the same lines on the next number',
    access: counterStaff,
    input: z.object({ number: z.string().min(1).max(40), reason: z.string().trim().min(2, '请填写作废原因').max(200), approval: Approval }).strict(),
    output: ReceiptView,
  }),
  'receipt.reissue': method({
    summary: '补开: a copy for a lost receipt, with reason and supervisor approval, marked as such',
    access: counterStaff,
    input: z.object({ number: z.string().min(1).max(40), reason: z.string().trim().min(2, '请填写补开原因').max(200), approval: Approval }).strict(),
    output: ReceiptView,
  }),
  'exchange.find': method({
    summary: 'Find bank / app payments by slip or voucher number (typed or scanned) for 换开',
    access: counterStaff,
    input: z.object({ channelRef: z.string().trim().min(4, '凭证号太短').max(40) }).strict(),
    output: z.array(ExchangeCandidateView),
  }),
  'exchange.forPayer': method({
    summary: "A payer's bank / app payments and whether each was exchanged",
    access: counterStaff,
    input: z.object({ payerId: z.number().int().positive() }).strict(),
    output: z.array(ExchangeCandidateView),
  }),
  'exchange.issue': method({
    summary: '换开: claim the payments upstream (once across all counters), then issue the receipt',
    access: counterStaff,
    input: z.object({ paymentIds: z.array(z.number().int().positive()).min(1).max(MAX_LINES) }).strict(),
    output: z.object({ receipts: z.array(ReceiptView), duplicate: z.boolean() }),
  }),
  'receipt.stock': method({
    summary: 'Receipt stock balance by operator: received, issued, voided, left, handed back',
    access: ['clerk', 'supervisor', 'admin'],
    input: Empty,
    output: z.array(StockRowView),
  }),
  'receipt.addBlock': method({
    summary: 'A supervisor enters a block of pre-numbered paper stock for an operator',
    access: ['supervisor'],
    input: z
      .object({
        operatorUsername: z.string().trim().min(1).max(32),
        series: z.string().trim().min(1, '请填写字轨').max(20),
        firstSerial: z.number().int().positive(),
        lastSerial: z.number().int().positive(),
        serialDigits: z.number().int().min(1).max(12).default(8),
      })
      .strict()
      .refine((b) => b.lastSerial >= b.firstSerial, { message: '止号不能小于起号', path: ['lastSerial'] }),
    output: z.array(StockRowView),
  }),
  'receipt.requestBlock': method({
    summary: 'Ask the upstream to allocate a block of receipt numbers to an operator (online only)',
    access: ['supervisor'],
    input: z.object({ operatorUsername: z.string().trim().min(1).max(32), count: z.number().int().min(1).max(10_000) }).strict(),
    output: z.array(StockRowView),
  }),
  'receipt.blocks': method({
    summary: 'Receipt stock blocks (号码段) with what is left of each, for hand-back (缴销)',
    access: ['supervisor'],
    input: Empty,
    output: z.array(ReceiptBlockView),
  }),
  'receipt.handBack': method({
    summary: 'Hand back the unused rest of a block (缴销): recorded with the signed-in supervisor and the reason',
    access: ['supervisor'],
    input: z.object({ blockId: z.number().int().positive(), reason: z.string().trim().min(2, '请填写交回原因').max(200) }).strict(),
    output: z.array(ReceiptBlockView),
  }),
  'printing.get': method({
    summary: "The page printer path: the system's printers, the receipt printer, its paper and offsets",
    access: ['admin', 'supervisor'],
    input: Empty,
    output: PrintingView,
  }),
  'printing.configure': method({
    summary: 'Choose the formal-receipt printer (a system printer by name, or the training printer) and its layout',
    access: ['admin'],
    input: z.object({ receiptPrinter: z.string().trim().max(200), receiptLayout: z.enum(['a4', 'overlay']) }).strict(),
    output: PrintingView,
  }),
  'printing.calibrate': method({
    summary: 'Store the overlay offsets of the receipt printer (mm, right and down positive), kept per printer',
    access: ['admin'],
    input: z
      .object({
        xMm: z.number().finite().min(-30, '校准偏移应在 -30 到 30 毫米之间').max(30, '校准偏移应在 -30 到 30 毫米之间'),
        yMm: z.number().finite().min(-30, '校准偏移应在 -30 到 30 毫米之间').max(30, '校准偏移应在 -30 到 30 毫米之间'),
      })
      .strict(),
    output: PrintingView,
  }),
  'printing.calibrationFrame': method({
    summary: 'Print the calibration frame (rulers, frame, overlay origin) on the receipt printer at 100 %',
    access: ['admin', 'supervisor'],
    input: Empty,
    output: SpoolJobView,
  }),
  'printing.job': method({
    summary: 'A page print job as the spooler last reported it',
    access: ['clerk', 'supervisor', 'admin'],
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: SpoolJobView,
  }),
  'print.get': method({
    summary: 'The state of a print job',
    access: counterStaff,
    input: z.object({ jobId: z.number().int().positive() }).strict(),
    output: PrintJobView,
  }),
  'print.retry': method({
    summary: 'Put a failed print job back in the queue',
    access: counterStaff,
    input: z.object({ jobId: z.number().int().positive() }).strict(),
    output: PrintJobView,
  }),
  'print.resolve': method({
    summary: "The clerk's answer for a slip that may have printed (uncertain): printed, or resend a copy marked 重打",
    access: counterStaff,
    input: z.object({ jobId: z.number().int().positive(), outcome: z.enum(['printed', 'resend']) }).strict(),
    output: PrintJobView,
  }),
  'print.uncertain': method({
    summary: 'Slips that may have printed and wait for the clerk (after a restart or an incomplete send)',
    access: counterStaff,
    input: Empty,
    output: z.array(PrintJobView),
  }),
  'print.reprint': method({
    summary: 'Print a payment slip again, marked 重打',
    access: counterStaff,
    input: z.object({ jobId: z.number().int().positive() }).strict(),
    output: PrintJobView,
  }),
  'supervisor.cases': method({
    summary: 'Cases for the supervisor: double payments to refund, events the upstream refused',
    access: ['supervisor'],
    input: Empty,
    output: SupervisorCases,
  }),
  'dayclose.preview': method({
    summary: "The signed-in operator's open business day: the figures the close will record and the receipts still waiting",
    access: counterStaff,
    input: Empty,
    output: DaySummaryView,
  }),
  'dayclose.close': method({
    summary:
      'Close the business day (日结): cash counted, immutable numbered record, pushed upstream; later work goes to the next day. Refused (RECEIPTS_WAITING) while receipts wait for print or confirmation, unless a supervisor approves: they are then listed on the summary',
    access: counterStaff,
    input: z.object({ cashCountedFen: z.number().int().min(0).max(10_000_000_000), approval: Approval.optional() }).strict(),
    output: DayCloseView,
  }),
  'dayclose.list': method({
    summary: 'Past day closes (a clerk sees their own, a supervisor every operator)',
    access: counterStaff,
    input: z.object({ limit: z.number().int().min(1).max(200).default(30) }).strict(),
    output: z.array(DayCloseView),
  }),
  'dayclose.pdf': method({
    summary: '《税务机关入库城乡居民养老保险费日汇总单》 of a close, as PDF',
    access: counterStaff,
    input: z.object({ no: z.number().int().positive() }).strict(),
    output: z.object({ filename: z.string(), base64: z.string() }),
  }),
  'dayclose.printSlip': method({
    summary: 'Print the day summary on the receipt printer',
    access: counterStaff,
    input: z.object({ no: z.number().int().positive() }).strict(),
    output: PrintJobView,
  }),
  'dayclose.printA4': method({
    summary: 'Print the A4 day summary 《日汇总单》 on the page printer, followed through the spooler',
    access: counterStaff,
    input: z.object({ no: z.number().int().positive() }).strict(),
    output: SpoolJobView,
  }),
  'dayclose.reconcile': method({
    summary: "Compare a close with the upstream's day totals; any mismatch is listed line by line",
    access: counterStaff,
    input: z.object({ no: z.number().int().positive() }).strict(),
    output: ReconciliationView,
  }),
  'progress.get': method({
    summary: "This year's collection progress by town and village against the policy table's targets",
    access: ['supervisor'],
    input: Empty,
    output: ProgressView,
  }),
  'progress.export': method({
    summary: 'The progress table as CSV or XLSX',
    access: ['supervisor'],
    input: z.object({ format: z.enum(['csv', 'xlsx']) }).strict(),
    output: z.object({ filename: z.string(), base64: z.string() }),
  }),
  'audit.query': method({
    summary: 'Browse the append-only audit log (newest first) and check its hash chain',
    access: ['supervisor', 'admin'],
    input: z
      .object({
        /** Hall-local dates, inclusive. */
        fromDate: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        toDate: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        username: z.string().trim().max(32).optional(),
        action: z.string().trim().max(40).optional(),
        page: z.number().int().min(0).max(100_000).default(0),
      })
      .strict(),
    output: AuditPageView,
  }),
  'setup.training': method({
    summary: 'First run: start this installation in training mode (demo county, training accounts)',
    access: 'public',
    input: Empty,
    output: AppInfo,
  }),
  'setup.commission': method({
    summary: 'First run: commission a production counter (handshake, accounts, first sync, first receipt block)',
    access: 'public',
    input: SetupForm,
    output: SetupOutcome,
  }),
  'health.check': method({
    summary: 'The doctor report for IT staff: a verdict per line (database, disk, backup, upstream, clock, outbox, devices, stock, policy)',
    access: ['admin'],
    input: Empty,
    output: HealthReportView,
  }),
  'devices.get': method({
    summary: 'Device settings and the serial ports this machine lists',
    access: ['admin', 'supervisor'],
    input: Empty,
    output: DevicesView,
  }),
  'devices.configure': method({
    summary: 'Choose the ID-card reader, the receipt printer and the paper width; devices restart',
    access: ['admin'],
    input: z
      .object({
        reader: z.string().trim().max(200),
        printer: z.string().trim().max(200),
        paperWidth: z.union([z.literal(58), z.literal(80)]),
        printerType: z.enum(['epson', 'star']).default('epson'),
        printerFont: z.enum(['gbk', 'gb18030']).default('gbk'),
      })
      .strict(),
    output: DevicesView,
  }),
  'devices.serial': method({
    summary: "Set a serial device's speed and flow control (reader or slip printer); devices restart",
    access: ['admin'],
    input: z
      .object({ device: z.enum(['reader', 'printer']) })
      .merge(SerialLineView)
      .strict(),
    output: DevicesView,
  }),
  'devices.testPrint': method({
    summary: 'Print the test page on the receipt printer',
    access: ['admin', 'supervisor', 'clerk'],
    input: Empty,
    output: PrintJobView,
  }),
  'training.cards': method({
    summary: 'Training mode: the demo cards that can be placed on the simulated reader',
    access: counterStaff,
    input: Empty,
    output: z.array(TrainingCardView),
  }),
  'training.exchangeSlips': method({
    summary: 'Training mode: bank slip / voucher numbers of the training county to practise 换开 with',
    access: counterStaff,
    input: Empty,
    output: z.array(TrainingExchangeView),
  }),
  'training.placeCard': method({
    summary: 'Training mode: place a demo card on the simulated reader',
    access: counterStaff,
    input: z.object({ index: z.number().int().nonnegative() }).strict(),
    output: z.object({}),
  }),
  'training.removeCard': method({
    summary: 'Training mode: take the card off the simulated reader',
    access: counterStaff,
    input: Empty,
    output: z.object({}),
  }),
  'training.lastSlip': method({
    summary: 'Training mode: the last slip the simulated printer received, decoded from its bytes',
    access: counterStaff,
    input: Empty,
    output: SlipPreview.nullable(),
  }),
  'training.printerFault': method({
    summary: 'Training mode: open the cover, run out of paper or take the printer offline',
    access: counterStaff,
    input: z.object({ paperOut: z.boolean(), coverOpen: z.boolean(), online: z.boolean() }).strict(),
    output: z.object({}),
  }),
  'display.publish': method({
    summary: "The counter's step for the payer's screen (客显); the services mask and price it and push 'payer.display'",
    access: counterStaff,
    input: DisplayPublish,
    output: PayerDisplayState,
  }),
  'display.state': method({
    summary: "What the payer's screen shows now (a screen that opens later starts from it)",
    access: 'public',
    input: Empty,
    output: PayerDisplayState,
  }),
  'evaluation.submit': method({
    summary: "The payer's rating (好差评) of the transaction just paid, from the payer's screen; only the open question can be answered",
    access: 'public',
    input: EvaluationSubmit,
    output: PayerDisplayState,
  }),
  'evaluation.counts': method({
    summary: 'Ratings per operator and business day (hall-local dates, inclusive; default today)',
    access: ['supervisor'],
    input: z
      .object({
        fromDate: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        toDate: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
      })
      .strict(),
    output: z.array(EvaluationCountRow),
  }),
  'display.settings': method({
    summary: "The payer's screen settings: on/off and which display (desktop), time allowed to rate",
    access: ['admin', 'supervisor'],
    input: Empty,
    output: PayerDisplaySettings,
  }),
  'display.configure': method({
    summary: "Change the payer's screen settings (the desktop window follows at the next start)",
    access: ['admin'],
    input: PayerDisplaySettings,
    output: PayerDisplaySettings,
  }),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export const methodNames = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
