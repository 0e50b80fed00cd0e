// A fact the desk has just recorded goes to its database at once, in one create-only write, instead of waiting for
// the replication's next push (which first asks the store what it holds, _all_docs, then writes: two round trips,
// started only after RxDB's own bookkeeping — 75 of the 145 ms a sale took to be confirmed, bench/desk-latency).
// Offline, or when the write fails, nothing is lost: the fact is in the local log and the replication pushes it
// when it can. The replication leaves out what was delivered here (see `DirectUploads.delivered`). The write carries
// the device's own credentials, like the replication's.

export type DirectUploads = {
  /**
   * Sends the fact now (after `gatherMs`, when set), or with the next write when one of its database is under way;
   * resolves true when the store holds it. Called before the fact's local write starts, so the replication, which
   * sees that write, always finds it here. Never rejects.
   */
  send: (database: string, doc: { _id: string }) => Promise<boolean>;
  /**
   * Sends many facts of one database in writes of up to `batch` (a desk back online: one request per thousand facts
   * instead of the replication's conflict check, write and bookkeeping per push). Never rejects.
   */
  sendAll: (database: string, docs: readonly { _id: string }[]) => Promise<void>;
  /** Whether the fact was delivered here (waits for a send still under way, so the two never write at once). */
  delivered: (id: string) => Promise<boolean>;
};

/** Facts per write when many are sent at once: about 600 kB. */
const batch = 1000;

export function directUploads(options: {
  server: string;
  /** The device's credentials (an Authorization header value). */
  authorization: string;
  onDelivered: (id: string, database: string) => void;
  /** How long a fact sent waits for others to go with it, and the least time between two writes (default 0). */
  gatherMs?: number;
}): DirectUploads {
  const gatherMs = options.gatherMs ?? 0;
  const underway = new Map<string, Promise<boolean>>();
  const done = new Set<string>();

  /** Writes the facts create-only; the ids the store holds afterwards. */
  const write = async (database: string, docs: readonly { _id: string }[]): Promise<Set<string>> => {
    const there = new Set<string>();
    if (!navigator.onLine) return there;
    try {
      const response = await fetch(`${options.server}/couch/${database}/_bulk_docs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: options.authorization },
        body: JSON.stringify({ docs }),
      });
      if (!response.ok) return there;
      const results = (await response.json()) as {
        id?: string;
        ok?: boolean;
        error?: string;
        reason?: string;
      }[];
      // A fact is written once and never changed: finding it there already (a conflict, or the store's
      // "immutable" refusal) means it was delivered.
      results.forEach((result, index) => {
        const delivered =
          result.ok === true ||
          result.error === 'conflict' ||
          (result.error === 'forbidden' && result.reason?.startsWith('immutable') === true);
        const id = result.id ?? docs[index]?._id;
        if (delivered && id !== undefined) there.add(id);
      });
    } catch {
      // offline after all, or the store is away: the replication pushes them later
    }
    return there;
  };

  const start = (database: string, docs: readonly { _id: string }[]): Promise<Set<string>> => {
    const written = write(database, docs).then((there) => {
      for (const { _id: id } of docs) {
        underway.delete(id);
        if (!there.has(id)) continue;
        done.add(id);
        options.onDelivered(id, database);
      }
      return there;
    });
    for (const { _id: id } of docs)
      underway.set(
        id,
        written.then((there) => there.has(id)),
      );
    return written;
  };

  // One write of facts sent one by one per database at a time: what is sent while it is under way waits for it and
  // goes in the next, together. A desk's sale goes at once (nothing else is being sent). A gate gathers its scans for
  // gatherMs and sends them together, at most one write per gatherMs: at a hundred scans a second a request per scan
  // cost the page's thread 1.3 ms each, and the store and the authority a write, a read and a checkpoint for every one
  // or two, on the two cores the verdicts need (bench/scan.bench.ts).
  type Waiting = { doc: { _id: string }; settle: (delivered: boolean) => void };
  const queues = new Map<string, Waiting[]>();
  /** The next write of a database's queue, `afterMs` from now; a queue left empty is forgotten. */
  const next = (database: string, queue: Waiting[], afterMs: number) => {
    if (queue.length === 0) return void queues.delete(database);
    const go = () => {
      const sending = queue.splice(0, batch);
      const startedAt = performance.now();
      void start(
        database,
        sending.map((waiting) => waiting.doc),
      ).then((there) => {
        for (const { doc, settle } of sending) settle(there.has(doc._id));
        next(database, queue, startedAt + gatherMs - performance.now());
      });
    };
    if (afterMs > 0) setTimeout(go, afterMs);
    else go();
  };

  return {
    send(database, doc) {
      const sent = new Promise<boolean>((settle) => {
        const queue = queues.get(database);
        if (queue) return void queue.push({ doc, settle });
        const fresh = [{ doc, settle }];
        queues.set(database, fresh);
        next(database, fresh, gatherMs);
      });
      underway.set(doc._id, sent);
      return sent;
    },
    async sendAll(database, docs) {
      const fresh = docs.filter((doc) => !done.has(doc._id) && !underway.has(doc._id));
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < fresh.length; i += batch) writes.push(start(database, fresh.slice(i, i + batch)));
      await Promise.all(writes);
    },
    async delivered(id) {
      const sending = underway.get(id);
      if (sending) await sending;
      return done.has(id);
    },
  };
}
