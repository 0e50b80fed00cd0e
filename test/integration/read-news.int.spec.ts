// The desk's replication reads only what its log lacks (renderer/store/read-news.ts), against the real store: a desk
// back online finds its own thousands of facts in the feed before the decisions it waits for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNews } from '../../renderer/store/read-news';
import type { ChangeRow } from '../../renderer/store/read-news';
import { createAll, ensureDatabase, storeEndpoint } from '../../sync-server/store/couch';
import type { Doc } from '../../sync-server/store/couch';
import { startTestStore } from '../support/store';
import type { TestStore } from '../support/store';

let store: TestStore;
const database = 'stagedoor-concert-read-news';
const own = Array.from({ length: 2500 }, (_, i) => `own-${String(i).padStart(5, '0')}`);
const news = Array.from({ length: 1200 }, (_, i) => `news-${String(i).padStart(5, '0')}`);

beforeAll(async () => {
  store = await startTestStore();
  await ensureDatabase(store.couch, database);
  const db = store.couch.server.use<Doc>(database);
  // A plain database (no event validation): the read is about ids and order, not event shapes. The desk's own facts first, then the decisions: the order a reconnect writes them in.
  for (const ids of [own.slice(0, 1000), own.slice(1000), news])
    await createAll(
      db,
      ids.map((id) => ({ _id: id, type: 'T', data: { id } })),
    );
}, 60_000);

afterAll(async () => {
  await store?.dispose();
});

/** Reads the whole feed as RxDB does: batch after batch from the last checkpoint, until a short batch. */
async function readAll(isStored: (id: string) => boolean, limit = 1000) {
  const { base, authorization } = storeEndpoint(store.url);
  const init = authorization ? { headers: { authorization } } : undefined;
  const rows: ChangeRow[] = [];
  let since: unknown = 0;
  let reads = 0;
  for (;;) {
    const url = new URL(`${base}/${database}/_changes?style=all_docs&include_docs=true&limit=${limit}`);
    url.searchParams.set('since', String(since));
    const read = await readNews(url, init, limit, isStored);
    if (read === 'missing' || read instanceof Response) throw new Error('the read failed');
    reads += 1;
    rows.push(...read.results);
    since = read.lastSeq;
    if (read.results.length < limit) return { rows, reads, since };
  }
}

describe('reading the news of a database', () => {
  it('leaves out what the desk holds, and brings every other document with its body', async () => {
    const stored = new Set(own);
    const { rows } = await readAll((id) => stored.has(id));
    const fresh = rows.filter((row) => !stored.has(row.id));
    // (The store gives one write's documents their sequence numbers in an order of its own.)
    expect(fresh.map((row) => row.id).sort()).toEqual(news);
    for (const row of fresh) expect(row.doc).toMatchObject({ _id: row.id, data: { id: row.id } });
    // Each read that skipped rows still hands on its last one, so that its checkpoint is kept: a few, not 2,500.
    expect(rows.length - fresh.length).toBeLessThanOrEqual(5);
  });

  it('a batch short of its limit means the end of the feed, never a batch that only skipped rows', async () => {
    const stored = new Set(own);
    const { rows, since } = await readAll((id) => stored.has(id), 300);
    expect(rows.filter((row) => !stored.has(row.id))).toHaveLength(news.length);
    // Read on from the last checkpoint: nothing left.
    const after = await readAll(() => false, 300);
    expect(after.rows.length).toBe(own.length + news.length);
    expect(since).toBeDefined();
  });

  it('reads everything when the desk holds nothing (a new desk)', async () => {
    const { rows } = await readAll(() => false);
    expect(rows.map((row) => row.id).sort()).toEqual([...news, ...own].sort());
  });

  it('says when the database does not exist yet', async () => {
    const { base, authorization } = storeEndpoint(store.url);
    const url = new URL(`${base}/stagedoor-concert-not-made/_changes?limit=10&since=0`);
    const read = await readNews(
      url,
      authorization ? { headers: { authorization } } : undefined,
      10,
      () => false,
    );
    expect(read).toBe('missing');
  });
});
