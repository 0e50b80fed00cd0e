// The concerts' events this desk holds, for the screens that read more than the desk's own view: the organizer's
// allotments (every desk's blocks and requests) and the manager's conflicts (every desk's rejected sales). They are
// projected when such a screen is shown, not at every change of the log, and again only when the log changed.
import { useMemo } from 'react';
import type { AnyEventDoc } from '../../domain/events/catalogue';
import type { DeskStore } from '../store/desk-store';
import { useDesk, useDeskStore } from './use-desk';

/** What the store shares: the documents `view` is projected from (concert facts, stream decisions, quarantines). */
export type ConcertDocsSource = { concertDocs: () => Iterable<AnyEventDoc> };

/**
 * `project` applied to the concerts' events, recomputed when the log changes or `deps` do; undefined when the store
 * does not share its documents.
 */
export function useConcertLog<T>(
  project: (docs: Iterable<AnyEventDoc>) => T,
  deps: readonly unknown[],
): T | undefined {
  const store: DeskStore & Partial<ConcertDocsSource> = useDeskStore();
  const { view } = useDesk();
  const source = store.concertDocs;
  // The store makes `view` anew exactly when the documents it is projected from change: it keys the projection.
  return useMemo(() => (source ? project(source()) : undefined), [view, source, ...deps]);
}
