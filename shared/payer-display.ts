// The payer's screen (客显): what the payer facing the counter may see, and nothing else. The
// counter publishes which step it is at (display.publish); the services build this state from
// their own records (names masked, ID numbers masked, amounts from the policy engine) and push it
// as the 'payer.display' event. No full ID number, no other payer and no operator menu ever goes
// into it, so the view cannot show what it was never given.
import { z } from 'zod';
import { evaluationLevelCodes, evaluationReasonCodes } from './vocab';

export const EvaluationLevel = z.enum(evaluationLevelCodes);
export const EvaluationReason = z.enum(evaluationReasonCodes);

/**
 * The middle of a name hidden for the payer's screen, as 政务服务 screens do: 李四华 → 李*华,
 * 张三 → 张*, 欧阳娜娜 → 欧**娜. Counts characters (not UTF-16 units): rare names use
 * supplementary-plane characters.
 */
export function maskPersonName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  if (chars.length === 2) return `${chars[0]!}*`;
  return chars[0]! + '*'.repeat(chars.length - 2) + chars[chars.length - 1]!;
}

const Fen = z.number().int();
const Common = {
  training: z.boolean(),
  hallName: z.string(),
  counterNo: z.number().int().nullable(),
};

/** A chosen year as the payer sees it: what they pay, what the government adds. */
export const DisplayLine = z.object({
  year: z.number().int(),
  /** Years of contribution the line counts (N for a lump sum). */
  years: z.number().int(),
  lumpSum: z.boolean(),
  backPayment: z.boolean(),
  tierFen: Fen,
  payerFen: Fen,
  subsidyFen: Fen,
  governmentPaidFen: Fen,
});
export type DisplayLine = z.infer<typeof DisplayLine>;

const Payer = z.object({
  /** Masked: 李*华. */
  name: z.string(),
  /** Masked: 520123********1234. */
  idNumberMasked: z.string(),
});

const Amounts = z.object({
  lines: z.array(DisplayLine),
  payerFen: Fen,
  subsidyFen: Fen,
  governmentPaidFen: Fen,
  /** The amount due in capitals (壹佰元整). */
  capitals: z.string(),
  method: z.enum(['cash', 'bank_card', 'qr']),
  tenderedFen: Fen.nullable(),
  changeFen: Fen.nullable(),
});

export const PayerDisplayState = z.discriminatedUnion('stage', [
  z.object({
    stage: z.literal('idle'),
    ...Common,
    /** The current collection period (征缴期) and its deadline, when a policy table is in force. */
    period: z
      .object({
        year: z.number().int(),
        from: z.string(),
        to: z.string(),
        /** Today is after the deadline: the screen says the period has ended instead of "pay by". */
        ended: z.boolean(),
      })
      .nullable(),
  }),
  z.object({ stage: z.literal('payer'), ...Common, payer: Payer, amounts: Amounts.nullable() }),
  z.object({
    stage: z.literal('paid'),
    ...Common,
    payer: Payer,
    amounts: Amounts,
    slipNo: z.string(),
    receiptNumbers: z.array(z.string()),
  }),
  z.object({
    stage: z.literal('evaluate'),
    ...Common,
    /** Names this question: a rating for an earlier one is refused. */
    evaluationId: z.string(),
    /** When the question is withdrawn and recorded as 未评价 (UTC ISO). */
    deadline: z.string(),
    /** The same time allowed, in seconds (the screen counts down on its own clock). */
    seconds: z.number().int(),
    slipNo: z.string(),
  }),
  z.object({ stage: z.literal('thanks'), ...Common }),
]);
export type PayerDisplayState = z.infer<typeof PayerDisplayState>;

/** What the counter says it is doing; the services turn it into a PayerDisplayState. */
export const DisplayPublish = z.discriminatedUnion('stage', [
  z.object({ stage: z.literal('idle') }).strict(),
  z
    .object({
      stage: z.literal('payer'),
      payerId: z.number().int().positive(),
      /** The (year, tier) lines chosen so far (none yet: only the payer is shown). */
      lines: z
        .array(
          z.strictObject({
            year: z.number().int(),
            tierFen: z.number().int().nonnegative(),
            lumpSum: z.boolean().optional(),
            years: z.number().int().positive().max(100).optional(),
          }),
        )
        .max(20),
      method: z.enum(['cash', 'bank_card', 'qr']),
      tenderedFen: z.number().int().nonnegative().max(100_000_000).nullable(),
    })
    .strict(),
  z.object({ stage: z.literal('paid'), transactionId: z.number().int().positive() }).strict(),
]);
export type DisplayPublish = z.infer<typeof DisplayPublish>;

export const EvaluationSubmit = z
  .object({
    evaluationId: z.string().min(1).max(64),
    level: EvaluationLevel,
    reasons: z.array(EvaluationReason).max(evaluationReasonCodes.length).default([]),
  })
  .strict();

/** Ratings of one operator on one business day (the supervisor's panel). */
export const EvaluationCountRow = z.object({
  businessDate: z.string(),
  operatorUsername: z.string(),
  operatorName: z.string(),
  counts: z.record(EvaluationLevel, z.number().int()),
  skipped: z.number().int(),
  rated: z.number().int(),
});
export type EvaluationCountRow = z.infer<typeof EvaluationCountRow>;

export const PayerDisplaySettings = z
  .object({
    /** Desktop: open the payer's screen on a second display. */
    enabled: z.boolean(),
    /** Which display (0 = primary, 1 = the second one …). */
    displayIndex: z.number().int().min(0).max(8),
    /** Seconds the payer has to rate before it is recorded as 未评价. */
    evaluationSeconds: z.number().int().min(5).max(300),
  })
  .strict();
export type PayerDisplaySettings = z.infer<typeof PayerDisplaySettings>;
