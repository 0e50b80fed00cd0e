// The orders authority as the sync server drives it, without the store: each cause is decided into one decision at
// its stream's head, applied, and its outbox carried out — requests answered the way a concert's authority answers
// them (relayed decisions), local steps decided as causes of their own. Given a log, when a cause arrives, then these
// decisions and requests; and a log read again (a restart) asks for exactly what is still to do.
import { describe, expect, it } from 'vitest';
import type { CartLine } from '../cart/events';
import type { DeliveryMethod } from '../delivery/address';
import { parseEventDoc } from '../events/catalogue';
import type { FactDoc, RelayDoc, RequestDoc } from '../events/catalogue';
import type { RelayedDecision } from '../events/order-flow';
import { paymentIdFor, reservationIdFor } from '../order/order';
import {
  causeOf,
  decideCause,
  dueTimeouts,
  evolveOrders,
  forgetStream,
  headOf,
  initialOrdersState,
  isOrdersStream,
  mergeOutboxes,
  ordersDecisionDoc,
  setHead,
  stillWanted,
} from './order-authority';
import type {
  Cause,
  ConcertRequest,
  GatewayRefund,
  OrdersAuthorityState,
  OrdersDecisionDoc,
  Outbox,
} from './order-authority';

const orderId = 'o-1';
const torwar = 'torwar-2026';
const spodek = 'spodek-2026';
const lines: CartLine[] = [
  { concertId: torwar, level: 'Regular', quantity: 2, unitPrice: 15_000, currency: 'PLN' },
  { concertId: torwar, level: 'VIP', quantity: 1, unitPrice: 30_000, currency: 'PLN' },
  { concertId: spodek, level: 'Płyta', quantity: 3, unitPrice: 10_000, currency: 'PLN' },
];
const total = 90_000;
const start = Date.parse('2026-11-21T18:00:00.000Z');
const iso = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
const meta = (id: string) => ({
  deviceId: 'desk-1',
  userId: 'anna',
  recordedAt: iso(0),
  correlationId: id,
  causationId: id,
});

let n = 0;
const ulid = () => `01K${String(++n).padStart(23, '0')}`;

function cartConfirmed(
  delivery: DeliveryMethod = { kind: 'email', email: 'ola@example.com' },
  cartId = 'c1',
): Cause {
  const id = ulid();
  const fact: FactDoc<'CartConfirmed'> = {
    _id: id,
    type: 'CartConfirmed',
    v: 1,
    stream: `cart-${cartId}`,
    data: {
      cartId,
      orderId,
      deskSessionId: 's1',
      staff: { userId: 'anna', role: 'desk' },
      lines,
      totals: [{ currency: 'PLN', amount: total }],
      delivery,
      confirmedAt: iso(0),
    },
    meta: meta(id),
  };
  return must(causeOf(fact));
}

function cash(amount = total, method: 'cash' | 'card' = 'cash'): Cause {
  const id = ulid();
  const fact: FactDoc<'PaymentInitiated'> = {
    _id: id,
    type: 'PaymentInitiated',
    v: 1,
    stream: `order-${orderId}`,
    data: {
      paymentId: paymentIdFor(orderId, 'PLN'),
      orderId,
      amount,
      currency: 'PLN',
      method:
        method === 'cash'
          ? { kind: 'cash', tendered: amount, change: 0 }
          : { kind: 'card', gatewayReference: 'pi_1' },
    },
    meta: meta(id),
  };
  return must(causeOf(fact));
}

function cancelRequest(): Cause {
  const id = ulid();
  const fact: FactDoc<'OrderCancellationRequested'> = {
    _id: id,
    type: 'OrderCancellationRequested',
    v: 1,
    stream: `order-${orderId}`,
    data: { orderId, requestedBy: 'anna', reason: 'Changed their mind' },
    meta: meta(id),
  };
  return must(causeOf(fact));
}

let position = 0;
/** A concert's decision about this order, relayed to the orders database. */
function relay(concertId: string, event: RelayedDecision): Cause {
  const decisionDocId = `concert-${concertId}:${String(++position).padStart(10, '0')}`;
  const doc: RelayDoc = {
    _id: `relay:${decisionDocId}`,
    type: 'ConcertDecisionRelayed',
    v: 1,
    stream: `order-${orderId}`,
    data: { concertId, decisionDocId, event },
    meta: meta(decisionDocId),
  };
  return must(causeOf(doc));
}

const seats = (concertId: string) => ({
  reservationId: reservationIdFor(orderId, concertId),
  orderId,
  concertId,
});
const linesOf = (concertId: string) =>
  lines.filter((l) => l.concertId === concertId).map(({ level, quantity }) => ({ level, quantity }));
const placedRelay = (concertId: string) =>
  relay(concertId, {
    type: 'ReservationPlaced',
    data: {
      ...seats(concertId),
      lines: linesOf(concertId),
      heldBy: 'anna',
      placedAt: iso(0),
      expiresAt: iso(15),
    },
  });
const refusedRelay = (concertId: string, level: string) =>
  relay(concertId, {
    type: 'ReservationRefused',
    data: {
      ...seats(concertId),
      lines: linesOf(concertId),
      code: 'not_enough_seats',
      message: `Only 1 "${level}" seat is left`,
    },
  });
const confirmedRelay = (concertId: string) =>
  relay(concertId, { type: 'ReservationConfirmed', data: seats(concertId) });
const ticketsRelay = (concertId: string) =>
  relay(concertId, {
    type: 'TicketsIssued',
    data: {
      ...seats(concertId),
      tickets: lines
        .filter((l) => l.concertId === concertId)
        .flatMap((l) =>
          Array.from({ length: l.quantity }, (_, i) => ({
            ticketId: `${concertId}-${l.level}-${i}`,
            orderId,
            customerId: `customer-${orderId}`,
            concertId,
            level: l.level,
            issuedAt: iso(1),
          })),
        ),
    },
  });

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

/** The authority's loop without I/O: decide, append at the head, apply, then carry out the local steps. */
class Authority {
  state: OrdersAuthorityState = initialOrdersState();
  log: OrdersDecisionDoc[] = [];
  requests: ConcertRequest[] = [];
  /** The card refunds asked of the gateway. */
  refunds: GatewayRefund[] = [];
  now = iso(1);
  private decisions = 0;

  /** Decides causes and their local steps; returns the decisions appended. */
  decide(...causes: Cause[]): OrdersDecisionDoc[] {
    const appended: OrdersDecisionDoc[] = [];
    let pending = causes;
    while (pending.length > 0) {
      const outboxes: Outbox[] = [];
      for (const cause of pending) {
        const decided = decideCause(cause, this.state, this.now);
        if (!decided) continue;
        const context = { decisionId: `d${++this.decisions}`, authorityId: 'a', now: this.now };
        const doc = ordersDecisionDoc(decided, headOf(this.state, decided.stream), cause, context);
        outboxes.push(evolveOrders(this.state, doc));
        this.log.push(doc);
        appended.push(doc);
      }
      const wanted = stillWanted(this.state, mergeOutboxes(outboxes));
      this.requests.push(...wanted.requests);
      this.refunds.push(...wanted.gateway);
      pending = wanted.steps;
    }
    return appended;
  }

  /** The requests sent since the last call. */
  sent(): RequestDoc[] {
    return this.requests.splice(0).map((r) => r.doc);
  }

  order() {
    const book = must(this.state.orders.get(orderId));
    if (book.order.status === 'none') throw new Error('no order');
    return book;
  }
}

const types = (docs: readonly { type: string }[]) => docs.map((d) => d.type);

/** A restart: a fresh state folds the log as the store holds it, and replays what the decisions asked for. */
function restart(log: readonly OrdersDecisionDoc[]): { state: OrdersAuthorityState; wanted: Outbox } {
  const state = initialOrdersState();
  const outbox = mergeOutboxes(log.map((doc) => evolveOrders(state, doc)));
  return { state, wanted: stillWanted(state, outbox) };
}

function paidAuthority(): Authority {
  const authority = new Authority();
  authority.decide(cartConfirmed());
  authority.decide(placedRelay(torwar), placedRelay(spodek));
  authority.sent();
  return authority;
}

describe('the orders authority', () => {
  it('places an order from a confirmed cart and asks each concert for its seats', () => {
    const authority = new Authority();
    const [placed] = authority.decide(cartConfirmed());
    expect(placed).toMatchObject({
      _id: `order-${orderId}:0000000000`,
      type: 'OrderPlaced',
      data: { placedAt: iso(1), expiresAt: iso(16) },
      meta: { position: 0, prev: null },
    });
    const requests = authority.requests.map(({ database, doc }) => ({
      database,
      id: doc._id,
      type: doc.type,
    }));
    expect(requests).toEqual([
      {
        database: `stagedoor-concert-${torwar}`,
        id: `request:${reservationIdFor(orderId, torwar)}:reserve`,
        type: 'SeatsReservationRequested',
      },
      {
        database: `stagedoor-concert-${spodek}`,
        id: `request:${reservationIdFor(orderId, spodek)}:reserve`,
        type: 'SeatsReservationRequested',
      },
    ]);
    expect(authority.requests[0]?.doc.meta).toMatchObject({
      deviceId: 'authority',
      causationId: placed?._id,
    });
  });

  it('takes cash, confirms the seats, issues the tickets, invoices and numbers, and asks for the confirmation', () => {
    const authority = paidAuthority();
    expect(authority.order().order.status).toBe('awaiting_payment');
    expect(types(authority.decide(cash()))).toEqual(['PaymentSucceeded', 'OrderPaymentCaptured']);
    expect(types(authority.sent())).toEqual([
      'ReservationConfirmationRequested',
      'ReservationConfirmationRequested',
    ]);
    authority.decide(confirmedRelay(torwar), confirmedRelay(spodek));
    const issue = authority.sent();
    expect(types(issue)).toEqual(['TicketsIssueRequested', 'TicketsIssueRequested']);
    expect(issue[0]?.data).toMatchObject({ customerId: `customer-${orderId}`, lines: lines.slice(0, 2) });

    const finished = authority.decide(ticketsRelay(torwar), ticketsRelay(spodek));
    expect(types(finished).filter((t) => t === 'DeliveryMethodChosen')).toHaveLength(6);
    expect(types(finished).filter((t) => t !== 'DeliveryMethodChosen')).toEqual([
      'OrderTicketsIssued',
      'OrderTicketsIssued',
      'InvoiceCreated',
      'OrderInvoiced',
      'InvoicePaymentRecorded',
      'NotificationRequested',
      'InvoiceNumberAssigned',
    ]);
    const invoice = finished.find((d) => d.type === 'InvoiceCreated');
    expect(invoice?.data).toMatchObject({
      customerId: `customer-${orderId}`,
      buyer: { name: 'ola@example.com', taxId: null },
      priceBasis: 'gross',
      // 8 % included, per line: three lines of 300.00 PLN, each 22.22 of tax.
      totals: [{ currency: 'PLN', gross: total, tax: 6_666, net: total - 6_666 }],
    });
    expect(invoice?.type === 'InvoiceCreated' && invoice.data.lines.every((l) => l.taxRateBp === 800)).toBe(
      true,
    );
    const number = finished.find((d) => d.type === 'InvoiceNumberAssigned');
    expect(number).toMatchObject({
      stream: 'invoice-numbers-FV-2026',
      data: { number: 'FV/2026/000001', documentId: `${orderId}:invoice` },
    });
    // Sending the email is the mailer's: the order ends invoiced, its confirmation requested.
    expect(authority.order().order.status).toBe('invoiced');
    expect(authority.sent()).toEqual([]);
  });

  it('cancels the order when a concert refuses its seats, naming the level, and gives back what was held', () => {
    const authority = new Authority();
    authority.decide(cartConfirmed());
    authority.sent();
    authority.decide(placedRelay(spodek));
    const [cancelled] = authority.decide(refusedRelay(torwar, 'VIP'));
    expect(cancelled).toMatchObject({ type: 'OrderCancelled', data: { reason: 'reservation_refused' } });
    expect(cancelled?.type === 'OrderCancelled' && cancelled.data.message).toContain('"VIP"');
    expect(authority.sent().map((r) => r._id)).toEqual([
      `request:${reservationIdFor(orderId, spodek)}:release`,
    ]);
  });

  it('releases seats held after the order was cancelled', () => {
    const authority = new Authority();
    authority.decide(cartConfirmed());
    authority.decide(refusedRelay(torwar, 'VIP'));
    authority.sent();
    expect(types(authority.decide(placedRelay(spodek)))).toEqual(['OrderSeatsHeld']);
    expect(types(authority.sent())).toEqual(['ReservationReleaseRequested']);
  });

  it('refuses cash that is not due: the wrong amount, twice, or for a cancelled order', () => {
    const authority = paidAuthority();
    expect(authority.decide(cash(total - 1))[0]?.data).toMatchObject({
      step: 'TakePayment',
      code: 'amount_mismatch',
    });
    authority.decide(cash());
    expect(authority.decide(cash())[0]?.data).toMatchObject({ code: 'already_paid' });
    const other = new Authority();
    other.decide(cartConfirmed());
    expect(types(other.decide(cancelRequest()))).toEqual(['OrderCancelled']);
    expect(other.decide(cash())[0]?.data).toMatchObject({ code: 'order_cancelled' });
  });

  it('times an unpaid order out on its clock, once', () => {
    const authority = paidAuthority();
    expect(dueTimeouts(authority.state, iso(15))).toEqual([]);
    const due = dueTimeouts(authority.state, iso(16));
    expect(due.map((c) => c.id)).toEqual([`timeout:${orderId}`]);
    authority.now = iso(16);
    expect(authority.decide(...due)[0]).toMatchObject({
      type: 'OrderCancelled',
      data: { reason: 'timed_out' },
    });
    expect(types(authority.sent())).toEqual(['ReservationReleaseRequested', 'ReservationReleaseRequested']);
    expect(dueTimeouts(authority.state, iso(30))).toEqual([]);
    expect(authority.decide(...due)).toEqual([]);
  });

  it('decides every cause once: the same fact, relay or step again decides nothing', () => {
    const authority = paidAuthority();
    const payment = cash();
    authority.decide(payment);
    const held = placedRelay(torwar);
    expect(authority.decide(payment, held, payment)).toEqual([]);
  });
});

describe('a cash sale at the desk', () => {
  const saleId = '01KSALE00000000000000000001';
  const saleOrder = `sale-${saleId}`;
  const saleSeats = `sale:${saleId}`;
  const saleRelay = (event: RelayedDecision): Cause => {
    const decisionDocId = `concert-${torwar}:${String(++position).padStart(10, '0')}`;
    return must(
      causeOf({
        _id: `relay:${decisionDocId}`,
        type: 'ConcertDecisionRelayed',
        v: 1,
        stream: `order-${saleOrder}`,
        data: { concertId: torwar, decisionDocId, event },
        meta: { ...meta(decisionDocId), deviceId: 'authority', userId: 'authority' },
      }),
    );
  };
  const allocated = () =>
    saleRelay({
      type: 'SeatsAllocated',
      data: {
        saleId,
        concertId: torwar,
        level: 'Regular',
        quantity: 2,
        unitPrice: 15_000,
        currency: 'PLN',
        tendered: 40_000,
        deviceId: 'desk-7',
        userId: 'ewa',
      },
    });

  it('records the allocated sale as a ticketed one-line order, prints, invoices and numbers it, asking nothing', () => {
    const authority = new Authority();
    const finished = authority.decide(allocated());
    expect(finished[0]).toMatchObject({
      _id: `order-${saleOrder}:0000000000`,
      type: 'OrderRecordedFromSale',
      data: {
        orderId: saleOrder,
        saleId,
        deviceId: 'desk-7',
        placedBy: { userId: 'ewa', role: 'desk' },
        lines: [{ concertId: torwar, level: 'Regular', quantity: 2, unitPrice: 15_000, currency: 'PLN' }],
        delivery: { kind: 'printed' },
        placedAt: iso(1),
        reservations: [
          { reservationId: saleSeats, concertId: torwar, ticketIds: [`${saleSeats}:t1`, `${saleSeats}:t2`] },
        ],
        payments: [{ paymentId: paymentIdFor(saleOrder, 'PLN'), amount: 30_000, tendered: 40_000 }],
      },
    });
    expect(types(finished)).toEqual([
      'OrderRecordedFromSale',
      'DeliveryMethodChosen',
      'DeliveryMethodChosen',
      'InvoiceCreated',
      'OrderInvoiced',
      'InvoicePaymentRecorded',
      'InvoiceNumberAssigned',
    ]);
    expect(finished.find((d) => d.type === 'DeliveryMethodChosen')?.data).toMatchObject({
      method: { kind: 'printed' },
    });
    expect(finished.find((d) => d.type === 'InvoiceCreated')?.data).toMatchObject({
      buyer: { name: 'Walk-in customer', taxId: null },
      totals: [{ currency: 'PLN', gross: 30_000 }],
    });
    expect(finished.find((d) => d.type === 'InvoicePaymentRecorded')?.data).toMatchObject({
      method: 'cash',
      amount: 30_000,
      paidAt: iso(1),
    });
    expect(authority.state.orders.get(saleOrder)?.order.status).toBe('invoiced');
    // The concert issued the seats when it allocated them: the order asks it for nothing.
    expect(authority.sent()).toEqual([]);
    expect(authority.decide(allocated())).toEqual([]);

    // A restart asks for nothing more: the confirmation it would try again finds no email, and decides nothing.
    const { state, wanted } = restart(authority.log);
    expect(wanted.requests).toEqual([]);
    expect(wanted.steps.map((c) => c.step.type === 'policy' && c.step.command.type)).toEqual([
      'RequestNotification',
    ]);
    expect(wanted.steps.map((c) => decideCause(c, state, iso(2)))).toEqual([undefined]);
  });

  it('refuses to refund a desk sale’s tickets through its order: the sale is refunded where it was sold, once', () => {
    const authority = new Authority();
    authority.decide(allocated());
    const id = ulid();
    const asked: FactDoc<'TicketsRefundRequested'> = {
      _id: id,
      type: 'TicketsRefundRequested',
      v: 1,
      stream: `order-${saleOrder}`,
      data: {
        refundId: id,
        orderId: saleOrder,
        ticketIds: [`${saleSeats}:t1`],
        method: 'cash',
        reason: 'Ill.',
      },
      meta: meta(id),
    };
    const refused = authority.decide(must(causeOf(asked)));
    expect(types(refused)).toEqual(['OrderStepRefused']);
    expect(refused[0]?.data).toMatchObject({ step: 'RefundTickets', code: 'invalid_refund' });
    expect(JSON.stringify(refused[0]?.data)).toContain('refund it from the sale');
    expect(authority.sent()).toEqual([]);
  });
});

describe('what the order refuses or compensates', () => {
  it('refuses a second cart for an order and a card payment, naming the step', () => {
    const authority = new Authority();
    authority.decide(cartConfirmed());
    expect(authority.decide(cartConfirmed(undefined, 'c2'))[0]?.data).toMatchObject({
      step: 'PlaceOrder',
      code: 'order_exists',
    });
    expect(authority.decide(cash(total, 'card'))[0]?.data).toMatchObject({ step: 'TakePayment' });
  });

  it('refunds cash taken before the seats were held when the order is then cancelled', () => {
    const authority = new Authority();
    authority.decide(cartConfirmed());
    expect(types(authority.decide(cash()))).toEqual(['PaymentSucceeded', 'OrderPaymentCaptured']);
    const after = authority.decide(refusedRelay(torwar, 'VIP'));
    expect(types(after)).toEqual(['OrderCancelled', 'PaymentRefunded']);
    expect(after[1]?.data).toMatchObject({ amount: total, refundedInTotal: total });
    expect(authority.order().payments[paymentIdFor(orderId, 'PLN')]?.state.status).toBe('refunded');
  });

  it('ignores the rest of a cart and the releases it asked for itself', () => {
    const id = ulid();
    const opened: FactDoc<'CartOpened'> = {
      _id: id,
      type: 'CartOpened',
      v: 1,
      stream: 'cart-c1',
      data: { cartId: 'c1', deskSessionId: 's1', staff: { userId: 'anna', role: 'desk' }, openedAt: iso(0) },
      meta: meta(id),
    };
    expect(causeOf(opened)).toBeUndefined();
    const released: RelayDoc = {
      _id: 'relay:concert-x:0000000009',
      type: 'ConcertDecisionRelayed',
      v: 1,
      stream: `order-${orderId}`,
      data: {
        concertId: torwar,
        decisionDocId: 'concert-x:0000000009',
        event: { type: 'ReservationReleased', data: seats(torwar) },
      },
      meta: meta('x'),
    };
    expect(causeOf(released)).toBeUndefined();
  });
});

describe('the streams it writes', () => {
  it('knows its streams and moves a head past orphans, or forgets a stream to read it again', () => {
    expect(
      [`order-${orderId}`, 'invoice-numbers-FV-2026', 'concert-x', 'cart-c1'].map(isOrdersStream),
    ).toEqual([true, true, false, false]);
    const state = initialOrdersState();
    const head = { decisionId: 'd9', nextPosition: 10 };
    setHead(state, 'invoice-numbers-FV-2026', head);
    setHead(state, `order-${orderId}`, head);
    expect(headOf(state, 'invoice-numbers-FV-2026')).toEqual(head);
    expect(headOf(state, `order-${orderId}`)).toEqual(head);
    forgetStream(state, 'invoice-numbers-FV-2026');
    forgetStream(state, `order-${orderId}`);
    expect(headOf(state, 'invoice-numbers-FV-2026')).toEqual({ decisionId: null, nextPosition: 0 });
    expect(state.orders.size).toBe(0);
  });
});

describe('a restart reading the log again', () => {
  it('asks for nothing that was decided, and for no request of a finished order', () => {
    const authority = paidAuthority();
    authority.decide(cash());
    authority.decide(confirmedRelay(torwar), confirmedRelay(spodek));
    authority.decide(ticketsRelay(torwar), ticketsRelay(spodek));
    const { state, wanted } = restart(authority.log);
    expect(wanted).toEqual({ requests: [], steps: [], gateway: [] });
    expect(state.decided).toEqual(authority.state.decided);
    expect(state.orders.get(orderId)?.order).toEqual(authority.order().order);
  });

  it('sends again what a crash right after a decision did not send, and decides its steps once', () => {
    const authority = paidAuthority();
    const [succeeded] = authority.decide(cash());
    // The process died after appending PaymentSucceeded: the order never heard of it, nothing was confirmed.
    const cut = authority.log.indexOf(must(succeeded)) + 1;
    const { state, wanted } = restart(authority.log.slice(0, cut));
    // The seats were asked for long ago: asked again, create-only (a 409 at the concert).
    expect(types(wanted.requests.map((r) => r.doc))).toEqual([
      'SeatsReservationRequested',
      'SeatsReservationRequested',
    ]);
    expect(wanted.steps.map((s) => s.id)).toEqual([`${succeeded?._id}#0`]);

    const after = new Authority();
    after.state = state;
    expect(types(after.decide(...wanted.steps))).toEqual(['OrderPaymentCaptured']);
    expect(types(after.sent())).toEqual([
      'ReservationConfirmationRequested',
      'ReservationConfirmationRequested',
    ]);
    // A second restart after that: the confirmations are asked for again (create-only: a 409), nothing is decided.
    const again = restart([...authority.log.slice(0, cut), ...after.log]);
    expect(again.wanted.steps).toEqual([]);
    expect(types(again.wanted.requests.map((r) => r.doc))).toEqual([
      'SeatsReservationRequested',
      'SeatsReservationRequested',
      'ReservationConfirmationRequested',
      'ReservationConfirmationRequested',
    ]);
  });

  it('asks a cancelled order only for its seats back', () => {
    const authority = new Authority();
    authority.decide(cartConfirmed());
    authority.decide(placedRelay(spodek), refusedRelay(torwar, 'VIP'));
    const { wanted } = restart(authority.log);
    expect(wanted.requests.map((r) => r.doc._id)).toEqual([
      `request:${reservationIdFor(orderId, spodek)}:release`,
    ]);
  });
});

/** What the card gateway's webhook reports, as the sync server writes it. */
function gateway(
  outcome: 'succeeded' | 'failed' | 'refunded' | 'refund_failed',
  more: { amount?: number; refundId?: string; reason?: string; reference?: string } = {},
): Cause {
  const id = ulid();
  const fact: FactDoc<'PaymentGatewayReported'> = {
    _id: id,
    type: 'PaymentGatewayReported',
    v: 1,
    stream: `order-${orderId}`,
    data: {
      gateway: 'stripe',
      eventId: `evt_${id}`,
      outcome,
      paymentId: paymentIdFor(orderId, 'PLN'),
      orderId,
      gatewayReference: more.reference ?? 'pi_1',
      amount: more.amount ?? total,
      currency: 'PLN',
      ...(more.refundId ? { refundId: more.refundId } : {}),
      reason: more.reason ?? '',
    },
    meta: { ...meta(id), deviceId: 'gateway-stripe' },
  };
  return must(causeOf(fact));
}

function refundTickets(ticketIds: string[], method: 'cash' | 'card'): Cause {
  const id = ulid();
  const fact: FactDoc<'TicketsRefundRequested'> = {
    _id: id,
    type: 'TicketsRefundRequested',
    v: 1,
    stream: `order-${orderId}`,
    data: { refundId: id, orderId, ticketIds, method, reason: 'Cannot come.' },
    meta: meta(id),
  };
  return must(causeOf(fact));
}

/** An order paid (by card or in cash), its seats confirmed, its tickets issued, invoiced and numbered. */
function invoicedAuthority(by: 'card' | 'cash'): Authority {
  const authority = paidAuthority();
  authority.decide(by === 'card' ? gateway('succeeded') : cash());
  authority.decide(confirmedRelay(torwar), confirmedRelay(spodek));
  authority.decide(ticketsRelay(torwar), ticketsRelay(spodek));
  authority.sent();
  return authority;
}

const vip = `${torwar}-VIP-0`;
const floor = (i: number) => `${spodek}-Płyta-${i}`;

describe('a card payment through the gateway', () => {
  it('is captured with its reference when the gateway says so, and shown on the invoice; heard again, nothing', () => {
    const authority = paidAuthority();
    const paid = authority.decide(gateway('succeeded'));
    expect(types(paid)).toEqual(['PaymentSucceeded', 'OrderPaymentCaptured']);
    expect(paid[0]?.data).toMatchObject({ amount: total, gatewayReference: 'pi_1' });
    authority.decide(confirmedRelay(torwar), confirmedRelay(spodek));
    const finished = authority.decide(ticketsRelay(torwar), ticketsRelay(spodek));
    expect(finished.find((d) => d.type === 'InvoicePaymentRecorded')?.data).toMatchObject({
      method: 'card',
      reference: 'pi_1',
    });
    expect(authority.decide(gateway('succeeded'))).toEqual([]);
    expect(authority.decide(gateway('failed'))).toEqual([]);
    // Another intent's money for a payment taken already: refused, to be refunded at the gateway.
    expect(authority.decide(gateway('succeeded', { reference: 'pi_2' }))[0]?.data).toMatchObject({
      step: 'RecordGatewayReport',
      code: 'already_captured',
    });
  });

  it('cancels the order when the card is declined, and gives the seats back', () => {
    const authority = paidAuthority();
    const declined = authority.decide(gateway('failed', { reason: 'Your card was declined.' }));
    expect(types(declined)).toEqual(['PaymentFailed', 'OrderCancelled']);
    expect(declined[1]?.data).toMatchObject({ reason: 'payment_failed' });
    expect(types(authority.sent())).toEqual(['ReservationReleaseRequested', 'ReservationReleaseRequested']);
    expect(authority.decide(gateway('failed'))).toEqual([]);
  });

  it('refunds at the gateway money that arrives after the order was cancelled, until the webhook confirms it', () => {
    const authority = paidAuthority();
    authority.decide(cancelRequest());
    authority.sent();
    const late = authority.decide(gateway('succeeded'));
    expect(types(late)).toEqual(['PaymentSucceeded', 'OrderPaymentCaptured', 'GatewayRefundRequested']);
    expect(authority.refunds).toEqual([
      expect.objectContaining({
        gatewayReference: 'pi_1',
        amount: total,
        refundId: `${paymentIdFor(orderId, 'PLN')}:refund`,
      }),
    ]);
    // A restart before the webhook asks the gateway again (idempotent by refund id).
    expect(restart(authority.log).wanted.gateway).toHaveLength(1);
    const refundId = must(authority.refunds[0]).refundId;
    expect(types(authority.decide(gateway('refunded', { refundId })))).toEqual(['PaymentRefunded']);
    expect(restart(authority.log).wanted.gateway).toEqual([]);
    expect(authority.order().payments[paymentIdFor(orderId, 'PLN')]?.state.status).toBe('refunded');
  });

  it('records a refund the gateway could not make, and one it made that nobody asked for, as refusals', () => {
    const authority = invoicedAuthority('card');
    const failed = authority.decide(
      gateway('refund_failed', { amount: 100, refundId: 'r9', reason: 'expired card' }),
    )[0];
    expect(failed?.data).toMatchObject({ code: 'invalid_refund' });
    expect(failed?.type === 'OrderStepRefused' && failed.data.message).toContain('expired card');
    expect(authority.decide(gateway('refunded', { amount: 100 }))[0]?.data).toMatchObject({
      code: 'invalid_refund',
    });
  });
});

describe('a refund of tickets', () => {
  it('refunds one ticket of a card order at the gateway, then credits it on the invoice and numbers the credit note', () => {
    const authority = invoicedAuthority('card');
    const asked = refundTickets([vip], 'card');
    const accepted = authority.decide(asked);
    expect(types(accepted)).toEqual(['TicketsRefundAccepted']);
    expect(accepted[0]?.data).toMatchObject({
      amount: 30_000,
      method: 'card',
      lines: [{ concertId: torwar, level: 'VIP', ticketIds: [vip], amount: 30_000 }],
    });
    expect(authority.refunds).toEqual([expect.objectContaining({ refundId: asked.id, amount: 30_000 })]);
    const credited = authority.decide(gateway('refunded', { amount: 30_000, refundId: asked.id }));
    expect(types(credited)).toEqual(['PaymentRefunded', 'CreditNoteIssued', 'InvoiceNumberAssigned']);
    expect(credited[1]?.data).toMatchObject({
      creditNoteId: `${asked.id}:credit-note`,
      totals: [{ currency: 'PLN', gross: 30_000, tax: 2_222, net: 27_778 }],
    });
    expect(credited[2]).toMatchObject({
      stream: 'invoice-numbers-KOR-2026',
      data: { number: 'KOR/2026/000001', documentId: `${asked.id}:credit-note` },
    });
  });

  it('refunds tickets of a cash order in cash at once', () => {
    const authority = invoicedAuthority('cash');
    const done = authority.decide(refundTickets([floor(0), floor(1)], 'cash'));
    expect(types(done)).toEqual([
      'TicketsRefundAccepted',
      'PaymentRefunded',
      'CreditNoteIssued',
      'InvoiceNumberAssigned',
    ]);
    expect(done[1]?.data).toMatchObject({ amount: 20_000, refundedInTotal: 20_000 });
    expect(authority.refunds).toEqual([]);
  });

  it('asks each concert of the refunded tickets to void them, and asks again after every restart', () => {
    const authority = invoicedAuthority('cash');
    const asked = refundTickets([vip, floor(0), floor(1)], 'cash');
    authority.decide(asked);
    const requests = authority.requests.splice(0);
    const voidOf = (concertId: string, ticketIds: string[]) => ({
      database: `stagedoor-concert-${concertId}`,
      _id: `request:${asked.id}:${concertId}:void`,
      type: 'TicketsVoidRequested',
      stream: `concert-${concertId}`,
      data: { refundId: asked.id, orderId, concertId, ticketIds, reason: 'Cannot come.' },
    });
    expect(
      requests.map(({ database, doc: { _id, type, stream, data } }) => ({
        database,
        _id,
        type,
        stream,
        data,
      })),
    ).toEqual([voidOf(torwar, [vip]), voidOf(spodek, [floor(0), floor(1)])]);
    for (const { doc } of requests) expect(parseEventDoc(doc)).toMatchObject({ ok: true });
    expect(authority.order().order.status).toMatch(/^(invoiced|completed)$/);
    // The concert's answer is not relayed: a restart writes the same requests again (create-only, a 409 there).
    expect(restart(authority.log).wanted.requests).toEqual(requests);
    // A refused refund voids nothing.
    authority.decide(refundTickets([vip], 'cash'));
    expect(authority.requests).toEqual([]);
  });

  it('refuses what it cannot refund, with the reason', () => {
    const authority = invoicedAuthority('cash');
    /** The step refused and its sentence. */
    const refusal = (cause: Cause): string => {
      const [decision] = authority.decide(cause);
      return decision?.type === 'OrderStepRefused' ? `${decision.data.step}: ${decision.data.message}` : '';
    };
    expect(refusal(refundTickets(['nope'], 'cash'))).toMatch(/^RefundTickets: .*not one of/);
    expect(refusal(refundTickets([vip, vip], 'cash'))).toContain('twice');
    expect(refusal(refundTickets([vip], 'card'))).toContain('paid in cash');
    authority.decide(refundTickets([vip], 'cash'));
    expect(refusal(refundTickets([vip], 'cash'))).toContain('refunded already');

    const unpaid = paidAuthority();
    expect(unpaid.decide(refundTickets([vip], 'cash'))[0]?.data).toMatchObject({ code: 'not_ready' });
    unpaid.decide(cancelRequest());
    expect(unpaid.decide(refundTickets([vip], 'cash'))[0]?.data).toMatchObject({ code: 'order_cancelled' });
    expect(new Authority().decide(refundTickets([vip], 'cash'))[0]?.data).toMatchObject({
      code: 'unknown_order',
    });
  });
});
