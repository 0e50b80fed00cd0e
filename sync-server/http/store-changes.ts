// Which event databases changed, as one stream for every desk. A browser keeps at most six connections per server,
// so a long-poll per database would starve a desk that works more than a few concerts: the desk waits on this one
// feed instead and reads a database's _changes only when it has news.
import type { Logger } from 'pino';
import { ordersDatabase } from '../../domain/events/order-flow';
import { factIdPattern } from '../../domain/log/envelope';
import { catalogueDb, concertDbPrefix } from '../store/couch';
import type { StoreEndpoint } from '../store/couch';

/**
 * A database changed: `ids` are the documents that did (absent: too many to list); `docs`, when present, are those
 * documents themselves (a single change told at once), so a desk can show a decision without reading it first.
 */
export type StoreNews = { database: string; ids?: readonly string[]; docs?: readonly object[] };

export type StoreChanges = {
  /** Calls `listener` when an event database changes, while subscribed. */
  subscribe: (listener: (news: StoreNews) => void) => () => void;
  stop: () => void;
};

const isWatched = (name: string) =>
  name === catalogueDb || name === ordersDatabase || name.startsWith(concertDbPrefix);

export function watchStoreChanges(options: {
  store: StoreEndpoint;
  logger: Logger;
  discoverEveryMs?: number;
}): StoreChanges {
  const { store, logger } = options;
  const headers = {
    ...(store.authorization ? { authorization: store.authorization } : {}),
    // pouchdb-server compresses whatever it may, and a compressed continuous feed arrives only when it ends.
    'accept-encoding': 'identity',
  };
  const listeners = new Set<(news: StoreNews) => void>();
  const followed = new Map<string, AbortController>();
  const stopped = new AbortController();

  // News goes out at once, with the document that changed, so a desk can tell its own facts coming back (nothing to
  // read) from a decision it waits for, and show the decision at once. A database that changes more than `burst`
  // times within 20 ms (a desk back online uploads thousands of facts; the authority answers them a thousand at a
  // time) is told about once at the end of those 20 ms: with the ids if there are not too many, and with the
  // documents that are not device facts (decisions, mostly), so that a desk shows a burst of decisions as they are
  // made instead of after its replication has read them. Facts go without: their own desk holds them, and another
  // desk's facts are read by its replication.
  const burst = 3;
  const windowMs = 20;
  const maxIds = 2000;
  type Pending = { sent: number[]; ids: Set<string>; docs: object[]; many: boolean; timer?: NodeJS.Timeout };
  const pending = new Map<string, Pending>();
  const notify = (news: StoreNews) => {
    for (const listener of listeners) listener(news);
  };
  const changed = (database: string, id: string | undefined, doc: object | undefined) => {
    const state = pending.get(database) ?? { sent: [], ids: new Set<string>(), docs: [], many: false };
    pending.set(database, state);
    const now = Date.now();
    state.sent = state.sent.filter((at) => now - at < windowMs);
    if (state.timer === undefined && state.sent.length < burst) {
      state.sent.push(now);
      if (id === undefined) notify({ database });
      else if (doc === undefined || id.startsWith('_design/')) notify({ database, ids: [id] });
      else notify({ database, ids: [id], docs: [doc] });
      return;
    }
    if (id === undefined || state.ids.size >= maxIds) state.many = true;
    else {
      state.ids.add(id);
      if (doc !== undefined && !id.startsWith('_design/') && !factIdPattern.test(id)) state.docs.push(doc);
    }
    state.timer ??= setTimeout(() => {
      pending.delete(database);
      if (state.many) notify({ database });
      else if (state.docs.length > 0) notify({ database, ids: [...state.ids], docs: state.docs });
      else notify({ database, ids: [...state.ids] });
    }, windowMs);
  };

  const follow = async (database: string, since: string, abort: AbortController) => {
    let from = since;
    while (!abort.signal.aborted) {
      try {
        const url = `${store.base}/${database}/_changes?feed=continuous&include_docs=true&heartbeat=10000&since=${from}`;
        const response = await fetch(url, { headers, signal: abort.signal });
        if (response.status === 404) break;
        if (!response.ok || !response.body) throw new Error(`_changes answered ${response.status}`);
        let buffered = '';
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (let read = await reader.read(); !read.done; read = await reader.read()) {
          buffered += read.value;
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) {
            if (!line.trim()) continue; // heartbeat
            const row = JSON.parse(line) as { seq?: string | number; id?: unknown; doc?: unknown };
            if (row.seq !== undefined) from = encodeURIComponent(String(row.seq));
            const doc = typeof row.doc === 'object' && row.doc !== null ? row.doc : undefined;
            changed(database, typeof row.id === 'string' ? row.id : undefined, doc);
          }
        }
      } catch (error) {
        if (abort.signal.aborted) break;
        logger.debug({ database, err: error }, 'change feed interrupted; following again');
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    followed.delete(database);
  };

  /** Follows every event database; one that appears later is followed from its start, so no change is missed. */
  let listedOnce = false;
  const discover = async () => {
    const response = await fetch(`${store.base}/_all_dbs`, { headers, signal: stopped.signal });
    if (!response.ok) throw new Error(`_all_dbs answered ${response.status}`);
    const names = ((await response.json()) as string[]).filter(isWatched);
    for (const name of names) {
      if (followed.has(name)) continue;
      const abort = new AbortController();
      followed.set(name, abort);
      void follow(name, listedOnce ? '0' : 'now', abort);
    }
    listedOnce = true;
  };

  let discovering = false;
  const discoverSafely = () => {
    if (discovering || stopped.signal.aborted) return;
    discovering = true;
    discover()
      .catch((error: unknown) => {
        if (!stopped.signal.aborted) logger.warn({ err: error }, 'could not list the store databases');
      })
      .finally(() => (discovering = false));
  };
  discoverSafely();
  const timer = setInterval(discoverSafely, options.discoverEveryMs ?? 1000);
  // A new concert is asked for in the catalogue, and its database follows: look for it at once.
  listeners.add(({ database }) => {
    if (database === catalogueDb) setTimeout(discoverSafely, 200);
  });

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      clearInterval(timer);
      for (const state of pending.values()) clearTimeout(state.timer);
      stopped.abort();
      for (const abort of followed.values()) abort.abort();
    },
  };
}
