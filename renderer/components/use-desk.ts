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
