// Where the payer's screen (客显) window goes: plain functions of the display list, so they are
// unit-tested under Node (this file must not import 'electron').

export interface DisplayInfo {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
}

/**
 * The display for the payer's screen: the configured index in the system's display list, or
 * null when that display is not connected or is the counter's own (primary) display: the payer's
 * screen must never cover the clerk's.
 */
export function payerDisplayFor(displays: readonly DisplayInfo[], primaryId: number, index: number): DisplayInfo | null {
  const d = displays[index];
  if (!d || d.id === primaryId) return null;
  return d;
}
