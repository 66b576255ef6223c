import { describe, expect, it } from 'vitest';
import { payerDisplayFor } from '../../../electron/main/payer-placement';

const primary = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
const second = { id: 7, bounds: { x: 1920, y: 0, width: 1366, height: 768 } };

describe("the payer's screen goes on the configured second display, never over the counter's", () => {
  it('uses the display at the configured index', () => {
    expect(payerDisplayFor([primary, second], 1, 1)).toBe(second);
  });
  it('opens nothing when that display is not connected', () => {
    expect(payerDisplayFor([primary], 1, 1)).toBeNull();
  });
  it("opens nothing when the index names the counter's own (primary) display", () => {
    expect(payerDisplayFor([second, primary], 1, 1)).toBeNull();
    expect(payerDisplayFor([primary, second], 1, 0)).toBeNull();
  });
});
