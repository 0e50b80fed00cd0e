// The order process against the real store and real sync server processes: desk facts written straight into the
// orders database, the orders authority and the concerts' authorities answering each other through requests and
// relays. Seats come back when an order fails, a paid order gets exactly its tickets and one numbered invoice, holds
// lapse on the authority's clock, and a SIGKILL between "paid" and "tickets issued" loses and doubles nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { availability } from '../../domain/inventory/inventory';
import {
  concertDatabase,
  evolveAuthority,
  initialAuthorityState,
  isStreamDecision,
} from '../../domain/authority/concert-authority';
import type { CartLine } from '../../domain/cart/events';
import { isDecision, parseEventDoc } from '../../domain/events/catalogue';
import type { DecisionDoc } from '../../domain/events/catalogue';
import { orderStream, ordersDatabase, requestId } from '../../domain/events/order-flow';
import { numberingStream } from '../../domain/finance/invoice-numbering';
import { emptyChain, followChain, streamRange } from '../../domain/log/stream';
import {
  invoiceIdFor,
  reservationIdFor,
  saleOrderIdFor,
  saleReservationIdFor,
} from '../../domain/order/order';
import { createAll, getDoc, readChanges, readRange } from '../../sync-server/store/couch';
import type { Doc, Seq } from '../../sync-server/store/couch';
import { cartConfirmedFact, cashPaymentFact, totalsOf } from '../support/order-facts';
import { readStream, saleFact, setUpConcert, stopProcess, waitFor } from '../support/store';
import type { SyncServerProcess, TestStore } from '../support/store';
import { useSpecStore } from '../support/spec-store';

const spec = useSpecStore();
let store: TestStore;
beforeAll(() => {
  store = spec.store;
});

/** A sync server, once it listens: by then it has created the orders database. */
async function syncServer(env: Record<string, string> = {}): Promise<SyncServerProcess> {
  const server = spec.syncServer(env);
  await server.port;
  return server;
}

const orders = () => store.couch.server.use<Doc>(ordersDatabase);

/** An order's stream as every reader sees it: the accepted chain, plus what was orphaned. */
async function readDecisions(stream: string): Promise<{ accepted: DecisionDoc[]; orphans: DecisionDoc[] }> {
  const { startkey, endkey } = streamRange(stream);
  const decisions: DecisionDoc[] = [];
  for await (const page of readRange(orders(), startkey, endkey))
    for (const raw of page) {
      const parsed = parseEventDoc(raw);
      if (parsed.ok && isDecision(parsed.doc) && parsed.doc.stream === stream) decisions.push(parsed.doc);
    }
  const { accepted, orphans } = followChain(
    emptyChain(),
    decisions.map((d) => ({ ...d.meta, doc: d })),
  );
  return { accepted: accepted.map((a) => a.doc), orphans: orphans.map((o) => o.doc) };
}

/** Waits until the order's stream holds what `done` looks for. */
function orderUntil(
  orderId: string,
  what: string,
  done: (decisions: DecisionDoc[]) => boolean,
  timeoutMs = 60_000,
) {
  return waitFor(
    what,
    async () => {
      const { accepted } = await readDecisions(orderStream(orderId));
      return done(accepted) ? accepted : undefined;
    },
    timeoutMs,
  );
}

const count = (decisions: readonly DecisionDoc[], type: string) =>
  decisions.filter((d) => d.type === type).length;

/** Seats left per level, as the concert's accepted stream counts them (sales, holds and confirmed seats). */
async function seatsLeft(concertId: string): Promise<Record<string, number>> {
  let state = initialAuthorityState();
  for (const doc of (await readStream(store.couch, concertId)).accepted)
    if (isStreamDecision(doc)) state = evolveAuthority(state, doc);
  return Object.fromEntries(availability(state.concert).map((l) => [l.level, l.left]));
}

/** The concert's accepted decisions about one reservation. */
async function reservationDecisions(concertId: string, reservationId: string): Promise<DecisionDoc[]> {
  const { accepted } = await readStream(store.couch, concertId);
  return accepted.filter((d) => (d.data as { reservationId?: string }).reservationId === reservationId);
}

/** Two concerts with seats enough for the order, unless `vip` says otherwise. */
async function twoConcerts(prefix: string, vip = 5) {
  const first = `${prefix}-a`;
  const second = `${prefix}-b`;
  await setUpConcert(store.couch, first, [
    { name: 'Regular', capacity: 10, price: 15000 },
    { name: 'VIP', capacity: vip, price: 30000 },
  ]);
  await setUpConcert(store.couch, second, [{ name: 'Płyta', capacity: 10, price: 10000 }]);
  const lines: CartLine[] = [
    { concertId: first, level: 'Regular', quantity: 2, unitPrice: 15000, currency: 'PLN' },
    { concertId: first, level: 'VIP', quantity: 2, unitPrice: 30000, currency: 'PLN' },
    { concertId: second, level: 'Płyta', quantity: 2, unitPrice: 10000, currency: 'PLN' },
  ];
  const [total] = totalsOf(lines);
  if (!total) throw new Error('no total');
  return { first, second, lines, total: total.amount };
}

const everySeatBack = async (first: string, second: string, vip: number) => {
  expect(await seatsLeft(first)).toEqual({ Regular: 10, VIP: vip });
  expect(await seatsLeft(second)).toEqual({ Płyta: 10 });
};

/** A paid order's outcome: exactly its tickets, once each, and one invoice with a number. */
async function expectFulfilled(orderId: string, first: string, second: string, total: number) {
  const decisions = await orderUntil(
    orderId,
    'the order invoiced',
    (d) => count(d, 'OrderInvoiced') === 1 && count(d, 'InvoicePaymentRecorded') === 1,
  );
  const tickets: string[] = [];
  for (const concertId of [first, second]) {
    const issued = (await reservationDecisions(concertId, reservationIdFor(orderId, concertId))).filter(
      (d) => d.type === 'TicketsIssued',
    );
    expect(issued).toHaveLength(1);
    for (const doc of issued)
      if (doc.type === 'TicketsIssued') tickets.push(...doc.data.tickets.map((t) => t.ticketId));
  }
  expect(tickets).toHaveLength(6);
  expect(new Set(tickets).size).toBe(6);
  expect(count(decisions, 'OrderTicketsIssued')).toBe(2);
  expect(decisions.flatMap((d) => (d.type === 'OrderTicketsIssued' ? d.data.ticketIds : [])).sort()).toEqual(
    [...tickets].sort(),
  );
  expect(count(decisions, 'DeliveryMethodChosen')).toBe(6);
  expect(count(decisions, 'PaymentSucceeded')).toBe(1);
  expect(count(decisions, 'OrderPaymentCaptured')).toBe(1);
  expect(count(decisions, 'OrderCancelled')).toBe(0);
  expect(new Set(decisions.map((d) => d.meta.causationId)).size).toBe(decisions.length);

  const invoices = decisions.filter((d) => d.type === 'InvoiceCreated');
  expect(invoices).toHaveLength(1);
  const invoice = invoices[0];
  if (invoice?.type !== 'InvoiceCreated') throw new Error('no invoice');
  expect(invoice.data.lines).toHaveLength(3);
  // Prices include 8 % VAT, taken out per line: 300.00 → 22.22, 600.00 → 44.44, 200.00 → 14.81.
  expect(invoice.data.lines.map((l) => [l.gross, l.tax])).toEqual([
    [30000, 2222],
    [60000, 4444],
    [20000, 1481],
  ]);
  expect(invoice.data.totals).toEqual([{ currency: 'PLN', gross: total, tax: 8147, net: total - 8147 }]);
  const year = new Date(invoice.data.issuedAt).getUTCFullYear();
  const numbered = await waitFor('the invoice numbered', async () => {
    const { accepted } = await readDecisions(numberingStream('FV', year));
    return accepted.find(
      (d) => d.type === 'InvoiceNumberAssigned' && d.data.documentId === invoiceIdFor(orderId),
    );
  });
  expect(numbered.type === 'InvoiceNumberAssigned' && numbered.data.number).toMatch(/^FV\/\d{4}\/\d{6}$/);
  return decisions;
}

describe('the order process', () => {
  it('reserves nothing when one line cannot be held: every hold is released and the order is cancelled naming it', async () => {
    const { first, second, lines } = await twoConcerts('ord-refused', 1);
    await syncServer();
    const orderId = 'refused-1';
    await createAll(orders(), [cartConfirmedFact('desk-1', orderId, lines)]);
    const decisions = await orderUntil(orderId, 'the order cancelled', (d) => count(d, 'OrderCancelled') > 0);
    const cancelled = decisions.find((d) => d.type === 'OrderCancelled');
    expect(cancelled?.data).toMatchObject({ reason: 'reservation_refused', concertId: first });
    expect(cancelled?.type === 'OrderCancelled' && cancelled.data.message).toContain('VIP');

    const held = reservationIdFor(orderId, second);
    await waitFor('the other concert’s hold released', async () =>
      (await reservationDecisions(second, held)).some((d) => d.type === 'ReservationReleased')
        ? true
        : undefined,
    );
    expect((await reservationDecisions(first, reservationIdFor(orderId, first))).map((d) => d.type)).toEqual([
      'ReservationRefused',
    ]);
    await everySeatBack(first, second, 1);

    // A concert's fact written to the orders database is quarantined there, and the process goes on.
    const misplaced = saleFact(first, 'desk-1', 'Regular', 1, 15000);
    await createAll(orders(), [misplaced]);
    const record = await waitFor('the misplaced sale quarantined', () =>
      getDoc<Doc & { data: { reason: string } }>(orders(), `quarantine:${misplaced._id}`),
    );
    expect(record.data.reason).toContain('belongs in its concert');
  });

  it('takes an order with seats to paid, six tickets for six seats, and one numbered invoice of three lines', async () => {
    const { first, second, lines, total } = await twoConcerts('ord-paid');
    await syncServer();
    const orderId = 'paid-1';
    await createAll(orders(), [
      cartConfirmedFact('desk-1', orderId, lines, { kind: 'email', email: 'ola@example.com' }),
    ]);
    await orderUntil(orderId, 'both holds', (d) => count(d, 'OrderSeatsHeld') === 2);
    expect(await seatsLeft(first)).toEqual({ Regular: 8, VIP: 3 });
    await createAll(orders(), [cashPaymentFact('desk-1', orderId, total)]);
    await expectFulfilled(orderId, first, second, total);
    // The confirmation is requested once the order is invoiced (a step after it); sending it is the mailer's, so the
    // order ends invoiced.
    const decisions = await orderUntil(
      orderId,
      'the confirmation requested',
      (d) => count(d, 'NotificationRequested') > 0,
    );
    expect(count(decisions, 'NotificationRequested')).toBe(1);
    expect(count(decisions, 'OrderConfirmationSent')).toBe(0);
    expect(await seatsLeft(first)).toEqual({ Regular: 8, VIP: 3 });
    expect(await seatsLeft(second)).toEqual({ Płyta: 8 });
    for (const step of ['reserve', 'confirm', 'tickets'] as const) {
      const request = await getDoc<Doc & { meta: { causationId: string } }>(
        store.couch.server.use<Doc>(concertDatabase(first)),
        requestId(reservationIdFor(orderId, first), step),
      );
      expect(request?.meta.causationId).toMatch(new RegExp(`^${orderStream(orderId)}:\\d{10}$`));
    }
  });
});

describe('a cash sale at the desk', () => {
  it('becomes a one-line order with its tickets and a numbered invoice once allocated; a rejected sale none', async () => {
    const concertId = 'ord-sale';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Regular', capacity: 3, price: 15000 }]);
    await syncServer();
    const allocated = saleFact(concertId, 'desk-1', 'Regular', 2, 15000);
    const beyond = saleFact(concertId, 'desk-2', 'Regular', 2, 15000);
    await createAll(db, [allocated, beyond]);
    const orderId = saleOrderIdFor(allocated._id);
    const decisions = await orderUntil(
      orderId,
      'the sale invoiced',
      (d) => count(d, 'OrderInvoiced') === 1 && count(d, 'InvoicePaymentRecorded') === 1,
    );
    expect(decisions[0]).toMatchObject({
      type: 'OrderRecordedFromSale',
      data: { saleId: allocated._id, deviceId: 'desk-1', delivery: { kind: 'printed' } },
    });
    expect(decisions[0]?.meta.causationId).toMatch(/^relay:concert-ord-sale:\d{10}$/);

    // The concert decided each sale once, in one hop: the allocation issued its seats, and nothing else about the
    // sale is in the concert's stream (the order asks it for nothing).
    const { accepted } = await readStream(store.couch, concertId);
    const about = (saleId: string) =>
      accepted.filter(
        (d) =>
          (d.data as { saleId?: string }).saleId === saleId ||
          (d.data as { reservationId?: string }).reservationId === saleReservationIdFor(saleId),
      );
    expect(about(allocated._id).map((d) => d.type)).toEqual(['SeatsAllocated']);
    expect(about(beyond._id).map((d) => d.type)).toEqual(['SaleRejected']);
    const recorded = decisions[0];
    const tickets =
      recorded?.type === 'OrderRecordedFromSale' ? recorded.data.reservations[0]?.ticketIds : [];
    expect(tickets).toEqual([`sale:${allocated._id}:t1`, `sale:${allocated._id}:t2`]);
    expect(count(decisions, 'OrderTicketsIssued')).toBe(0);
    expect(count(decisions, 'DeliveryMethodChosen')).toBe(2);
    expect(count(decisions, 'NotificationRequested')).toBe(0);
    expect(new Set(decisions.map((d) => d.meta.causationId)).size).toBe(decisions.length);
    // Seats are counted once: by the sale, not again by its order.
    expect(await seatsLeft(concertId)).toEqual({ Regular: 1 });

    const invoice = decisions.find((d) => d.type === 'InvoiceCreated');
    if (invoice?.type !== 'InvoiceCreated') throw new Error('no invoice');
    expect(invoice.data.lines).toHaveLength(1);
    expect(invoice.data.totals).toEqual([{ currency: 'PLN', gross: 30000, tax: 2222, net: 27778 }]);
    const paid = decisions.find((d) => d.type === 'InvoicePaymentRecorded');
    expect(paid?.data).toMatchObject({ method: 'cash', amount: 30000 });
    const year = new Date(invoice.data.issuedAt).getUTCFullYear();
    const numbered = await waitFor('the invoice numbered', async () => {
      const { accepted: numbers } = await readDecisions(numberingStream('FV', year));
      return numbers.find(
        (d) => d.type === 'InvoiceNumberAssigned' && d.data.documentId === invoiceIdFor(orderId),
      );
    });
    expect(numbered.type === 'InvoiceNumberAssigned' && numbered.data.number).toMatch(/^FV\/\d{4}\/\d{6}$/);

    // The rejected sale made no order: nothing was relayed for it, nothing is in its order's stream.
    const rejected = orderStream(saleOrderIdFor(beyond._id));
    const { rows } = await orders().list({ include_docs: true });
    expect(rows.filter((r) => (r.doc as { stream?: string } | undefined)?.stream === rejected)).toEqual([]);
  });
});

describe('the authority’s clock', () => {
  it('gives the seats back and cancels the order when a hold lapses unpaid', async () => {
    const { first, second, lines } = await twoConcerts('ord-lapsed');
    // A minute a second: the 15-minute hold lapses in 15 s, before the order's 30-minute deadline.
    await syncServer({ CLOCK_RATE: '60', ORDER_TIMEOUT_MINUTES: '30' });
    const orderId = 'lapsed-1';
    await createAll(orders(), [cartConfirmedFact('desk-1', orderId, lines)]);
    await orderUntil(orderId, 'both holds', (d) => count(d, 'OrderSeatsHeld') === 2);
    const decisions = await orderUntil(orderId, 'the order cancelled', (d) => count(d, 'OrderCancelled') > 0);
    expect(decisions.find((d) => d.type === 'OrderCancelled')?.data).toMatchObject({
      reason: 'reservation_expired',
    });
    await waitFor('every seat back', async () => {
      const back =
        JSON.stringify(await seatsLeft(first)) === JSON.stringify({ Regular: 10, VIP: 5 }) &&
        JSON.stringify(await seatsLeft(second)) === JSON.stringify({ Płyta: 10 });
      return back ? true : undefined;
    });
  });

  it('times out an unpaid order at its deadline and releases its holds', async () => {
    const { first, second, lines } = await twoConcerts('ord-timeout');
    await syncServer({ CLOCK_RATE: '60', ORDER_TIMEOUT_MINUTES: '1' });
    const orderId = 'timeout-1';
    await createAll(orders(), [cartConfirmedFact('desk-1', orderId, lines)]);
    const decisions = await orderUntil(orderId, 'the order timed out', (d) => count(d, 'OrderCancelled') > 0);
    expect(decisions.find((d) => d.type === 'OrderCancelled')).toMatchObject({
      data: { reason: 'timed_out' },
      meta: { causationId: `timeout:${orderId}` },
    });
    for (const concertId of [first, second])
      await waitFor(`${concertId} released`, async () =>
        (await reservationDecisions(concertId, reservationIdFor(orderId, concertId))).some(
          (d) => d.type === 'ReservationReleased',
        )
          ? true
          : undefined,
      );
    await everySeatBack(first, second, 5);
  });
});

describe('another instance’s decisions', () => {
  it('reads an order’s stream again when another writer appended to it, and carries out what it asked for', async () => {
    const { first, second, lines, total } = await twoConcerts('ord-rival');
    await syncServer();
    const orderId = 'rival-1';
    await createAll(orders(), [cartConfirmedFact('desk-1', orderId, lines)]);
    const held = await orderUntil(orderId, 'both holds', (d) => count(d, 'OrderSeatsHeld') === 2);
    const head = held.at(-1);
    if (!head) throw new Error('no head');
    // Another authority instance (a lapsed lease) cancels the order at the stream's next position.
    const stream = orderStream(orderId);
    const position = head.meta.position + 1;
    await createAll(orders(), [
      {
        _id: `${stream}:${String(position).padStart(10, '0')}`,
        type: 'OrderCancelled',
        v: 1,
        stream,
        data: { orderId, reason: 'cancelled_by_staff', message: 'Cancelled at the desk.' },
        meta: {
          ...head.meta,
          causationId: 'rival-cause',
          position,
          prev: head.meta.decisionId,
          decisionId: 'rival-decision',
          authorityId: 'rival',
        },
      },
    ]);
    for (const concertId of [first, second])
      await waitFor(`${concertId} released`, async () =>
        (await reservationDecisions(concertId, reservationIdFor(orderId, concertId))).some(
          (d) => d.type === 'ReservationReleased',
        )
          ? true
          : undefined,
      );
    await everySeatBack(first, second, 5);
    await createAll(orders(), [cashPaymentFact('desk-1', orderId, total)]);
    const after = await orderUntil(orderId, 'the cash refused', (d) => count(d, 'OrderStepRefused') > 0);
    expect(after.at(-1)).toMatchObject({
      data: { code: 'order_cancelled' },
      meta: { position: position + 1 },
    });
    expect((await readDecisions(stream)).orphans).toEqual([]);
  });
});

/** Resolves with the first document of the orders database `match` accepts, read from the change feed as it comes. */
async function firstChange(match: (doc: Doc) => boolean, from: Seq, signal: AbortSignal): Promise<Doc> {
  let since = from;
  for (;;) {
    const page = await readChanges(store.couch, ordersDatabase, {
      since,
      limit: 100,
      longpoll: true,
      signal,
    });
    since = page.last_seq;
    const found = page.results.find((c) => c.doc && match(c.doc))?.doc;
    if (found) return found;
  }
}

describe('a crash between paid and tickets issued', () => {
  it('issues exactly the tickets after a SIGKILL the moment the payment is captured, and completes the order', async () => {
    const { first, second, lines, total } = await twoConcerts('ord-killed');
    const server = await syncServer();
    const orderId = 'killed-1';
    await createAll(orders(), [cartConfirmedFact('desk-1', orderId, lines)]);
    await orderUntil(orderId, 'both holds', (d) => count(d, 'OrderSeatsHeld') === 2);
    const stop = new AbortController();
    const captured = firstChange(
      (doc) => doc.type === 'OrderPaymentCaptured' && doc.stream === orderStream(orderId),
      (await orders().info()).update_seq,
      stop.signal,
    );
    await createAll(orders(), [cashPaymentFact('desk-1', orderId, total)]);
    await captured;
    await stopProcess(server, 'SIGKILL');
    stop.abort();
    const before = await readDecisions(orderStream(orderId));
    expect(count(before.accepted, 'OrderInvoiced')).toBe(0);

    await syncServer();
    await expectFulfilled(orderId, first, second, total);
  });

  it('sends the requests a decision asked for when the process died right after appending it', async () => {
    const { first, second, lines, total } = await twoConcerts('ord-crashed');
    const server = await syncServer({ CRASH_AFTER_DECISION: 'OrderPaymentCaptured' });
    const orderId = 'crashed-1';
    await createAll(orders(), [cartConfirmedFact('desk-1', orderId, lines)]);
    await orderUntil(orderId, 'both holds', (d) => count(d, 'OrderSeatsHeld') === 2);
    await createAll(orders(), [cashPaymentFact('desk-1', orderId, total)]);
    await server.exited;
    // Died after the append, before the confirmations were sent: the log asks for them, nothing else does.
    expect(count((await readDecisions(orderStream(orderId))).accepted, 'OrderPaymentCaptured')).toBe(1);
    for (const concertId of [first, second])
      expect(
        await getDoc(
          store.couch.server.use<Doc>(concertDatabase(concertId)),
          requestId(reservationIdFor(orderId, concertId), 'confirm'),
        ),
      ).toBeUndefined();

    await syncServer();
    await expectFulfilled(orderId, first, second, total);
  });
});
