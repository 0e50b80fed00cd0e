// A concert's authority answering the order flow against the real store: holds against the capacity direct sales
// use too, holds that lapse on the authority's clock, tickets issued once, and every answer relayed to the orders
// database, even when the authority stopped between an answer and its relay.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentScope } from 'nano';
import pino from 'pino';
import { monotonicFactory } from 'ulid';
import { concertDatabase, concertStream } from '../../domain/authority/concert-authority';
import { parseEventDoc } from '../../domain/events/catalogue';
import type { DecisionDoc, RequestDoc, RequestType } from '../../domain/events/catalogue';
import { orderStream, ordersDatabase, relayId, requestId } from '../../domain/events/order-flow';
import type { RequestStep } from '../../domain/events/order-flow';
import { reservationIdFor } from '../../domain/order/order';
import { concertHandler } from '../../sync-server/authority/concert-handler';
import type { ConcertHandler } from '../../sync-server/authority/concert-handler';
import { startFollower } from '../../sync-server/authority/follower';
import type { Follower } from '../../sync-server/authority/follower';
import { createMetrics } from '../../sync-server/authority/metrics';
import { authorityDb, createAll, ensureDatabase, getDoc } from '../../sync-server/store/couch';
import type { Doc } from '../../sync-server/store/couch';
import { readStream, saleFact, setUpConcert, startTestStore, waitFor } from '../support/store';
import type { TestStore } from '../support/store';

const price = 15_000;
const staff = { userId: 'cashier-1', role: 'desk' as const };
const nextId = monotonicFactory();
const logger = pino({ level: 'silent' });
const metrics = createMetrics();
let store: TestStore;
const running: Follower[] = [];

beforeAll(async () => {
  store = await startTestStore();
  await ensureDatabase(store.couch, authorityDb);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((follower) => follower.stop()));
});
afterAll(async () => {
  await store.dispose();
});

type AuthorityOptions = { now?: () => Date; holdMinutes?: number; ordersDatabase?: string };

/** The concert's authority in this process, behind its leased follower, as the supervisor runs it. */
function authority(concertId: string, options: AuthorityOptions = {}): ConcertHandler {
  const dbName = concertDatabase(concertId);
  const handler = concertHandler({
    couch: store.couch,
    dbName,
    concertId,
    authorityId: 'int-concert',
    logger,
    metrics,
    expiryCheckMs: 100,
    ...options,
  });
  running.push(
    startFollower({
      couch: store.couch,
      dbName,
      authorityId: 'int-concert',
      handler,
      logger,
      leaseTtlMs: 1500,
      batchSize: 100,
    }),
  );
  return handler;
}

async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((follower) => follower.stop()));
}

type Order = { orderId: string; reservationId: string; concertId: string };
const newOrder = (concertId: string): Order => {
  const orderId = nextId();
  return { orderId, reservationId: reservationIdFor(orderId, concertId), concertId };
};

/** A request as the orders authority writes it into the concert's database. */
function request<T extends Exclude<RequestType, 'TicketsVoidRequested'>>(
  type: T,
  step: RequestStep,
  data: Extract<RequestDoc, { type: T }>['data'],
): RequestDoc {
  const id = requestId(data.reservationId, step);
  const meta = {
    deviceId: 'authority',
    userId: 'authority',
    recordedAt: new Date().toISOString(),
    correlationId: data.orderId,
    causationId: `order-${data.orderId}:0000000000`,
  };
  return { _id: id, type, v: 1, stream: concertStream(data.concertId), data, meta } as RequestDoc;
}
const reserve = (order: Order, lines: { level: string; quantity: number }[]) =>
  request('SeatsReservationRequested', 'reserve', { ...order, lines, staff });
const confirm = (order: Order) => request('ReservationConfirmationRequested', 'confirm', order);
const issue = (order: Order, level: string, quantity: number) =>
  request('TicketsIssueRequested', 'tickets', {
    ...order,
    customerId: 'customer-1',
    lines: [{ concertId: order.concertId, level, quantity, unitPrice: price, currency: 'PLN' }],
  });

/** The accepted decision that answers `causeId`, once there is one. */
async function decisionFor(concertId: string, causeId: string): Promise<DecisionDoc> {
  return waitFor(`the decision on ${causeId}`, async () => {
    const { accepted } = await readStream(store.couch, concertId);
    return accepted.find((d) => d.meta.causationId === causeId);
  });
}

const orders = (): DocumentScope<Doc> => store.couch.server.use<Doc>(ordersDatabase);

/** The relay of a decision in the orders database, once it is there, read through the catalogue. */
async function relayOf(decision: DecisionDoc) {
  return waitFor(`the relay of ${decision._id}`, async () => {
    const raw = await getDoc(orders(), relayId(decision._id));
    if (!raw) return undefined;
    const parsed = parseEventDoc(raw);
    if (!parsed.ok || parsed.doc.type !== 'ConcertDecisionRelayed') throw new Error('not a relay');
    return parsed.doc;
  });
}

const write = (db: DocumentScope<Doc>, ...docs: object[]) => createAll(db, docs as Doc[]);

describe('holding seats for orders', () => {
  it('holds seats within capacity and relays the hold to the order', async () => {
    const concertId = 'int-req-hold';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity: 10, price }]);
    authority(concertId);
    const order = newOrder(concertId);
    const asked = reserve(order, [{ level: 'Regular', quantity: 4 }]);
    await write(db, asked);

    const placed = await decisionFor(concertId, asked._id);
    expect(placed).toMatchObject({
      type: 'ReservationPlaced',
      data: { ...order, lines: [{ level: 'Regular', quantity: 4 }], heldBy: 'cashier-1' },
      meta: { correlationId: order.orderId },
    });
    const relay = await relayOf(placed);
    expect(relay).toMatchObject({
      stream: orderStream(order.orderId),
      data: { concertId, decisionDocId: placed._id, event: { type: 'ReservationPlaced', data: placed.data } },
      meta: { deviceId: 'authority', causationId: placed._id, correlationId: order.orderId },
    });
  });

  it('refuses a hold beyond the seats left, naming the level, and sales see held seats as taken', async () => {
    const concertId = 'int-req-shared';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Golden Circle', capacity: 4, price }]);
    authority(concertId);
    const first = reserve(newOrder(concertId), [{ level: 'Golden Circle', quantity: 3 }]);
    await write(db, first);
    expect((await decisionFor(concertId, first._id)).type).toBe('ReservationPlaced');

    const second = reserve(newOrder(concertId), [{ level: 'Golden Circle', quantity: 2 }]);
    await write(db, second);
    expect(await decisionFor(concertId, second._id)).toMatchObject({
      type: 'ReservationRefused',
      data: { code: 'not_enough_seats', message: '"Golden Circle" has 1 seats left, 2 asked.' },
    });
    const refusal = await relayOf(await decisionFor(concertId, second._id));
    expect(refusal.data.event.type).toBe('ReservationRefused');

    // A request naming another concert is quarantined like a fact would be, and takes nothing.
    const foreign = reserve(newOrder('another-concert'), [{ level: 'Golden Circle', quantity: 1 }]);
    await write(db, foreign);
    const record = await waitFor('the quarantine record', () => getDoc(db, `quarantine:${foreign._id}`));
    expect(record).toMatchObject({
      type: 'FactQuarantined',
      data: { reason: `a request for concert another-concert in ${concertDatabase(concertId)}` },
    });

    const sale = saleFact(concertId, 'desk-1', 'Golden Circle', 2, price);
    await write(db, sale);
    expect(await decisionFor(concertId, sale._id)).toMatchObject({
      type: 'SaleRejected',
      data: { code: 'sold_out', message: 'Golden Circle is sold out: only 1 left, 2 asked.' },
    });
  });

  it('expires a hold on the authority clock, relays the expiry, and the seats are back', async () => {
    const concertId = 'int-req-expiry';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity: 2, price }]);
    let clock = Date.now();
    authority(concertId, { now: () => new Date(clock), holdMinutes: 5 });
    const order = newOrder(concertId);
    const asked = reserve(order, [{ level: 'Regular', quantity: 2 }]);
    await write(db, asked);
    const placed = await decisionFor(concertId, asked._id);
    expect(placed.type).toBe('ReservationPlaced');
    const early = saleFact(concertId, 'desk-1', 'Regular', 1, price);
    await write(db, early);
    expect((await decisionFor(concertId, early._id)).type).toBe('SaleRejected');

    clock += 5 * 60_000; // the hold's time comes: the authority's clock alone expires it
    const expired = await decisionFor(concertId, `expiry:${order.reservationId}`);
    expect(expired).toMatchObject({
      type: 'ReservationExpired',
      data: { ...order, expiredAt: new Date(clock).toISOString() },
      meta: { correlationId: order.orderId },
    });
    expect((await relayOf(expired)).data.event.type).toBe('ReservationExpired');

    const late = saleFact(concertId, 'desk-1', 'Regular', 2, price);
    await write(db, late);
    expect((await decisionFor(concertId, late._id)).type).toBe('SeatsAllocated');
    const confirmation = confirm(order);
    await write(db, confirmation);
    expect(await decisionFor(concertId, confirmation._id)).toMatchObject({
      type: 'ReservationRefused',
      data: { code: 'already_expired' },
    });
    const { accepted } = await readStream(store.couch, concertId);
    expect(accepted.filter((d) => d.type === 'ReservationExpired')).toHaveLength(1);
  });
});

describe('tickets and relays across restarts', () => {
  it('issues the tickets once, even when the request is seen again and after a restart', async () => {
    const concertId = 'int-req-tickets';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity: 10, price }]);
    authority(concertId);
    const order = newOrder(concertId);
    const steps = [
      reserve(order, [{ level: 'Regular', quantity: 3 }]),
      confirm(order),
      issue(order, 'Regular', 3),
    ];
    for (const step of steps) {
      await write(db, step);
      await decisionFor(concertId, step._id);
    }
    const tickets = steps[2] as RequestDoc;
    const issued = await decisionFor(concertId, tickets._id);
    expect(issued.type).toBe('TicketsIssued');
    const ticketIds = issued.type === 'TicketsIssued' ? issued.data.tickets.map((t) => t.ticketId) : [];
    expect(ticketIds).toEqual([1, 2, 3].map((n) => `${order.reservationId}:t${n}`));
    expect((await relayOf(issued)).data.event.type).toBe('TicketsIssued');

    // Written again (a 409), then a restarted authority reads the feed from the start and sees every request again.
    await write(db, tickets);
    await stopAll();
    await store.couch.server
      .use<Doc>(authorityDb)
      .get(`checkpoint:${concertDatabase(concertId)}`)
      .then((doc) => store.couch.server.use<Doc>(authorityDb).destroy(doc._id, doc._rev ?? ''))
      .catch(() => undefined);
    const restarted = authority(concertId);
    const marker = saleFact(concertId, 'desk-1', 'Regular', 1, price);
    await write(db, marker);
    await decisionFor(concertId, marker._id);
    await restarted.handle(
      [{ id: tickets._id, seq: 0, doc: await db.get(tickets._id) }],
      new AbortController().signal,
    );
    const { accepted } = await readStream(store.couch, concertId);
    expect(accepted.filter((d) => d.type === 'TicketsIssued')).toHaveLength(1);
    expect(accepted.filter((d) => d.meta.causationId.startsWith('request:'))).toHaveLength(3);
  });

  it('relays an allocated sale with its price and cash, and on restart the one a stop left missing', async () => {
    const concertId = 'int-req-sale-relay';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity: 10, price }]);
    authority(concertId, { ordersDatabase: 'Not A Valid Name' });
    const sold = saleFact(concertId, 'desk-3', 'Regular', 2, price);
    await write(db, sold);
    const allocated = await decisionFor(concertId, sold._id);
    expect(allocated.type).toBe('SeatsAllocated');
    await stopAll();
    expect(await getDoc(orders(), relayId(allocated._id)).catch(() => undefined)).toBeUndefined();

    // Read back from the stream on load, the allocation's sale is read by its cause for what the order needs.
    authority(concertId);
    const relay = await relayOf(allocated);
    expect(relay.stream).toBe(orderStream(`sale-${sold._id}`));
    expect(relay.data.event).toEqual({
      type: 'SeatsAllocated',
      data: {
        saleId: sold._id,
        concertId,
        level: 'Regular',
        quantity: 2,
        unitPrice: price,
        currency: 'PLN',
        tendered: 2 * price,
        from: 'pool',
        deviceId: 'desk-3',
        userId: 'desk-3-user',
      },
    });
  });

  it('writes on restart the relay that a stop between a decision and its relay left missing', async () => {
    const concertId = 'int-req-relay';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity: 10, price }]);
    // The orders database can't be written (a name the store refuses): decisions are appended, relays are not.
    authority(concertId, { ordersDatabase: 'Not A Valid Name' });
    const order = newOrder(concertId);
    const asked = reserve(order, [{ level: 'Regular', quantity: 1 }]);
    await write(db, asked);
    const placed = await decisionFor(concertId, asked._id);
    await stopAll();
    expect(await getDoc(orders(), relayId(placed._id)).catch(() => undefined)).toBeUndefined();

    authority(concertId);
    const relay = await relayOf(placed);
    expect(relay.data.decisionDocId).toBe(placed._id);
  });
});
