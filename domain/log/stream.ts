// Streams of authority decisions: document ids carry the position, and each decision names its predecessor.
//
// CouchDB has no multi-document transaction, and on a cluster two create-only writes to one id can both be kept
// (one wins, one is a conflict). So a stream is not "whatever sits at positions 0..n" but the chain that starts at
// the first decision with prev = null and follows prev → decisionId links in position order. A decision whose prev
// is not the chain's head at its position is an orphan: it was decided on a history that did not happen, and every
// reader (authority and devices alike) ignores it. The fact it decided simply gets decided again.

import type { DecisionMeta, EventDoc } from './envelope';

const width = 10;

export function decisionDocId(stream: string, position: number): string {
  return `${stream}:${String(position).padStart(width, '0')}`;
}

const positionSuffix = new RegExp(`^(.*):(\\d{${width}})$`);

export function parseDecisionDocId(id: string): { stream: string; position: number } | undefined {
  const match = positionSuffix.exec(id);
  if (!match?.[1] || !match[2]) return undefined;
  return { stream: match[1], position: Number(match[2]) };
}

/** First and last document ids of a stream, for a range read (`_all_docs` startkey/endkey). */
export function streamRange(stream: string, fromPosition = 0): { startkey: string; endkey: string } {
  return { startkey: decisionDocId(stream, fromPosition), endkey: `${stream}:\uffff` };
}

export type ChainLink = { position: number; prev: string | null; decisionId: string };

export type ChainHead = { decisionId: string | null; nextPosition: number };

export const emptyChain = (): ChainHead => ({ decisionId: null, nextPosition: 0 });

/**
 * Walks decisions (any order, any duplicates) from `head` and returns the accepted ones in order, the orphans,
 * and the new head. The next write goes after the highest position seen, accepted or not.
 */
export function followChain<D extends ChainLink>(
  head: ChainHead,
  decisions: readonly D[],
): { accepted: D[]; orphans: D[]; head: ChainHead } {
  // Code-unit order, not localeCompare: every reader must pick the same winner, whatever its locale.
  const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...decisions]
    .filter((d) => d.position >= head.nextPosition)
    .sort((a, b) => a.position - b.position || byId(a.decisionId, b.decisionId));
  const accepted: D[] = [];
  const orphans: D[] = [];
  let current = head.decisionId;
  let nextPosition = head.nextPosition;
  let previous: D | undefined;
  for (const decision of sorted) {
    // The same decision delivered twice sorts next to itself: count it once.
    const copy = previous?.position === decision.position && previous.decisionId === decision.decisionId;
    previous = decision;
    if (copy) continue;
    // Two documents at one position (a cluster conflict): the first that links to the head wins, deterministically.
    if (decision.prev === current && !(accepted.at(-1)?.position === decision.position)) {
      accepted.push(decision);
      current = decision.decisionId;
    } else {
      orphans.push(decision);
    }
    nextPosition = Math.max(nextPosition, decision.position + 1);
  }
  return { accepted, orphans, head: { decisionId: current, nextPosition } };
}

/** What a decision document records besides its event: its cause and who decided it, when. */
export type DecisionContext = { decisionId: string; authorityId: string; now: string };

/**
 * An authority's decision as the document at its stream's head: caused by `cause` (its id becomes the causationId, and
 * its conversation carries on), chained after the head's decision.
 */
export function streamDecisionDoc(
  stream: string,
  head: ChainHead,
  decision: { type: string; data: unknown },
  cause: { id: string; correlationId: string },
  context: DecisionContext,
): EventDoc<string, unknown, DecisionMeta> {
  return {
    _id: decisionDocId(stream, head.nextPosition),
    type: decision.type,
    v: 1,
    stream,
    data: decision.data,
    meta: {
      deviceId: 'authority',
      userId: 'authority',
      recordedAt: context.now,
      correlationId: cause.correlationId,
      causationId: cause.id,
      position: head.nextPosition,
      prev: head.decisionId,
      decisionId: context.decisionId,
      authorityId: context.authorityId,
    },
  };
}
