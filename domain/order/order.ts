// The order: one purchase across concerts, as a state machine. Business rules (from the seeds, made strict):
// - placed from a confirmed cart: one reservation per concert, one payment per currency with something to pay;
// - reserving → awaiting payment (every concert's seats held) → paid (every payment captured) → ticketed (every
//   concert's tickets issued, after its seats are confirmed) → invoiced → completed (the customer was told);
// - a refused reservation, lost seats, a failed payment, a timeout or a staff cancel before payment → cancelled;
// - no completion without every payment captured; nothing changes a completed or cancelled order: what arrives
//   late is recorded so the policy can compensate (seats held late are released, money captured late refunded);
// - once paid, staff can't cancel (that is a refund) and the deadline no longer applies.
// Every command is decided into at most one event; an outcome already recorded is a no-op.
import { assertNever, DomainError } from '../shared/decider';
import type { Decider } from '../shared/decider';
import type { ListsAll } from '../shared/command-types';
import { totalsOf } from '../cart/cart';
import type { CartLine, Total } from '../cart/events';
import type { DeliveryMethod } from '../delivery/address';
import { notificationIdOf } from '../notifications/events';
import type { ReservedLine, Staff } from '../reservation/events';
import type { CancellationReason, OrderDecision, OrderEventData, OrderRejectionCode } from './events';

export const defaultOrderTimeoutMinutes = 15;
const longestTimeoutMinutes = 24 * 60;

export type OrderCommand =
  | {
      type: 'PlaceOrder';
      data: {
        orderId: string;
        cartId: string;
        deskSessionId: string;
        placedBy: Staff;
        lines: CartLine[];
        delivery: DeliveryMethod;
        /** The authority's clock. */
        placedAt: string;
        /** How long the order may wait for its seats and its money; 15 minutes unless the venue says otherwise. */
        timeoutMinutes?: number;
      };
    }
  | {
      type: 'RecordSale';
      data: {
        saleId: string;
        concertId: string;
        level: string;
        quantity: number;
        unitPrice: number;
        currency: string;
        /** The cash handed over at the desk. */
        tendered: number;
        deviceId: string;
        soldBy: Staff;
        /** The authority's clock. */
        recordedAt: string;
      };
    }
  | { type: 'RecordSeatsHeld'; data: { orderId: string; reservationId: string; expiresAt: string } }
  | { type: 'RecordReservationRefused'; data: { orderId: string; reservationId: string; message: string } }
  | { type: 'RecordSeatsConfirmed'; data: { orderId: string; reservationId: string } }
  | {
      type: 'RecordReservationEnded';
      data: { orderId: string; reservationId: string; ending: 'expired' | 'cancelled' };
    }
  | {
      type: 'RecordPaymentCaptured';
      data: { orderId: string; paymentId: string; amount: number; currency: string };
    }
  | { type: 'RecordPaymentFailed'; data: { orderId: string; paymentId: string; reason: string } }
  | { type: 'RecordTicketsIssued'; data: OrderEventData<'OrderTicketsIssued'> }
  | { type: 'RecordInvoiceCreated'; data: OrderEventData<'OrderInvoiced'> }
  | { type: 'RecordConfirmationSent'; data: OrderEventData<'OrderConfirmationSent'> }
  | { type: 'CancelOrder'; data: OrderEventData<'OrderCancellationRequested'> }
  /** The authority's sweep: `now` is its clock. */
  | { type: 'TimeOutOrder'; data: { orderId: string; now: string } };

/** Every command type, as data: the rule set of who may do what is checked against it (users/permissions). */
export const orderCommandTypes = [
  'PlaceOrder',
  'RecordSale',
  'RecordSeatsHeld',
  'RecordReservationRefused',
  'RecordSeatsConfirmed',
  'RecordReservationEnded',
  'RecordPaymentCaptured',
  'RecordPaymentFailed',
  'RecordTicketsIssued',
  'RecordInvoiceCreated',
  'RecordConfirmationSent',
  'CancelOrder',
  'TimeOutOrder',
] as const satisfies readonly OrderCommand['type'][];
export const orderCommandTypesComplete: ListsAll<OrderCommand['type'], typeof orderCommandTypes> = true;

export type OrderReservation = {
  reservationId: string;
  concertId: string;
  lines: ReservedLine[];
  status: 'requested' | 'held' | 'confirmed' | 'refused' | 'ended';
  /** The concert's tickets, once issued. */
  ticketIds: string[] | null;
};
export type OrderPayment = {
  paymentId: string;
  amount: number;
  currency: string;
  status: 'due' | 'captured' | 'failed';
};
export type OrderStatus =
  'reserving' | 'awaiting_payment' | 'paid' | 'ticketed' | 'invoiced' | 'completed' | 'cancelled';

export type PlacedOrder = {
  status: OrderStatus;
  orderId: string;
  /** The confirmed cart it was placed from; empty for an order recorded from a cash sale. */
  cartId: string;
  /** The cash sale it was recorded from, or null for an order placed from a cart. */
  saleId: string | null;
  /** The desk session that placed it; for a cash sale, the desk that sold. */
  deskSessionId: string;
  placedBy: Staff;
  placedAt: string;
  expiresAt: string;
  lines: CartLine[];
  totals: Total[];
  delivery: DeliveryMethod;
  reservations: OrderReservation[];
  payments: OrderPayment[];
  invoiceId: string | null;
  notificationId: string | null;
  cancellation: { reason: CancellationReason; message: string } | null;
};
export type OrderState = { status: 'none' } | PlacedOrder;

export const initialOrderState = (): OrderState => ({ status: 'none' });

// The ids of what the order asks for are derived from its own id, so asking again (after a crash, a replay) names
// the same reservation, payment, refund, invoice or notification, and the receiving decider treats it as a no-op.
export const reservationIdFor = (orderId: string, concertId: string): string =>
  `${orderId}:seats:${concertId}`;
export const paymentIdFor = (orderId: string, currency: string): string => `${orderId}:payment:${currency}`;
export const refundIdFor = (paymentId: string): string => `${paymentId}:refund`;
/** A cash sale's order and the concert's reservation for it are named after the sale: recorded twice, it is one order. */
export const saleOrderIdFor = (saleId: string): string => `sale-${saleId}`;
/** Whether an order was recorded from a desk's quick sale (its id is saleOrderIdFor's). */
export const isSaleOrder = (orderId: string): boolean => orderId.startsWith(saleOrderIdFor(''));
const saleReservationPrefix = 'sale:';
export const saleReservationIdFor = (saleId: string): string => `${saleReservationPrefix}${saleId}`;
/** The sale a reservation id names, or null for an order's reservation. */
export const saleIdOfReservation = (reservationId: string): string | null =>
  reservationId.startsWith(saleReservationPrefix) ? reservationId.slice(saleReservationPrefix.length) : null;
/**
 * Ticket ids derived from the reservation: a decision made again after a crash issues the same tickets. A cash sale's
 * tickets are its reservation's (`sale:<saleId>:t<n>`): the concert issued its seats when it allocated them.
 */
export const ticketIdsFor = (reservationId: string, seats: number): string[] =>
  Array.from({ length: seats }, (_, i) => `${reservationId}:t${i + 1}`);
export const invoiceIdFor = (orderId: string): string => `${orderId}:invoice`;
/** The notification context's own id for the order's payment confirmation (one per kind and cause). */
export const confirmationIdFor = (orderId: string): string =>
  notificationIdOf('payment_confirmation', orderId);

const paidStatuses: readonly OrderStatus[] = ['paid', 'ticketed', 'invoiced', 'completed'];
export const isPaid = (status: OrderStatus): boolean => paidStatuses.includes(status);

export class OrderRuleBroken extends DomainError<OrderRejectionCode> {}

const broken = (code: OrderRejectionCode, message: string) => new OrderRuleBroken(code, message);

export function decideOrder(command: OrderCommand, state: OrderState): OrderDecision[] {
  if (command.type === 'PlaceOrder') return place(command.data, state);
  if (command.type === 'RecordSale') return recordSale(command.data, state);
  if (state.status === 'none' || state.orderId !== command.data.orderId)
    throw broken('unknown_order', 'There is no such order.');
  const order = state;
  const { orderId } = order;
  const cancelled = order.status === 'cancelled';
  switch (command.type) {
    case 'RecordSeatsHeld': {
      const reservation = reservationOf(order, command.data.reservationId);
      if (reservation.status !== 'requested') return [];
      const { reservationId, concertId } = reservation;
      return [
        {
          type: 'OrderSeatsHeld',
          data: { orderId, reservationId, concertId, expiresAt: command.data.expiresAt },
        },
      ];
    }
    case 'RecordReservationRefused': {
      const reservation = reservationOf(order, command.data.reservationId);
      if (reservation.status !== 'requested' || cancelled) return [];
      const { concertId } = reservation;
      const message = `Seats for ${concertId} could not be held: ${sentence(command.data.message)}`;
      return [cancel(orderId, 'reservation_refused', message, { concertId })];
    }
    case 'RecordSeatsConfirmed': {
      const reservation = reservationOf(order, command.data.reservationId);
      if (reservation.status !== 'held') return [];
      const { reservationId, concertId } = reservation;
      return [{ type: 'OrderSeatsConfirmed', data: { orderId, reservationId, concertId } }];
    }
    case 'RecordReservationEnded': {
      const reservation = reservationOf(order, command.data.reservationId);
      // Confirmed seats no longer lapse, and a cancelled order has given its seats back already.
      if (reservation.status !== 'requested' && reservation.status !== 'held') return [];
      if (cancelled) return [];
      const { concertId } = reservation;
      return command.data.ending === 'expired'
        ? [
            cancel(orderId, 'reservation_expired', `The hold on seats for ${concertId} expired.`, {
              concertId,
            }),
          ]
        : [
            cancel(orderId, 'reservation_cancelled', `The hold on seats for ${concertId} was cancelled.`, {
              concertId,
            }),
          ];
    }
    case 'RecordPaymentCaptured': {
      const payment = paymentOf(order, command.data.paymentId);
      const { amount, currency } = command.data;
      if (amount !== payment.amount || currency !== payment.currency)
        throw broken(
          'amount_mismatch',
          `This payment is for ${money(payment.amount, payment.currency)}, not ${money(amount, currency)}: refund it and take the right amount.`,
        );
      if (payment.status === 'captured') return [];
      // Recorded even on a cancelled order: the policy refunds money that arrives late.
      return [
        { type: 'OrderPaymentCaptured', data: { orderId, paymentId: payment.paymentId, amount, currency } },
      ];
    }
    case 'RecordPaymentFailed': {
      const payment = paymentOf(order, command.data.paymentId);
      if (payment.status !== 'due' || cancelled) return [];
      const message = `The payment of ${money(payment.amount, payment.currency)} failed: ${sentence(command.data.reason)}`;
      return [cancel(orderId, 'payment_failed', message, { paymentId: payment.paymentId })];
    }
    case 'RecordTicketsIssued': {
      const { concertId, ticketIds } = command.data;
      const reservation = order.reservations.find((r) => r.concertId === concertId);
      if (!reservation) throw broken('unknown_concert', `This order has no seats for ${concertId}.`);
      if (reservation.ticketIds) return [];
      refuseIfCancelled(order);
      if (order.status !== 'paid' || order.reservations.some((r) => r.status !== 'confirmed'))
        throw broken(
          'not_ready',
          'Tickets are issued only once the order is paid and all its seats are confirmed.',
        );
      const seats = reservation.lines.reduce((sum, l) => sum + l.quantity, 0);
      if (new Set(ticketIds).size !== seats || ticketIds.length !== seats)
        throw broken(
          'ticket_count_mismatch',
          `The order has ${seats} seats for ${concertId}: issue exactly ${seats} different tickets, not ${ticketIds.length}.`,
        );
      return [{ type: 'OrderTicketsIssued', data: { orderId, concertId, ticketIds } }];
    }
    case 'RecordInvoiceCreated': {
      const { invoiceId } = command.data;
      if (order.invoiceId === invoiceId) return [];
      refuseIfCancelled(order);
      if (order.invoiceId)
        throw broken('already_invoiced', `This order is invoiced already, on invoice ${order.invoiceId}.`);
      if (order.status !== 'ticketed')
        throw broken('not_ready', 'An order is invoiced only once all its tickets are issued.');
      return [{ type: 'OrderInvoiced', data: { orderId, invoiceId } }];
    }
    case 'RecordConfirmationSent':
      if (order.status === 'completed') return [];
      refuseIfCancelled(order);
      if (order.status !== 'invoiced')
        throw broken('not_ready', 'The customer is told only once the order is invoiced.');
      return [
        { type: 'OrderConfirmationSent', data: { orderId, notificationId: command.data.notificationId } },
      ];
    case 'CancelOrder': {
      if (cancelled) return [];
      if (isPaid(order.status))
        throw broken('already_paid', 'This order is paid: refund its tickets instead of cancelling it.');
      const why = command.data.reason.trim();
      const message = why ? `Cancelled at the desk: ${sentence(why)}` : 'Cancelled at the desk.';
      return [cancel(orderId, 'cancelled_by_staff', message)];
    }
    case 'TimeOutOrder':
      // Paid in time, or over already: the deadline no longer matters.
      if (cancelled || isPaid(order.status)) return [];
      if (Date.parse(command.data.now) < Date.parse(order.expiresAt))
        throw broken('not_due', `This order may wait for its seats and payment until ${order.expiresAt}.`);
      return [cancel(orderId, 'timed_out', 'The order was not paid in time.')];
    default:
      return assertNever(command);
  }
}

function place(
  data: Extract<OrderCommand, { type: 'PlaceOrder' }>['data'],
  state: OrderState,
): OrderDecision[] {
  if (state.status !== 'none') {
    if (state.orderId === data.orderId && state.cartId === data.cartId) return []; // placed before: a replay
    throw broken('order_exists', `Order ${state.orderId} exists already, from another cart.`);
  }
  const { orderId, cartId, deskSessionId, placedBy, lines, delivery, placedAt } = data;
  if (lines.length === 0) throw broken('empty_order', 'An order needs at least one ticket.');
  const seen = new Set<string>();
  for (const line of lines) {
    const key = `${line.concertId}\n${line.level}`;
    if (seen.has(key))
      throw broken(
        'invalid_line',
        `"${line.level}" for ${line.concertId} is in the order twice: merge the lines.`,
      );
    seen.add(key);
    checkLine(line);
  }
  const timeoutMinutes = data.timeoutMinutes ?? defaultOrderTimeoutMinutes;
  if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1 || timeoutMinutes > longestTimeoutMinutes)
    throw broken(
      'invalid_timeout',
      `An order waits a whole number of minutes from 1 to ${longestTimeoutMinutes}.`,
    );

  const concerts = [...new Set(lines.map((l) => l.concertId))];
  const reservations = concerts.map((concertId) => ({
    reservationId: reservationIdFor(orderId, concertId),
    concertId,
    lines: lines.filter((l) => l.concertId === concertId).map(({ level, quantity }) => ({ level, quantity })),
  }));
  const totals = totalsOf(lines);
  const payments = totals
    .filter((t) => t.amount > 0)
    .map(({ currency, amount }) => ({ paymentId: paymentIdFor(orderId, currency), amount, currency }));
  const expiresAt = new Date(Date.parse(placedAt) + timeoutMinutes * 60_000).toISOString();
  return [
    {
      type: 'OrderPlaced',
      data: {
        orderId,
        cartId,
        deskSessionId,
        placedBy,
        lines,
        totals,
        delivery,
        placedAt,
        expiresAt,
        reservations,
        payments,
      },
    },
  ];
}

function checkLine(line: CartLine): void {
  if (!Number.isInteger(line.quantity) || line.quantity < 1)
    throw broken('invalid_line', `"${line.level}" needs a whole number of tickets, at least one.`);
  if (!Number.isInteger(line.unitPrice) || line.unitPrice < 0 || !/^[A-Z]{3}$/.test(line.currency))
    throw broken(
      'invalid_line',
      `"${line.level}" needs a price in minor units and a currency code such as PLN.`,
    );
}

/**
 * A cash sale the concert allocated becomes a one-line order that is paid and ticketed already: the concert counted
 * and issued its seats when it allocated them, and the money is in the desk's drawer. Its tickets are printed at the
 * desk.
 */
function recordSale(
  data: Extract<OrderCommand, { type: 'RecordSale' }>['data'],
  state: OrderState,
): OrderDecision[] {
  const { saleId, concertId, level, quantity, unitPrice, currency, tendered, deviceId } = data;
  const orderId = saleOrderIdFor(saleId);
  if (state.status !== 'none') {
    if (state.orderId === orderId && state.saleId === saleId) return []; // recorded before: a replay
    throw broken('order_exists', `Order ${state.orderId} exists already.`);
  }
  const line: CartLine = { concertId, level, quantity, unitPrice, currency };
  checkLine(line);
  const totals = totalsOf([line]);
  const payments = totals
    .filter((t) => t.amount > 0)
    .map(({ amount }) => ({ paymentId: paymentIdFor(orderId, currency), amount, currency, tendered }));
  return [
    {
      type: 'OrderRecordedFromSale',
      data: {
        orderId,
        saleId,
        deviceId,
        placedBy: data.soldBy,
        lines: [line],
        totals,
        delivery: { kind: 'printed' },
        placedAt: data.recordedAt,
        reservations: [
          {
            reservationId: saleReservationIdFor(saleId),
            concertId,
            lines: [{ level, quantity }],
            ticketIds: ticketIdsFor(saleReservationIdFor(saleId), quantity),
          },
        ],
        payments,
      },
    },
  ];
}

function cancel(
  orderId: string,
  reason: CancellationReason,
  message: string,
  cause: { concertId?: string; paymentId?: string } = {},
): OrderDecision {
  return { type: 'OrderCancelled', data: { orderId, reason, message, ...cause } };
}

function reservationOf(order: PlacedOrder, reservationId: string): OrderReservation {
  const reservation = order.reservations.find((r) => r.reservationId === reservationId);
  if (!reservation) throw broken('unknown_reservation', 'This reservation is not one of this order.');
  return reservation;
}

function paymentOf(order: PlacedOrder, paymentId: string): OrderPayment {
  const payment = order.payments.find((p) => p.paymentId === paymentId);
  if (!payment) throw broken('unknown_payment', 'This payment is not one this order asked for.');
  return payment;
}

function refuseIfCancelled(order: PlacedOrder): void {
  if (order.status === 'cancelled')
    throw broken('order_cancelled', 'This order was cancelled: nothing more happens to it.');
}

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;
const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

export function evolveOrder(state: OrderState, event: OrderDecision): OrderState {
  if (event.type === 'OrderPlaced') {
    const { reservations, payments, ...placed } = event.data;
    return withStatus({
      ...placed,
      saleId: null,
      status: 'reserving',
      reservations: reservations.map((r) => ({ ...r, status: 'requested', ticketIds: null })),
      payments: payments.map((p) => ({ ...p, status: 'due' })),
      invoiceId: null,
      notificationId: null,
      cancellation: null,
    });
  }
  if (event.type === 'OrderRecordedFromSale') {
    // Its seats are the concert's and ticketed already and its money is taken: no deadline, nothing to wait for.
    const { orderId, saleId, deviceId, placedBy, lines, totals, delivery, placedAt } = event.data;
    return withStatus({
      orderId,
      cartId: '',
      saleId,
      deskSessionId: deviceId,
      placedBy,
      placedAt,
      expiresAt: placedAt,
      lines,
      totals,
      delivery,
      status: 'ticketed',
      reservations: event.data.reservations.map((r) => ({ ...r, status: 'confirmed' })),
      payments: event.data.payments.map(({ paymentId, amount, currency }) => ({
        paymentId,
        amount,
        currency,
        status: 'captured',
      })),
      invoiceId: null,
      notificationId: null,
      cancellation: null,
    });
  }
  if (state.status === 'none' || state.orderId !== event.data.orderId) return state;
  const order = state;
  const reservation = (reservationId: string | undefined, change: Partial<OrderReservation>) =>
    order.reservations.map((r) => (r.reservationId === reservationId ? { ...r, ...change } : r));
  const byConcert = (concertId: string | undefined, change: Partial<OrderReservation>) =>
    order.reservations.map((r) => (r.concertId === concertId ? { ...r, ...change } : r));
  switch (event.type) {
    case 'OrderSeatsHeld':
      return withStatus({
        ...order,
        reservations: reservation(event.data.reservationId, { status: 'held' }),
      });
    case 'OrderSeatsConfirmed':
      return withStatus({
        ...order,
        reservations: reservation(event.data.reservationId, { status: 'confirmed' }),
      });
    case 'OrderPaymentCaptured':
      return withStatus({
        ...order,
        payments: order.payments.map((p) =>
          p.paymentId === event.data.paymentId ? { ...p, status: 'captured' } : p,
        ),
      });
    case 'OrderTicketsIssued':
      return withStatus({
        ...order,
        reservations: byConcert(event.data.concertId, { ticketIds: event.data.ticketIds }),
      });
    case 'OrderInvoiced':
      return withStatus({ ...order, invoiceId: event.data.invoiceId });
    case 'OrderConfirmationSent':
      return withStatus({ ...order, notificationId: event.data.notificationId });
    case 'OrderCancelled': {
      const { reason, message, concertId, paymentId } = event.data;
      const lost = reason === 'reservation_refused' ? 'refused' : 'ended';
      return withStatus({
        ...order,
        reservations: byConcert(concertId, { status: lost }),
        payments: order.payments.map((p) => (p.paymentId === paymentId ? { ...p, status: 'failed' } : p)),
        cancellation: { reason, message },
      });
    }
    default:
      return assertNever(event);
  }
}

/** Where the order stands follows from what it knows. */
function withStatus(order: PlacedOrder): PlacedOrder {
  return { ...order, status: statusOf(order) };
}

function statusOf(order: PlacedOrder): OrderStatus {
  if (order.cancellation) return 'cancelled';
  if (order.notificationId) return 'completed';
  if (order.invoiceId) return 'invoiced';
  if (order.reservations.every((r) => r.ticketIds)) return 'ticketed';
  const seated = order.reservations.every((r) => r.status === 'held' || r.status === 'confirmed');
  if (!seated) return 'reserving';
  return order.payments.every((p) => p.status === 'captured') ? 'paid' : 'awaiting_payment';
}

export const orderDecider: Decider<OrderCommand, OrderDecision, OrderState> = {
  decide: decideOrder,
  evolve: evolveOrder,
  initialState: initialOrderState,
};
