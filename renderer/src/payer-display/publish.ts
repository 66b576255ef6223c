// The counter's side of the payer's screen: says which step the counter is at. It sends ids and
// the chosen lines only; the services look up, mask and price what the payer sees.
import { useEffect, useRef } from 'react';
import { parseYuanInput } from '../../../shared/domain/money';
import type { DisplayPublish } from '../../../shared/payer-display';
import { call } from '../api/client';
import { draftLines, type FlowState } from '../pages/counter/flow';

/** The step the payer's screen should show for the counter's flow. */
export function displayStep(s: FlowState): { input: DisplayPublish; key: string } {
  if (s.payer && s.recorded && s.recorded.payerId === s.payer.id) {
    const receipts = s.receipts
      .filter((r) => r.transactionId === s.recorded!.transactionId && r.state !== 'voided')
      .map((r) => r.number)
      .join(',');
    // A receipt issued after the payment: published again so the screen shows its number.
    return { input: { stage: 'paid', transactionId: s.recorded.transactionId }, key: `paid:${s.recorded.transactionId}:${receipts}` };
  }
  if (s.payer && s.draft) {
    const t = s.draft.tendered.trim() === '' ? null : parseYuanInput(s.draft.tendered);
    const input: DisplayPublish = {
      stage: 'payer',
      payerId: s.payer.id,
      lines: draftLines(s.draft),
      method: s.draft.method,
      tenderedFen: t?.ok ? t.fen : null,
    };
    return { input, key: JSON.stringify(input) };
  }
  return { input: { stage: 'idle' }, key: 'idle' };
}

/** Publishes the counter's step whenever it changes (typing the tendered amount is debounced). */
export function usePayerDisplayPublisher(s: FlowState): void {
  const last = useRef<string | null>(null);
  const { input, key } = displayStep(s);
  const payload = JSON.stringify(input);
  useEffect(() => {
    if (key === last.current) return;
    const t = setTimeout(() => {
      last.current = key;
      // The payer's screen is secondary: a refusal never disturbs the clerk.
      call('display.publish', JSON.parse(payload) as DisplayPublish).catch(() => {
        last.current = null;
      });
    }, 200);
    return () => clearTimeout(t);
  }, [key, payload]);
}
