// `followChain` (domain/log/stream.ts) as a device follows a stream while its decisions keep arriving: in batches, out
// of order, twice. A decision extends the chain the moment its predecessor is the head; one that arrives before its
// predecessor waits for it (it is not an orphan yet: its predecessor may still be on its way). A decision arriving
// late that would have won a position already passed changes the chain behind the head: the follower then reads the
// whole chain again, and says so, so its reader folds again from the start (rare: a cluster conflict, a squatter).
// Once every decision is there, the chain is exactly `followChain(emptyChain(), all).accepted`.
import { emptyChain, followChain } from '../log/stream';
import type { ChainLink } from '../log/stream';

export type ChainStep<D> = {
  /** The decisions accepted by this step, in chain order: after the chain as it was, or, when `rebuilt`, all of it. */
  accepted: D[];
  /** The chain behind the head changed: everything folded from it before is to be thrown away. */
  rebuilt: boolean;
};

export type ChainFollower<D extends ChainLink> = {
  add: (decisions: Iterable<D>) => ChainStep<D>;
  /** The chain as followed so far, in order. */
  chain: () => readonly D[];
};

// Code-unit order, as followChain: every reader picks the same winner, whatever its locale.
const before = (a: ChainLink, b: ChainLink): boolean =>
  a.position < b.position || (a.position === b.position && a.decisionId < b.decisionId);

export function chainFollower<D extends ChainLink>(): ChainFollower<D> {
  /** Every distinct decision held (a position and decision id delivered twice counts once). */
  const held = new Map<string, D>();
  let chain: D[] = [];
  /** Where each accepted decision sits in the chain (a decision id may be written twice, by a squatter). */
  let index = new Map<string, number[]>();
  const place = (decisionId: string, at: number) => {
    const places = index.get(decisionId);
    if (places) places.push(at);
    else index.set(decisionId, [at]);
  };
  /** Decisions not accepted, by the decision they name as previous: the candidates when that one is the head. */
  let waiting = new Map<string | null, D[]>();

  const head = (): D | undefined => chain.at(-1);
  const wait = (decision: D) => {
    const list = waiting.get(decision.prev);
    if (list) list.push(decision);
    else waiting.set(decision.prev, [decision]);
  };

  /** Accepts, while there is one, the first decision after the head that names it (lowest position, then id). */
  const extend = (accepted: D[]) => {
    for (;;) {
      const last = head();
      const current = last?.decisionId ?? null;
      const after = last?.position ?? -1;
      const candidates = waiting.get(current);
      let next: D | undefined;
      for (const candidate of candidates ?? [])
        if (candidate.position > after && (!next || before(candidate, next))) next = candidate;
      if (!candidates || !next) return;
      const chosen = next;
      waiting.set(
        current,
        candidates.filter((c) => c !== chosen),
      );
      place(chosen.decisionId, chain.length);
      chain.push(chosen);
      accepted.push(chosen);
    }
  };

  /** Whether a decision, had it been there from the start, would have taken a place in the chain behind the head. */
  const changesChain = (decision: D): boolean =>
    (decision.prev === null ? [-1] : (index.get(decision.prev) ?? [])).some((from) => {
      const successor = chain[from + 1];
      const after = chain[from]?.position ?? -1;
      return successor !== undefined && decision.position > after && before(decision, successor);
    });

  const rebuild = (): D[] => {
    chain = followChain(emptyChain(), [...held.values()]).accepted;
    index = new Map();
    chain.forEach((d, i) => place(d.decisionId, i));
    const inChain = new Set(chain);
    waiting = new Map();
    for (const decision of held.values()) if (!inChain.has(decision)) wait(decision);
    return [...chain];
  };

  return {
    add(decisions) {
      const accepted: D[] = [];
      let rebuilt = false;
      for (const decision of decisions) {
        const key = `${decision.position}\u0000${decision.decisionId}`;
        if (held.has(key)) continue;
        held.set(key, decision);
        if (!rebuilt && changesChain(decision)) rebuilt = true;
        if (!rebuilt) {
          wait(decision);
          extend(accepted);
        }
      }
      return rebuilt ? { accepted: rebuild(), rebuilt } : { accepted, rebuilt };
    },
    chain: () => chain,
  };
}
