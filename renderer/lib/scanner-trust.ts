// The trust a scanner checks signatures against: the authority's keys, the desks' certificates and their
// revocations, all from the catalogue's events in the local log, so it works with no network. Folded as events
// arrive: only new ones are added (keys imported, certificates checked once).
import type { AnyEventDoc } from '../../domain/events/catalogue';
import { addTrustEvents, emptyTrust } from '../../domain/ticket/signing';
import type { Trust } from '../../domain/ticket/signing';
import { isTrustDecisionType } from '../../domain/ticket/trust-events';

export type TrustKeeper = { current: (docs: Iterable<AnyEventDoc>) => Promise<Trust> };

export function trustKeeper(): TrustKeeper {
  let trust: Promise<Trust> = Promise.resolve(emptyTrust());
  const folded = new Set<string>();
  return {
    current(docs) {
      const news: AnyEventDoc[] = [];
      for (const doc of docs)
        if (isTrustDecisionType(doc.type) && !folded.has(doc._id)) {
          folded.add(doc._id);
          news.push(doc);
        }
      if (news.length > 0) trust = trust.then((held) => addTrustEvents(held, news));
      return trust;
    },
  };
}
