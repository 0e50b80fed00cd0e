// The trust a device checks tickets against, folded from the catalogue's `trust` stream as its decisions arrive, the
// way the authority wrote them (sync-server/authority/trust.ts): in chain order, orphans ignored. A certificate that
// sits on a history that did not happen (a squatter, a conflict's loser) vouches for nothing, and a revocation the
// chain did not accept withdraws nothing. Each decision is folded once (keys imported, certificates checked once).
import type { AnyEventDoc, DecisionDoc } from '../events/catalogue';
import { isDecision } from '../events/catalogue';
import { addTrustEvents, emptyTrust } from '../ticket/signing';
import type { Trust } from '../ticket/signing';
import { isTrustDecisionType, trustStream } from '../ticket/trust-events';
import { chainFollower } from './chain-follower';

type Link = { position: number; prev: string | null; decisionId: string; doc: DecisionDoc };

export type TrustChain = {
  /** Folds the trust decisions among `docs` (anything else is skipped); resolves to the trust with them. */
  add: (docs: Iterable<AnyEventDoc>) => Promise<Trust>;
  /** The trust with everything added so far. */
  current: () => Promise<Trust>;
  /** The same, at once, when nothing added is still being folded (keys imported, certificates checked); else undefined. */
  settled: () => Trust | undefined;
};

export function trustChain(): TrustChain {
  const follower = chainFollower<Link>();
  let settled: Trust | undefined = emptyTrust();
  let trust: Promise<Trust> = Promise.resolve(settled);
  const folding = (next: Promise<Trust>) => {
    settled = undefined;
    trust = next;
    // Only the last fold started settles the trust: an earlier one's answer is already out of date.
    void next.then(
      (held) => {
        if (trust === next) settled = held;
      },
      () => undefined,
    );
    return next;
  };
  return {
    add(docs) {
      const links: Link[] = [];
      for (const doc of docs)
        if (doc.stream === trustStream && isDecision(doc) && isTrustDecisionType(doc.type))
          links.push({ ...doc.meta, doc });
      if (links.length === 0) return trust;
      const { accepted, rebuilt } = follower.add(links);
      const events = accepted.map(({ doc }) => doc);
      // A late decision changed the chain behind its head: the trust is folded again from the whole chain.
      if (rebuilt) return folding(trust.then(() => addTrustEvents(emptyTrust(), events)));
      if (events.length > 0) return folding(trust.then((held) => addTrustEvents(held, events)));
      return trust;
    },
    current: () => trust,
    settled: () => settled,
  };
}

/** The trust of a whole trust stream as held (any order, copies, orphans): for a device that reads it once. */
export const trustFromStream = (docs: Iterable<AnyEventDoc>): Promise<Trust> => trustChain().add(docs);
