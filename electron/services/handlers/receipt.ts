import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import type { AppContext, NamespaceHandlers } from './context';

export function receiptHandlers(ctx: AppContext): NamespaceHandlers<'receipt'> {
  return {
    'receipt.issue': ({ transactionId }) => ctx.live().receipts.service.issueForTransaction(transactionId, ctx.receiptContext()),
    'receipt.forPayer': ({ payerId }) => ctx.live().receipts.service.receiptsForPayer(payerId),
    'receipt.waiting': () => ctx.live().receipts.service.waitingFor(ctx.counter().operatorId),
    'receipt.print': ({ number }) => ctx.live().receipts.print(number),
    'receipt.pdf': async ({ number, layout }) => {
      const r = ctx.live();
      const receipt = r.receipts.service.get(number);
      return { filename: `税收缴款书-${receipt.number}.pdf`, base64: (await r.receipts.pdf(number, layout)).toString('base64') };
    },
    'receipt.confirmPrinted': ({ number }) => ctx.live().receipts.service.confirmPrinted(number),
    'receipt.voidAndReissue': ({ number, reason, approval }) =>
      ctx.live().receipts.service.voidAndReissue(number, reason, ctx.approverId(approval), ctx.receiptContext()),
    'receipt.reissue': ({ number, reason, approval }) => ctx.live().receipts.service.reissue(number, reason, ctx.approverId(approval), ctx.receiptContext()),
    'receipt.stock': () => ctx.live().receipts.service.stockBalance(),
    'receipt.addBlock': ({ operatorUsername, series, firstSerial, lastSerial, serialDigits }) => {
      const r = ctx.live();
      const holder = r.receipts.service.operatorByUsername(operatorUsername);
      if (!holder) throw new AppError('NOT_FOUND', `没有操作员 ${operatorUsername}`);
      r.receipts.service.addBlock({ operatorId: holder.id, series, firstSerial, lastSerial, serialDigits }, ctx.counter().operatorId);
      return r.receipts.service.stockBalance();
    },
    'receipt.requestBlock': async ({ operatorUsername, count }) => {
      const r = ctx.live();
      if (!ctx.upstream) throw new AppError('UPSTREAM_UNAVAILABLE', '未配置上游系统，不能申领票证；请值班主任录入纸质票证号码段');
      let block;
      try {
        block = await ctx.upstream.allocateReceiptBlock({ operatorUsername, count, idempotencyKey: randomUUID() });
      } catch (error) {
        ctx.log.warn({ err: error, operatorUsername }, 'receipt block allocation failed');
        throw new AppError('UPSTREAM_UNAVAILABLE', '暂时无法从上游系统申领票证，请稍后再试或录入纸质票证号码段');
      }
      r.receipts.service.addUpstreamBlock(block);
      return r.receipts.service.stockBalance();
    },
  };
}

export function exchangeHandlers(ctx: AppContext): NamespaceHandlers<'exchange'> {
  return {
    'exchange.find': ({ channelRef }) => ctx.live().receipts.service.findExchangeable(channelRef),
    'exchange.forPayer': ({ payerId }) => ctx.live().receipts.service.exchangeableForPayer(payerId),
    'exchange.issue': ({ paymentIds }) => ctx.live().receipts.exchange(paymentIds, ctx.receiptContext()),
  };
}
