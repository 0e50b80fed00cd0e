// The trust a scanner checks signatures against: the authority's keys, the desks' certificates and their
// revocations, all from the catalogue's trust stream in the local log, so it works with no network. Folded as the log
// grows, in the stream's chain order (domain/desk/trust-chain.ts): only the documents the log gained are looked at.
import type { AnyEventDoc } from '../../domain/events/catalogue';
import { trustChain } from '../../domain/desk/trust-chain';
import type { Trust } from '../../domain/ticket/signing';
import { logCursor } from '../store/log-cursor';

export type TrustKeeper = {
  /** Folds what the log gained since the last call (`docs`: the store's whole log, in the order it grew). */
  catchUp: (docs: () => readonly AnyEventDoc[]) => Promise<Trust>;
  /** The trust with everything folded so far. */
  current: () => Promise<Trust>;
  /** The same at once, or undefined while a fold is under way (trust-chain.ts). */
  settled: () => Trust | undefined;
};

export function trustKeeper(): TrustKeeper {
  const chain = trustChain();
  let news: (() => AnyEventDoc[]) | undefined;
  return {
    catchUp(docs) {
      news ??= logCursor(docs);
      return chain.add(news());
    },
    current: chain.current,
    settled: chain.settled,
  };
}
