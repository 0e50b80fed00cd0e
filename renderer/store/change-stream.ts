// The desk's one live connection to the sync server (/api/changes, server-sent events): it says which event
// databases changed, so each replication reads _changes only when there is news instead of holding a long-poll
// open per database (a browser allows six connections per server). Its heartbeats are the desk's "last contact".
//
// Read with fetch, not EventSource: the stream is a device's (its own credentials, an Authorization header, which
// EventSource can't send), and a refusal must be told apart — a revoked device stops here and says so instead of
// reconnecting forever. The messages are the same SSE format; a stream silent for longer than three heartbeats is
// taken as dead and opened again (what EventSource would not notice either).

export type Connection = {
  online: boolean;
  lastContact: number | null;
  /** The sync server said this device was revoked: nothing reconnects; an admin must enrol it again. */
  revoked?: boolean;
};

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
  /** The store refused this device's credentials: reconnect now, to learn whether the device was revoked. */
  credentialsRefused: () => void;
  close: () => void;
};

const lastContactKey = 'stagedoor.lastContact';

/**
 * `isKnown`: whether the desk's log already holds a document (its own facts coming back are no news). `onDocs`: the
 * documents a change came with, to show before the replication has read and stored them.
 */
export function openChangeStream(
  url: string,
  options: {
    /** The device's credentials (an Authorization header value). */
    authorization: string;
    isKnown?: (id: string) => boolean;
    onDocs?: (docs: readonly unknown[]) => void;
  },
): ChangeStream {
  const isKnown = options.isKnown ?? (() => false);
  const changed = new Set<string>();
  const waiters = new Map<string, Set<() => void>>();
  const synced = new Map<string, number>();
  const listeners = new Set<() => void>();
  const stored = Number(localStorage.getItem(lastContactKey));
  let connection: Connection = { online: false, lastContact: stored > 0 ? stored : null };
  let abort: AbortController | undefined;
  let open = false;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let lastRecheck = 0;

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

  const handle = (event: string, data: string) => {
    if (event === 'hello') {
      contact();
      // Anything may have happened while the stream was down: every database reads its changes once.
      for (const database of [...waiters.keys(), ...synced.keys()]) wake(database);
    } else if (event === 'ping') {
      contact();
      // Databases waiting for news are in step as of now.
      for (const database of waiters.keys()) synced.set(database, Date.now());
    } else if (event === 'change') {
      contact();
      const { database, ids, docs } = JSON.parse(data) as {
        database: string;
        ids?: string[];
        docs?: unknown[];
      };
      // Without ids (many changed), or with one the desk does not hold: read. The checkpoint catches up later.
      const unknown = !ids || ids.some((id) => !isKnown(id));
      if (docs && options.onDocs) options.onDocs(docs);
      if (unknown) wake(database);
    }
  };

  /** The server pings every 5 s: three missed pings mean the connection is dead though no error said so. */
  const expectNews = (controller: AbortController) => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => controller.abort(), 16_000);
  };

  const read = async (controller: AbortController) => {
    const response = await fetch(url, {
      headers: { authorization: options.authorization, accept: 'text/event-stream' },
      cache: 'no-store',
      signal: controller.signal,
    });
    if (response.status === 401) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      if (body.error === 'device_revoked') return 'revoked';
      return 'refused';
    }
    if (!response.ok || !response.body) return 'failed';
    open = true;
    expectNews(controller);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return 'ended';
      expectNews(controller);
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        let event = 'message';
        const data: string[] = [];
        for (const line of message.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length > 0) handle(event, data.join('\n'));
      }
    }
  };

  const connect = () => {
    if (closed || connection.revoked) return;
    clearTimeout(retry);
    abort?.abort();
    const controller = new AbortController();
    abort = controller;
    read(controller)
      .catch(() => 'failed' as const)
      .then(
        (outcome) => {
          if (abort !== controller) return; // replaced by a newer connection
          open = false;
          clearTimeout(watchdog);
          if (closed) return;
          if (outcome === 'revoked') return update({ online: false, revoked: true });
          update({ online: false });
          // Refused credentials are not retried as eagerly as a dropped line.
          retry = setTimeout(connect, outcome === 'refused' ? 10_000 : 1_000);
        },
        () => undefined,
      );
  };
  const offline = () => update({ online: false });
  const online = () => {
    if (!open) connect();
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
    credentialsRefused() {
      // At most every 5 s: every replication of the device meets the same refusal.
      if (Date.now() - lastRecheck < 5_000) return;
      lastRecheck = Date.now();
      connect();
    },
    close() {
      closed = true;
      clearTimeout(retry);
      clearTimeout(watchdog);
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      abort?.abort();
    },
  };
}
