import { AppError } from '../../../shared/api/errors';
import type { PayerView } from '../../../shared/api/views';
import type { PayerRecords } from '../payers/payers';
import { payerActivity } from '../counter/activity';
import type { AppContext, NamespaceHandlers, Running } from './context';

/** The payer page: the registry view with what the policy engine says about each year, from one read. */
function payerPage(r: Running, records: PayerRecords, today: string): PayerView {
  return { ...r.payers.view(records, today), ...r.payments.assessRecords(records) };
}

export function payerHandlers(ctx: AppContext): NamespaceHandlers<'payer'> {
  return {
    'payer.search': ({ query, village, limit }) => ctx.live().payers.search(query, village, limit),
    'payer.villages': () => ctx.live().payers.villages(),
    'payer.lookup': ({ idNumber }) => {
      const r = ctx.live();
      try {
        return payerPage(r, r.payers.lookupRecords(idNumber), ctx.today());
      } catch (error) {
        // While a training county is still being written, "not found" may only mean "not yet".
        const fill = ctx.trainingFill();
        if (fill && error instanceof AppError && error.code === 'PAYER_NOT_FOUND') {
          throw new AppError('PAYER_NOT_FOUND', `培训数据仍在生成（已生成 ${fill.filled}/${fill.total} 人），该参保人可能尚未生成，请稍后再查。`);
        }
        throw error;
      }
    },
    'payer.activity': ({ payerId }) => {
      const r = ctx.live();
      return payerActivity(r.db, r.receipts.service, payerId);
    },
    'payer.get': ({ payerId }) => {
      const r = ctx.live();
      return payerPage(r, r.payers.records(payerId), ctx.today());
    },
  };
}

export function paymentHandlers(ctx: AppContext): NamespaceHandlers<'payment'> {
  return {
    'payment.quote': ({ payerId, lines }) => ctx.live().payments.quote(payerId, lines),
    'payment.forPayer': ({ payerId, limit }) => ctx.live().payments.forPayer(payerId, limit),
    'payment.record': (input) => {
      const r = ctx.live();
      const recorded = r.payments.record(input, ctx.counter());
      // The slip's print job was written with the payment: wake the print queue.
      if (recorded.outcome === 'recorded' && !recorded.duplicate) r.devices.kick();
      return recorded;
    },
  };
}
