import type { EventName, EventPayload } from '../../shared/api/events';

type Listener = (name: EventName, payload: unknown) => void;

/**
 * Events that describe a current state: a client that connects later is sent the latest one.
 * The others (a card read, a print job finished) are moments: replaying them to a reloaded
 * page would, for example, open the previous payer again.
 */
const stateEvents: ReadonlySet<EventName> = new Set(['app.status', 'printer.status', 'reader.status', 'sync.status', 'payer.display', 'training.fill']);

/** Fan-out of service events to whichever host is attached (IPC windows, WebSocket clients). */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly last = new Map<EventName, unknown>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (stateEvents.has(name)) this.last.set(name, payload);
    for (const l of this.listeners) l(name, payload);
  }

  /** Subscribes to every event; the latest state events are replayed so a new client starts in sync. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    for (const [name, payload] of this.last) listener(name, payload);
    return () => this.listeners.delete(listener);
  }
}
