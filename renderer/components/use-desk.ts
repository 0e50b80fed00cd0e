// The desk store for React: one store per app, read through useSyncExternalStore so every screen sees one snapshot.
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { DeskSnapshot, DeskStore } from '../store/desk-store';

export const DeskContext = createContext<DeskStore | null>(null);

export function useDeskStore(): DeskStore {
  const store = useContext(DeskContext);
  if (!store) throw new Error('useDeskStore needs a DeskContext provider');
  return store;
}

export function useDesk(): DeskSnapshot {
  const store = useDeskStore();
  hearAuthority(store);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** The current time, refreshed every `everyMs`: for "n seconds ago" and waits that grow. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

// The authority's time at the desk (domain/allotment/allotment.ts, "Time at the desk"): the recordedAt of the newest
// decision the desk holds, and when it arrived on the monotonic clock (performance.now, which the wall clock's errors
// and adjustments do not move). What the store held when first watched may have been read from the local log after
// a restart: when it was heard is unknown, so it counts as not heard, and the desk promises nothing until a newer
// decision arrives. A late arrival of an old decision only makes the estimate earlier: never a longer promise.
type Heard = { time: string | undefined; at: number | undefined };
const heard = new WeakMap<DeskStore, Heard>();

function hearAuthority(store: DeskStore): Heard {
  const known = heard.get(store);
  if (known) return known;
  const entry: Heard = { time: store.getSnapshot().view.lastAuthorityTime, at: undefined };
  heard.set(store, entry);
  // The store lives as long as the app: this listener does too.
  store.subscribe(() => {
    const time = store.getSnapshot().view.lastAuthorityTime;
    if (time !== undefined && time !== entry.time) {
      entry.time = time;
      entry.at = performance.now();
    }
  });
  return entry;
}

export type AuthorityClock = { lastAuthorityTime: string; monotonicElapsedMs: number };

/** The authority's time as last heard and the monotonic time since; undefined until this app run heard it. */
export function authorityClock(store: DeskStore): AuthorityClock | undefined {
  const { time, at } = hearAuthority(store);
  if (time === undefined || at === undefined) return undefined;
  return { lastAuthorityTime: time, monotonicElapsedMs: performance.now() - at };
}
