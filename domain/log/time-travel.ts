// Time travel: any read model as of a point in the log — a position of a decision stream, or an instant.
// Read models are folds over events, so "as of" is the same fold over a prefix of the log.
import { fold } from '../shared/decider';

export type LogPoint = { position: number } | { at: string };

type Logged = { meta: { recordedAt: string; position?: number } };

/**
 * The events up to and including a point. By position: decisions at or before it (a fact has no position, so it is
 * left out). By instant: every event recorded at or before it — the authority's clock for decisions, the device's
 * clock for facts (which may be wrong: a device's time is informational, so prefer positions for anything decided).
 */
export function upTo<E extends Logged>(events: readonly E[], point: LogPoint): E[] {
  if ('position' in point)
    return events.filter((e) => e.meta.position !== undefined && e.meta.position <= point.position);
  const limit = Date.parse(point.at);
  if (Number.isNaN(limit)) throw new Error(`"${point.at}" is not an instant`);
  return events.filter((e) => Date.parse(e.meta.recordedAt) <= limit);
}

/** Folds the events up to a point into a read model. */
export function foldAsOf<State, E extends Logged>(
  events: readonly E[],
  point: LogPoint,
  evolve: (state: State, event: E) => State,
  initial: State,
): State {
  return fold(evolve, initial, upTo(events, point));
}
