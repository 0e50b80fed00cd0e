// Direct uploads against a real HTTP server on 127.0.0.1 that answers _bulk_docs as the store does (created,
// conflict, or a refusal per document) and can hold a write back. The browser's online flag is the one stub: Node
// has no `navigator.onLine`.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { directUploads } from './direct-upload';

type Write = { database: string; ids: string[] };

let server: Server;
let url: string;
let writes: Write[];
let held: (() => void)[];
let holding: boolean;
const stored = new Set<string>();

beforeEach(async () => {
  writes = [];
  held = [];
  holding = false;
  stored.clear();
  vi.stubGlobal('navigator', { onLine: true });
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const database = /^\/couch\/([^/]+)\/_bulk_docs$/.exec(request.url ?? '')?.[1] ?? '?';
      const { docs } = JSON.parse(body) as { docs: { _id: string }[] };
      writes.push({ database, ids: docs.map((doc) => doc._id) });
      const answer = () => {
        const results = docs.map(({ _id: id }) => {
          if (id.startsWith('refused'))
            return { id, error: 'forbidden', reason: 'not this device’s to write' };
          if (stored.has(id)) return { id, error: 'conflict', reason: 'Document update conflict.' };
          stored.add(id);
          return { id, ok: true, rev: '1-a' };
        });
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(results));
      };
      if (holding) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  vi.unstubAllGlobals();
  for (const answer of held) answer();
  await new Promise((resolve) => server.close(resolve));
});

const uploads = (delivered: string[] = [], gatherMs = 0) =>
  directUploads({
    server: url,
    authorization: 'Basic eA==',
    onDelivered: (id) => delivered.push(id),
    gatherMs,
  });

/** Until the server has received `n` writes. */
async function writesArrived(n: number) {
  await vi.waitFor(() => expect(writes.length).toBeGreaterThanOrEqual(n), { timeout: 5_000, interval: 5 });
}

describe('direct uploads', () => {
  it('sends a fact at once, and the facts sent while that write is under way together in the next', async () => {
    const delivered: string[] = [];
    const direct = uploads(delivered);
    holding = true;
    const first = direct.send('concert-a', { _id: 'f1' });
    await writesArrived(1);
    const later = ['f2', 'f3', 'f4'].map((id) => direct.send('concert-a', { _id: id }));
    // Asked while it waits for its write: the answer comes once it was written.
    const f3 = direct.delivered('f3');
    holding = false;
    held.shift()?.();
    expect(await first).toBe(true);
    expect(await Promise.all(later)).toEqual([true, true, true]);
    expect(await f3).toBe(true);
    expect(writes).toEqual([
      { database: 'concert-a', ids: ['f1'] },
      { database: 'concert-a', ids: ['f2', 'f3', 'f4'] },
    ]);
    expect(delivered).toEqual(['f1', 'f2', 'f3', 'f4']);
  });

  it('with gatherMs, sends what came within it together, and writes at most once per gatherMs', async () => {
    const direct = uploads([], 300);
    const firstAt = performance.now();
    const first = ['g1', 'g2', 'g3'].map((id) => direct.send('concert-a', { _id: id }));
    expect(await Promise.all(first)).toEqual([true, true, true]);
    expect(performance.now() - firstAt).toBeGreaterThanOrEqual(290);
    const secondAt = performance.now();
    expect(await direct.send('concert-a', { _id: 'g4' })).toBe(true);
    expect(await direct.send('concert-a', { _id: 'g5' })).toBe(true);
    expect(performance.now() - secondAt).toBeGreaterThanOrEqual(2 * 290);
    expect(writes.map((write) => write.ids)).toEqual([['g1', 'g2', 'g3'], ['g4'], ['g5']]);
  });

  it('does not hold one database’s facts back for another’s write', async () => {
    const direct = uploads();
    holding = true;
    const slow = direct.send('concert-a', { _id: 'a1' });
    await writesArrived(1);
    holding = false;
    expect(await direct.send('concert-b', { _id: 'b1' })).toBe(true);
    expect(writes.map((write) => write.database)).toEqual(['concert-a', 'concert-b']);
    held.shift()?.();
    expect(await slow).toBe(true);
  });

  it('counts a fact the store holds already as delivered, and one it refuses as not', async () => {
    const direct = uploads();
    stored.add('there-already');
    const results = await Promise.all([
      direct.send('concert-a', { _id: 'there-already' }),
      direct.send('concert-a', { _id: 'refused-1' }),
      direct.send('concert-a', { _id: 'new-1' }),
    ]);
    expect(results).toEqual([true, false, true]);
    expect(await direct.delivered('refused-1')).toBe(false);
    expect(await direct.delivered('new-1')).toBe(true);
  });

  it('offline, sends nothing and delivers nothing (the replication pushes it later)', async () => {
    vi.stubGlobal('navigator', { onLine: false });
    const direct = uploads();
    expect(await direct.send('concert-a', { _id: 'o1' })).toBe(false);
    expect(await direct.send('concert-a', { _id: 'o2' })).toBe(false);
    expect(await direct.delivered('o1')).toBe(false);
    expect(writes).toEqual([]);
  });

  it('sends many facts in writes of up to a thousand, leaving out what was delivered already', async () => {
    const direct = uploads();
    expect(await direct.send('concert-a', { _id: 'm0' })).toBe(true);
    const docs = Array.from({ length: 2_500 }, (_, i) => ({ _id: `m${i}` }));
    await direct.sendAll('concert-a', docs);
    expect(writes.slice(1).map((write) => write.ids.length)).toEqual([1000, 1000, 499]);
    expect(await direct.delivered('m2499')).toBe(true);
  });
});
