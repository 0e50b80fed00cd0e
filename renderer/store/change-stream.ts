// The desk's one live connection to the sync server (/api/changes, server-sent events): it says which event
// databases changed, so each replication reads _changes only when there is news instead of holding a long-poll
// open per database (a browser allows six connections per server). Its heartbeats are the desk's "last contact".

export type Connection = { online: boolean; lastContact: number | null };

export type ChangeStream = {
  connection: () => Connection;
  onConnection: (listener: () => void) => () => void;
  /** Resolves when `database` has changed since it was last read, or after `timeoutMs`. */
  waitForChange: (database: string, timeoutMs: number) => Promise<void>;
  /** The last read did not reach the end: read again without waiting. */
  markChanged: (database: string) => void;
  /** When each database was last known to be in step with the store. */
  syncedAt: (database: string) => number | undefined;
  caughtUp: (database: string) => void;
  close: () => void;
};

const lastContactKey = 'stagedoor.lastContact';

/**
 * `isKnown`: whether the desk's log already holds a document (its own facts coming back are no news). `onDocs`: the
 * documents a change came with, to show before the replication has read and stored them.
 */
export function openChangeStream(
  url: string,
  options: { isKnown?: (id: string) => boolean; onDocs?: (docs: readonly unknown[]) => void } = {},
): ChangeStream {
  const isKnown = options.isKnown ?? (() => false);
  const changed = new Set<string>();
  const waiters = new Map<string, Set<() => void>>();
  const synced = new Map<string, number>();
  const listeners = new Set<() => void>();
  const stored = Number(localStorage.getItem(lastContactKey));
  let connection: Connection = { online: false, lastContact: stored > 0 ? stored : null };
  let source: EventSource | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const update = (next: Partial<Connection>) => {
    connection = { ...connection, ...next };
    for (const listener of listeners) listener();
  };
  const contact = () => {
    const now = Date.now();
    localStorage.setItem(lastContactKey, String(now));
    update({ online: navigator.onLine, lastContact: now });
  };
  const wake = (database: string) => {
    changed.add(database);
    for (const resolve of waiters.get(database) ?? []) resolve();
  };

  const connect = () => {
    source?.close();
    const next = new EventSource(url);
    source = next;
    next.addEventListener('hello', () => {
      contact();
      // Anything may have happened while the stream was down: every database reads its changes once.
      for (const database of [...waiters.keys(), ...synced.keys()]) wake(database);
    });
    next.addEventListener('ping', () => {
      contact();
      // Databases waiting for news are in step as of now.
      for (const database of waiters.keys()) synced.set(database, Date.now());
    });
    next.addEventListener('change', (event) => {
      contact();
      const { database, ids, docs } = JSON.parse((event as MessageEvent<string>).data) as {
        database: string;
        ids?: string[];
        docs?: unknown[];
      };
      // Without ids (many changed), or with one the desk does not hold: read. The checkpoint catches up later.
      const unknown = !ids || ids.some((id) => !isKnown(id));
      if (docs && options.onDocs) options.onDocs(docs);
      if (unknown) wake(database);
    });
    next.onerror = () => {
      update({ online: false });
      // EventSource retries by itself after a network error, but gives up on an HTTP error: try again later.
      if (next.readyState === EventSource.CLOSED) retry = setTimeout(connect, 2_000);
    };
  };
  const offline = () => update({ online: false });
  const online = () => {
    if (source?.readyState !== EventSource.OPEN) connect();
  };
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);
  connect();

  return {
    connection: () => connection,
    onConnection(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitForChange(database, timeoutMs) {
      if (changed.delete(database)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const set = waiters.get(database) ?? new Set();
        waiters.set(database, set);
        const done = () => {
          clearTimeout(timer);
          set.delete(done);
          if (set.size === 0) waiters.delete(database);
          changed.delete(database);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        set.add(done);
      });
    },
    markChanged: (database) => wake(database),
    syncedAt: (database) => synced.get(database),
    caughtUp: (database) => {
      synced.set(database, Date.now());
      for (const listener of listeners) listener();
    },
    close() {
      clearTimeout(retry);
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      source?.close();
    },
  };
}
