// Which event databases changed, as one stream for every desk. A browser keeps at most six connections per server,
// so a long-poll per database would starve a desk that works more than a few concerts: the desk waits on this one
// feed instead and reads a database's _changes only when it has news.
import type { Logger } from 'pino';
import { catalogueDb, concertDbPrefix } from '../store/couch';
import type { StoreEndpoint } from '../store/couch';

export type StoreChanges = {
  /** Calls `listener` with a database's name, at most about every 20 ms per database, while subscribed. */
  subscribe: (listener: (database: string) => void) => () => void;
  stop: () => void;
};

const isWatched = (name: string) => name === catalogueDb || name.startsWith(concertDbPrefix);

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
  const listeners = new Set<(database: string) => void>();
  const followed = new Map<string, AbortController>();
  const stopped = new AbortController();
  const due = new Set<string>();
  let flushTimer: NodeJS.Timeout | undefined;

  const changed = (database: string) => {
    due.add(database);
    flushTimer ??= setTimeout(() => {
      flushTimer = undefined;
      const names = [...due];
      due.clear();
      for (const name of names) for (const listener of listeners) listener(name);
    }, 20);
  };

  const follow = async (database: string, since: string, abort: AbortController) => {
    let from = since;
    while (!abort.signal.aborted) {
      try {
        const url = `${store.base}/${database}/_changes?feed=continuous&heartbeat=10000&since=${from}`;
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
            const row = JSON.parse(line) as { seq?: string | number };
            if (row.seq !== undefined) from = encodeURIComponent(String(row.seq));
            changed(database);
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
  listeners.add((database) => {
    if (database === catalogueDb) setTimeout(discoverSafely, 200);
  });

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      clearInterval(timer);
      clearTimeout(flushTimer);
      stopped.abort();
      for (const abort of followed.values()) abort.abort();
    },
  };
}
