// A gate scanner's pull: a database's news read into the local log, one IndexedDB write per read. A gate delivers its
// own facts itself (direct-upload.ts) and pushes nothing, so it has no use for RxDB's replication, which costs it
// dearly: RxDB runs an upstream for every replication, a push or not, and for each write to the collection (the
// gate's own scans, every 500 ms) that upstream reads its meta documents and writes a checkpoint; its pull stores an
// assumed master state per document pulled. A gate with two databases turned one write of scans into five IndexedDB
// transactions (bench/scan.bench.ts).
//
// The loop: wait for the change stream's news of the database, read what the log lacks (read-news.ts), insert it,
// then keep the feed's position. Events never change, so a document the log holds already is left as it is.
import type { RxCollection } from 'rxdb';
import type { ChangeStream } from './change-stream';
import type { EventRow } from './event-database';
import { keysStartingWith } from './local-memo';
import type { LocalMemo } from './local-memo';
import { readNews } from './read-news';

/** A position in a database's feed: opaque, as the store gave it (CouchDB 3's are strings, pouchdb-server's numbers). */
export type Seq = string | number;

const isSeq = (value: unknown): value is Seq => typeof value === 'string' || typeof value === 'number';

/** Where each database's position in its feed is kept. */
export type PullCheckpoints = {
  load: (database: string) => Seq | undefined;
  save: (database: string, since: Seq) => void;
};

/** Where the positions are kept: the page's localStorage. */
export type CheckpointMemo = LocalMemo;

const checkpointPrefix = (name: string) => `stagedoor.pull.${name}.`;

/**
 * The pulls' positions for the local log `name`. `logEmpty`: the log holds nothing, so whatever positions are kept
 * (the log was deleted without them) are forgotten, and every database is read from its start.
 */
export function pullCheckpoints(
  name: string,
  options: { logEmpty: boolean; memo?: CheckpointMemo },
): PullCheckpoints {
  const memo = options.memo ?? localStorage;
  const at = checkpointPrefix(name);
  if (options.logEmpty) for (const key of keysStartingWith(memo, at)) memo.removeItem(key);
  return {
    load(database) {
      try {
        const kept: unknown = JSON.parse(memo.getItem(at + database) ?? 'null');
        return isSeq(kept) ? kept : undefined;
      } catch {
        return undefined;
      }
    },
    save(database, since) {
      try {
        memo.setItem(at + database, JSON.stringify(since));
      } catch {
        // Storage full: the next start reads the feed again from an older position, which stores nothing twice.
      }
    },
  };
}

export type Pull = {
  /** Read at once (back online), without waiting for news or the pace. */
  reSync: () => void;
  /** Stops the loop; resolves once a read or write under way has ended. */
  cancel: () => Promise<void>;
};

/** Documents read per request: 1,000 events are about 600 kB. */
const batchSize = 1_000;

export function pullDatabase(options: {
  events: RxCollection<EventRow>;
  database: string;
  /** The database in the store (relative: to the page's origin). */
  databaseUrl: string;
  authorization: string;
  changes: Pick<ChangeStream, 'waitForChange' | 'caughtUp' | 'credentialsRefused'>;
  checkpoints: PullCheckpoints;
  /** Whether the local log holds the document already (this device's own facts, above all). */
  isStored: (id: string) => boolean;
  /** What this device keeps of what it reads (a scanner: what its gate needs). */
  keeps: (doc: unknown) => boolean;
  /** Once caught up, a read at most this often (a read that filled its batch is followed at once). */
  readEveryMs: number;
  /** After a failed read or write, the next try. */
  retryMs?: number;
  /** The longest wait for news before reading anyway (news missed while the stream was down). */
  waitMs?: number;
}): Pull {
  const { events, database, changes, checkpoints, isStored, keeps, readEveryMs } = options;
  const retryMs = options.retryMs ?? 2_000;
  const waitMs = options.waitMs ?? 25_000;
  const base = typeof location === 'undefined' ? undefined : location.href;
  const feed = new URL(`${options.databaseUrl}/_changes`, base);
  const headers = { authorization: options.authorization };
  const aborted = new AbortController();
  let since: Seq = checkpoints.load(database) ?? 0;
  /** The last read filled its batch, or failed: read again without waiting for news. */
  let behind = true;
  let readAt = -Infinity;
  let stopped = false;
  // A wait ends early when the loop is cancelled or told to read at once.
  let interrupt = () => {};
  const waitFor = (promise: Promise<unknown>) =>
    new Promise<void>((resolve) => {
      interrupt = resolve;
      void promise.then(() => resolve());
    });
  const sleep = (ms: number) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return waitFor(new Promise((resolve) => (timer = setTimeout(resolve, ms)))).finally(() =>
      clearTimeout(timer),
    );
  };

  /** One read and its write; false when it must be tried again later. */
  const pullOnce = async (): Promise<boolean> => {
    const url = new URL(feed);
    url.searchParams.set('style', 'all_docs');
    url.searchParams.set('limit', String(batchSize));
    url.searchParams.set('since', String(since));
    const read = await readNews(url, { headers, signal: aborted.signal }, batchSize, isStored);
    // The concert's database is not made yet (the authority makes it): nothing to read so far.
    if (read === 'missing') {
      behind = false;
      return true;
    }
    if (read instanceof Response) {
      if (read.status === 401) changes.credentialsRefused();
      return false;
    }
    readAt = performance.now();
    const rows = read.results.flatMap((row) => {
      const doc = row.doc as ({ _id: string; _deleted?: boolean } & Record<string, unknown>) | undefined;
      if (!doc || doc._deleted || !keeps(doc)) return [];
      const { _id: id, _rev: _ignoredRev, _attachments: _ignoredAttachments, ...fields } = doc;
      return [{ ...fields, id } as EventRow];
    });
    // A write that fails (IndexedDB unavailable, the log closing) throws, and the read is tried again. A document
    // refused on its own is passed over: a conflict is one the log holds already (the same event: events never
    // change), and one the log cannot hold would stop the gate's pull for good; the store keeps it either way.
    if (rows.length > 0) await events.bulkInsert(rows);
    if (isSeq(read.lastSeq)) {
      since = read.lastSeq;
      checkpoints.save(database, since);
    }
    behind = read.full;
    if (!read.full) changes.caughtUp(database);
    return true;
  };

  const loop = (async () => {
    while (!stopped) {
      if (!behind) {
        await waitFor(changes.waitForChange(database, waitMs));
        const paced = readAt + readEveryMs - performance.now();
        if (!stopped && !behind && paced > 0) await sleep(paced);
      }
      if (stopped) break;
      const done = await pullOnce().catch(() => false);
      if (!done && !stopped) {
        behind = true;
        await sleep(retryMs);
      }
    }
  })();

  return {
    reSync() {
      behind = true;
      interrupt();
    },
    async cancel() {
      stopped = true;
      aborted.abort();
      interrupt();
      await loop;
    },
  };
}
