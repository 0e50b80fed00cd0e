// The concerts' events this desk holds, for the screens that read more than the desk's own view: the organizer's
// allotments (every desk's blocks and requests) and the manager's conflicts (every desk's rejected sales). They are
// projected when such a screen is shown, not at every change of the log, and again only when the log changed.
import { useMemo } from 'react';
import type { AnyEventDoc } from '../../domain/events/catalogue';
import { useDesk, useDeskStore } from './use-desk';

/** `project` applied to the concerts' events, recomputed when the log changes or `deps` do. */
export function useConcertLog<T>(project: (docs: Iterable<AnyEventDoc>) => T, deps: readonly unknown[]): T {
  const store = useDeskStore();
  const { view } = useDesk();
  // The store makes `view` anew exactly when the documents it is projected from change: it keys the projection.
  return useMemo(() => project(store.concertDocs()), [view, store, ...deps]);
}
