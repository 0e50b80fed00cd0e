// A page of changes is never handed on with a change missing its document (the handlers skip such a change, so its
// fact would never be decided); and a read lets go of the follower's session signal when it is over, while an abort
// of the session still ends it. A small HTTP server here answers the requests readChanges makes, including the
// answers a store should not give (a stand-in for the store, not a mock of our code).
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, readChanges } from './couch';

/** `changes: 'hang'`: the feed never answers, as a long-poll with nothing new. */
type Answer = { changes: unknown; docs: Record<string, unknown> };

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function store(answer: Answer): Promise<{ url: string; asked: string[] }> {
  const asked: string[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      asked.push(`${request.method ?? ''} ${request.url ?? ''}`);
      response.setHeader('content-type', 'application/json');
      if (request.url?.includes('/_changes'))
        return answer.changes === 'hang' ? undefined : response.end(JSON.stringify(answer.changes));
      const { keys } = JSON.parse(body) as { keys: string[] };
      const rows = keys.map((key) =>
        answer.docs[key] ? { key, doc: answer.docs[key] } : { key, error: 'not_found' },
      );
      response.end(JSON.stringify({ rows }));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, asked };
}

const options = () => ({ since: 0, limit: 1000, longpoll: false, signal: new AbortController().signal });
const fact = (id: string) => ({ _id: id, type: 'SaleRecorded', data: {} });

describe('a page of changes', () => {
  it('reads by id the documents a page came without, and hands every change on with its document', async () => {
    const { url, asked } = await store({
      changes: {
        results: [
          { id: 'a', seq: 1, doc: fact('a') },
          { id: 'b', seq: 2 },
          { id: 'c', seq: 3, deleted: true },
          { id: 'd', seq: 4 },
        ],
        last_seq: 4,
      },
      docs: { b: fact('b'), d: fact('d') },
    });
    const page = await readChanges(connect(url), 'stagedoor-concert-x', options());
    expect(page.results.map((c) => [c.id, c.doc?._id ?? null])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
      ['c', null],
      ['d', 'd'],
    ]);
    expect(page.last_seq).toBe(4);
    expect(asked).toHaveLength(2);
  });

  it('fails, so that the page is read again, when a document it came without can’t be read', async () => {
    const { url } = await store({
      changes: { results: [{ id: 'a', seq: 1 }], last_seq: 1 },
      docs: {},
    });
    await expect(readChanges(connect(url), 'stagedoor-concert-x', options())).rejects.toThrow(
      /a came without its document/,
    );
  });

  it('asks nothing more when every change came with its document', async () => {
    const { url, asked } = await store({
      changes: { results: [{ id: 'a', seq: 1, doc: fact('a') }], last_seq: 1 },
      docs: {},
    });
    expect((await readChanges(connect(url), 'stagedoor-concert-x', options())).results).toHaveLength(1);
    expect(asked).toHaveLength(1);
  });

  it('lets go of the session’s signal after each read, and an abort of the session still ends a read', async () => {
    const { url } = await store({
      changes: { results: [{ id: 'a', seq: 1, doc: fact('a') }], last_seq: 1 },
      docs: {},
    });
    const session = new AbortController();
    for (let i = 0; i < 20; i++)
      await readChanges(connect(url), 'stagedoor-concert-x', { ...options(), signal: session.signal });
    expect(getEventListeners(session.signal, 'abort')).toHaveLength(0);

    server?.close();
    const waiting = await store({ changes: 'hang', docs: {} });
    const reading = readChanges(connect(waiting.url), 'stagedoor-concert-x', {
      ...options(),
      longpoll: true,
      signal: session.signal,
    });
    expect(getEventListeners(session.signal, 'abort')).toHaveLength(1);
    session.abort();
    await expect(reading).rejects.toThrow(/abort/i);
    expect(getEventListeners(session.signal, 'abort')).toHaveLength(0);
  });
});
