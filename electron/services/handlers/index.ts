// The API's handlers, one module per namespace of the contract, combined into the one table the
// dispatcher serves. The contract (shared/api/contract.ts) stays the single list of methods: a
// method without a handler, or a handler without a method, does not compile.
import type { Handlers } from '../api/dispatcher';
import type { AppContext } from './context';
import { dayCloseHandlers } from './dayclose';
import { healthHandlers } from './health';
import { setupHandlers } from './setup';
import { devicesHandlers, printHandlers, trainingHandlers } from './devices';
import { payerHandlers, paymentHandlers } from './payer';
import { displayHandlers, evaluationHandlers } from './payer-display';
import { printingHandlers } from './printing';
import { exchangeHandlers, receiptHandlers } from './receipt';
import { appHandlers, sessionHandlers } from './session';
import { auditHandlers, progressHandlers, supervisorHandlers } from './supervisor';

export type { AppContext, Running } from './context';

export function createHandlers(ctx: AppContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...sessionHandlers(ctx),
    ...payerHandlers(ctx),
    ...paymentHandlers(ctx),
    ...receiptHandlers(ctx),
    ...exchangeHandlers(ctx),
    ...printHandlers(ctx),
    ...supervisorHandlers(ctx),
    ...dayCloseHandlers(ctx),
    ...progressHandlers(ctx),
    ...auditHandlers(ctx),
    ...devicesHandlers(ctx),
    ...printingHandlers(ctx),
    ...trainingHandlers(ctx),
    ...healthHandlers(ctx),
    ...setupHandlers(ctx),
    ...displayHandlers(ctx),
    ...evaluationHandlers(ctx),
  };
}
