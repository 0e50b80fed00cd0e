// The desk's view of the order flow, given the events a device holds: its open carts (several at once), and each order
// step by step as the orders authority decides it. Order of arrival never matters; an orphaned decision never happened.
import { describe, expect, it } from 'vitest';
import type { CartLine } from '../cart/events';
import type { AnyEventDoc, DataOf, DecisionDoc, DecisionType, FactDoc, FactType } from '../events/catalogue';
import { parseEventDoc } from '../events/catalogue';
import { cartStream, orderStream } from '../events/order-flow';
import { decisionDocId } from '../log/stream';
import {
  confirmationIdFor,
  decideOrder,
  evolveOrder,
  initialOrderState,
  invoiceIdFor,
  paymentIdFor,
  reservationIdFor,
} from '../order/order';
import { placeOrderFromCart } from '../order/routing';
import type { ConcertView } from './desk-view';
import {
  deskOrdersSince,
  findOrder,
  normalizeOrderNumber,
  orderNumberFrom,
  orderOfSale,
  projectOrders,
} from './order-view';

const desk = 'DESK-A';
const staff = { userId: 'desk-user', role: 'desk' as const };
let next = 0;
const ulid = (): string => `01K${String((next += 1)).padStart(23, '0')}`;

function fact<T extends FactType>(
  type: T,
  data: DataOf<T>,
  stream: string,
  deviceId = desk,
  at = '2026-11-21T10:00:00.000Z',
) {
  const id = ulid();
  const doc = {
    _id: id,
    type,
    v: 1,
    stream,
    data,
    meta: { deviceId, userId: 'desk-user', recordedAt: at, correlationId: id, causationId: id },
  };
  const parsed = parseEventDoc(doc);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.doc as FactDoc<T>;
}

/** An authority stream: each decision links to the one before it. */
function chain(stream: string) {
  const docs: DecisionDoc[] = [];
  return {
    docs,
    add<T extends DecisionType>(cause: { _id: string }, type: T, data: DataOf<T>): DecisionDoc {
      const position = docs.length;
      const doc = {
        _id: decisionDocId(stream, position),
        type,
        v: 1,
        stream,
        data,
        meta: {
          deviceId: 'authority',
          userId: 'authority',
          recordedAt: '2026-11-21T10:00:05.000Z',
          correlationId: cause._id,
          causationId: cause._id,
          position,
          prev: position === 0 ? null : `${stream}#${position - 1}`,
          decisionId: `${stream}#${position}`,
          authorityId: 'test',
        },
      };
      const parsed = parseEventDoc(doc);
      if (!parsed.ok) throw new Error(parsed.reason);
      docs.push(parsed.doc as DecisionDoc);
      return parsed.doc as DecisionDoc;
    },
  };
}

const concertA = 'golden-band-warsaw';
const concertB = 'quiet-quartet-krakow';
const concerts: ConcertView[] = [
  {
    concertId: concertA,
    status: 'published',
    artist: 'Golden Band',
    title: 'Tour',
    venue: 'Torwar',
    city: 'Warsaw',
    startsAt: '2027-06-27T20:00:00+02:00',
    timezone: 'Europe/Warsaw',
    currency: 'PLN',
    levels: [
      {
        name: 'Golden Circle',
        capacity: 10,
        price: 120_000,
        allocated: 4,
        left: 6,
        pendingHere: 1,
        believedLeft: 5,
      },
      {
        name: 'Regular',
        capacity: 100,
        price: 35_000,
        allocated: 0,
        left: 100,
        pendingHere: 0,
        believedLeft: 100,
      },
    ],
    reason: null,
    decidedAt: null,
  },
];

const lines: CartLine[] = [
  { concertId: concertA, level: 'Golden Circle', quantity: 2, unitPrice: 120_000, currency: 'PLN' },
  { concertId: concertA, level: 'Regular', quantity: 1, unitPrice: 35_000, currency: 'PLN' },
  { concertId: concertB, level: 'Floor', quantity: 3, unitPrice: 10_000, currency: 'PLN' },
];
const email = { kind: 'email' as const, email: 'fan@example.com' };

function cart(cartId: string, cartLines: CartLine[], opts: { confirm?: string; deviceId?: string } = {}) {
  const stream = cartStream(cartId);
  const { deviceId = desk } = opts;
  const docs: FactDoc[] = [
    fact(
      'CartOpened',
      { cartId, deskSessionId: desk, staff, openedAt: '2026-11-21T10:00:00.000Z' },
      stream,
      deviceId,
    ),
    ...cartLines.map((line) => fact('CartItemAdded', { cartId, addId: ulid(), ...line }, stream, deviceId)),
    fact('CartDeliveryChosen', { cartId, delivery: email }, stream, deviceId),
  ];
  if (opts.confirm)
    docs.push(
      fact(
        'CartConfirmed',
        {
          cartId,
          orderId: opts.confirm,
          deskSessionId: desk,
          staff,
          lines: cartLines,
          totals: [{ currency: 'PLN', amount: cartLines.reduce((s, l) => s + l.quantity * l.unitPrice, 0) }],
          delivery: email,
          confirmedAt: '2026-11-21T10:01:00.000Z',
        },
        stream,
        deviceId,
      ),
    );
  return docs;
}

/** The orders authority's stream for an order, decided with the order's own rules up to `until`. */
function orderFlow(orderId: string, confirmed: FactDoc<'CartConfirmed'>, until: string) {
  const stream = chain(orderStream(orderId));
  const docs: AnyEventDoc[] = [];
  let state = initialOrderState();
  const decide = (cause: { _id: string }, command: Parameters<typeof decideOrder>[0]) => {
    for (const event of decideOrder(command, state)) {
      stream.add(cause, event.type, event.data);
      state = evolveOrder(state, event);
    }
  };
  decide(confirmed, placeOrderFromCart(confirmed.data, { now: '2026-11-21T10:01:01.000Z' }));
  const steps = ['held', 'paying', 'paid', 'ticketed', 'invoiced', 'notified'];
  const reached = (step: string) => steps.indexOf(step) <= steps.indexOf(until);
  if (reached('held'))
    for (const concertId of [concertA, concertB])
      decide(
        { _id: `relay:${concertId}` },
        {
          type: 'RecordSeatsHeld',
          data: {
            orderId,
            reservationId: reservationIdFor(orderId, concertId),
            expiresAt: '2026-11-21T10:16:00.000Z',
          },
        },
      );
  let payment: FactDoc<'PaymentInitiated'> | undefined;
  if (reached('paying')) {
    payment = fact(
      'PaymentInitiated',
      {
        paymentId: paymentIdFor(orderId, 'PLN'),
        orderId,
        amount: 305_000,
        currency: 'PLN',
        method: { kind: 'cash', tendered: 310_000, change: 5_000 },
      },
      orderStream(orderId),
    );
    docs.push(payment);
  }
  if (reached('paid') && payment) {
    const captured = { paymentId: paymentIdFor(orderId, 'PLN'), orderId, amount: 305_000, currency: 'PLN' };
    const succeeded = stream.add(payment, 'PaymentSucceeded', captured);
    decide(succeeded, { type: 'RecordPaymentCaptured', data: captured });
    for (const concertId of [concertA, concertB])
      decide(
        { _id: `relay:confirmed:${concertId}` },
        {
          type: 'RecordSeatsConfirmed',
          data: { orderId, reservationId: reservationIdFor(orderId, concertId) },
        },
      );
  }
  if (reached('ticketed')) {
    decide(
      { _id: 'relay:tickets:a' },
      { type: 'RecordTicketsIssued', data: { orderId, concertId: concertA, ticketIds: ['t1', 't2', 't3'] } },
    );
    decide(
      { _id: 'relay:tickets:b' },
      { type: 'RecordTicketsIssued', data: { orderId, concertId: concertB, ticketIds: ['t4', 't5', 't6'] } },
    );
  }
  if (reached('invoiced')) {
    const invoiceId = invoiceIdFor(orderId);
    decide({ _id: 'invoice' }, { type: 'RecordInvoiceCreated', data: { orderId, invoiceId } });
    const numbers = chain('invoice-numbers-FV-2026');
    numbers.add({ _id: 'invoice' }, 'InvoiceNumberAssigned', {
      series: 'FV',
      year: 2026,
      sequence: 123,
      number: 'FV/2026/000123',
      documentId: invoiceId,
    });
    docs.push(...numbers.docs);
  }
  if (reached('notified'))
    stream.add({ _id: 'invoiced' }, 'NotificationRequested', {
      notificationId: confirmationIdFor(orderId),
      kind: 'payment_confirmation',
      causeId: orderId,
      recipient: { email: 'fan@example.com' },
      locale: 'en',
      maxAttempts: 3,
      at: '2026-11-21T10:02:00.000Z',
    });
  return { docs: [...docs, ...stream.docs], stream, state: () => state };
}

const orderId = '7KQ2-M9XD';

describe('the desk view of carts', () => {
  it('folds a cart with its lines, subtotals, totals, delivery and the seats the desk believes are left', () => {
    const view = projectOrders(cart('c1', lines.slice(0, 2)), desk, concerts);
    expect(view.carts).toHaveLength(1);
    const [open] = view.carts;
    expect(open?.lines.map((l) => [l.level, l.quantity, l.subtotal, l.available])).toEqual([
      ['Golden Circle', 2, 240_000, 5],
      ['Regular', 1, 35_000, 100],
    ]);
    expect(open?.totals).toEqual([{ currency: 'PLN', amount: 275_000 }]);
    expect(open?.delivery).toEqual(email);
  });

  it('adds to a line already in the cart, changes and removes lines with the cart rules', () => {
    const docs = cart('c1', [lines[0] as CartLine]);
    const stream = cartStream('c1');
    docs.push(
      fact('CartItemAdded', { cartId: 'c1', addId: ulid(), ...(lines[0] as CartLine), quantity: 1 }, stream),
    );
    docs.push(fact('CartItemAdded', { cartId: 'c1', addId: ulid(), ...(lines[1] as CartLine) }, stream));
    docs.push(
      fact(
        'CartItemQuantityChanged',
        { cartId: 'c1', concertId: concertA, level: 'Regular', quantity: 4 },
        stream,
      ),
    );
    docs.push(fact('CartItemRemoved', { cartId: 'c1', concertId: concertA, level: 'Golden Circle' }, stream));
    const view = projectOrders(docs, desk, concerts);
    expect(view.carts[0]?.lines.map((l) => [l.level, l.quantity])).toEqual([['Regular', 4]]);
  });

  it('keeps several carts open at once (one parked) and drops cleared and confirmed ones', () => {
    const docs = [
      ...cart('parked', [lines[0] as CartLine]),
      ...cart('serving', [lines[1] as CartLine]),
      ...cart('cleared', [lines[1] as CartLine]),
      fact('CartCleared', { cartId: 'cleared' }, cartStream('cleared')),
      ...cart('done', lines, { confirm: orderId }),
    ];
    expect(projectOrders(docs.reverse(), desk, concerts).carts.map((c) => c.cartId)).toEqual([
      'parked',
      'serving',
    ]);
  });

  it("shows this desk's carts only", () => {
    expect(projectOrders(cart('theirs', lines, { deviceId: 'DESK-B' }), desk, concerts).carts).toEqual([]);
  });
});

describe('the desk view of orders', () => {
  const confirmedCart = () => {
    const docs = cart('c1', lines, { confirm: orderId });
    return { docs, confirmed: docs.at(-1) as FactDoc<'CartConfirmed'> };
  };

  it('shows a confirmed cart as an order being placed until the authority places it', () => {
    const { docs, confirmed } = confirmedCart();
    const [order] = projectOrders(docs, desk, concerts).orders;
    expect(order).toMatchObject({ orderId, step: 'placing', mine: true, seats: 6, message: null });
    expect(projectOrders(docs, desk, concerts).unanswered).toContain(confirmed._id);
  });

  it.each([
    ['reserving', 'reserving'],
    ['held', 'awaiting_payment'],
    ['paying', 'paying'],
    ['paid', 'paid'],
    ['ticketed', 'ticketed'],
    ['invoiced', 'invoiced'],
    ['notified', 'confirmation_requested'],
  ] as const)('follows the order to %s', (until, step) => {
    const { docs, confirmed } = confirmedCart();
    const flow = orderFlow(orderId, confirmed, until);
    const order = findOrder(projectOrders([...docs, ...flow.docs], desk, concerts), orderId);
    expect(order?.step).toBe(step);
  });

  it('says what is due and until when the seats are held, then the change given and the outcome', () => {
    const { docs, confirmed } = confirmedCart();
    const held = projectOrders([...docs, ...orderFlow(orderId, confirmed, 'held').docs], desk, concerts);
    expect(held.orders[0]).toMatchObject({
      step: 'awaiting_payment',
      due: [{ amount: 305_000, currency: 'PLN' }],
      heldUntil: '2026-11-21T10:16:00.000Z',
    });
    const paying = projectOrders([...docs, ...orderFlow(orderId, confirmed, 'paying').docs], desk, concerts);
    expect(paying.orders[0]?.payments[0]).toMatchObject({
      status: 'paying',
      tendered: 310_000,
      change: 5_000,
    });
    expect(paying.orders[0]?.due).toEqual([]);
    const finished = [...docs, ...orderFlow(orderId, confirmed, 'notified').docs];
    const done = projectOrders(finished, desk, concerts);
    expect(done.orders[0]).toMatchObject({
      tickets: 6,
      invoiceNumber: 'FV/2026/000123',
      confirmationTo: 'fan@example.com',
      heldUntil: null,
    });
    expect(done.orders[0]?.payments[0]?.status).toBe('captured');
    const answered = finished.filter((d) => d.type === 'CartConfirmed' || d.type === 'PaymentInitiated');
    expect(answered).toHaveLength(2);
    for (const doc of answered) expect(done.unanswered).not.toContain(doc._id);
  });

  it('shows an expired hold as expired, with the message naming the concert', () => {
    const { docs, confirmed } = confirmedCart();
    const flow = orderFlow(orderId, confirmed, 'held');
    for (const event of decideOrder(
      {
        type: 'RecordReservationEnded',
        data: { orderId, reservationId: reservationIdFor(orderId, concertB), ending: 'expired' },
      },
      flow.state(),
    ))
      flow.stream.add({ _id: 'relay:expired' }, event.type, event.data);
    const order = projectOrders([...docs, ...flow.stream.docs], desk, concerts).orders[0];
    expect(order?.step).toBe('expired');
    expect(order?.message).toContain(concertB);
    expect(order?.due).toEqual([]);
  });

  it('shows a refused order and a refused payment with the authority’s sentence', () => {
    const { docs, confirmed } = confirmedCart();
    const stream = chain(orderStream(orderId));
    stream.add(confirmed, 'OrderStepRefused', {
      orderId,
      step: 'place',
      code: 'order_exists',
      message: 'Order exists already.',
    });
    expect(projectOrders([...docs, ...stream.docs], desk, concerts).orders[0]).toMatchObject({
      step: 'refused',
      message: 'Order exists already.',
    });

    const flow = orderFlow(orderId, confirmed, 'paying');
    const payment = flow.docs.find((d) => d.type === 'PaymentInitiated') as AnyEventDoc;
    flow.stream.add(payment, 'OrderStepRefused', {
      orderId,
      step: 'payment',
      code: 'amount_mismatch',
      message: 'Wrong amount.',
    });
    const order = projectOrders([...docs, ...flow.docs, ...flow.stream.docs], desk, concerts).orders[0];
    expect(order?.step).toBe('awaiting_payment');
    expect(order?.payments[0]).toMatchObject({ status: 'refused', message: 'Wrong amount.' });
    expect(order?.due).toEqual([{ amount: 305_000, currency: 'PLN' }]);

    // The desk takes the cash again: the new try is the one that counts.
    const retry = fact(
      'PaymentInitiated',
      {
        paymentId: paymentIdFor(orderId, 'PLN'),
        orderId,
        amount: 305_000,
        currency: 'PLN',
        method: { kind: 'cash', tendered: 305_000, change: 0 },
      },
      orderStream(orderId),
    );
    const again = projectOrders([...docs, ...flow.docs, ...flow.stream.docs, retry], desk, concerts)
      .orders[0];
    expect(again?.step).toBe('paying');
    expect(again?.payments[0]).toMatchObject({ status: 'paying', tendered: 305_000, message: null });
  });

  it('ignores an orphaned decision: a cancellation off the chain never happened', () => {
    const { docs, confirmed } = confirmedCart();
    const flow = orderFlow(orderId, confirmed, 'held');
    const orphan = {
      ...(flow.stream.docs.at(-1) as DecisionDoc),
      _id: decisionDocId(orderStream(orderId), 9),
      type: 'OrderCancelled',
      data: { orderId, reason: 'timed_out', message: 'Too late.' },
      meta: {
        ...(flow.stream.docs.at(-1) as DecisionDoc).meta,
        position: 9,
        prev: 'nowhere',
        decisionId: 'orphan',
      },
    } as DecisionDoc;
    expect(projectOrders([...docs, ...flow.docs, orphan], desk, concerts).orders[0]?.step).toBe(
      'awaiting_payment',
    );
  });

  it('gives the same view whatever order the documents arrive in', () => {
    const { docs, confirmed } = confirmedCart();
    const all = [...docs, ...orderFlow(orderId, confirmed, 'notified').docs];
    expect(projectOrders([...all].reverse(), desk, concerts)).toEqual(projectOrders(all, desk, concerts));
  });

  it("lists this desk's orders of the day and finds any order by its number, typed loosely", () => {
    const mine = cart('c1', lines, { confirm: orderId });
    const theirs = cart('c2', lines, { confirm: 'AAAA-BBBB', deviceId: 'DESK-B' });
    const view = projectOrders([...mine, ...theirs], desk, concerts);
    expect(deskOrdersSince(view, '2026-11-21T00:00:00.000Z').map((o) => o.orderId)).toEqual([orderId]);
    expect(deskOrdersSince(view, '2026-11-22T00:00:00.000Z')).toEqual([]);
    expect(findOrder(view, ' 7kq2 m9xd ')?.orderId).toBe(orderId);
    expect(findOrder(view, 'aaaabbbb')?.mine).toBe(false);
    expect(findOrder(view, 'ZZZZ-ZZZZ')).toBeUndefined();
  });
});

describe('the order a cash sale became', () => {
  it('shows its step and its invoice number, paid in cash with nothing due', () => {
    const saleId = ulid();
    const orderId = `sale-${saleId}`;
    const stream = chain(orderStream(orderId));
    const relayed = { _id: `relay:concert-${concertA}:0000000003` };
    const line = { concertId: concertA, level: 'Regular', quantity: 2, unitPrice: 15_000, currency: 'PLN' };
    stream.add(relayed, 'OrderRecordedFromSale', {
      orderId,
      saleId,
      deviceId: desk,
      placedBy: staff,
      lines: [line],
      totals: [{ currency: 'PLN', amount: 30_000 }],
      delivery: { kind: 'printed' },
      placedAt: '2026-11-21T10:00:05.000Z',
      reservations: [
        {
          reservationId: `sale:${saleId}`,
          concertId: concertA,
          lines: [{ level: 'Regular', quantity: 2 }],
          ticketIds: [`sale:${saleId}:t1`, `sale:${saleId}:t2`],
        },
      ],
      payments: [
        { paymentId: paymentIdFor(orderId, 'PLN'), amount: 30_000, currency: 'PLN', tendered: 30_000 },
      ],
    });
    const ticketed = orderOfSale(projectOrders(stream.docs, desk, concerts), saleId);
    expect(ticketed).toMatchObject({
      step: 'ticketed',
      due: [],
      payments: [{ status: 'captured' }],
      tickets: 2,
    });

    stream.add({ _id: 'invoice-created' }, 'OrderInvoiced', { orderId, invoiceId: invoiceIdFor(orderId) });
    const numbers = chain('invoice-numbers-FV-2026');
    numbers.add({ _id: 'paid-in-full' }, 'InvoiceNumberAssigned', {
      series: 'FV',
      year: 2026,
      sequence: 7,
      number: 'FV/2026/000007',
      documentId: invoiceIdFor(orderId),
    });
    const invoiced = orderOfSale(projectOrders([...stream.docs, ...numbers.docs], desk, concerts), saleId);
    expect(invoiced).toMatchObject({ step: 'invoiced', tickets: 2, invoiceNumber: 'FV/2026/000007' });
    expect(orderOfSale(projectOrders(stream.docs, desk, concerts), ulid())).toBeUndefined();
  });
});

describe('order numbers', () => {
  it('are eight Crockford characters in two groups, and read back however they are typed', () => {
    expect(orderNumberFrom([0, 0, 0, 0, 0])).toBe('0000-0000');
    expect(orderNumberFrom([255, 255, 255, 255, 255])).toBe('ZZZZ-ZZZZ');
    const number = orderNumberFrom([1, 2, 3, 4, 5]);
    expect(number).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizeOrderNumber(number.toLowerCase().replace('-', ' '))).toBe(number);
    expect(normalizeOrderNumber('oil0-1234')).toBe('0110-1234');
  });
});
