// The order's policy: given the order as it stands after an event, the commands to issue next. Pure and total:
// called once per recorded order event (the decider never records the same outcome twice), it asks for each step
// once, and for compensation whenever something arrives after the order was cancelled.
//
//   event                       order now            commands
//   OrderPlaced                 reserving            ReserveSeats, one per concert
//   OrderRecordedFromSale       ticketed (cash sale) DeliverTicket per ticket, CreateInvoice (as OrderTicketsIssued)
//   OrderSeatsHeld              awaiting_payment     RequestPayment, one per currency still due
//                               paid (money first)   ConfirmReservation for every held concert
//                               cancelled            ReleaseReservation (seats held too late)
//   OrderPaymentCaptured        paid                 ConfirmReservation for every held concert (IssueTickets if none)
//                               cancelled            RefundPayment (money captured too late)
//   OrderSeatsConfirmed         paid, all confirmed  IssueTickets, one per concert
//                               cancelled            ReleaseReservation
//   OrderTicketsIssued          paid or ticketed     ChooseDeliveryMethod, one per ticket of that concert
//                               ticketed             CreateInvoice
//   OrderInvoiced               invoiced             RequestNotification (the payment confirmation)
//   OrderCancelled              cancelled            ReleaseReservation for seats held, RefundPayment for money captured
//
// Each command is named after the command of the context that carries it out (checked below), except RequestPayment:
// the desk's prompt to take the money, which it answers with InitiatePayment. The commands carry what the order knows;
// the sync server adds what only the authority knows (its clock, the seats left, the concert's hold time and levels,
// new ticket ids, the customer, tax rates) with the mappings in routing.ts, and hands each to its context.
import { assertNever } from '../shared/decider';
import type { CartLine } from '../cart/events';
import type { DeliveryCommand } from '../delivery/delivery';
import type { DeliveryMethod } from '../delivery/address';
import type { InvoiceCommand } from '../finance/invoice';
import type { NotificationCommand } from '../notifications/notifications';
import type { PaymentCommand } from '../payment/payment';
import type { ReservationCommand } from '../reservation/reservation';
import type { ReservedLine, Staff } from '../reservation/events';
import type { TicketCommand } from '../ticket/ticket';
import type { OrderDecision } from './events';
import { confirmationIdFor, invoiceIdFor, refundIdFor } from './order';
import type { OrderPayment, OrderReservation, OrderState, PlacedOrder } from './order';

type Seats = { reservationId: string; orderId: string; concertId: string };
type Due = { paymentId: string; amount: number; currency: string };

export type OrderPolicyCommand =
  | { type: 'ReserveSeats'; data: Seats & { lines: ReservedLine[]; staff: Staff } }
  | { type: 'RequestPayment'; data: Due & { orderId: string } }
  | { type: 'ConfirmReservation'; data: Seats }
  | { type: 'IssueTickets'; data: Seats & { lines: CartLine[] } }
  | { type: 'ChooseDeliveryMethod'; data: { ticketId: string; orderId: string; method: DeliveryMethod } }
  | {
      type: 'CreateInvoice';
      data: { invoiceId: string; orderId: string; lines: CartLine[]; payments: Due[] };
    }
  | {
      type: 'RequestNotification';
      data: {
        notificationId: string;
        kind: 'payment_confirmation';
        /** The order is the cause: one confirmation per order, whatever its number of payments. */
        causeId: string;
        orderId: string;
        invoiceId: string;
        delivery: DeliveryMethod;
      };
    }
  | { type: 'ReleaseReservation'; data: Seats }
  | { type: 'RefundPayment'; data: { paymentId: string; refundId: string; orderId: string; reason: string } };

/** The commands the policy may ask for: the other contexts' own, and the desk's prompt to take a payment. */
type Carried =
  | ReservationCommand['type']
  | PaymentCommand['type']
  | TicketCommand['type']
  | DeliveryCommand['type']
  | InvoiceCommand['type']
  | NotificationCommand['type']
  | 'RequestPayment';
/** Fails to compile when the policy names a command no context has (a rename in a context must reach the policy). */
export const policyNamesRealCommands: [OrderPolicyCommand['type']] extends [Carried] ? true : false = true;

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
    case 'OrderRecordedFromSale':
      return [
        ...event.data.reservations.flatMap((r) => r.ticketIds).map((ticketId) => deliver(order, ticketId)),
        ...(order.status === 'ticketed' ? [createInvoice(order)] : []),
      ];
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
      return [
        ...event.data.ticketIds.map((ticketId) => deliver(order, ticketId)),
        ...(order.status === 'ticketed' ? [createInvoice(order)] : []),
      ];
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
      },
    }));
}

/** Each ticket goes the way the customer chose at the desk. */
function deliver(order: PlacedOrder, ticketId: string): OrderPolicyCommand {
  return {
    type: 'ChooseDeliveryMethod',
    data: { ticketId, orderId: order.orderId, method: order.delivery },
  };
}

function createInvoice(order: PlacedOrder): OrderPolicyCommand {
  const { orderId, lines, payments } = order;
  return {
    type: 'CreateInvoice',
    data: {
      invoiceId: invoiceIdFor(orderId),
      orderId,
      lines,
      payments: payments.map(({ paymentId, amount, currency }) => ({ paymentId, amount, currency })),
    },
  };
}

function notify(order: PlacedOrder, invoiceId: string): OrderPolicyCommand {
  const { orderId, delivery } = order;
  return {
    type: 'RequestNotification',
    data: {
      notificationId: confirmationIdFor(orderId),
      kind: 'payment_confirmation',
      causeId: orderId,
      orderId,
      invoiceId,
      delivery,
    },
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
