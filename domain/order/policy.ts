// The order's policy: given the order as it stands after an event, the commands to issue next. Pure and total:
// called once per recorded order event (the decider never records the same outcome twice), it asks for each step
// once, and for compensation whenever something arrives after the order was cancelled.
//
//   event                       order now            commands
//   OrderPlaced                 reserving            ReserveSeats, one per concert
//   OrderSeatsHeld              awaiting_payment     RequestPayment, one per currency still due
//                               paid (money first)   ConfirmReservation for every held concert
//                               cancelled            ReleaseReservation (seats held too late)
//   OrderPaymentCaptured        paid                 ConfirmReservation for every held concert (IssueTickets if none)
//                               cancelled            RefundPayment (money captured too late)
//   OrderSeatsConfirmed         paid, all confirmed  IssueTickets, one per concert
//                               cancelled            ReleaseReservation
//   OrderTicketsIssued          ticketed             CreateInvoice
//   OrderInvoiced               invoiced             NotifyConfirmation
//   OrderCancelled              cancelled            ReleaseReservation for seats held, RefundPayment for money captured
//
// The commands name what the order knows; the sync server adds what only the authority knows (its clock, the seats
// left, the concert's hold time) and hands each to its context: ReserveSeats, ConfirmReservation and
// ReleaseReservation to the reservation decider, RefundPayment to the payment decider, RequestPayment to the desk
// (which takes cash or card and writes PaymentInitiated), the rest to tickets, finance and notifications.
import { assertNever } from '../shared/decider';
import type { CartLine, Delivery, Total } from '../cart/events';
import type { ReservedLine, Staff } from '../reservation/events';
import type { OrderDecision } from './events';
import { confirmationIdFor, refundIdFor } from './order';
import type { OrderPayment, OrderReservation, OrderState, PlacedOrder } from './order';

type Seats = { reservationId: string; orderId: string; concertId: string };

export type OrderPolicyCommand =
  | { type: 'ReserveSeats'; data: Seats & { lines: ReservedLine[]; staff: Staff } }
  | { type: 'RequestPayment'; data: { paymentId: string; orderId: string; amount: number; currency: string } }
  | { type: 'ConfirmReservation'; data: Seats }
  | { type: 'IssueTickets'; data: Seats & { lines: CartLine[]; delivery: Delivery } }
  | {
      type: 'CreateInvoice';
      data: {
        orderId: string;
        lines: CartLine[];
        totals: Total[];
        payments: { paymentId: string; amount: number; currency: string }[];
        tickets: { concertId: string; ticketIds: string[] }[];
      };
    }
  | {
      type: 'NotifyConfirmation';
      data: { notificationId: string; orderId: string; invoiceId: string; delivery: Delivery };
    }
  | { type: 'ReleaseReservation'; data: Seats }
  | { type: 'RefundPayment'; data: { paymentId: string; refundId: string; orderId: string; reason: string } };

/** The commands the order wants issued, given its state after `event` was applied. */
export function react(state: OrderState, event: OrderDecision): OrderPolicyCommand[] {
  if (state.status === 'none') return [];
  const order = state;
  switch (event.type) {
    case 'OrderPlaced':
      return order.reservations.map((r) => ({
        type: 'ReserveSeats',
        data: { ...seats(order, r), lines: r.lines, staff: order.placedBy },
      }));
    case 'OrderSeatsHeld':
      if (order.status === 'cancelled') return [release(event.data)];
      if (order.status === 'awaiting_payment')
        return order.payments.filter((p) => p.status === 'due').map((p) => requestPayment(order, p));
      return order.status === 'paid' ? fulfil(order) : [];
    case 'OrderPaymentCaptured':
      if (order.status === 'cancelled') return [refund(order, event.data.paymentId)];
      return order.status === 'paid' ? fulfil(order) : [];
    case 'OrderSeatsConfirmed':
      if (order.status === 'cancelled') return [release(event.data)];
      return order.status === 'paid' && order.reservations.every((r) => r.status === 'confirmed')
        ? issueTickets(order)
        : [];
    case 'OrderTicketsIssued':
      return order.status === 'ticketed' ? [createInvoice(order)] : [];
    case 'OrderInvoiced':
      return [notify(order, event.data.invoiceId)];
    case 'OrderConfirmationSent':
      return [];
    case 'OrderCancelled':
      return [
        ...order.reservations
          .filter((r) => r.status === 'held' || r.status === 'confirmed')
          .map((r) => release(seats(order, r))),
        ...order.payments.filter((p) => p.status === 'captured').map((p) => refund(order, p.paymentId)),
      ];
    default:
      return assertNever(event);
  }
}

/** Paid: keep the held seats for good, then (once they all are) issue the tickets. */
function fulfil(order: PlacedOrder): OrderPolicyCommand[] {
  const held = order.reservations.filter((r) => r.status === 'held');
  if (held.length > 0) return held.map((r) => ({ type: 'ConfirmReservation', data: seats(order, r) }));
  return issueTickets(order);
}

function issueTickets(order: PlacedOrder): OrderPolicyCommand[] {
  return order.reservations
    .filter((r) => !r.ticketIds)
    .map((r) => ({
      type: 'IssueTickets',
      data: {
        ...seats(order, r),
        lines: order.lines.filter((l) => l.concertId === r.concertId),
        delivery: order.delivery,
      },
    }));
}

function createInvoice(order: PlacedOrder): OrderPolicyCommand {
  return {
    type: 'CreateInvoice',
    data: {
      orderId: order.orderId,
      lines: order.lines,
      totals: order.totals,
      payments: order.payments.map(({ paymentId, amount, currency }) => ({ paymentId, amount, currency })),
      tickets: order.reservations.map((r) => ({ concertId: r.concertId, ticketIds: r.ticketIds ?? [] })),
    },
  };
}

function notify(order: PlacedOrder, invoiceId: string): OrderPolicyCommand {
  const { orderId, delivery } = order;
  return {
    type: 'NotifyConfirmation',
    data: { notificationId: confirmationIdFor(orderId), orderId, invoiceId, delivery },
  };
}

function requestPayment(order: PlacedOrder, payment: OrderPayment): OrderPolicyCommand {
  const { paymentId, amount, currency } = payment;
  return { type: 'RequestPayment', data: { paymentId, orderId: order.orderId, amount, currency } };
}

function release({ reservationId, orderId, concertId }: Seats): OrderPolicyCommand {
  return { type: 'ReleaseReservation', data: { reservationId, orderId, concertId } };
}

function refund(order: PlacedOrder, paymentId: string): OrderPolicyCommand {
  const reason = 'Its order was cancelled.';
  return {
    type: 'RefundPayment',
    data: { paymentId, refundId: refundIdFor(paymentId), orderId: order.orderId, reason },
  };
}

const seats = (order: PlacedOrder, r: OrderReservation): Seats => ({
  reservationId: r.reservationId,
  orderId: order.orderId,
  concertId: r.concertId,
});
