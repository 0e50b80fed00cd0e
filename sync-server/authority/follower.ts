// A leased follower of one database's _changes feed: while it holds the scope's lease it loads its handler's state,
// reads changes from the stored checkpoint (never "now"), hands each batch to the handler, then moves the
// checkpoint. Delivery is at-least-once: handlers must be idempotent, and they are.
import type { Logger } from 'pino';
import type { Change, ChangesPage, Couch, Doc, Seq } from '../store/couch';
import { authorityDb, readChanges } from '../store/couch';
import { createCheckpoint, createLease } from './lease';

export type { Change } from '../store/couch';

/** 'rewind': some facts lost their decision (a conflict orphaned it), so read the feed again from the start. */
export type Outcome = 'continue' | 'rewind';

export type BatchHandler = {
  /**
   * Rebuilds state from the store; called each time the lease is (re)gained. `session` ends when the lease is lost
   * or the follower stops: work a handler does on its own clock (expiring holds) runs only until then.
   */
  load: (session?: AbortSignal) => Promise<Outcome>;
  handle: (changes: Change[], signal: AbortSignal) => Promise<Outcome>;
};

export type FollowerOptions = {
  couch: Couch;
  dbName: string;
  authorityId: string;
  handler: BatchHandler;
  logger: Logger;
  leaseTtlMs: number;
  batchSize: number;
  onLag?: (pending: number) => void;
  /** Looks at each batch before the handler: what it leaves out is not the handler's (e.g. a revoked device's). */
  screen?: (changes: Change[]) => Promise<Change[]>;
  /** The checkpoint is saved at most this often (default 1 s); the last position is saved after a quiet moment. */
  checkpointEveryMs?: number;
};

export type Follower = { stop: () => Promise<void>; readonly leaseHeld: boolean; readonly caughtUp: boolean };

export function startFollower(options: FollowerOptions): Follower {
  const { couch, dbName, handler, logger, leaseTtlMs, batchSize } = options;
  const authority = couch.server.use<Doc>(authorityDb);
  const lease = createLease(authority, dbName, options.authorityId, leaseTtlMs);
  const checkpoint = createCheckpoint(authority, dbName);
  const stopper = new AbortController();
  let caughtUp = false;

  const read = (since: Seq, longpoll: boolean, signal: AbortSignal): Promise<ChangesPage> => {
    // Caught up: long-poll, so a new fact is seen at once. (The embedded store ignores the long-poll timeout;
    // aborting the request is what ends a wait.)
    const request = readChanges(couch, dbName, { since, limit: batchSize, longpoll, signal });
    request.catch(() => undefined); // a prefetch may be abandoned when the session ends
    return request;
  };

  const serve = async (session: AbortController): Promise<void> => {
    const loaded = await handler.load(session.signal);
    let since: Seq = (loaded === 'rewind' ? undefined : await checkpoint.load()) ?? 0;
    logger.info({ since }, 'authority active');
    // The checkpoint moves after each batch, but is saved at most every checkpointEveryMs: a gate scanning online
    // brings a batch every few tens of ms (its uploads, then the decisions written back), and a save per batch was a
    // third of the store's requests (bench/scan.bench.ts). A restart reads that much again, which the handlers'
    // idempotence allows. Saves go one after another, each of the position as it is then, and none once the session
    // is over: whoever holds the lease next may be further on.
    const everyMs = options.checkpointEveryMs ?? 1_000;
    let savedAt = -Infinity;
    let saving = Promise.resolve();
    let later: ReturnType<typeof setTimeout> | undefined;
    const save = (): Promise<void> => {
      clearTimeout(later);
      later = undefined;
      savedAt = Date.now();
      const seq = since;
      saving = saving
        .then(() => (session.signal.aborted ? undefined : checkpoint.save(seq)))
        .catch((error: unknown) =>
          logger.warn({ err: error, seq }, 'checkpoint not saved: the next save writes a later one'),
        );
      return saving;
    };
    session.signal.addEventListener('abort', () => clearTimeout(later));
    let next = read(since, false, session.signal);
    while (!session.signal.aborted) {
      const response = await next;
      logger.debug({ n: response.results.length, last: response.last_seq }, 'changes read');
      caughtUp = response.results.length < batchSize;
      // With a backlog, read the next batch while this one is decided and written.
      if (!caughtUp) next = read(response.last_seq, false, session.signal);
      const results = options.screen ? await options.screen(response.results) : response.results;
      const outcome = results.length > 0 ? await handler.handle(results, session.signal) : 'continue';
      // A session that ended while its batch was handled (the lease lost or its renewal failed) may have left facts
      // undecided: handlers stop deciding at the abort. The checkpoint stays where it was, so whoever holds the lease
      // next reads that batch again (decisions already written are recognised: handlers are idempotent).
      if (session.signal.aborted) break;
      if (outcome === 'rewind') {
        logger.warn('reading the feed again from the start');
        since = 0;
        await save();
        next = read(since, false, session.signal);
        continue;
      }
      logger.debug('handled');
      if (response.last_seq !== since) {
        since = response.last_seq;
        const wait = savedAt + everyMs - Date.now();
        if (wait <= 0) await save();
        else later ??= setTimeout(() => void save(), wait);
      }
      if (caughtUp) next = read(since, true, session.signal);
      options.onLag?.(response.pending ?? (caughtUp ? 0 : batchSize));
    }
  };

  const run = async (): Promise<void> => {
    let backoff = 0;
    while (!stopper.signal.aborted) {
      try {
        if (!(await lease.acquire())) {
          await sleep(leaseTtlMs / 3, stopper.signal);
          continue;
        }
        const session = new AbortController();
        const abortSession = () => session.abort();
        stopper.signal.addEventListener('abort', abortSession);
        const renewal = setInterval(() => {
          lease.acquire().then(
            (still) => {
              if (!still) {
                logger.warn('lease lost to another instance: standing by');
                session.abort();
              }
            },
            (error: unknown) => {
              logger.warn({ err: error }, 'lease renewal failed: standing by');
              session.abort();
            },
          );
        }, leaseTtlMs / 3);
        try {
          await serve(session);
        } finally {
          session.abort(); // the session is over, however it ended: nothing of it may go on
          clearInterval(renewal);
          stopper.signal.removeEventListener('abort', abortSession);
          caughtUp = false;
        }
        backoff = 0;
      } catch (error) {
        if (stopper.signal.aborted) break;
        if (!isAbort(error)) {
          backoff = Math.min(10_000, backoff ? backoff * 2 : 250);
          logger.error({ err: error, retryInMs: backoff }, 'follower failed; retrying');
          await sleep(backoff, stopper.signal);
        }
      }
    }
    await lease.release();
  };

  const running = run();
  return {
    get leaseHeld() {
      return lease.held;
    },
    get caughtUp() {
      return caughtUp;
    },
    async stop() {
      stopper.abort();
      await running;
    },
  };
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || /abort/i.test(error.message));
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
