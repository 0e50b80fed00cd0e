// Benchmark (reconnect storm, issue 6): 20 desks, each with 500 sales made offline (the first 250 inside its block of
// 250 seats, guaranteed; the rest pending, from the free seats), reconnect at once. Each desk uploads its sales as the
// desk's replication does (_bulk_docs, batches of 1,000) and reads the concert's database from where it stood when it
// went offline (_changes, batches of 1,000) until it has every one of its sales decided. Reports the seconds from the
// reconnect until the last desk has its last sale settled (target ≤ 30 s on 2 cores).
//
// The desks are simulated in this process over HTTP, straight to the store, with the whole sync server's authority
// (concerts, orders: every allocated sale also becomes an order) running as in production; a browser per desk would
// measure 20 Chromium renderers on 2 cores rather than the box office.
//
// Baseline, same run, same store: the same traffic without deciding — 10,000 documents of the same shape pushed by
// 20 writers at once, and each of 20 readers reading 20,000 documents (as many as facts and decisions) — the store's
// floor for this storm. The ratio is against it.
import pino from 'pino';
import { concertDatabase, concertStream } from '../domain/authority/concert-authority';
import { ordersDatabase } from '../domain/events/order-flow';
import type { FactDoc } from '../domain/events/catalogue';
import { startAuthority } from '../sync-server/authority/supervisor';
import { createMetrics } from '../sync-server/authority/metrics';
import {
  authorityDb,
  catalogueDb,
  createAll,
  ensureDatabase,
  ensureEventDatabase,
  readChanges,
} from '../sync-server/store/couch';
import type { Couch, Doc, Seq } from '../sync-server/store/couch';
import { factMeta, saleFact, setUpConcert, startTestStore, waitFor } from '../test/support/store';
import { writeResult } from './result';

const desks = 20;
const salesPerDesk = 500;
const block = salesPerDesk / 2;
const price = 10_000;
const concertId = 'bench-storm';
const targetSeconds = 30;

/** Reads a database's changes from `since` until `done` says this reader has what it waits for. */
async function readUntil(
  couch: Couch,
  dbName: string,
  since: Seq,
  done: (doc: Doc) => boolean,
): Promise<void> {
  const signal = new AbortController().signal;
  let at = since;
  for (;;) {
    const page = await readChanges(couch, dbName, { since: at, limit: 1000, longpoll: false, signal });
    at = page.last_seq;
    let finished = false;
    for (const change of page.results) if (change.doc && done(change.doc)) finished = true;
    if (finished) return;
    if (page.results.length < 1000) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function lastSeq(couch: Couch, dbName: string): Promise<Seq> {
  const signal = new AbortController().signal;
  const page = await readChanges(couch, dbName, { since: 'now', limit: 1, longpoll: false, signal });
  return page.last_seq;
}

/** The store's floor: the same writes and reads, nothing decided. */
async function baseline(couch: Couch): Promise<number> {
  const dbName = 'bench-storm-raw';
  await ensureDatabase(couch, dbName);
  const db = couch.server.use<Doc>(dbName);
  const since = await lastSeq(couch, dbName);
  const total = desks * salesPerDesk * 2;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: desks }, async (_, d) => {
      // Each writer pushes its share of facts and decisions, so that the readers have 20,000 to read.
      const docs = Array.from({ length: salesPerDesk * 2 }, () =>
        saleFact(concertId, `raw-${d}`, 'Regular', 1, price),
      );
      for (let i = 0; i < docs.length; i += 1000) await createAll(db, docs.slice(i, i + 1000));
    }),
  );
  await Promise.all(
    Array.from({ length: desks }, async () => {
      let seen = 0;
      await readUntil(couch, dbName, since, () => ++seen >= total);
    }),
  );
  return (performance.now() - started) / 1000;
}

const causeOf = (doc: Doc): string => {
  const meta = doc.meta as { causationId?: unknown } | undefined;
  return typeof meta?.causationId === 'string' ? meta.causationId : '';
};

export async function benchReconnectStorm(): Promise<void> {
  const store = await startTestStore();
  const { couch } = store;
  const authority = startAuthority({
    couch,
    authorityId: 'bench',
    logger: pino({ level: process.env.BENCH_LOG ?? 'silent' }),
    metrics: createMetrics(),
  });
  try {
    await ensureEventDatabase(couch, catalogueDb);
    await ensureDatabase(couch, authorityDb);
    await ensureEventDatabase(couch, ordersDatabase);
    const dbName = concertDatabase(concertId);
    // Every seat is spoken for exactly: the blocks and the pending sales together fill the level.
    const db = await setUpConcert(couch, concertId, [
      { name: 'Regular', capacity: desks * salesPerDesk, price },
    ]);
    const deviceIds = Array.from({ length: desks }, (_, d) => `storm-desk-${String(d).padStart(2, '0')}`);
    const grants = deviceIds.map((deviceId): FactDoc<'AllotmentGrantRequested'> => {
      const id = saleFact(concertId, 'office', 'Regular', 1, price)._id;
      return {
        _id: id,
        type: 'AllotmentGrantRequested',
        v: 1,
        stream: concertStream(concertId),
        data: { allotmentId: id, concertId, deviceId, level: 'Regular', quantity: block },
        meta: factMeta('office', id),
      };
    });
    await createAll(db, grants);
    const granted = new Set(grants.map((g) => g._id));
    // The desks were online when their blocks were granted: they go offline holding them.
    await waitFor('every block granted', async () => {
      const signal = new AbortController().signal;
      let since: Seq = 0;
      for (;;) {
        const page = await readChanges(couch, dbName, { since, limit: 1000, longpoll: false, signal });
        for (const c of page.results) if (c.doc?.type === 'AllotmentGranted') granted.delete(causeOf(c.doc));
        since = page.last_seq;
        if (page.results.length < 1000) break;
      }
      return granted.size === 0 ? true : undefined;
    });
    const offlineSince = await lastSeq(couch, dbName);

    // Offline: each desk sells 500 single seats, the first 250 inside its block.
    const sales = deviceIds.map((deviceId) =>
      Array.from({ length: salesPerDesk }, (_, i) => {
        const sale = saleFact(concertId, deviceId, 'Regular', 1, price);
        return {
          ...sale,
          stream: concertStream(concertId),
          data: { ...sale.data, claim: i < block ? 'allotment' : 'pool' },
        };
      }),
    );

    const base = await baseline(couch);

    const started = performance.now();
    const settledAt: number[] = [];
    let rejected = 0;
    await Promise.all(
      sales.map(async (own) => {
        for (let i = 0; i < own.length; i += 1000) await createAll(db, own.slice(i, i + 1000));
        const waiting = new Set(own.map((s) => s._id));
        await readUntil(couch, dbName, offlineSince, (doc) => {
          if (waiting.delete(causeOf(doc)) && doc.type === 'SaleRejected') rejected++;
          return waiting.size === 0;
        });
        settledAt.push((performance.now() - started) / 1000);
      }),
    );
    const settled = Math.max(...settledAt);
    writeResult('reconnect-storm', {
      desks,
      sales: desks * salesPerDesk,
      settled_s: Number(settled.toFixed(2)),
      target_s: targetSeconds,
      pass: settled <= targetSeconds && rejected === 0,
      rejected,
      first_desk_settled_s: Number(Math.min(...settledAt).toFixed(2)),
      baseline: `20 writers push 10,000 docs and 20 readers read 20,000 each, nothing decided (same store, same run)`,
      baseline_s: Number(base.toFixed(2)),
      ratio: Number((settled / base).toFixed(2)),
      simulated:
        'desks over HTTP straight to the store, in one process; the whole authority runs as in production',
    });
  } finally {
    await authority.stop();
    await store.dispose();
  }
}
