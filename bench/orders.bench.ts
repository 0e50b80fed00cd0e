// Benchmark (orders): 10 simulated desks, each placing orders of 3 lines across 2 concerts one after the other for
// 60 seconds (BENCH_SECONDS) against the embedded store and the authority: confirm the cart, wait until every line's
// seats are held (the order awaits payment), take cash, wait until the tickets of both concerts are issued. Reports
// orders completed per second and the p99 from confirm to tickets issued.
//
// Baseline, same run, same store, same 10 desks: each writes one document and waits to see it come back on the
// database's change feed, one after the other, for 10 seconds — the store's floor for "write, then hear of it",
// which every step of the order process pays at least once. The ratios are against it.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { CartLine } from '../domain/cart/events';
import { parseEventDoc } from '../domain/events/catalogue';
import { ordersDatabase } from '../domain/events/order-flow';
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
import { cashPaymentFact, cartConfirmedFact, totalsOf } from '../test/support/order-facts';
import { setUpConcert, startTestStore } from '../test/support/store';
import { writeResult } from './result';

const desks = 10;
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const baselineSeconds = Math.min(10, seconds);

type Watcher = { stop: () => void; on: (stream: string, listener: (doc: Doc) => void) => () => void };

/** One reader of a database's change feed for every desk: documents by stream, to whoever waits for them. */
function watch(couch: Couch, dbName: string): Watcher {
  const listeners = new Map<string, Set<(doc: Doc) => void>>();
  const abort = new AbortController();
  void (async () => {
    let since: Seq = 'now';
    while (!abort.signal.aborted) {
      try {
        const page = await readChanges(couch, dbName, {
          since,
          limit: 1000,
          longpoll: true,
          signal: abort.signal,
        });
        since = page.last_seq;
        for (const change of page.results) {
          const stream = change.doc?.stream;
          if (typeof stream !== 'string' || !change.doc) continue;
          for (const listener of listeners.get(stream) ?? []) listener(change.doc);
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        throw error;
      }
    }
  })();
  return {
    stop: () => abort.abort(),
    on(stream, listener) {
      const set = listeners.get(stream) ?? new Set();
      listeners.set(stream, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}

/** Resolves with the first document of `stream` that `done` accepts; rejects after `timeoutMs`. */
function next(
  watcher: Watcher,
  stream: string,
  done: (doc: Doc) => boolean,
  timeoutMs = 30_000,
): Promise<Doc> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`nothing on ${stream} within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = watcher.on(stream, (doc) => {
      if (!done(doc)) return;
      clearTimeout(timer);
      stop();
      resolve(doc);
    });
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function baseline(couch: Couch): Promise<{ per_s: number; p99_ms: number }> {
  const name = 'bench-orders-baseline';
  await ensureDatabase(couch, name);
  const db = couch.server.use<Doc>(name);
  const watcher = watch(couch, name);
  const latencies: number[] = [];
  const until = performance.now() + baselineSeconds * 1000;
  await Promise.all(
    Array.from({ length: desks }, async (_, desk) => {
      while (performance.now() < until) {
        const doc = { _id: randomUUID(), stream: `baseline-${desk}`, type: 'Baseline', data: { desk } };
        const seen = next(watcher, doc.stream, (d) => d._id === doc._id);
        const start = performance.now();
        await createAll(db, [doc]);
        await seen;
        latencies.push(performance.now() - start);
      }
    }),
  );
  watcher.stop();
  return { per_s: latencies.length / baselineSeconds, p99_ms: percentile(latencies, 99) };
}

export async function benchOrders(): Promise<Record<string, unknown>> {
  const store = await startTestStore();
  const { couch } = store;
  const levels = [
    { name: 'Regular', capacity: 1_000_000, price: 10000 },
    { name: 'Golden Circle', capacity: 1_000_000, price: 30000 },
  ];
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
    await setUpConcert(couch, 'bench-orders-a', levels);
    await setUpConcert(couch, 'bench-orders-b', levels);
    const base = await baseline(couch);

    const orders = couch.server.use<Doc>(ordersDatabase);
    const watcher = watch(couch, ordersDatabase);
    const lines: CartLine[] = [
      { concertId: 'bench-orders-a', level: 'Regular', quantity: 2, unitPrice: 10000, currency: 'PLN' },
      { concertId: 'bench-orders-a', level: 'Golden Circle', quantity: 1, unitPrice: 30000, currency: 'PLN' },
      { concertId: 'bench-orders-b', level: 'Regular', quantity: 3, unitPrice: 10000, currency: 'PLN' },
    ];
    const [total] = totalsOf(lines);
    if (!total) throw new Error('the order has no total');
    const concerts = new Set(lines.map((l) => l.concertId)).size;
    const typeOf = (doc: Doc) => {
      const parsed = parseEventDoc(doc);
      return parsed.ok ? parsed.doc.type : undefined;
    };

    // One order: confirm, seats held for every concert, cash, tickets issued for every concert.
    const placeOrder = async (desk: number): Promise<number> => {
      const orderId = `bench-${desk}-${randomUUID().slice(0, 8)}`;
      const stream = `order-${orderId}`;
      let held = 0;
      let issued = 0;
      const awaitingPayment = next(watcher, stream, (doc) => {
        const type = typeOf(doc);
        return type === 'OrderCancelled' || (type === 'OrderSeatsHeld' && ++held === concerts);
      });
      const ticketed = next(
        watcher,
        stream,
        (doc) => typeOf(doc) === 'OrderTicketsIssued' && ++issued === concerts,
      );
      const start = performance.now();
      await createAll(orders, [cartConfirmedFact(`bench-desk-${desk}`, orderId, lines)]);
      const answer = await awaitingPayment;
      if (typeOf(answer) === 'OrderCancelled') throw new Error(`order ${orderId} was cancelled`);
      await createAll(orders, [cashPaymentFact(`bench-desk-${desk}`, orderId, total.amount)]);
      await ticketed;
      return performance.now() - start;
    };

    // A warm-up order per desk: the concerts' and the orders' followers are running and caught up.
    await Promise.all(Array.from({ length: desks }, (_, desk) => placeOrder(desk)));
    const latencies: number[] = [];
    const start = performance.now();
    const until = start + seconds * 1000;
    await Promise.all(
      Array.from({ length: desks }, async (_, desk) => {
        while (performance.now() < until) latencies.push(await placeOrder(desk));
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    watcher.stop();

    const ordersPerS = latencies.length / elapsed;
    const p99 = percentile(latencies, 99);
    const result = {
      desks,
      orders_per_s: round(ordersPerS, 2),
      p99_ms: round(p99),
      p50_ms: round(percentile(latencies, 50)),
      orders: latencies.length,
      seconds: round(elapsed),
      lines_per_order: lines.length,
      seats_per_order: lines.reduce((sum, l) => sum + l.quantity, 0),
      baseline: `${desks} desks, each: write one document, wait for it on the change feed (same store, ${baselineSeconds} s)`,
      baseline_per_s: round(base.per_s, 1),
      baseline_p99_ms: round(base.p99_ms),
      ratio_orders_to_baseline_round_trips: round(ordersPerS / base.per_s, 3),
      ratio_p99: round(p99 / base.p99_ms, 1),
    };
    writeResult('orders', result);
    return result;
  } finally {
    await authority.stop();
    await store.dispose();
  }
}
