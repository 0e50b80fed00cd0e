// A gate scanner's pull (renderer/store/pull.ts) against the real store, into RxDB's memory storage (the e2e runs
// Dexie on Chromium's IndexedDB): what it reads, what it keeps, where it resumes, and how it meets a database not made
// yet, a refusal, a document the log holds already, and a local write that fails. The change stream is the one
// stand-in (its news are told by the test: the real one needs the sync server, and scan.e2e runs it), with one fault
// put in front of the collection for the failing write.
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openEventDatabase } from '../../renderer/store/event-database';
import type { DeskDatabase } from '../../renderer/store/event-database';
import { pullCheckpoints, pullDatabase } from '../../renderer/store/pull';
import type { CheckpointMemo, Pull } from '../../renderer/store/pull';
import { createAll, ensureDatabase, storeEndpoint } from '../../sync-server/store/couch';
import type { Doc } from '../../sync-server/store/couch';
import { memoryStorage } from '../support/memory-storage';
import { startTestStore } from '../support/store';
import type { TestStore } from '../support/store';

let store: TestStore;
let base: string;
let authorization: string;

beforeAll(async () => {
  store = await startTestStore();
  const endpoint = storeEndpoint(store.url);
  base = endpoint.base;
  authorization = endpoint.authorization ?? '';
}, 60_000);

afterAll(async () => {
  await store?.dispose();
});

const event = (id: string) => ({
  _id: id,
  type: 'TicketVoided',
  v: 1,
  stream: 'concert-hall',
  data: { ticketId: id },
  meta: { deviceId: 'AUTHORITY' },
});

/** The change stream as the pull sees it: news told by the test, and what the pull told it. */
function stream() {
  const waiting = new Set<() => void>();
  const told = { caughtUp: 0, refused: 0 };
  return {
    told,
    news: () => {
      for (const resolve of waiting) resolve();
      waiting.clear();
    },
    waitForChange: () => new Promise<void>((resolve) => waiting.add(resolve)),
    caughtUp: () => void (told.caughtUp += 1),
    credentialsRefused: () => void (told.refused += 1),
  };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const open: { pulls: Pull[]; logs: DeskDatabase[] } = { pulls: [], logs: [] };
afterEach(async () => {
  await Promise.all(open.pulls.map((pull) => pull.cancel()));
  await Promise.all(open.logs.map((log) => log.close()));
  open.pulls = [];
  open.logs = [];
});

let logs = 0;
async function newLog() {
  logs += 1;
  const log = await openEventDatabase(`pull-${logs}`, getRxStorageMemory());
  open.logs.push(log);
  return log;
}

function pull(
  log: DeskDatabase,
  database: string,
  options: {
    changes?: ReturnType<typeof stream>;
    checkpoints?: CheckpointMemo;
    keeps?: (doc: unknown) => boolean;
    isStored?: (id: string) => boolean;
    authorization?: string;
    /** The collection as the pull writes to it (a fault put in front of the log's). */
    events?: DeskDatabase['events'];
  } = {},
) {
  const changes = options.changes ?? stream();
  const started = pullDatabase({
    events: options.events ?? log.events,
    database,
    databaseUrl: `${base}/${database}`,
    authorization: options.authorization ?? authorization,
    changes,
    checkpoints: pullCheckpoints('test', { logEmpty: false, memo: options.checkpoints ?? memoryStorage() }),
    isStored: options.isStored ?? (() => false),
    keeps: options.keeps ?? (() => true),
    readEveryMs: 0,
    retryMs: 50,
  });
  open.pulls.push(started);
  return { pull: started, changes };
}

const ids = (log: DeskDatabase) =>
  log.events
    .find()
    .exec()
    .then((rows) => rows.map((row) => row.id).sort());

async function updateSeq(database: string) {
  const response = await fetch(`${base}/${database}`, { headers: { authorization } });
  return ((await response.json()) as { update_seq: unknown }).update_seq;
}

describe('a gate scanner’s pull', () => {
  it('reads the whole database in batches, keeps what the device keeps, and keeps its position', async () => {
    const database = 'stagedoor-concert-pull-all';
    await ensureDatabase(store.couch, database);
    const db = store.couch.server.use<Doc>(database);
    const names = Array.from({ length: 2_600 }, (_, i) => `${i % 5 === 0 ? 'other' : 'void'}-${i}`);
    await createAll(db, names.map(event));
    const checkpoints = memoryStorage();
    const log = await newLog();
    const { changes } = pull(log, database, {
      checkpoints,
      keeps: (doc) => !(doc as { _id: string })._id.startsWith('other'),
    });
    await until('the pull to catch up', () => changes.told.caughtUp > 0);
    expect(await ids(log)).toEqual(names.filter((name) => name.startsWith('void')).sort());
    // The rows are the events as the store has them, the id in RxDB's key and no revision.
    const row = await log.events.findOne('void-1').exec();
    expect(row?.toJSON()).toMatchObject({ id: 'void-1', type: 'TicketVoided', data: { ticketId: 'void-1' } });
    expect(row?.toJSON()).not.toHaveProperty('_rev');
    // Its position is the end of the feed, past what it left out.
    expect(JSON.parse(checkpoints.entries.get(`stagedoor.pull.test.${database}`) ?? 'null')).toEqual(
      await updateSeq(database),
    );
  });

  it('reads on from its kept position at the next start, and reads again at the change stream’s news', async () => {
    const database = 'stagedoor-concert-pull-resume';
    await ensureDatabase(store.couch, database);
    const db = store.couch.server.use<Doc>(database);
    await createAll(db, ['a', 'b', 'c'].map(event));
    const checkpoints = memoryStorage();
    const first = pull(await newLog(), database, { checkpoints });
    await until('the first pull to catch up', () => first.changes.told.caughtUp > 0);
    await first.pull.cancel();

    await createAll(db, ['d', 'e'].map(event));
    // A log without a, b and c: the second start reads only what came after its position.
    const log = await newLog();
    const second = pull(log, database, { checkpoints });
    await until('the second pull to catch up', () => second.changes.told.caughtUp > 0);
    expect(await ids(log)).toEqual(['d', 'e']);

    // Caught up, it waits for news; told of them, it reads them.
    await createAll(db, ['f'].map(event));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await ids(log)).toEqual(['d', 'e']);
    second.changes.news();
    await until('the news to be read', async () => (await ids(log)).includes('f'));
  });

  it('waits for a database not made yet, and reads it once it is', async () => {
    const database = 'stagedoor-concert-pull-later';
    const log = await newLog();
    const { changes } = pull(log, database);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await ids(log)).toEqual([]);
    await ensureDatabase(store.couch, database);
    await createAll(store.couch.server.use<Doc>(database), ['x'].map(event));
    changes.news();
    await until('the new database to be read', async () => (await ids(log)).includes('x'));
  });

  it('tells the change stream of a refusal, stores nothing, and tries again', async () => {
    const database = 'stagedoor-concert-pull-refused';
    await ensureDatabase(store.couch, database);
    await createAll(store.couch.server.use<Doc>(database), ['r'].map(event));
    const log = await newLog();
    const checkpoints = memoryStorage();
    const { changes } = pull(log, database, {
      authorization: `Basic ${Buffer.from('nobody:wrong').toString('base64')}`,
      checkpoints,
    });
    await until('two refusals', () => changes.told.refused >= 2);
    expect(await ids(log)).toEqual([]);
    expect(checkpoints.entries.size).toBe(0);
    expect(changes.told.caughtUp).toBe(0);
  });

  it('passes over a document the log holds already (the same event) and reads on', async () => {
    const database = 'stagedoor-concert-pull-held';
    await ensureDatabase(store.couch, database);
    await createAll(store.couch.server.use<Doc>(database), ['h1', 'h2', 'h3'].map(event));
    const log = await newLog();
    const { _id: id, ...fields } = event('h2');
    await log.events.insert({ ...fields, id });
    // Not known as stored: read, and met by a conflict at the insert.
    const { changes } = pull(log, database);
    await until('the pull to catch up', () => changes.told.caughtUp > 0);
    expect(await ids(log)).toEqual(['h1', 'h2', 'h3']);
  });

  it('keeps no position past a write that failed, and reads the same batch again', async () => {
    const database = 'stagedoor-concert-pull-failed-write';
    await ensureDatabase(store.couch, database);
    await createAll(store.couch.server.use<Doc>(database), ['w1', 'w2'].map(event));
    const log = await newLog();
    // The local write fails twice (IndexedDB unavailable), then works: a fault put in front of the real collection.
    let failures = 2;
    const events = Object.create(log.events, {
      bulkInsert: {
        value: (rows: Parameters<typeof log.events.bulkInsert>[0]) => {
          if (failures-- > 0) return Promise.reject(new Error('IndexedDB unavailable'));
          return log.events.bulkInsert(rows);
        },
      },
    }) as typeof log.events;
    const checkpoints = memoryStorage();
    const { changes } = pull(log, database, { events, checkpoints });
    await until('the write to fail twice', () => failures <= 0);
    expect(checkpoints.entries.size).toBe(0);
    await until('the pull to catch up', () => changes.told.caughtUp > 0);
    expect(await ids(log)).toEqual(['w1', 'w2']);
    expect(checkpoints.entries.size).toBe(1);
  });

  it('stops at once when cancelled while waiting for news', async () => {
    const database = 'stagedoor-concert-pull-cancel';
    await ensureDatabase(store.couch, database);
    const { pull: started, changes } = pull(await newLog(), database);
    await until('the pull to catch up', () => changes.told.caughtUp > 0);
    const before = Date.now();
    await started.cancel();
    expect(Date.now() - before).toBeLessThan(1_000);
  });
});
