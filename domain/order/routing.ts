// How the order meets the other contexts: a confirmed cart becomes PlaceOrder; the outcomes of reservations, payments,
// tickets, invoices and notifications become the order's Record… commands; and the policy's commands become the
// reservation's, payment's, ticket's, delivery's, invoice's and notification's own commands once the authority adds
// what only it knows. The sync server drives these; the types make a renamed or reshaped command fail to compile.
import type { AllocatedSale } from '../events/order-flow';
import type { CartEventData, CartLine } from '../cart/events';
import type { DeliveryCommand } from '../delivery/delivery';
import type { Buyer, InvoiceEvent, PaymentMethod, PriceBasis } from '../finance/events';
import type { InvoiceCommand } from '../finance/invoice';
import type { NotificationCommand, NotificationState } from '../notifications/notifications';
import type { NotificationsEvent, Recipient } from '../notifications/events';
import type { PaymentCommand } from '../payment/payment';
import type { PaymentDecision } from '../payment/events';
import type { ReservationCommand, ReserveSeats } from '../reservation/reservation';
import type { ReservationDecision } from '../reservation/events';
import type { TicketEvent } from '../ticket/events';
import type { ConcertForTickets, TicketCommand } from '../ticket/ticket';
import type { OrderCommand } from './order';
import type { OrderPolicyCommand } from './policy';

type PolicyCommand<T extends OrderPolicyCommand['type']> = Extract<OrderPolicyCommand, { type: T }>;

/** The order a confirmed cart becomes. Its clock is the authority's: the desk's confirmedAt is informational. */
export function placeOrderFromCart(
  confirmed: CartEventData<'CartConfirmed'>,
  authority: { now: string; timeoutMinutes?: number },
): OrderCommand {
  const { orderId, cartId, deskSessionId, staff, lines, delivery } = confirmed;
  return {
    type: 'PlaceOrder',
    data: {
      orderId,
      cartId,
      deskSessionId,
      placedBy: staff,
      lines,
      delivery,
      placedAt: authority.now,
      timeoutMinutes: authority.timeoutMinutes,
    },
  };
}

/** The order a cash sale becomes once its seats are allocated, recorded on the authority's clock. */
export function orderCommandForSale(sale: AllocatedSale, now: string): OrderCommand {
  const { saleId, concertId, level, quantity, unitPrice, currency, tendered, deviceId, userId } = sale;
  const data = { saleId, concertId, level, quantity, unitPrice, currency, tendered, deviceId };
  return { type: 'RecordSale', data: { ...data, soldBy: { userId, role: 'desk' }, recordedAt: now } };
}

/** What the order must hear of a reservation's decision; nothing for the releases it asked for itself. */
export function orderCommandForReservation(event: ReservationDecision): OrderCommand | null {
  const { orderId, reservationId } = event.data;
  switch (event.type) {
    case 'ReservationPlaced':
      return { type: 'RecordSeatsHeld', data: { orderId, reservationId, expiresAt: event.data.expiresAt } };
    case 'ReservationRefused':
      return {
        type: 'RecordReservationRefused',
        data: { orderId, reservationId, message: event.data.message },
      };
    case 'ReservationConfirmed':
      return { type: 'RecordSeatsConfirmed', data: { orderId, reservationId } };
    case 'ReservationExpired':
      return { type: 'RecordReservationEnded', data: { orderId, reservationId, ending: 'expired' } };
    case 'ReservationCancelled':
      return { type: 'RecordReservationEnded', data: { orderId, reservationId, ending: 'cancelled' } };
    case 'ReservationReleased':
      return null;
  }
}

/** What the order must hear of a payment's decision; refunds are the payment's own business. */
export function orderCommandForPayment(event: PaymentDecision): OrderCommand | null {
  switch (event.type) {
    case 'PaymentSucceeded':
      return { type: 'RecordPaymentCaptured', data: event.data };
    case 'PaymentFailed':
      return { type: 'RecordPaymentFailed', data: event.data };
    case 'PaymentInitiated':
    case 'PaymentRefunded':
      return null;
  }
}

/** ReserveSeats as the reservation decider takes it: with the concert as the authority knows it now. */
export function reserveSeatsFor(
  command: PolicyCommand<'ReserveSeats'>,
  concert: {
    now: string;
    onSale: boolean;
    available: Readonly<Record<string, number>>;
    holdMinutes?: number;
  },
): ReserveSeats {
  const { reservationId, orderId, concertId, lines, staff } = command.data;
  return { type: 'ReserveSeats', data: { reservationId, orderId, concertId, lines, staff, ...concert } };
}

export function reservationCommandFor(
  command: PolicyCommand<'ConfirmReservation' | 'ReleaseReservation'>,
): ReservationCommand {
  return { type: command.type, data: { reservationId: command.data.reservationId } };
}

/** A refund without an amount: the payment gives back all that is left of what it captured. */
export function refundFor(command: PolicyCommand<'RefundPayment'>): PaymentCommand {
  const { paymentId, refundId, reason } = command.data;
  return { type: 'RefundPayment', data: { paymentId, refundId, reason } };
}

/**
 * IssueTickets as the ticket decider takes it: the authority adds the customer, its clock, one new ticket id per seat
 * (handed out over the lines in order) and the concert's levels as it knows them.
 */
export function issueTicketsFor(
  command: PolicyCommand<'IssueTickets'>,
  authority: {
    customerId: string;
    issuedAt: string;
    ticketIds: readonly string[];
    concert: ConcertForTickets;
  },
): TicketCommand {
  const { orderId, concertId, lines } = command.data;
  const seats = lines.reduce((sum, l) => sum + l.quantity, 0);
  if (authority.ticketIds.length !== seats)
    throw new Error(`${concertId} has ${seats} seats in order ${orderId}: give one ticket id per seat.`);
  let next = 0;
  return {
    type: 'IssueTickets',
    data: {
      orderId,
      customerId: authority.customerId,
      issuedAt: authority.issuedAt,
      lines: lines.map(({ level, quantity }) => {
        const ticketIds = authority.ticketIds.slice(next, next + quantity);
        next += quantity;
        return { concertId, level, quantity, ticketIds };
      }),
      concerts: [authority.concert],
    },
  };
}

/** What the order must hear of the tickets one IssueTickets issued (one concert's); nothing for a replay or a void. */
export function orderCommandForTickets(events: readonly TicketEvent[]): OrderCommand | null {
  const issued = events.flatMap((e) => (e.type === 'TicketIssued' ? [e.data] : []));
  const first = issued[0];
  if (!first) return null;
  const { orderId, concertId } = first;
  return {
    type: 'RecordTicketsIssued',
    data: { orderId, concertId, ticketIds: issued.map((t) => t.ticketId) },
  };
}

/** The ticket's delivery, by the method chosen at the desk, on the authority's clock. */
export function deliveryCommandFor(
  command: PolicyCommand<'ChooseDeliveryMethod'>,
  now: string,
): DeliveryCommand {
  return { type: 'ChooseDeliveryMethod', data: { ...command.data, chosenAt: now } };
}

/** How a captured payment is shown on the invoice: as the payment context recorded it, and when it was captured. */
export type InvoicedPayment = { method: PaymentMethod; reference: string | null; paidAt: string };

/**
 * The invoice of a ticketed order, then its payments: CreateInvoice with what the books know (the customer, the buyer
 * printed on the invoice, the tax rate of each line, whether prices include tax), and one RecordInvoicePayment per
 * payment the order captured, so the invoice is paid in full and gets its number.
 */
export function invoiceCommandsFor(
  command: PolicyCommand<'CreateInvoice'>,
  books: {
    customerId: string;
    buyer: Buyer;
    issuedAt: string;
    priceBasis: PriceBasis;
    taxRateBp: (line: CartLine) => number;
    payments: Readonly<Record<string, InvoicedPayment>>;
  },
): InvoiceCommand[] {
  const { invoiceId, orderId, lines, payments } = command.data;
  const create: InvoiceCommand = {
    type: 'CreateInvoice',
    data: {
      invoiceId,
      orderId,
      customerId: books.customerId,
      buyer: books.buyer,
      issuedAt: books.issuedAt,
      priceBasis: books.priceBasis,
      lines: lines.map((line) => ({ ...line, taxRateBp: books.taxRateBp(line) })),
    },
  };
  const paid = payments.map(({ paymentId, amount, currency }): InvoiceCommand => {
    const how = books.payments[paymentId];
    if (!how) throw new Error(`Payment ${paymentId} of order ${orderId} is not known to the books.`);
    return { type: 'RecordInvoicePayment', data: { invoiceId, paymentId, amount, currency, ...how } };
  });
  return [create, ...paid];
}

/** What the order must hear of its invoice: that it exists. Its payments, number and credit notes are finance's. */
export function orderCommandForInvoice(event: InvoiceEvent): OrderCommand | null {
  if (event.type !== 'InvoiceCreated') return null;
  const { orderId, invoiceId } = event.data;
  return { type: 'RecordInvoiceCreated', data: { orderId, invoiceId } };
}

/**
 * The payment confirmation as the notification decider takes it, to the customer's email: the one on record if the
 * authority knows one, else the address the tickets are emailed to. Null when there is none (the tickets are printed
 * or shipped and no email was taken): then no confirmation can be sent and the order stays invoiced.
 */
export function notificationCommandFor(
  command: PolicyCommand<'RequestNotification'>,
  authority: { recipient?: Recipient; locale: string; at: string },
): NotificationCommand | null {
  const { kind, causeId, delivery } = command.data;
  const recipient =
    authority.recipient ?? (delivery.kind === 'email' ? { email: delivery.email } : undefined);
  if (!recipient) return null;
  return {
    type: 'RequestNotification',
    data: { kind, causeId, recipient, locale: authority.locale, at: authority.at },
  };
}

/** What the order must hear of a notification: that its payment confirmation was sent. */
export function orderCommandForNotification(
  event: NotificationsEvent,
  notification: NotificationState,
): OrderCommand | null {
  if (event.type !== 'NotificationSent' || notification.status === 'none') return null;
  if (notification.kind !== 'payment_confirmation') return null;
  const { notificationId } = event.data;
  return { type: 'RecordConfirmationSent', data: { orderId: notification.causeId, notificationId } };
}
