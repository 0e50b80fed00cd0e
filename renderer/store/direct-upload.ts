// A fact the desk has just recorded goes to its database at once, in one create-only write, instead of waiting for
// the replication's next push (which first asks the store what it holds, _all_docs, then writes: two round trips,
// started only after RxDB's own bookkeeping — 75 of the 145 ms a sale took to be confirmed, bench/desk-latency).
// Offline, or when the write fails, nothing is lost: the fact is in the local log and the replication pushes it
// when it can. The replication leaves out what was delivered here (see `DirectUploads.delivered`).

export type DirectUploads = {
  /**
   * Sends the fact now; resolves true when the store holds it. Called before the fact's local write starts, so the
   * replication, which sees that write, always finds it here. Never rejects.
   */
  send: (database: string, doc: { _id: string }) => Promise<boolean>;
  /** Whether the fact was delivered here (waits for a send still under way, so the two never write at once). */
  delivered: (id: string) => Promise<boolean>;
};

export function directUploads(options: {
  server: string;
  onDelivered: (id: string, database: string) => void;
}): DirectUploads {
  const underway = new Map<string, Promise<boolean>>();
  const done = new Set<string>();

  const write = async (database: string, doc: { _id: string }): Promise<boolean> => {
    if (!navigator.onLine) return false;
    try {
      const response = await fetch(`${options.server}/couch/${database}/_bulk_docs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ docs: [doc] }),
      });
      if (!response.ok) return false;
      const [result] = (await response.json()) as { ok?: boolean; error?: string; reason?: string }[];
      // A fact is written once and never changed: finding it there already (a conflict, or the store's
      // "immutable" refusal) means it was delivered.
      const there =
        result?.ok === true ||
        result?.error === 'conflict' ||
        (result?.error === 'forbidden' && result.reason?.startsWith('immutable') === true);
      return there;
    } catch {
      return false;
    }
  };

  return {
    send(database, doc) {
      const settled = write(database, doc).then((ok) => {
        underway.delete(doc._id);
        if (ok) {
          done.add(doc._id);
          options.onDelivered(doc._id, database);
        }
        return ok;
      });
      underway.set(doc._id, settled);
      return settled;
    },
    async delivered(id) {
      const sending = underway.get(id);
      if (sending) await sending;
      return done.has(id);
    },
  };
}
