// The counter's key map. Each panel owns its keys in a scope; scopes stack by layer (page, panel,
// dialog) and an open dialog blocks every key below it. One capture-phase listener dispatches, so
// a key is decided against the screen as it was when the key went down, before any panel reacts.
// The key bar shows exactly the bindings the dispatcher would run: a hint is a promise.
import { createContext, useContext, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Kbd } from './components/Kbd';

export interface KeyBinding {
  /** As the hint shows it: "F8", "Shift+F8", "Enter", "Esc". */
  key: string;
  /** What the key does, shown in the key bar. */
  label: string;
  run(): void;
  /** Disabled bindings are neither shown nor run (the key goes to the layers below). */
  enabled?: boolean;
  /** Not shown in the key bar (e.g. Enter that repeats a button's F-key). */
  hidden?: boolean;
  /** Only when the focus is not in a text field, list or button (whose own Enter comes first). */
  outsideFields?: boolean;
}

/** Layers: the page, a panel on it, a dialog over everything. */
export const Layer = { page: 0, panel: 10, focus: 20, dialog: 100 } as const;

interface Scope {
  id: string;
  order: number;
  layer: number;
  /** A dialog: keys stop here, whether bound or not. */
  blocking: boolean;
  active: boolean;
  bindings: KeyBinding[];
}

class KeyMap {
  private scopes = new Map<string, Scope>();
  private listeners = new Set<() => void>();
  private counter = 0;
  private snapshot: KeyBinding[] = [];

  set(scope: Omit<Scope, 'order'>): void {
    const prev = this.scopes.get(scope.id);
    this.scopes.set(scope.id, { ...scope, order: prev?.order ?? ++this.counter });
    this.changed();
  }
  remove(id: string): void {
    if (this.scopes.delete(id)) this.changed();
  }
  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  /** The bindings the key bar shows: from the top scope down to the first dialog. */
  visible = (): KeyBinding[] => this.snapshot;

  private ordered(): Scope[] {
    return [...this.scopes.values()].filter((s) => s.active).sort((a, b) => b.layer - a.layer || b.order - a.order);
  }
  private changed(): void {
    const seen = new Set<string>();
    const out: KeyBinding[] = [];
    for (const s of this.ordered()) {
      for (const b of s.bindings) {
        if (b.enabled === false || seen.has(b.key)) continue;
        seen.add(b.key);
        if (!b.hidden) out.push(b);
      }
      if (s.blocking) break;
    }
    this.snapshot = out;
    for (const l of this.listeners) l();
  }

  dispatch = (ev: KeyboardEvent): void => {
    if (ev.isComposing || ev.defaultPrevented) return;
    const key = keyName(ev);
    const inField = isField(ev.target);
    for (const s of this.ordered()) {
      const b = s.bindings.find((x) => x.key === key && x.enabled !== false && !(x.outsideFields && inField));
      if (b) {
        ev.preventDefault();
        ev.stopPropagation();
        b.run();
        return;
      }
      if (s.blocking) return;
    }
    // F-keys the browser would act on (F5 reload, F3 find…) are never passed on at the counter.
    if (/^(Shift\+)?F([1-9]|1[0-2])$/.test(key) && key !== 'F12') ev.preventDefault();
  };
}

/** "Shift+F8", "Ctrl+P", "Enter", "Esc", "ArrowDown". */
export function keyName(ev: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'ctrlKey' | 'altKey'>): string {
  const base = ev.key === 'Escape' ? 'Esc' : ev.key.length === 1 ? ev.key.toUpperCase() : ev.key;
  return `${ev.ctrlKey ? 'Ctrl+' : ''}${ev.altKey ? 'Alt+' : ''}${ev.shiftKey && base.length > 1 ? 'Shift+' : ''}${base}`;
}

function isField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('input, textarea, select, button, a[href], [role="listbox"], [role="combobox"], .ant-select')) return true;
  return false;
}

const KeyMapContext = createContext<KeyMap | null>(null);

export function KeyMapProvider({ children }: { children: ReactNode }) {
  const [map] = useState(() => new KeyMap());
  useEffect(() => {
    window.addEventListener('keydown', map.dispatch, true);
    return () => window.removeEventListener('keydown', map.dispatch, true);
  }, [map]);
  return <KeyMapContext.Provider value={map}>{children}</KeyMapContext.Provider>;
}

function useKeyMap(): KeyMap {
  const map = useContext(KeyMapContext);
  if (!map) throw new Error('KeyMapProvider missing');
  return map;
}

/**
 * Registers a panel's keys while it is mounted (and `active`). Handlers may change every render:
 * the latest ones run. `blocking` makes it a dialog: nothing below receives keys.
 */
export function useKeys(bindings: KeyBinding[], options: { layer?: number; blocking?: boolean; active?: boolean } = {}): void {
  const map = useKeyMap();
  const id = useId();
  const latest = useRef(bindings);
  useEffect(() => {
    latest.current = bindings;
  });
  const { layer = Layer.panel, blocking = false, active = true } = options;
  // Re-register only when what the key bar shows changes (keys, labels, enabled), not on every render.
  const shape = bindings.map((b) => `${b.key}|${b.label}|${b.enabled !== false}|${!!b.hidden}|${!!b.outsideFields}`).join('\n');
  const stable = useMemo(
    () =>
      shape
        ? shape.split('\n').map((line, i) => {
            const [key, label, enabled, hidden, outsideFields] = line.split('|');
            return {
              key: key!,
              label: label!,
              enabled: enabled === 'true',
              hidden: hidden === 'true',
              outsideFields: outsideFields === 'true',
              run: () => latest.current[i]?.run(),
            };
          })
        : [],
    [shape],
  );
  useEffect(() => {
    map.set({ id, layer, blocking, active, bindings: stable });
  }, [map, id, layer, blocking, active, stable]);
  useEffect(() => () => map.remove(id), [map, id]);
}

/** The bar at the bottom of the counter screen: every key that works right now, and nothing else. */
export function KeyBar() {
  const map = useKeyMap();
  const bindings = useSyncExternalStore(map.subscribe, map.visible);
  return (
    <div className="key-bar" data-testid="key-bar">
      {bindings.map((b) => (
        <span key={b.key} className="key-bar-item">
          <Kbd>{b.key.replace('ArrowUp', '↑').replace('ArrowDown', '↓').replace('ArrowLeft', '←').replace('ArrowRight', '→')}</Kbd>
          {b.label}
        </span>
      ))}
    </div>
  );
}
