// The desk's read model of the order flow: this desk's open carts, folded from its cart facts with the cart's own
// rules, and every order it knows of, step by step, folded from the orders authority's decisions (read through each
// stream's chain, like the authority reads them). Pure and total, like desk-view.ts: any set of documents in any
// order gives a view, and the same set gives the same view.
import { concertStream } from '../authority/concert-authority';
import { evolveCart, initialCartState, totalsOf } from '../cart/cart';
import type { CartState, OpenCart } from '../cart/cart';
import { cartEventSchemas } from '../cart/events';
import type { CartEvent, CartLine, Total } from '../cart/events';
import type { DeliveryMethod } from '../delivery/address';
import type { AnyEventDoc, DataOf, DecisionDoc, FactDoc } from '../events/catalogue';
import { isDecision } from '../events/catalogue';
import { emptyChain, followChain } from '../log/stream';
import { orderDecisionTypes } from '../order/events';
import type { OrderDecision } from '../order/events';
import { confirmationIdFor, evolveOrder, initialOrderState, saleOrderIdFor } from '../order/order';
import type { OrderState, PlacedOrder } from '../order/order';
import type { ConcertView } from './desk-view';

export type CartLineView = CartLine & {
  /** quantity × unit price, in the line's currency. */
  subtotal: number;
  /** Seats this desk believes are still free at this level (desk-view's believedLeft); null for a level it lost. */
  available: number | null;
};

export type CartView = {
  cartId: string;
  openedAt: string;
  lines: CartLineView[];
  /** One total per currency, in currency order. */
  totals: Total[];
  delivery: DeliveryMethod | null;
  /** The cart as its decider sees it: what the desk decides its next fact against. */
  state: CartState & { status: 'open' };
};

/**
 * Where an order stands, as the desk says it. `placing`: confirmed here, the authority has not placed it yet;
 * `refused`: the authority would not place it; `paying`: cash taken here, the authority has not captured it yet;
 * `expired`: its hold or its time ran out (cancelled for that reason).
 */
export type OrderStep =
  | 'placing'
  | 'refused'
  | 'reserving'
  | 'awaiting_payment'
  | 'paying'
  | 'paid'
  | 'ticketed'
  | 'invoiced'
  | 'confirmation_requested'
  | 'completed'
  | 'cancelled'
  | 'expired';

export type PaymentStatus = 'due' | 'paying' | 'captured' | 'failed' | 'refused' | 'refunded';

export type PaymentView = {
  paymentId: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  /** Cash handed over at a desk, and the change given back (null until cash was taken). */
  tendered: number | null;
  change: number | null;
  /** Given back to the customer (a cancelled order whose money was taken). */
  refunded: number;
  /** The authority's sentence when the payment failed or was refused. */
  message: string | null;
};

export type OrderView = {
  orderId: string;
  cartId: string;
  /** Confirmed at this desk. */
  mine: boolean;
  /** The desk's clock when it was confirmed (informational); null for an order this desk only heard of. */
  confirmedAt: string | null;
  /** The authority's clock when it placed the order. */
  placedAt: string | null;
  step: OrderStep;
  lines: CartLine[];
  totals: Total[];
  delivery: DeliveryMethod;
  /** The earliest moment a hold of this order lapses, while its seats are held and unpaid. */
  heldUntil: string | null;
  payments: PaymentView[];
  /** What is still to be paid, one amount per currency. */
  due: Total[];
  tickets: number;
  seats: number;
  invoiceId: string | null;
  /** The invoice's number once the series gave it one (FV/2026/000123). */
  invoiceNumber: string | null;
  /** Whom the confirmation goes to, once it was asked for. */
  confirmationTo: string | null;
  /** Why it was cancelled or refused, as the authority said it. */
  message: string | null;
  /** Steps the authority refused (a payment of the wrong amount…), newest last. */
  refusals: { step: string; message: string }[];
};

export type OrdersView = {
  /** This desk's open carts, oldest first: several may be open (one parked while the next customer is served). */
  carts: CartView[];
  /** Every order this desk knows of, newest first. */
  orders: OrderView[];
  /**
   * Ids of this desk's order-flow facts that no decision answered (yet): a confirmed cart or cash taken until the
   * authority decides it; cart edits always, as nothing answers them. Less what was uploaded, what waits to upload.
   */
  unanswered: string[];
};

type OrderFactDoc = FactDoc<
  | 'CartOpened'
  | 'CartItemAdded'
  | 'CartItemQuantityChanged'
  | 'CartItemRemoved'
  | 'CartDeliveryChosen'
  | 'CartCleared'
  | 'CartConfirmed'
  | 'PaymentInitiated'
  | 'OrderCancellationRequested'
>;

const cartTypes: readonly string[] = Object.keys(cartEventSchemas);
const orderDecisions: readonly string[] = orderDecisionTypes;
const isOrderFact = (doc: AnyEventDoc): doc is OrderFactDoc =>
  cartTypes.includes(doc.type) ||
  doc.type === 'PaymentInitiated' ||
  doc.type === 'OrderCancellationRequested';
const isOrderDecision = (doc: DecisionDoc): doc is DecisionDoc<OrderDecision['type']> =>
  orderDecisions.includes(doc.type);

type Payments = {
  initiated: Map<string, DataOf<'PaymentInitiated'> & { factId: string }>;
  succeeded: Set<string>;
  failed: Map<string, string>;
  refunded: Map<string, number>;
};

export function projectOrders(
  docs: Iterable<AnyEventDoc>,
  deviceId: string,
  concerts: readonly ConcertView[] = [],
): OrdersView {
  const facts: OrderFactDoc[] = [];
  const streams = new Map<string, DecisionDoc[]>();
  const quarantined = new Map<string, string>();
  const concertStreams = concertStream('');
  for (const doc of docs) {
    if (isOrderFact(doc)) facts.push(doc);
    // The concerts' own streams (sales, reservations) are desk-view's: what the order hears of them is relayed.
    else if (isDecision(doc) && !doc.stream.startsWith(concertStreams)) {
      const stream = streams.get(doc.stream);
      if (stream) stream.push(doc);
      else streams.set(doc.stream, [doc]);
    } else if (doc.type === 'FactQuarantined') quarantined.set(doc.data.docId, doc.data.reason);
  }
  facts.sort(byId);

  const orders = new Map<string, OrderState>();
  const payments: Payments = {
    initiated: new Map(),
    succeeded: new Set(),
    failed: new Map(),
    refunded: new Map(),
  };
  const invoiceNumbers = new Map<string, string>();
  const notified = new Map<string, string>();
  const refusals = new Map<string, { step: string; message: string; causationId: string }[]>();
  const holds = new Map<string, string>();
  const answered = new Set<string>(quarantined.keys());
  for (const decisions of streams.values()) {
    const links = decisions.map((doc) => ({ ...doc.meta, doc }));
    for (const { doc } of followChain(emptyChain(), links).accepted) {
      answered.add(doc.meta.causationId);
      if (doc.type === 'OrderSeatsHeld') holds.set(doc.data.reservationId, doc.data.expiresAt);
      if (isOrderDecision(doc)) {
        const event = { type: doc.type, data: doc.data } as OrderDecision;
        orders.set(
          event.data.orderId,
          evolveOrder(orders.get(event.data.orderId) ?? initialOrderState(), event),
        );
        continue;
      }
      switch (doc.type) {
        case 'PaymentSucceeded':
          payments.succeeded.add(doc.data.paymentId);
          break;
        case 'PaymentFailed':
          payments.failed.set(doc.data.paymentId, doc.data.reason);
          break;
        case 'PaymentRefunded':
          payments.refunded.set(doc.data.paymentId, doc.data.refundedInTotal);
          break;
        case 'InvoiceNumberAssigned':
          invoiceNumbers.set(doc.data.documentId, doc.data.number);
          break;
        case 'NotificationRequested':
          notified.set(doc.data.notificationId, doc.data.recipient.email);
          break;
        case 'OrderStepRefused': {
          const { orderId, step, message } = doc.data;
          refusals.set(orderId, [
            ...(refusals.get(orderId) ?? []),
            { step, message, causationId: doc.meta.causationId },
          ]);
          break;
        }
        default:
          break;
      }
    }
  }

  // Cash taken: the latest try of a payment is the one that counts (an earlier one the authority refused is over).
  const confirmed = new Map<string, FactDoc<'CartConfirmed'>>();
  for (const fact of facts) {
    if (fact.type === 'PaymentInitiated')
      payments.initiated.set(fact.data.paymentId, { ...fact.data, factId: fact._id });
    if (fact.type === 'CartConfirmed' && !confirmed.has(fact.data.orderId))
      confirmed.set(fact.data.orderId, fact);
  }

  const views: OrderView[] = [];
  for (const orderId of new Set([...confirmed.keys(), ...orders.keys()])) {
    const state = orders.get(orderId);
    const cart = confirmed.get(orderId);
    const placed = state && state.status !== 'none' ? state : null;
    if (!placed && !cart) continue;
    views.push(
      orderView(orderId, placed, cart ?? null, deviceId, {
        payments,
        invoiceNumbers,
        notified,
        refusals: refusals.get(orderId) ?? [],
        quarantined,
        holds,
      }),
    );
  }
  views.sort(
    (a, b) =>
      (b.confirmedAt ?? b.placedAt ?? '').localeCompare(a.confirmedAt ?? a.placedAt ?? '') ||
      (a.orderId < b.orderId ? -1 : 1),
  );

  const mine = facts.filter((fact) => fact.meta.deviceId === deviceId);
  return {
    carts: openCarts(mine, concerts),
    orders: views,
    unanswered: mine.filter((fact) => !answered.has(fact._id)).map((fact) => fact._id),
  };
}

function openCarts(facts: readonly OrderFactDoc[], concerts: readonly ConcertView[]): CartView[] {
  // Each cart is its own stream, folded with the cart's rules on its own: a parked cart stays open beside the next.
  const states = new Map<string, CartState>();
  for (const fact of facts) {
    if (!cartTypes.includes(fact.type)) continue;
    const event = { type: fact.type, data: fact.data } as CartEvent;
    const { cartId } = event.data;
    states.set(cartId, evolveCart(states.get(cartId) ?? initialCartState(), event));
  }
  const carts: CartView[] = [];
  for (const state of states.values())
    if (state.status === 'open') carts.push(cartView({ ...state, status: 'open' }, concerts));
  return carts.sort((a, b) => a.openedAt.localeCompare(b.openedAt) || (a.cartId < b.cartId ? -1 : 1));
}

function cartView(state: CartState & { status: 'open' }, concerts: readonly ConcertView[]): CartView {
  const cart: OpenCart = state.cart;
  const lines = cart.lines.map((line) => {
    const level = concerts
      .find((c) => c.concertId === line.concertId)
      ?.levels.find((l) => l.name === line.level);
    return {
      ...line,
      subtotal: line.quantity * line.unitPrice,
      available: level ? level.believedLeft : null,
    };
  });
  return {
    cartId: cart.cartId,
    openedAt: cart.openedAt,
    lines,
    totals: totalsOf(cart.lines),
    delivery: cart.delivery,
    state,
  };
}

type Known = {
  payments: Payments;
  invoiceNumbers: ReadonlyMap<string, string>;
  notified: ReadonlyMap<string, string>;
  refusals: { step: string; message: string; causationId: string }[];
  quarantined: ReadonlyMap<string, string>;
  /** When each held reservation lapses, as the concert said. */
  holds: ReadonlyMap<string, string>;
};

function orderView(
  orderId: string,
  placed: PlacedOrder | null,
  cart: FactDoc<'CartConfirmed'> | null,
  deviceId: string,
  known: Known,
): OrderView {
  const source = placed ?? (cart as FactDoc<'CartConfirmed'>).data;
  const lines = source.lines;
  const refusals = known.refusals.map(({ step, message }) => ({ step, message }));
  const base = {
    orderId,
    cartId: source.cartId,
    mine: cart?.meta.deviceId === deviceId,
    confirmedAt: cart?.data.confirmedAt ?? null,
    lines,
    totals: totalsOf(lines),
    delivery: source.delivery,
    seats: lines.reduce((sum, l) => sum + l.quantity, 0),
    refusals,
  };
  if (!placed) {
    const refusal =
      (cart && known.quarantined.get(cart._id)) ??
      known.refusals.find((r) => r.causationId === cart?._id)?.message ??
      known.refusals.at(-1)?.message ??
      null;
    return {
      ...base,
      placedAt: null,
      step: refusal === null ? 'placing' : 'refused',
      heldUntil: null,
      payments: [],
      due: [],
      tickets: 0,
      invoiceId: null,
      invoiceNumber: null,
      confirmationTo: null,
      message: refusal,
    };
  }

  const payments = placed.payments.map((payment): PaymentView => {
    const cash = known.payments.initiated.get(payment.paymentId);
    const method = cash?.method.kind === 'cash' ? cash.method : null;
    const refusal = cash && known.refusals.find((r) => r.causationId === cash.factId);
    const failed = known.payments.failed.get(payment.paymentId);
    const refunded = known.payments.refunded.get(payment.paymentId) ?? 0;
    const captured = payment.status === 'captured' || known.payments.succeeded.has(payment.paymentId);
    const status: PaymentStatus =
      refunded > 0
        ? 'refunded'
        : captured
          ? 'captured'
          : failed !== undefined
            ? 'failed'
            : refusal
              ? 'refused'
              : cash
                ? 'paying'
                : 'due';
    return {
      paymentId: payment.paymentId,
      amount: payment.amount,
      currency: payment.currency,
      status,
      tendered: method?.tendered ?? null,
      change: method?.change ?? null,
      refunded,
      message: failed ?? refusal?.message ?? null,
    };
  });
  const open = placed.status === 'awaiting_payment' || placed.status === 'reserving';
  const due = open
    ? payments
        .filter((p) => p.status === 'due' || p.status === 'refused')
        .map(({ amount, currency }) => ({ amount, currency }))
    : [];
  const invoiceNumber = placed.invoiceId ? (known.invoiceNumbers.get(placed.invoiceId) ?? null) : null;
  const confirmationTo = known.notified.get(confirmationIdFor(orderId)) ?? null;
  return {
    ...base,
    placedAt: placed.placedAt,
    step: stepOf(placed, payments, confirmationTo !== null),
    heldUntil: heldUntilOf(placed, known.holds),
    payments,
    due,
    tickets: placed.reservations.reduce((sum, r) => sum + (r.ticketIds?.length ?? 0), 0),
    invoiceId: placed.invoiceId,
    invoiceNumber,
    confirmationTo,
    message: placed.cancellation?.message ?? null,
  };
}

/** Until when the seats are held, while the order waits for its money: the earliest hold, or the order's deadline. */
function heldUntilOf(order: PlacedOrder, holds: ReadonlyMap<string, string>): string | null {
  if (order.status !== 'awaiting_payment') return null;
  const ends = [order.expiresAt, ...order.reservations.flatMap((r) => holds.get(r.reservationId) ?? [])];
  return ends.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
}

function stepOf(order: PlacedOrder, payments: readonly PaymentView[], notified: boolean): OrderStep {
  switch (order.status) {
    case 'cancelled':
      return order.cancellation?.reason === 'reservation_expired' ||
        order.cancellation?.reason === 'timed_out'
        ? 'expired'
        : 'cancelled';
    case 'completed':
      return 'completed';
    case 'invoiced':
      return notified ? 'confirmation_requested' : 'invoiced';
    case 'ticketed':
      return 'ticketed';
    case 'paid':
      return 'paid';
    case 'awaiting_payment':
      return payments.some((p) => p.status === 'paying') ? 'paying' : 'awaiting_payment';
    case 'reserving':
      return 'reserving';
  }
}

/**
 * An order number as a person reads it out or types it: Crockford's base 32 in two groups of four (7KQ2-M9XD).
 * Typing is forgiving: case, spaces and dashes do not matter, and O, I and L read as 0, 1 and 1.
 */
export function normalizeOrderNumber(typed: string): string {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return plain.length === 8 ? `${plain.slice(0, 4)}-${plain.slice(4)}` : plain;
}

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An order number from 40 random bits (five bytes the caller draws): collisions are for about a million orders. */
export function orderNumberFrom(bytes: ArrayLike<number>): string {
  // 40 bits fit a number exactly (53 do).
  let bits = 0;
  for (let i = 0; i < 5; i += 1) bits = bits * 256 + ((bytes[i] ?? 0) & 0xff);
  let text = '';
  for (let i = 0; i < 8; i += 1) {
    text = crockford.charAt(bits % 32) + text;
    bits = Math.floor(bits / 32);
  }
  return `${text.slice(0, 4)}-${text.slice(4)}`;
}

/** The order with this number, if the desk knows it (any desk's order: the orders database is shared). */
export function findOrder(view: OrdersView, typed: string): OrderView | undefined {
  const number = normalizeOrderNumber(typed);
  return view.orders.find((order) => order.orderId === number);
}

/** The order a cash sale became once the concert allocated it, when the desk has heard of it. */
export function orderOfSale(view: OrdersView, saleId: string): OrderView | undefined {
  const orderId = saleOrderIdFor(saleId);
  return view.orders.find((order) => order.orderId === orderId);
}

/** This desk's orders confirmed at or after `since` (the start of the desk's day), newest first. */
export function deskOrdersSince(view: OrdersView, since: string): OrderView[] {
  const from = Date.parse(since);
  return view.orders.filter(
    (order) => order.mine && order.confirmedAt !== null && Date.parse(order.confirmedAt) >= from,
  );
}

const byId = (a: { _id: string }, b: { _id: string }) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
