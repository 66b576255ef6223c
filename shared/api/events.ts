// Events the services push to the renderer (IPC in the desktop host, WebSocket in the browser host).
import { z } from 'zod';
import { PayerDisplayState } from '../payer-display';

export const eventSchemas = {
  /** A card was placed on the reader and read. The full ID number never leaves the services. */
  'card.read': z.object({
    card: z.object({
      name: z.string(),
      idNumberMasked: z.string(),
      kind: z.enum(['resident', 'foreign_permanent', 'hmt_permit']),
    }),
    /** The registry entry for the card, or null when the person is not registered here. */
    payerId: z.number().int().nullable(),
  }),
  'card.error': z.object({ message: z.string() }),
  'reader.status': z.object({
    state: z.enum(['searching', 'connected', 'disconnected', 'not_configured']),
    port: z.string().nullable(),
    message: z.string(),
  }),
  'printer.status': z.object({
    /** 'absent': configured but not there (unplugged, off); 'not_configured': none chosen. */
    state: z.enum(['ready', 'printing', 'offline', 'cover_open', 'paper_out', 'absent', 'not_configured']),
    message: z.string(),
    /** Ready, but the paper is nearly used up: a warning, printing goes on. */
    paperNearEnd: z.boolean().optional(),
  }),
  'sync.status': z.object({
    state: z.enum(['online', 'syncing', 'offline', 'disabled']),
    lastSuccessAt: z.string().nullable(),
    pending: z.number().int().nonnegative(),
    message: z.string(),
  }),
  /** A print job changed state (printed, failed). */
  'print.job': z.object({
    id: z.number().int(),
    kind: z.enum(['payment_slip', 'exchange_record', 'day_summary', 'test_page']),
    state: z.enum(['pending', 'sending', 'printed', 'failed', 'uncertain']),
    lastError: z.string().nullable(),
    resent: z.boolean().optional(),
  }),
  /** Start-up progress (training data being prepared, migrations). */
  'app.status': z.object({
    state: z.enum(['starting', 'ready', 'failed']),
    message: z.string(),
    progress: z.number().min(0).max(1).nullable(),
  }),
  /** The payer's screen (客显): masked, built by the services from the counter's published step. */
  'payer.display': PayerDisplayState,
  /** Training: the county still being written in the background (payers in / of); done at the end. */
  'training.fill': z.object({ filled: z.number().int().nonnegative(), total: z.number().int().nonnegative(), done: z.boolean() }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;
export const eventNames = Object.keys(eventSchemas) as EventName[];
