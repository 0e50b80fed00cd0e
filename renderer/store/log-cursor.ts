// The store's logs grow at their end and never hold an event twice: what a log gained since the last look is what
// comes after the entries seen. Readers that keep their own state (a scanner's book, the trust) read on from there
// instead of walking every event held at each change.
import type { AnyEventDoc } from '../../domain/events/catalogue';

/** A reader of a growing log that hands back, at each call, the documents added since the previous call. */
export function logCursor(docs: () => readonly AnyEventDoc[]): () => AnyEventDoc[] {
  let seen = 0;
  return () => {
    const log = docs();
    const news = log.slice(seen);
    seen = log.length;
    return news;
  };
}
