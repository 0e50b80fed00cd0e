// The authority's follower against the real store: a batch whose session ends while it is handled (the lease lost,
// or its renewal failed) is read again by the next holder, because handlers stop deciding at the abort; and the
// follower's own lease renewals never collide with each other. The scan benchmark found 1,000 consecutive sales never
// decided: a renewal got a 409 from its own overlapping renewal, the session ended mid-batch, and the checkpoint still
// moved past the batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { startFollower } from '../../sync-server/authority/follower';
import type { Change } from '../../sync-server/authority/follower';
import { createLease } from '../../sync-server/authority/lease';
import { authorityDb, createAll, ensureDatabase, getDoc, readChanges } from '../../sync-server/store/couch';
import type { Doc } from '../../sync-server/store/couch';
import { startTestStore, waitFor } from '../support/store';
import type { TestStore } from '../support/store';

const logger = pino({ level: 'silent' });
let store: TestStore;

beforeAll(async () => {
  store = await startTestStore();
  await ensureDatabase(store.couch, authorityDb);
});
afterAll(async () => {
  await store.dispose();
});

const authority = () => store.couch.server.use<Doc>(authorityDb);

/** Sets the lease of `scope` as another instance holding it until `expiresAt`. */
async function leaseTo(scope: string, holder: string, expiresAt: number): Promise<void> {
  const current = await getDoc<Doc>(authority(), `lease:${scope}`);
  await authority().insert({ ...current, _id: `lease:${scope}`, scope, holder, expiresAt });
}

describe('follower', () => {
  it('reads a batch again when its session ended while the batch was handled', async () => {
    const dbName = 'follower-int-abort';
    await ensureDatabase(store.couch, dbName);
    const ids = Array.from({ length: 7 }, (_, i) => `fact-${i}`);
    await createAll(
      store.couch.server.use<Doc>(dbName),
      ids.map((id) => ({ _id: id })),
    );

    const handled: string[] = [];
    let interrupted = false;
    const follower = startFollower({
      couch: store.couch,
      dbName,
      authorityId: 'int-follower',
      logger,
      leaseTtlMs: 900,
      batchSize: 3,
      handler: {
        load: () => Promise.resolve('continue'),
        async handle(changes: Change[], signal: AbortSignal) {
          if (!interrupted) {
            // Another instance takes the lease while this batch is being decided: the session ends, and the handler
            // stops at the abort with nothing decided, as the concert handler's decideAll does.
            interrupted = true;
            await leaseTo(dbName, 'int-other', Date.now() + 60_000);
            await waitFor('the session to end', () => Promise.resolve(signal.aborted || undefined), 10_000);
            return 'continue';
          }
          handled.push(...changes.map((c) => c.id));
          return 'continue';
        },
      },
    });
    try {
      await waitFor('the follower to stand by', () =>
        Promise.resolve(interrupted && !follower.leaseHeld ? true : undefined),
      );
      // The other instance goes away; this one takes the lease again and decides every fact, the first batch too.
      await leaseTo(dbName, 'int-other', 0);
      // Had the checkpoint moved past the interrupted batch, its facts would never be handled.
      await waitFor(
        'every fact handled',
        () => Promise.resolve(ids.every((id) => handled.includes(id)) ? true : undefined),
        20_000,
      );
      expect([...new Set(handled)].sort()).toEqual(ids);
    } finally {
      await follower.stop();
    }
  });

  it('saves its checkpoint at most every checkpointEveryMs, and where it stopped after a quiet moment', async () => {
    const dbName = 'follower-int-checkpoint';
    await ensureDatabase(store.couch, dbName);
    const db = store.couch.server.use<Doc>(dbName);
    const ids = Array.from({ length: 12 }, (_, i) => `fact-${i}`);
    const handled = new Set<string>();
    const everyMs = 600;
    const follower = startFollower({
      couch: store.couch,
      dbName,
      authorityId: 'int-checkpointer',
      logger,
      leaseTtlMs: 60_000,
      batchSize: 1,
      checkpointEveryMs: everyMs,
      handler: {
        load: () => Promise.resolve('continue'),
        handle(changes: Change[]) {
          for (const change of changes) handled.add(change.id);
          return Promise.resolve('continue');
        },
      },
    });
    try {
      // Twelve facts written one by one, each read as a batch of its own.
      const started = Date.now();
      for (const id of ids) {
        await createAll(db, [{ _id: id }]);
        await waitFor(`${id} handled`, () => Promise.resolve(handled.has(id) || undefined));
      }
      const tookMs = Date.now() - started;
      const { last_seq: last } = await readChanges(store.couch, dbName, {
        since: 0,
        limit: 100,
        longpoll: false,
        signal: new AbortController().signal,
      });
      const checkpoint = () => getDoc<Doc & { seq: unknown }>(authority(), `checkpoint:${dbName}`);
      await waitFor('the last position saved', async () =>
        (await checkpoint())?.seq === last ? true : undefined,
      );
      // One save per batch would be twelve revisions of the checkpoint.
      const saves = Number((await checkpoint())?._rev?.split('-')[0]);
      expect(saves).toBeLessThanOrEqual(2 + Math.floor(tookMs / everyMs));
      expect(saves).toBeLessThan(ids.length);
    } finally {
      await follower.stop();
    }
  });

  it('renews its own lease twice at once without losing it', async () => {
    const lease = createLease(authority(), 'follower-int-renewal', 'int-renewer', 60_000);
    expect(await lease.acquire()).toBe(true);
    const renewals = await Promise.all([lease.acquire(), lease.acquire(), lease.acquire()]);
    expect(renewals).toEqual([true, true, true]);
    expect(lease.held).toBe(true);
    // Another holder's live lease is still refused.
    const rival = createLease(authority(), 'follower-int-renewal', 'int-rival', 60_000);
    expect(await rival.acquire()).toBe(false);
  });
});
