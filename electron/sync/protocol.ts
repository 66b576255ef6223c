// The upstream protocol, version 1 (docs/upstream-protocol.md), as zod schemas. Both the client
// (which trusts nothing the upstream sends) and the reference upstream (which trusts nothing a
// counter pushes) validate against these, so the document, the client and the simulator cannot
// drift apart silently.
import { z } from 'zod';
import { Channel, Gender, IsoDate, RegistrationStatus, SpecialGroupCode } from '../../shared/domain/payer';
import { idCheckChar } from '../../shared/domain/id-number';
import { PaymentMethod } from '../../shared/api/views';

export const PROTOCOL_VERSION = 1;
export const API_PREFIX = '/v1';

/** Largest page a client may ask for; a server answering with more items is refused. */
export const MAX_PAGE_LIMIT = 1000;
export const DEFAULT_PAGE_LIMIT = 1000;
/** Largest response body a client reads; anything bigger is refused unread past this point. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
/** Largest request body the reference upstream accepts. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

const safeInt = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const fen = safeInt;

/** An instant as the upstream writes it: UTC, ISO 8601 with a Z. */
export const Instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'instant must be UTC ISO 8601')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'invalid instant');

/** 18-character resident ID number with a correct check character (GB 11643). */
export const IdNumber = z
  .string()
  .regex(/^\d{17}[\dX]$/, 'ID number must be 17 digits and a check character')
  // zod runs a refine even after the regex failed: the shape is re-tested so a malformed value is
  // refused rather than crashing the check digit computation.
  .refine((s) => /^\d{17}[\dX]$/.test(s) && idCheckChar(s.slice(0, 17)) === s[17], 'ID number check character is wrong');

/**
 * A stream position: the decimal change sequence of the last item the client holds ("0" before
 * the first). Decimal text rather than a JSON number so that a future server may use 64-bit
 * sequences without the client losing precision; v1 keeps them within 15 digits.
 */
export const Cursor = z.string().regex(/^(0|[1-9]\d{0,14})$/, 'cursor must be a decimal sequence number');
export type Cursor = z.infer<typeof Cursor>;

const text = (max: number) => z.string().min(1).max(max);

export const WireSpecialGroup = z.object({
  code: SpecialGroupCode,
  from: IsoDate,
  to: IsoDate.nullable(),
});

export const WirePayer = z.object({
  seq: safeInt,
  idNumber: IdNumber,
  name: text(64),
  gender: Gender,
  birthDate: IsoDate,
  town: text(100),
  village: text(100),
  address: text(200),
  registrationDate: IsoDate,
  status: RegistrationStatus,
  statusSince: IsoDate,
  inEmployeeScheme: z.boolean(),
  specialGroups: z.array(WireSpecialGroup).max(20),
  updatedAt: Instant,
});
export type WirePayer = z.infer<typeof WirePayer>;

/** A share of a subsidy or 代缴 paid by one level of government. */
export const WireSplitShare = z.object({ level: z.enum(['central', 'province', 'city', 'county', 'township']), amountFen: fen });

/**
 * A payment from any channel. tierFen 0 is the government's 代缴 credited for a year with nothing
 * paid personally (amountFen 0, governmentPaidFen > 0): the counter keeps it as a fact of its own
 * (government_credits), apart from any personal payment for that year.
 */
export const WirePayment = z
  .object({
    seq: safeInt,
    upstreamId: text(64),
    idNumber: IdNumber,
    year: z.number().int().min(2000).max(2200),
    tierFen: fen,
    amountFen: fen,
    subsidyFen: fen,
    governmentPaidFen: fen,
    backPayment: z.boolean(),
    governmentPaidSplit: z.array(WireSplitShare).max(5).optional(),
    channel: Channel,
    /** Slip / voucher number; null exactly for tax-hall counter payments. */
    channelRef: text(64).nullable(),
    /** The counter's own line id, echoed for payments a counter pushed; null otherwise. */
    localUid: text(64).nullable(),
    /** Which counter recorded it (tax-hall payments pushed through this protocol), else null. */
    station: text(64).nullable(),
    paidAt: Instant,
    recordedAt: Instant,
  })
  .refine((p) => (p.channel === 'counter') === (p.channelRef === null), {
    message: 'channelRef is required for bank and app payments and absent for counter payments',
    path: ['channelRef'],
  })
  .refine((p) => p.tierFen > 0 || (p.amountFen === 0 && p.governmentPaidFen > 0), {
    message: 'tierFen 0 is a 代缴-only credit: amountFen must be 0 and governmentPaidFen positive',
    path: ['tierFen'],
  });
export type WirePayment = z.infer<typeof WirePayment>;

export const streamNames = ['payers', 'payments'] as const;
export type StreamName = (typeof streamNames)[number];

function pageSchema<T extends z.ZodType<{ seq: number }>>(stream: StreamName, item: T) {
  return z
    .object({
      protocol: z.literal(PROTOCOL_VERSION),
      stream: z.literal(stream),
      /** The cursor the client asked from, echoed. */
      after: Cursor,
      items: z.array(item).max(MAX_PAGE_LIMIT),
      /** Where to continue: the highest seq in this page (or `after` when the page is empty). */
      next: Cursor,
      more: z.boolean(),
      /** Items after `next` at the time of the answer: progress for a long first sync. */
      remaining: safeInt,
    })
    .superRefine((page, ctx) => {
      const after = Number(page.after);
      const next = Number(page.next);
      if (next < after) ctx.addIssue({ code: 'custom', path: ['next'], message: 'next is before after' });
      // Items at or below `after` are redeliveries and allowed; none may lie beyond `next`.
      for (const [i, it] of page.items.entries()) {
        if (it.seq > next) ctx.addIssue({ code: 'custom', path: ['items', i, 'seq'], message: 'item beyond next' });
      }
      // A page that claims more but does not move would loop the client forever.
      if (page.more && next === after) ctx.addIssue({ code: 'custom', path: ['more'], message: 'more without progress' });
    });
}

export const PayersPage = pageSchema('payers', WirePayer);
export type PayersPage = z.infer<typeof PayersPage>;
export const PaymentsPage = pageSchema('payments', WirePayment);
export type PaymentsPage = z.infer<typeof PaymentsPage>;

// ---- push ----------------------------------------------------------------------------------

/** Event kinds are dotted lower-case names: 'payment.recorded', 'receipt.voided' … */
export const EventKind = z
  .string()
  .regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)+$/)
  .max(64);
export const IdempotencyKey = z.string().regex(/^[\w.:-]{1,128}$/, 'idempotency key: 1–128 of [A-Za-z0-9_.:-]');

export const InstallationId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'installation id must be a UUID');

/** The newest row of the counter's hash-chained audit log: its seq and hash. */
export const AuditHead = z.object({ seq: safeInt, hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type AuditHead = z.infer<typeof AuditHead>;

export const PushRequest = z.object({
  idempotencyKey: IdempotencyKey,
  kind: EventKind,
  /** When the counter recorded the event (its own clock). */
  occurredAt: Instant,
  payload: z.record(z.string(), z.unknown()),
  /**
   * Issue 15: which installation pushed it and its place in that installation's own sequence
   * (the outbox seq). The upstream keeps the highest per installation, so a counter whose
   * database went back in time (restore, lost WAL, copied file) can tell that it did.
   */
  installationId: InstallationId.optional(),
  counterSeq: safeInt.positive().optional(),
  /** The counter's audit-chain head when the event was pushed: the upstream remembers the last. */
  auditHead: AuditHead.optional(),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const PushResult = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('accepted'),
    receivedAt: Instant,
    /** For 'payment.recorded': the upstream id given to each line. */
    payments: z
      .array(z.object({ localUid: text(64), upstreamId: text(64) }))
      .max(100)
      .optional(),
  }),
  z.object({
    /** A definitive refusal: the event will never be accepted as sent. */
    status: z.literal('rejected'),
    code: text(64),
    message: z.string().max(1000),
  }),
]);
export type PushResult = z.infer<typeof PushResult>;

export const PushResponse = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  idempotencyKey: IdempotencyKey,
  /** True when the key was seen before and this is the stored result of the first delivery. */
  replay: z.boolean(),
  result: PushResult,
});
export type PushResponse = z.infer<typeof PushResponse>;

/** The payload of 'payment.recorded' as the counter writes it into the outbox. */
export const PaymentRecordedPayload = z.object({
  transactionUid: text(64),
  counterNo: z.number().int().min(1).max(99),
  operatorUsername: text(64),
  businessDate: IsoDate,
  paidAt: Instant,
  method: z.enum(['cash', 'bank_card', 'qr']),
  /** Bank card: the POS slip's reference number (参考号), for matching with the bank's records. */
  posRef: z.string().min(6).max(20).optional(),
  lines: z
    .array(
      z.object({
        localUid: text(64),
        idNumber: IdNumber,
        year: z.number().int().min(2000).max(2200),
        tierFen: fen.positive(),
        amountFen: fen,
        subsidyFen: fen,
        governmentPaidFen: fen,
        backPayment: z.boolean(),
        /** Who pays the subsidy and the 代缴, by level of government (issue 17). */
        subsidySplit: z.array(WireSplitShare).max(5).optional(),
        governmentPaidSplit: z.array(WireSplitShare).max(5).optional(),
        /** 一次性补缴: the years of contribution this one line counts; absent for a calendar year. */
        lumpSumYears: z.number().int().min(1).max(100).optional(),
      }),
    )
    .min(1)
    .max(100),
});
export type PaymentRecordedPayload = z.infer<typeof PaymentRecordedPayload>;

// ---- receipts, exchanges, time -------------------------------------------------------------

export const ReceiptBlockRequest = z.object({
  operatorUsername: text(64),
  /** The receipt form; v1 knows one: 税收缴款书(税务收现专用). */
  receiptType: z.literal('tax_cash').default('tax_cash'),
  count: z.number().int().min(1).max(5000),
});
export type ReceiptBlockRequest = z.input<typeof ReceiptBlockRequest>;

export const ReceiptBlock = z
  .object({
    blockId: text(64),
    receiptType: z.literal('tax_cash'),
    /** 字轨, printed before the serial number. */
    series: text(32),
    firstSerial: safeInt.positive(),
    lastSerial: safeInt.positive(),
    /** Serial numbers are printed zero-padded to this many digits. */
    serialDigits: z.number().int().min(1).max(15),
    operatorUsername: text(64),
    allocatedAt: Instant,
  })
  .refine((b) => b.lastSerial >= b.firstSerial, { message: 'lastSerial before firstSerial', path: ['lastSerial'] });
export type ReceiptBlock = z.infer<typeof ReceiptBlock>;

export const ReceiptBlockResponse = z.object({ protocol: z.literal(PROTOCOL_VERSION), replay: z.boolean(), block: ReceiptBlock });

/** Only bank and app payments carry a slip or voucher that can be exchanged. */
export const ExchangeChannel = z.enum(['bank_pos', 'bank_counter', 'mobile_app']);
export type ExchangeChannel = z.infer<typeof ExchangeChannel>;

// --- Day totals (GET /v1/day-totals): the upstream's view of one operator's business day ---

const CountAmountWire = z.object({ count: z.number().int().min(0), amountFen: z.number().int().min(0) });

/** The upstream's totals for one operator's business day (see docs/upstream-protocol.md, `day.closed`). */
export const UpstreamDayTotals = z.object({
  businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  operatorUsername: z.string().min(1),
  totals: CountAmountWire,
  byYear: z.array(CountAmountWire.extend({ year: z.number().int(), backPayment: z.boolean() })),
  byTier: z.array(CountAmountWire.extend({ tierFen: z.number().int().positive() })),
  byMethod: z.array(CountAmountWire.extend({ method: PaymentMethod })),
  exchangesByChannel: z.array(CountAmountWire.extend({ channel: ExchangeChannel })).optional(),
  receipts: z.object({ issued: z.number().int().min(0), voided: z.number().int().min(0) }).optional(),
});
export type UpstreamDayTotals = z.infer<typeof UpstreamDayTotals>;

export const DayTotalsResponse = UpstreamDayTotals.extend({ protocol: z.literal(PROTOCOL_VERSION) });

export const ExchangeClaimRequest = z.object({
  channel: ExchangeChannel,
  channelRef: text(64),
  /** The counter as the hall names it (e.g. "1号窗口"); recorded with the claim. */
  counterId: text(64),
});

export const ExchangeClaim = z.object({
  channel: ExchangeChannel,
  channelRef: text(64),
  upstreamId: text(64),
  counterId: text(64),
  station: text(64),
  claimedAt: Instant,
});
export type ExchangeClaim = z.infer<typeof ExchangeClaim>;

export const ExchangeClaimResponse = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  outcome: z.enum(['claimed', 'already_claimed']),
  claim: ExchangeClaim,
});

// ---- the events a counter pushes (besides payment.recorded) ------------------------------------

const ReceiptKindWire = z.enum(['counter', 'exchange', 'reissue']);
const Operator = text(64);
const CounterNo = z.number().int().min(1).max(99);

/** 'receipt.issued': a formal receipt number was used for a payment (issue, 换开, 补开, reprint on a new number). */
export const ReceiptIssuedPayload = z.object({
  receiptUid: text(64),
  receiptType: z.literal('tax_cash'),
  number: text(64),
  series: text(40),
  serial: z.number().int().positive(),
  blockId: text(64).nullable(),
  kind: ReceiptKindWire,
  reissueOf: text(64).nullable(),
  replaces: text(64).nullable(),
  reason: z.string().max(400).nullable(),
  approvedBy: Operator.nullable(),
  idNumber: IdNumber,
  totalFen: fen,
  lines: z
    .array(
      z.object({ year: z.number().int().min(2000).max(2200), amountFen: fen, paymentLocalUid: text(64).nullable(), paymentUpstreamId: text(64).nullable() }),
    )
    .min(1)
    .max(100),
  checkCode: text(32),
  counterNo: CounterNo,
  operatorUsername: Operator,
  businessDate: IsoDate,
  issuedAt: Instant,
});
export type ReceiptIssuedPayload = z.infer<typeof ReceiptIssuedPayload>;

/** 'receipt.voided': a misprinted number was voided and its lines printed on the next number. */
export const ReceiptVoidedPayload = z.object({
  receiptUid: text(64),
  receiptType: z.literal('tax_cash'),
  number: text(64),
  series: text(40),
  serial: z.number().int().positive(),
  reason: z.string().min(1).max(400),
  approvedBy: Operator,
  operatorUsername: Operator,
  counterNo: CounterNo,
  voidedAt: Instant,
  replacedBy: z.object({ receiptUid: text(64), number: text(64) }),
});
export type ReceiptVoidedPayload = z.infer<typeof ReceiptVoidedPayload>;

/** 'receipt.block_returned': the unused rest of a block was handed back (缴销). */
export const ReceiptBlockReturnedPayload = z.object({
  blockId: text(64).nullable(),
  localBlockId: z.number().int().positive(),
  receiptType: z.literal('tax_cash'),
  series: text(40),
  fromSerial: z.number().int().positive(),
  lastSerial: z.number().int().positive(),
  count: z.number().int().positive(),
  operatorUsername: Operator,
  approvedBy: Operator,
  reason: z.string().min(1).max(400),
  returnedAt: Instant,
});
export type ReceiptBlockReturnedPayload = z.infer<typeof ReceiptBlockReturnedPayload>;

/** 'exchange.claimed': a bank / app payment was exchanged (换开) for a formal receipt at this counter. */
export const ExchangeClaimedPayload = z.object({
  exchangeUid: text(64),
  channel: ExchangeChannel,
  channelRef: text(64),
  paymentUpstreamId: text(64).nullable(),
  idNumber: IdNumber,
  year: z.number().int().min(2000).max(2200),
  amountFen: fen,
  claimMode: z.string().min(1).max(32),
  claim: ExchangeClaim.nullable(),
  receiptUid: text(64),
  receiptNumber: text(64),
  counterNo: CounterNo,
  operatorUsername: Operator,
  exchangedAt: Instant,
});
export type ExchangeClaimedPayload = z.infer<typeof ExchangeClaimedPayload>;

const CountAmountFen = z.object({ count: z.number().int().min(0), amountFen: fen });

/** 'day.closed': an operator's business day was closed (日结); the figures of its 日汇总单. */
export const DayClosedPayload = z.object({
  closeUid: text(64),
  closeNo: z.number().int().positive(),
  closeNumber: text(32),
  businessDate: IsoDate,
  operatorUsername: Operator,
  counterNo: CounterNo,
  closedBy: Operator,
  closedAt: Instant,
  totals: z.object({ transactions: z.number().int().min(0), count: z.number().int().min(0), amountFen: fen, subsidyFen: fen, governmentPaidFen: fen }),
  byYear: z.array(CountAmountFen.extend({ year: z.number().int(), backPayment: z.boolean() })),
  byTier: z.array(CountAmountFen.extend({ tierFen: fen })),
  byMethod: z.array(CountAmountFen.extend({ method: z.enum(['cash', 'bank_card', 'qr']), transactions: z.number().int().min(0) })),
  exchangesByChannel: z.array(CountAmountFen.extend({ channel: ExchangeChannel })),
  receipts: z.object({
    used: z.number().int().min(0),
    issued: z.number().int().min(0),
    voided: z.number().int().min(0),
    reissued: z.number().int().min(0),
    ranges: z.array(z.object({ first: text(64), last: text(64), count: z.number().int().positive() })),
    voidedNumbers: z.array(z.object({ number: text(64), reason: z.string(), replacedBy: text(64).nullable() })),
  }),
  cash: z.object({ expectedFen: fen, countedFen: fen, differenceFen: z.number().int() }),
  summarySha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DayClosedPayload = z.infer<typeof DayClosedPayload>;

/**
 * 'evaluation.recorded': the payer rated the service of a counter payment (政务服务"好差评") on the
 * payer's screen. Questions left unanswered (未评价) stay local.
 */
export const EvaluationRecordedPayload = z.object({
  evaluationUid: text(64),
  transactionUid: text(64),
  businessDate: IsoDate,
  operatorUsername: Operator,
  counterNo: CounterNo,
  level: z.enum(['very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied']),
  reasons: z.array(z.enum(['waited_long', 'attitude', 'not_explained', 'slow', 'error'])).max(5),
  evaluatedAt: Instant,
});
export type EvaluationRecordedPayload = z.infer<typeof EvaluationRecordedPayload>;

export const TimeResponse = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  serverTime: Instant,
  /** The counter this key belongs to, as the upstream knows it. */
  station: text(64),
});

/**
 * Handshake (POST /v1/hello) at commissioning and on demand (doctor): the counter introduces its
 * installation (a UUID it generated once at setup) and the upstream answers with the station it
 * maps the key to, its clock, and whether it has seen this installation before.
 */
export const HelloRequest = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  installationId: InstallationId,
  appVersion: text(32),
  hallName: text(100),
  regionCode: z.string().regex(/^\d{6}$/),
  counterNo: CounterNo,
});
export type HelloRequest = z.infer<typeof HelloRequest>;
export const HelloResponse = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  serverTime: Instant,
  station: text(64),
  installationId: InstallationId,
  /** 'new': first hello from this installation at this station; 'known': seen before. */
  registration: z.enum(['new', 'known']),
});
export type HelloResponse = z.infer<typeof HelloResponse>;

/** Header naming the installation on every request of a commissioned counter. */
export const INSTALLATION_HEADER = 'x-pension-installation';

// ---- history: a counter reads back what it pushed (issue 15) ---------------------------------

/** One event as the upstream stored it for an installation, with the answer it gave. */
export const HistoryEvent = z.object({
  counterSeq: safeInt.positive(),
  idempotencyKey: IdempotencyKey,
  kind: EventKind,
  occurredAt: Instant,
  payload: z.record(z.string(), z.unknown()),
  result: PushResult,
});
export type HistoryEvent = z.infer<typeof HistoryEvent>;

/**
 * GET /v1/history?after=<counterSeq>&limit=<n> (with the installation header): the events this
 * installation pushed after a sequence, the highest sequence and audit head the upstream holds
 * for it, and the receipt blocks it was allocated (so a lost block can be put back too).
 */
export const HistoryPage = z
  .object({
    protocol: z.literal(PROTOCOL_VERSION),
    installationId: InstallationId,
    /** Highest counterSeq the upstream has from this installation (0: none). */
    highSeq: safeInt,
    auditHead: AuditHead.extend({ at: Instant }).nullable(),
    after: Cursor,
    items: z.array(HistoryEvent).max(MAX_PAGE_LIMIT),
    next: Cursor,
    more: z.boolean(),
    blocks: z.array(ReceiptBlock).max(10_000),
  })
  .superRefine((page, ctx) => {
    for (const [i, it] of page.items.entries()) {
      if (it.counterSeq <= Number(page.after) || it.counterSeq > Number(page.next) || it.counterSeq > page.highSeq) {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'counterSeq'], message: 'event outside the page' });
      }
    }
    if (page.more && page.next === page.after) ctx.addIssue({ code: 'custom', path: ['more'], message: 'more without progress' });
  });
export type HistoryPage = z.infer<typeof HistoryPage>;

export const ErrorResponse = z.object({
  error: z.object({ code: z.string().max(64), message: z.string().max(1000) }),
});

export const errorCodes = {
  UNAUTHORIZED: 401,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  PAYMENT_NOT_FOUND: 404,
  IDEMPOTENCY_MISMATCH: 409,
  /** Issue 15: an installation pushed a new event at a sequence the upstream already holds. */
  SEQUENCE_REUSED: 409,
  /** Issue 15: the key belongs to another installation (re-issue the key to move it). */
  INSTALLATION_MISMATCH: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;
export type ProtocolErrorCode = keyof typeof errorCodes;
