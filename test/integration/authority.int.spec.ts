// The authority against the real store: concurrent desks, duplicates, crashes, two instances, bad documents.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentScope } from 'nano';
import { concertDatabase } from '../../domain/authority/concert-authority';
import type { FactDoc } from '../../domain/events/catalogue';
import { createAll, ensureDatabase } from '../../sync-server/store/couch';
import type { Doc } from '../../sync-server/store/couch';
import {
  creationFact,
  factMeta,
  publicationFact,
  readStream,
  saleFact,
  setUpConcert,
  stopProcess,
  waitFor,
} from '../support/store';
import type { SyncServerProcess, TestStore } from '../support/store';
import { useSpecStore } from '../support/spec-store';

const capacity = 100;
const price = 19900;
const spec = useSpecStore();
let store: TestStore;
beforeAll(() => {
  store = spec.store;
});

function syncServer(env: Record<string, string> = {}): SyncServerProcess {
  return spec.syncServer(env);
}

/** 10 desks × 100 sales of one seat each, written concurrently: bulk and single writes mixed, some twice. */
async function sellFromTenDesks(
  db: DocumentScope<Doc>,
  concertId: string,
): Promise<FactDoc<'SaleRecorded'>[]> {
  const desks = Array.from({ length: 10 }, (_, d) => `desk-${d}`);
  const all: FactDoc<'SaleRecorded'>[] = [];
  await Promise.all(
    desks.map(async (desk, d) => {
      const facts = Array.from({ length: 100 }, () => saleFact(concertId, desk, 'Regular', 1, price));
      all.push(...facts);
      for (let i = 0; i < facts.length;) {
        if ((i + d) % 3 === 0) {
          const chunk = facts.slice(i, i + 17);
          await createAll(db, chunk);
          i += chunk.length;
        } else {
          await db.insert(facts[i] as Doc);
          i += 1;
        }
        // A desk that lost the answer sends again: the same fact, the same id.
        if (i % 7 === 0) await createAll(db, [facts[i - 1] as Doc]);
      }
    }),
  );
  return all;
}

async function expectExactlyOneDecisionEach(concertId: string, sales: FactDoc<'SaleRecorded'>[]) {
  const saleIds = new Set(sales.map((s) => s._id));
  const stream = await waitFor(
    'a decision for every sale',
    async () => {
      const read = await readStream(store.couch, concertId);
      const decided = read.accepted.filter((d) => saleIds.has(d.meta.causationId)).length;
      return decided >= saleIds.size ? read : undefined;
    },
    90_000,
  );
  const saleDecisions = stream.accepted.filter(
    (d) => d.type === 'SeatsAllocated' || d.type === 'SaleRejected',
  );
  const perSale = new Map<string, number>();
  for (const d of saleDecisions) perSale.set(d.meta.causationId, (perSale.get(d.meta.causationId) ?? 0) + 1);
  expect(perSale.size).toBe(saleIds.size);
  expect([...perSale.values()].every((n) => n === 1)).toBe(true);
  const allocated = saleDecisions.filter((d) => d.type === 'SeatsAllocated');
  const rejected = saleDecisions.filter((d) => d.type === 'SaleRejected');
  expect(allocated.reduce((seats, d) => seats + d.data.quantity, 0)).toBe(capacity);
  expect(rejected).toHaveLength(sales.length - capacity);
  expect(rejected.every((d) => d.type === 'SaleRejected' && d.data.code === 'sold_out')).toBe(true);
  return stream;
}

describe('the authority deciding sales against capacity', () => {
  it('allocates exactly the capacity to 1,000 concurrent sale facts, one decision each', async () => {
    const concertId = 'int-basic';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity, price }]);
    const server = syncServer();
    const port = await server.port;
    const sales = await sellFromTenDesks(db, concertId);
    const stream = await expectExactlyOneDecisionEach(concertId, sales);
    expect(stream.orphans).toHaveLength(0);

    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as {
      concerts: { concertId: string; leaseHeld: boolean }[];
      orders: { leaseHeld: boolean };
    };
    expect(health.concerts.find((c) => c.concertId === concertId)?.leaseHeld).toBe(true);
    // The orders database has its own leased authority, held by the one instance running.
    expect(health.orders.leaseHeld).toBe(true);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(
        `stagedoor_decisions_total\\{concert="${concertId}",outcome="SeatsAllocated"\\} ${capacity}`,
      ),
    );
    expect(metrics).toMatch(
      new RegExp(
        `stagedoor_decisions_total\\{concert="${concertId}",outcome="SaleRejected"\\} ${sales.length - capacity}`,
      ),
    );

    expect(await stopProcess(server, 'SIGTERM')).toBe(0);
  });

  it('loses nothing and decides nothing twice when killed with SIGKILL mid-backlog and restarted', async () => {
    const concertId = 'int-crash';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity, price }]);
    const first = syncServer({ BATCH_SIZE: '20' });
    await first.port;
    const selling = sellFromTenDesks(db, concertId);
    await waitFor('some decisions', async () =>
      (await readStream(store.couch, concertId)).accepted.length > 150 ? true : undefined,
    );
    await stopProcess(first, 'SIGKILL');
    const sales = await selling;
    syncServer({ BATCH_SIZE: '20' });
    const stream = await expectExactlyOneDecisionEach(concertId, sales);
    expect(stream.orphans).toHaveLength(0);
  });

  it('stays exact with two instances running at once, and the standby takes over when the active one dies', async () => {
    const concertId = 'int-two';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity, price }]);
    const a = syncServer({ AUTHORITY_ID: 'instance-a', BATCH_SIZE: '25' });
    const b = syncServer({ AUTHORITY_ID: 'instance-b', BATCH_SIZE: '25' });
    await Promise.all([a.port, b.port]);
    const selling = sellFromTenDesks(db, concertId);
    await waitFor('some decisions', async () =>
      (await readStream(store.couch, concertId)).accepted.length > 200 ? true : undefined,
    );
    const active = (await readStream(store.couch, concertId)).accepted.at(-1)?.meta;
    const victim = active && 'authorityId' in active && active.authorityId === 'instance-b' ? b : a;
    await stopProcess(victim, 'SIGKILL');
    const sales = await selling;
    const stream = await expectExactlyOneDecisionEach(concertId, sales);
    const writers = new Set(stream.accepted.map((d) => d.meta.authorityId));
    expect(writers.size).toBe(2);
  });
});

describe('bad documents', () => {
  it('quarantines a malformed document and one of an unknown type, and keeps deciding', async () => {
    const concertId = 'int-quarantine';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity: 5, price }]);
    const server = syncServer();
    const port = await server.port;
    const before = saleFact(concertId, 'desk-1', 'Regular', 1, price);
    const malformed = {
      ...saleFact(concertId, 'desk-1', 'Regular', 1, price),
      data: { concertId, quantity: 'two' },
    };
    const unknown = {
      _id: '01KQUARANT1NE0000000000000',
      type: 'TicketTeleported',
      v: 1,
      stream: 'x',
      data: {},
      meta: factMeta('desk-1', 'q'),
    };
    const wrongConcert = saleFact('another-concert', 'desk-1', 'Regular', 1, price);
    await createAll(db, [before, malformed, unknown, wrongConcert] as Doc[]);
    const after = saleFact(concertId, 'desk-2', 'Regular', 2, price);
    await createAll(db, [after]);

    const stream = await waitFor('both good sales decided', async () => {
      const read = await readStream(store.couch, concertId);
      const causes = new Set(read.accepted.map((d) => d.meta.causationId));
      return causes.has(before._id) && causes.has(after._id) ? read : undefined;
    });
    expect(stream.accepted.filter((d) => d.type === 'SeatsAllocated').map((d) => d.meta.causationId)).toEqual(
      [before._id, after._id],
    );
    for (const bad of [malformed, unknown, wrongConcert]) {
      const record = (await db.get(`quarantine:${bad._id}`)) as unknown as {
        type: string;
        data: { reason: string; docId: string };
      };
      expect(record.type).toBe('FactQuarantined');
      expect(record.data.docId).toBe(bad._id);
      expect(record.data.reason.length).toBeGreaterThan(10);
    }
    expect(
      ((await db.get(`quarantine:${unknown._id}`)) as unknown as { data: { reason: string } }).data.reason,
    ).toContain('unknown event type');
    expect(
      stream.accepted.some((d) =>
        [malformed._id, unknown._id, wrongConcert._id].includes(d.meta.causationId),
      ),
    ).toBe(false);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`stagedoor_quarantined_total\\{concert="${concertId}"\\} 3`));
  });

  it('refuses to update or delete an event in the store itself', async () => {
    const db = store.couch.server.use<Doc>(concertDatabase('int-quarantine'));
    const [first] = (await db.list({ limit: 1, include_docs: true })).rows;
    const doc = first?.doc as Doc;
    await expect(db.insert({ ...doc, type: 'Rewritten' })).rejects.toMatchObject({ statusCode: 403 });
    await expect(db.destroy(doc._id, doc._rev ?? '')).rejects.toMatchObject({ statusCode: 403 });
  });

  it('exits at start with one clear line when the store stays unreachable', async () => {
    const server = spec.syncServer({ COUCHDB_URL: 'http://admin:pw@127.0.0.1:9', STORE_WAIT_MS: '500' });
    expect(await server.exited).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^stagedoor sync server: the store at http:\/\/admin:\*\*\*@127\.0\.0\.1:9\/ is unreachable/,
    );
  });
});

describe('old schema versions', () => {
  it("decides a v1 sale, which had no currency, in the concert's currency", async () => {
    const concertId = 'int-upcast';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity: 5, price }]);
    syncServer();
    const current = saleFact(concertId, 'desk-1', 'Regular', 2, price);
    const { currency: _dropped, ...v1Data } = current.data;
    await createAll(db, [{ ...current, v: 1, data: v1Data }] as Doc[]);
    const stream = await waitFor('the v1 sale decided', async () => {
      const read = await readStream(store.couch, concertId);
      return read.accepted.some((d) => d.meta.causationId === current._id) ? read : undefined;
    });
    expect(stream.accepted.find((d) => d.meta.causationId === current._id)?.type).toBe('SeatsAllocated');
    expect(((await db.get(current._id)) as unknown as { v: number }).v).toBe(1);
  });
});

describe('cluster conflicts in a decision stream', () => {
  it('lets the deterministic winner stand and decides the loser’s facts again', async () => {
    const concertId = 'int-conflict';
    // A cluster's internal shard sync stores revisions without running validate_doc_update; this database has
    // no design document so that the test can store a conflicting revision the way a cluster would.
    await ensureDatabase(store.couch, concertDatabase(concertId));
    const db = store.couch.server.use<Doc>(concertDatabase(concertId));
    await createAll(db, [
      creationFact(concertId, [{ name: 'Regular', capacity: 3, price }]),
      publicationFact(concertId),
    ] as Doc[]);
    syncServer();
    const sales = Array.from({ length: 5 }, (_, i) => saleFact(concertId, `desk-${i}`, 'Regular', 1, price));
    await createAll(db, sales);
    const before = await expectDecided(concertId, sales, 3);
    const first = before.accepted.find((d) => d.type === 'SeatsAllocated');
    if (!first) throw new Error('no allocation to contest');

    // What a CouchDB cluster can do: a second revision of the same position, written by another writer
    // during a partition. Its revision id sorts higher, so it wins everywhere.
    const rival = {
      ...first,
      _rev: `1-${'f'.repeat(32)}`,
      type: 'SaleRejected',
      data: { ...first.data, code: 'sold_out', message: 'Regular is sold out.' },
      meta: { ...first.meta, decisionId: 'rival-writer-decision', authorityId: 'rival' },
    };
    const written: unknown = await store.couch.server.request({
      db: concertDatabase(concertId),
      method: 'post',
      path: '_bulk_docs',
      body: { docs: [rival], new_edits: false },
    });
    expect(written).toEqual([]);
    expect(((await db.get(first._id)) as unknown as { meta: { decisionId: string } }).meta.decisionId).toBe(
      'rival-writer-decision',
    );

    const after = await waitFor('the stream repaired', async () => {
      const read = await readStream(store.couch, concertId);
      return read.accepted[first.meta.position]?.meta.decisionId === 'rival-writer-decision' &&
        sales.every((s) => read.accepted.some((d) => d.meta.causationId === s._id))
        ? read
        : undefined;
    });
    await expectDecided(concertId, sales, 3);
    expect(after.orphans.length).toBeGreaterThan(0);
    expect(after.accepted.find((d) => d.meta.causationId === first.meta.causationId)?.type).toBe(
      'SaleRejected',
    );
  });
});

/** Every sale has exactly one decision in the accepted chain, and exactly `seats` seats are allocated. */
async function expectDecided(concertId: string, sales: FactDoc<'SaleRecorded'>[], seats: number) {
  const ids = new Set(sales.map((s) => s._id));
  const stream = await waitFor('every sale decided', async () => {
    const read = await readStream(store.couch, concertId);
    return read.accepted.filter((d) => ids.has(d.meta.causationId)).length === ids.size ? read : undefined;
  });
  const decisions = stream.accepted.filter((d) => ids.has(d.meta.causationId));
  expect(new Set(decisions.map((d) => d.meta.causationId)).size).toBe(decisions.length);
  const allocated = decisions.filter((d) => d.type === 'SeatsAllocated');
  expect(allocated.reduce((n, d) => n + d.data.quantity, 0)).toBe(seats);
  return stream;
}
