// The orders authority's view of the order process: every order's decision stream (and the invoice numbering streams)
// folded into state, the rule that turns each cause into at most one decision, and the outbox — what each decision asks
// for next, as requests to a concert's authority or as local steps with causes of their own. Pure: the sync server
// brings the I/O, the decision ids and the clock.
//
//   cause                                   decided with                            decision (stream order-<id>)
//   CartConfirmed fact                      placeOrderFromCart → decideOrder        OrderPlaced
//   PaymentInitiated fact (cash)            the order's check, then the payment     PaymentSucceeded
//   PaymentGatewayReported (card webhook)   the order's check, then the payment     PaymentSucceeded, PaymentFailed,
//                                                                                   PaymentRefunded
//   TicketsRefundRequested fact             the order's tickets, priced             TicketsRefundAccepted
//   OrderCancellationRequested fact         decideOrder CancelOrder                 OrderCancelled
//   ConcertDecisionRelayed                  orderCommandFor… → decideOrder          OrderSeatsHeld, OrderTicketsIssued…
//   ConcertDecisionRelayed (SeatsAllocated) orderCommandForSale → decideOrder       OrderRecordedFromSale (paid)
//   timeout:<orderId> (the clock)           decideOrder TimeOutOrder                OrderCancelled 'timed_out'
//   <decision id>#<n> (a decision's step)   delivery, invoice, numbering, payment,  DeliveryMethodChosen, InvoiceCreated,
//                                           notification deciders; the order        InvoiceNumberAssigned, OrderInvoiced…
// A rule a cause breaks is recorded as OrderStepRefused, so every cause is answered once and never decided again.
// Card money moves at the gateway: a refund of a card payment is a GatewayRefundRequested (or a card
// TicketsRefundAccepted) whose outbox asks the sync server to call the gateway, and PaymentRefunded is decided only when
// the gateway's webhook says the refund went through. A refund of an invoiced order's tickets is credited on the
// invoice (CreditNoteIssued, numbered in its own series).
// The order ends invoiced with its payment confirmation requested (NotificationRequested, when an email was given):
// OrderConfirmationSent records that the mail went out, so it waits for the mailer's NotificationSent (a later issue);
// recording it now would say the customer was told when nobody was.
import { DomainError } from '../shared/decider';
import type { CartEventData, CartLine } from '../cart/events';
import type { DeliveryMethod } from '../delivery/address';
import { decideDelivery, evolveDelivery, initialDeliveryState } from '../delivery/delivery';
import type { DeliveryState } from '../delivery/delivery';
import type { DataOf, DecisionDoc, FactDoc, RelayDoc, RequestDoc } from '../events/catalogue';
import { orderStream } from '../events/order-flow';
import type { AllocatedSale } from '../events/order-flow';
import { requestId, voidRequestId } from '../events/order-flow';
import type { RequestStep } from '../events/order-flow';
import type { Buyer, PriceBasis } from '../finance/events';
import { awaitingNumbers, decideInvoice, evolveInvoice, initialInvoiceState } from '../finance/invoice';
import type { InvoiceCommand, InvoiceState } from '../finance/invoice';
import {
  decideNumbering,
  evolveNumbering,
  initialNumberingState,
  numberingStream,
} from '../finance/invoice-numbering';
import type { NumberingCommand, NumberingState } from '../finance/invoice-numbering';
import {
  decideNotification,
  evolveNotification,
  initialNotificationState,
} from '../notifications/notifications';
import type { NotificationState } from '../notifications/notifications';
import {
  decideOrder,
  defaultOrderTimeoutMinutes,
  evolveOrder,
  initialOrderState,
  isSaleOrder,
  OrderRuleBroken,
  saleOrderIdFor,
} from '../order/order';
import type { OrderCommand, OrderState, PlacedOrder } from '../order/order';
import { orderDecisionTypes } from '../order/events';
import { react } from '../order/policy';
import type { OrderPolicyCommand } from '../order/policy';
import {
  deliveryCommandFor,
  invoiceCommandsFor,
  notificationCommandFor,
  orderCommandForInvoice,
  orderCommandForPayment,
  orderCommandForReservation,
  orderCommandForSale,
  orderCommandForTickets,
  placeOrderFromCart,
  refundFor,
} from '../order/routing';
import type { InvoicedPayment } from '../order/routing';
import { decidePayment, evolvePayment, initialPaymentState, PaymentRuleBroken } from '../payment/payment';
import type { PaymentCommand, PaymentState } from '../payment/payment';
import type { PaymentDecision } from '../payment/events';
import { emptyChain, streamDecisionDoc } from '../log/stream';
import type { ChainHead, DecisionContext } from '../log/stream';
import { concertDatabase, concertStream } from './concert-authority';

/** What the venue's books and the order process assume until they are configurable per venue. */
export type OrderSettings = {
  /** How long an order waits for its seats and its money, in whole minutes. */
  timeoutMinutes: number;
  /** Every ticket is taxed at one rate today: 8 % VAT, the Polish rate for concert tickets. */
  taxRateBp: number;
  /** Box-office prices include their tax. */
  priceBasis: PriceBasis;
  /** The invoice series (FV/2026/000123). */
  invoiceSeries: string;
  /** The credit notes' own gapless series (KOR/2026/000001). */
  creditNoteSeries: string;
  /** The language of the emails the order causes. */
  locale: string;
};

export const defaultOrderSettings: OrderSettings = {
  timeoutMinutes: defaultOrderTimeoutMinutes,
  taxRateBp: 800,
  priceBasis: 'gross',
  invoiceSeries: 'FV',
  creditNoteSeries: 'KOR',
  locale: 'pl',
};

/** The decisions of an order's stream. */
export const orderStreamTypes = [
  ...orderDecisionTypes,
  'OrderStepRefused',
  'PaymentSucceeded',
  'PaymentFailed',
  'PaymentRefunded',
  'GatewayRefundRequested',
  'TicketsRefundAccepted',
  'CreditNoteIssued',
  'InvoiceCreated',
  'InvoicePaymentRecorded',
  'DeliveryMethodChosen',
  'NotificationRequested',
] as const;
export type OrdersDecisionType = (typeof orderStreamTypes)[number] | 'InvoiceNumberAssigned';
export type OrdersDecision = { [T in OrdersDecisionType]: { type: T; data: DataOf<T> } }[OrdersDecisionType];
export type OrdersDecisionDoc = DecisionDoc<OrdersDecisionType>;

export const numberingStreamPrefix = 'invoice-numbers-';
const orderStreamPrefix = orderStream('');
/** The streams the orders authority writes: one per order, one per invoice series and year. */
export const isOrdersStream = (stream: string): boolean =>
  stream.startsWith(orderStreamPrefix) || stream.startsWith(numberingStreamPrefix);
export const isOrdersDecision = (doc: DecisionDoc): doc is OrdersDecisionDoc =>
  (orderStreamTypes as readonly string[]).includes(doc.type) ||
  (doc.type === 'InvoiceNumberAssigned' && doc.stream.startsWith(numberingStreamPrefix));

/** The walk-in customer an order's tickets and invoice are for, until customers have accounts. */
export const customerIdFor = (orderId: string): string => `customer-${orderId}`;

/** The name printed on the invoice: the courier's recipient or the email given at the desk, else a walk-in. */
export function buyerFor(delivery: DeliveryMethod): Buyer {
  const name =
    delivery.kind === 'courier'
      ? delivery.address.recipient
      : delivery.kind === 'email'
        ? delivery.email
        : '';
  return { name: name.trim() || 'Walk-in customer', taxId: null };
}

type Payment = { state: PaymentState; paidAt: string | null };
type RefundAccepted = DataOf<'TicketsRefundAccepted'>;

/** One order's stream, folded: the order and what its steps decided (payments, invoice, deliveries, confirmation). */
export type OrderBook = {
  orderId: string;
  head: ChainHead;
  /** The cart's fact id: every decision of the order carries it. */
  correlationId: string | null;
  order: OrderState;
  payments: Readonly<Record<string, Payment>>;
  invoice: InvoiceState;
  deliveries: ReadonlyMap<string, DeliveryState>;
  notification: NotificationState;
  /** The refunds of its tickets accepted, by refund id. */
  refunds: ReadonlyMap<string, RefundAccepted>;
  /** The card refunds asked of the gateway (a cancelled order's late money), by refund id. */
  gatewayRefunds: ReadonlyMap<string, DataOf<'GatewayRefundRequested'>>;
};

export type NumberingBook = { head: ChainHead; numbering: NumberingState };

export type OrdersAuthorityState = {
  /** By order id. The maps grow in place: one authority owns its state. */
  orders: Map<string, OrderBook>;
  /** By stream. */
  numbering: Map<string, NumberingBook>;
  /** The causes decided so far, rebuilt from the streams' causationIds: replays and duplicates are no-ops. */
  decided: Set<string>;
};

export const initialOrdersState = (): OrdersAuthorityState => ({
  orders: new Map(),
  numbering: new Map(),
  decided: new Set(),
});

const emptyBook = (orderId: string): OrderBook => ({
  orderId,
  head: emptyChain(),
  correlationId: null,
  order: initialOrderState(),
  payments: {},
  invoice: initialInvoiceState(),
  deliveries: new Map(),
  notification: initialNotificationState(),
  refunds: new Map(),
  gatewayRefunds: new Map(),
});

/** What a cause asks of the order process. */
export type Step =
  | { type: 'place'; confirmed: CartEventData<'CartConfirmed'> }
  | { type: 'cash'; initiated: DataOf<'PaymentInitiated'> }
  | { type: 'gateway'; report: DataOf<'PaymentGatewayReported'> }
  | { type: 'refund'; requested: DataOf<'TicketsRefundRequested'>; deviceId: string }
  | { type: 'payment'; command: PaymentCommand }
  | { type: 'sale'; sale: AllocatedSale }
  | { type: 'order'; command: OrderCommand }
  | { type: 'timeout' }
  | {
      type: 'policy';
      command: Extract<
        OrderPolicyCommand,
        { type: 'ChooseDeliveryMethod' | 'CreateInvoice' | 'RequestNotification' | 'RefundPayment' }
      >;
    }
  | { type: 'invoice'; command: InvoiceCommand }
  | { type: 'number'; command: NumberingCommand };

/** Something to decide once: `id` becomes the decision's causationId. */
export type Cause = { id: string; correlationId: string; orderId: string; step: Step };

/** A request for a concert's authority, written create-only into its database (a 409 means it was sent before). */
export type ConcertRequest = { database: string; doc: RequestDoc };

/** A card refund the sync server asks of the gateway (idempotent by refund id); its webhook confirms it. */
export type GatewayRefund = {
  refundId: string;
  paymentId: string;
  orderId: string;
  gatewayReference: string;
  amount: number;
  currency: string;
  reason: string;
};

export type Outbox = { requests: ConcertRequest[]; steps: Cause[]; gateway: GatewayRefund[] };

const emptyOutbox = (): Outbox => ({ requests: [], steps: [], gateway: [] });

/** The cause a device fact or a relayed concert decision is, or undefined when the order process ignores it. */
export function causeOf(doc: FactDoc | RelayDoc): Cause | undefined {
  const { _id: id, meta } = doc;
  const cause = (orderId: string, step: Step): Cause => ({
    id,
    correlationId: meta.correlationId,
    orderId,
    step,
  });
  switch (doc.type) {
    case 'CartConfirmed':
      return cause(doc.data.orderId, { type: 'place', confirmed: doc.data });
    case 'PaymentInitiated':
      return cause(doc.data.orderId, { type: 'cash', initiated: doc.data });
    case 'PaymentGatewayReported':
      return cause(doc.data.orderId, { type: 'gateway', report: doc.data });
    case 'TicketsRefundRequested':
      return cause(doc.data.orderId, { type: 'refund', requested: doc.data, deviceId: meta.deviceId });
    case 'OrderCancellationRequested':
      return cause(doc.data.orderId, { type: 'order', command: { type: 'CancelOrder', data: doc.data } });
    case 'ConcertDecisionRelayed': {
      const { event } = doc.data;
      if (event.type === 'SeatsAllocated') {
        // The authority's clock is added when it is decided.
        const sale = event.data;
        return cause(saleOrderIdFor(sale.saleId), { type: 'sale', sale });
      }
      const command =
        event.type === 'TicketsIssued'
          ? orderCommandForTickets(
              event.data.tickets.map((data) => ({ type: 'TicketIssued' as const, data })),
            )
          : orderCommandForReservation(event);
      return command ? cause(event.data.orderId, { type: 'order', command }) : undefined;
    }
    default:
      // The rest of a cart's life is the desk's own business.
      return undefined;
  }
}

const timeoutId = (orderId: string): string => `timeout:${orderId}`;

/** Unpaid orders past their deadline on the authority's clock, not timed out yet. */
export function dueTimeouts(state: OrdersAuthorityState, now: string): Cause[] {
  const due: Cause[] = [];
  for (const book of state.orders.values()) {
    const { order } = book;
    if (order.status !== 'reserving' && order.status !== 'awaiting_payment') continue;
    if (Date.parse(now) < Date.parse(order.expiresAt) || state.decided.has(timeoutId(order.orderId)))
      continue;
    const correlationId = book.correlationId ?? order.orderId;
    due.push({
      id: timeoutId(order.orderId),
      correlationId,
      orderId: order.orderId,
      step: { type: 'timeout' },
    });
  }
  return due;
}

export type Decided = { stream: string; decision: OrdersDecision };

/**
 * The one decision for a cause, or undefined when there is nothing to record (decided before, or an outcome the order
 * knows already). `now` is the authority's clock.
 */
export function decideCause(
  cause: Cause,
  state: OrdersAuthorityState,
  now: string,
  settings: OrderSettings = defaultOrderSettings,
): Decided | undefined {
  if (state.decided.has(cause.id)) return undefined;
  const book = state.orders.get(cause.orderId) ?? emptyBook(cause.orderId);
  const stream = orderStream(cause.orderId);
  const inOrder = (decisions: readonly { type: string; data: unknown }[]): Decided | undefined => {
    const decision = only(decisions);
    return decision && { stream, decision };
  };
  const { step } = cause;
  try {
    switch (step.type) {
      case 'place': {
        const timeoutMinutes = settings.timeoutMinutes;
        return inOrder(decideOrder(placeOrderFromCart(step.confirmed, { now, timeoutMinutes }), book.order));
      }
      case 'cash':
        return inOrder(takeCash(step.initiated, book));
      case 'gateway':
        return inOrder(takeGatewayReport(step.report, book));
      case 'refund':
        return inOrder(acceptRefund(step.requested, step.deviceId, book));
      case 'payment': {
        const current = book.payments[step.command.data.paymentId]?.state ?? initialPaymentState();
        return inOrder(decidePayment(step.command, current));
      }
      case 'sale':
        return inOrder(decideOrder(orderCommandForSale(step.sale, now), book.order));
      case 'order':
        return inOrder(decideOrder(step.command, book.order));
      case 'timeout':
        return inOrder(
          decideOrder({ type: 'TimeOutOrder', data: { orderId: cause.orderId, now } }, book.order),
        );
      case 'policy':
        return inOrder(carryOut(step.command, book, now, settings));
      case 'invoice':
        return inOrder(decideInvoice(step.command, book.invoice));
      case 'number': {
        const { series, year } = step.command.data;
        const numbering = numberingStream(series, year);
        const current = state.numbering.get(numbering)?.numbering ?? initialNumberingState();
        const decision = only(decideNumbering(step.command, current));
        return decision && { stream: numbering, decision };
      }
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    // A deadline not reached yet is not a refusal: the clock asks again.
    if (step.type === 'timeout') return undefined;
    return refused(stream, cause.orderId, stepName(step), String(error.code), error.message);
  }
}

function refused(stream: string, orderId: string, step: string, code: string, message: string): Decided {
  return { stream, decision: { type: 'OrderStepRefused', data: { orderId, step, code, message } } };
}

function stepName(step: Step): string {
  switch (step.type) {
    case 'place':
      return 'PlaceOrder';
    case 'cash':
      return 'TakePayment';
    case 'gateway':
      return 'RecordGatewayReport';
    case 'refund':
      return 'RefundTickets';
    case 'sale':
      return 'RecordSale';
    case 'timeout':
      return 'TimeOutOrder';
    default:
      return step.command.type;
  }
}

/**
 * Cash in the drawer is captured at once, for a payment the order is waiting for (a card's outcome comes from the
 * gateway's webhook instead, see takeGatewayReport). Anything else is refused, so the desk
 * gives the money back; the order goes on waiting (a refusal is not a failed payment: nothing was lost).
 */
function takeCash(initiated: DataOf<'PaymentInitiated'>, book: OrderBook): PaymentDecision[] {
  const { paymentId, orderId, amount, currency, method } = initiated;
  if (method.kind !== 'cash')
    throw new OrderRuleBroken(
      'not_ready',
      'A card is paid through the payment gateway (Pay by card), never recorded by the desk: take cash or pay by card.',
    );
  // The order's own check: its payment, its amount; an empty answer means this payment was captured already.
  const recorded = decideOrder(
    { type: 'RecordPaymentCaptured', data: { orderId, paymentId, amount, currency } },
    book.order,
  );
  if (book.order.status === 'cancelled')
    throw new OrderRuleBroken('order_cancelled', 'This order was cancelled: give the money back.');
  if (recorded.length === 0)
    throw new OrderRuleBroken('already_paid', 'This payment was taken already: give the money back.');
  let payment = book.payments[paymentId]?.state ?? initialPaymentState();
  for (const event of decidePayment(
    {
      type: 'InitiatePayment',
      data: { paymentId, orderId, amount, currency, method: { kind: 'cash', tendered: method.tendered } },
    },
    payment,
  ))
    payment = evolvePayment(payment, event);
  return decidePayment({ type: 'CapturePayment', data: { paymentId } }, payment);
}

/**
 * What the card gateway reported, checked against the order and the payment. A capture is recorded even on an order
 * that was cancelled meanwhile (money taken is a fact): the order's policy then gives it back through the gateway. A
 * report heard before decides nothing.
 */
function takeGatewayReport(
  report: DataOf<'PaymentGatewayReported'>,
  book: OrderBook,
): readonly { type: string; data: unknown }[] {
  const { outcome, paymentId, orderId, gatewayReference, amount, currency, reason } = report;
  const current = book.payments[paymentId]?.state ?? initialPaymentState();
  const captured = current.status === 'succeeded' || current.status === 'refunded';
  const card = { kind: 'card' as const, gatewayReference };
  const initiated = (): PaymentState => {
    let payment = initialPaymentState();
    for (const event of decidePayment(
      { type: 'InitiatePayment', data: { paymentId, orderId, amount, currency, method: card } },
      payment,
    ))
      payment = evolvePayment(payment, event);
    return payment;
  };
  switch (outcome) {
    case 'succeeded': {
      if (captured) {
        if (current.method.kind === 'card' && current.method.gatewayReference === gatewayReference) return [];
        throw new PaymentRuleBroken(
          'already_captured',
          `This payment was taken already: refund ${gatewayReference} at the payment gateway.`,
        );
      }
      // The order's own check: its payment, its amount (a mismatch is refused with the reason).
      decideOrder(
        { type: 'RecordPaymentCaptured', data: { orderId, paymentId, amount, currency } },
        book.order,
      );
      return decidePayment(
        { type: 'CapturePayment', data: { paymentId, gatewayReference } },
        initiated(),
      ).map((event) =>
        event.type === 'PaymentSucceeded' ? { ...event, data: { ...event.data, gatewayReference } } : event,
      );
    }
    case 'failed': {
      if (captured) return [];
      const order = book.order;
      const due =
        order.status !== 'none' &&
        order.payments.some((p) => p.paymentId === paymentId && p.status === 'due');
      if (!due || order.status === 'cancelled') return [];
      return decidePayment(
        { type: 'FailPayment', data: { paymentId, reason: reason || 'declined' } },
        initiated(),
      );
    }
    case 'refunded': {
      const { refundId } = report;
      if (!refundId)
        throw new PaymentRuleBroken(
          'invalid_refund',
          'The gateway reported a refund this box office did not ask for.',
        );
      const wanted =
        book.refunds.get(refundId)?.reason ?? book.gatewayRefunds.get(refundId)?.reason ?? reason;
      return decidePayment(
        { type: 'RefundPayment', data: { paymentId, refundId, amount, reason: wanted } },
        current,
      );
    }
    case 'refund_failed':
      throw new PaymentRuleBroken(
        'invalid_refund',
        `The payment gateway could not give back ${(amount / 100).toFixed(2)} ${currency}: ${reason || 'no reason given'}. Refund the customer another way.`,
      );
  }
}

const ticketedStatuses: readonly string[] = ['ticketed', 'invoiced', 'completed'];

/**
 * A refund of some or all of a paid order's tickets: each named ticket is the order's and not refunded before, all in
 * one currency, priced at its line's unit price; a card refund needs a card payment, and no refund gives back more
 * than its payment captured and has not given back yet.
 */
function acceptRefund(
  requested: DataOf<'TicketsRefundRequested'>,
  deviceId: string,
  book: OrderBook,
): readonly { type: string; data: unknown }[] {
  const { refundId, orderId, ticketIds, method, reason } = requested;
  if (book.refunds.has(refundId)) return [];
  const order = book.order;
  if (order.status === 'none' || order.orderId !== orderId)
    throw new OrderRuleBroken('unknown_order', 'There is no such order.');
  if (order.status === 'cancelled')
    throw new OrderRuleBroken(
      'order_cancelled',
      'This order was cancelled: its money was given back already.',
    );
  if (!ticketedStatuses.includes(order.status))
    throw new OrderRuleBroken(
      'not_ready',
      'Tickets are refunded once they are issued: cancel the order instead.',
    );
  const refundBroken = (message: string) => new PaymentRuleBroken('invalid_refund', message);
  // A desk's quick sale is refunded where it was sold (SaleRefundRequested: its concert voids the tickets and gives
  // the seats back, the drawer pays the cash). One way only, so that its money can never go back twice.
  if (isSaleOrder(orderId))
    throw refundBroken('This order is a sale made at a desk: refund it from the sale, on the Sell screen.');
  if (new Set(ticketIds).size !== ticketIds.length)
    throw refundBroken('A ticket is named twice in this refund.');
  const refunded = new Set([...book.refunds.values()].flatMap((r) => r.ticketIds));
  const priced = ticketIds.map((ticketId) => {
    const ticket = ticketOf(order, ticketId);
    if (!ticket) throw refundBroken(`Ticket ${ticketId} is not one of this order's tickets.`);
    if (refunded.has(ticketId)) throw refundBroken(`Ticket ${ticketId} was refunded already.`);
    return { ticketId, ...ticket };
  });
  const currency = priced[0]?.currency ?? '';
  if (priced.some((t) => t.currency !== currency))
    throw refundBroken('Refund tickets of one currency at a time: each currency was paid separately.');
  const amount = priced.reduce((sum, t) => sum + t.unitPrice, 0);
  const due = order.payments.find((p) => p.currency === currency);
  const payment = due && book.payments[due.paymentId]?.state;
  if (!due || !payment || (payment.status !== 'succeeded' && payment.status !== 'refunded'))
    throw new PaymentRuleBroken(
      'not_captured',
      'Nothing was paid for these tickets: there is nothing to refund.',
    );
  if (method === 'card' && payment.method.kind !== 'card')
    throw refundBroken('This order was paid in cash: give the money back in cash.');
  const left = payment.captured - payment.refunded;
  if (amount > left)
    throw new PaymentRuleBroken(
      'refund_exceeds_capture',
      `Only ${(left / 100).toFixed(2)} ${currency} of this payment can still be refunded, not ${(amount / 100).toFixed(2)} ${currency}.`,
    );
  const lines = new Map<string, { concertId: string; level: string; ticketIds: string[]; amount: number }>();
  for (const { ticketId, concertId, level, unitPrice } of priced) {
    const key = `${concertId}\u0000${level}`;
    const line = lines.get(key) ?? { concertId, level, ticketIds: [], amount: 0 };
    lines.set(key, { ...line, ticketIds: [...line.ticketIds, ticketId], amount: line.amount + unitPrice });
  }
  const data = { refundId, orderId, paymentId: due.paymentId, method, ticketIds, amount, currency, reason };
  return [{ type: 'TicketsRefundAccepted', data: { ...data, lines: [...lines.values()], deviceId } }];
}

/** A ticket of the order: its concert, its level (tickets are handed out over the concert's lines in order), its price. */
function ticketOf(
  order: PlacedOrder,
  ticketId: string,
): { concertId: string; level: string; unitPrice: number; currency: string } | undefined {
  for (const reservation of order.reservations) {
    const index = reservation.ticketIds?.indexOf(ticketId) ?? -1;
    if (index < 0) continue;
    let seen = 0;
    for (const line of order.lines.filter((l) => l.concertId === reservation.concertId)) {
      seen += line.quantity;
      if (index < seen)
        return {
          concertId: line.concertId,
          level: line.level,
          unitPrice: line.unitPrice,
          currency: line.currency,
        };
    }
  }
  return undefined;
}

/** A step of the order's policy that this authority carries out itself. */
function carryOut(
  command: Extract<Step, { type: 'policy' }>['command'],
  book: OrderBook,
  now: string,
  settings: OrderSettings,
): readonly { type: string; data: unknown }[] {
  switch (command.type) {
    case 'ChooseDeliveryMethod': {
      const current = book.deliveries.get(command.data.ticketId) ?? initialDeliveryState();
      return decideDelivery(deliveryCommandFor(command, now), current);
    }
    case 'CreateInvoice': {
      const [create] = invoiceCommandsFor(command, booksOf(book, now, settings));
      return create ? decideInvoice(create, book.invoice) : [];
    }
    case 'RequestNotification': {
      // Sending it is the mailer's (a later issue); no email given at the desk, no confirmation to send.
      const request = notificationCommandFor(command, { locale: settings.locale, at: now });
      return request ? decideNotification(request, book.notification) : [];
    }
    case 'RefundPayment': {
      const current = book.payments[command.data.paymentId]?.state ?? initialPaymentState();
      if (current.status === 'succeeded' && current.method.kind === 'card') {
        // Card money goes back through the gateway: ask for it, and decide the refund when its webhook says so.
        const { paymentId, refundId, orderId, reason } = command.data;
        if (book.gatewayRefunds.has(refundId) || current.refundIds.includes(refundId)) return [];
        const amount = current.captured - current.refunded;
        if (amount <= 0) return [];
        const { currency, method } = current;
        const data = { paymentId, orderId, refundId, amount, currency, reason };
        return [
          { type: 'GatewayRefundRequested', data: { ...data, gatewayReference: method.gatewayReference } },
        ];
      }
      return decidePayment(refundFor(command), current);
    }
  }
}

/** What the books know of an order: its walk-in customer, its buyer, the tax, and how each payment was taken. */
function booksOf(book: OrderBook, issuedAt: string, settings: OrderSettings) {
  const payments: Record<string, InvoicedPayment> = {};
  for (const [paymentId, { state, paidAt }] of Object.entries(book.payments))
    if (paidAt)
      payments[paymentId] =
        state.status !== 'none' && state.method.kind === 'card'
          ? { method: 'card', reference: state.method.gatewayReference, paidAt }
          : { method: 'cash', reference: null, paidAt };
  const delivery: DeliveryMethod = book.order.status === 'none' ? { kind: 'printed' } : book.order.delivery;
  return {
    customerId: customerIdFor(book.orderId),
    buyer: buyerFor(delivery),
    issuedAt,
    priceBasis: settings.priceBasis,
    taxRateBp: (_line: CartLine) => settings.taxRateBp,
    payments,
  };
}

const ordersDecisionTypes: readonly string[] = [...orderStreamTypes, 'InvoiceNumberAssigned'];

/**
 * Every cause yields at most one decision, of a type the order process records: the stream format relies on it
 * (docs/architecture.md). The deciders' other events (a ticket printed, an email sent) come from other causes.
 */
function only(decisions: readonly { type: string; data: unknown }[]): OrdersDecision | undefined {
  const [decision, ...rest] = decisions;
  if (rest.length > 0) throw new Error(`expected at most one decision, got ${decisions.length}`);
  if (decision && !ordersDecisionTypes.includes(decision.type))
    throw new Error(`${decision.type} is not a decision of the order process`);
  return decision as OrdersDecision | undefined;
}

export type { DecisionContext };

/** Wraps a decision into its stream's next document, caused by `cause`. */
export function ordersDecisionDoc(
  decided: Decided,
  head: ChainHead,
  cause: Pick<Cause, 'id' | 'correlationId'>,
  context: DecisionContext,
): OrdersDecisionDoc {
  return streamDecisionDoc(decided.stream, head, decided.decision, cause, context) as OrdersDecisionDoc;
}

/** The head a stream's next decision goes after. */
export function headOf(state: OrdersAuthorityState, stream: string): ChainHead {
  if (stream.startsWith(numberingStreamPrefix)) return state.numbering.get(stream)?.head ?? emptyChain();
  return state.orders.get(stream.slice(orderStreamPrefix.length))?.head ?? emptyChain();
}

/** Sets where a stream's next decision goes: after the highest position seen, orphans included. */
export function setHead(state: OrdersAuthorityState, stream: string, head: ChainHead): void {
  if (stream.startsWith(numberingStreamPrefix)) {
    const book = state.numbering.get(stream) ?? { head, numbering: initialNumberingState() };
    state.numbering.set(stream, { ...book, head });
    return;
  }
  const orderId = stream.slice(orderStreamPrefix.length);
  state.orders.set(orderId, { ...(state.orders.get(orderId) ?? emptyBook(orderId)), head });
}

/** Forgets a stream, so that it can be read again from the store. */
export function forgetStream(state: OrdersAuthorityState, stream: string): void {
  if (stream.startsWith(numberingStreamPrefix)) state.numbering.delete(stream);
  else state.orders.delete(stream.slice(orderStreamPrefix.length));
}

const advance = (head: ChainHead, doc: OrdersDecisionDoc): ChainHead => ({
  decisionId: doc.meta.decisionId,
  nextPosition: Math.max(head.nextPosition, doc.meta.position + 1),
});

/** Applies one accepted decision, and returns what it asks for next (the order's state right after it). */
export function evolveOrders(
  state: OrdersAuthorityState,
  doc: OrdersDecisionDoc,
  settings: OrderSettings = defaultOrderSettings,
): Outbox {
  state.decided.add(doc.meta.causationId);
  if (doc.type === 'InvoiceNumberAssigned') {
    const book = state.numbering.get(doc.stream) ?? {
      head: emptyChain(),
      numbering: initialNumberingState(),
    };
    state.numbering.set(doc.stream, {
      head: advance(book.head, doc),
      numbering: evolveNumbering(book.numbering, doc),
    });
    return emptyOutbox();
  }
  const orderId = doc.stream.slice(orderStreamPrefix.length);
  const before = state.orders.get(orderId) ?? emptyBook(orderId);
  const book = { ...evolveBook(before, doc), head: advance(before.head, doc) };
  state.orders.set(orderId, book);
  return outboxOf(book, doc, settings);
}

function evolveBook(
  book: OrderBook,
  doc: Exclude<OrdersDecisionDoc, { type: 'InvoiceNumberAssigned' }>,
): OrderBook {
  switch (doc.type) {
    case 'OrderStepRefused':
      return book;
    case 'PaymentSucceeded': {
      const { paymentId, gatewayReference } = doc.data;
      const payment = gatewayReference
        ? cardCaptured({ ...doc.data, gatewayReference }, doc.meta.recordedAt)
        : cashCaptured(doc.data, doc.data.amount, doc.meta.recordedAt);
      return { ...book, payments: { ...book.payments, [paymentId]: payment } };
    }
    case 'GatewayRefundRequested': {
      const gatewayRefunds = new Map(book.gatewayRefunds);
      gatewayRefunds.set(doc.data.refundId, doc.data);
      return { ...book, gatewayRefunds };
    }
    case 'TicketsRefundAccepted': {
      const refunds = new Map(book.refunds);
      refunds.set(doc.data.refundId, doc.data);
      return { ...book, refunds };
    }
    case 'CreditNoteIssued':
      return { ...book, invoice: evolveInvoice(book.invoice, doc) };
    case 'OrderRecordedFromSale': {
      // A cash sale's money was taken at the desk: its payment is captured as the order is recorded.
      const { orderId } = doc.data;
      const payments = { ...book.payments };
      for (const { paymentId, amount, currency, tendered } of doc.data.payments)
        payments[paymentId] = cashCaptured(
          { paymentId, orderId, amount, currency },
          tendered,
          doc.data.placedAt,
        );
      const order = evolveOrder(book.order, doc);
      return { ...book, order, payments, correlationId: doc.meta.correlationId };
    }
    case 'PaymentFailed':
    case 'PaymentRefunded': {
      const { paymentId } = doc.data;
      const current = book.payments[paymentId] ?? { state: initialPaymentState(), paidAt: null };
      const payment = { ...current, state: evolvePayment(current.state, doc) };
      return { ...book, payments: { ...book.payments, [paymentId]: payment } };
    }
    case 'InvoiceCreated':
    case 'InvoicePaymentRecorded':
      return { ...book, invoice: evolveInvoice(book.invoice, doc) };
    case 'DeliveryMethodChosen': {
      const { ticketId } = doc.data;
      const deliveries = new Map(book.deliveries);
      deliveries.set(ticketId, evolveDelivery(deliveries.get(ticketId) ?? initialDeliveryState(), doc));
      return { ...book, deliveries };
    }
    case 'NotificationRequested':
      return { ...book, notification: evolveNotification(book.notification, doc) };
    default: {
      const order = evolveOrder(book.order, doc);
      const correlationId = doc.type === 'OrderPlaced' ? doc.meta.correlationId : book.correlationId;
      return { ...book, order, correlationId };
    }
  }
}

/** Cash is initiated and captured in one decision: the payment's history starts with its initiation. */
function cashCaptured(
  data: { paymentId: string; orderId: string; amount: number; currency: string },
  tendered: number,
  paidAt: string,
): Payment {
  const paidIn = Math.max(tendered, data.amount);
  const method = { kind: 'cash' as const, tendered: paidIn, change: paidIn - data.amount };
  const initiated = evolvePayment(initialPaymentState(), {
    type: 'PaymentInitiated',
    data: { ...data, method },
  });
  return { state: evolvePayment(initiated, { type: 'PaymentSucceeded', data }), paidAt };
}

/** A card payment the gateway confirmed: initiated with its reference, captured in full. */
function cardCaptured(
  data: { paymentId: string; orderId: string; amount: number; currency: string; gatewayReference: string },
  paidAt: string,
): Payment {
  const { gatewayReference, ...payment } = data;
  const initiated = evolvePayment(initialPaymentState(), {
    type: 'PaymentInitiated',
    data: { ...payment, method: { kind: 'card', gatewayReference } },
  });
  return { state: evolvePayment(initiated, { type: 'PaymentSucceeded', data: payment }), paidAt };
}

const localPolicyTypes = [
  'ChooseDeliveryMethod',
  'CreateInvoice',
  'RequestNotification',
  'RefundPayment',
] as const;
type LocalPolicyCommand = Extract<Step, { type: 'policy' }>['command'];
const isLocal = (command: OrderPolicyCommand): command is LocalPolicyCommand =>
  (localPolicyTypes as readonly string[]).includes(command.type);

/** What a decision asks for next, given its order's book right after it. Each local step's cause is `<doc id>#<n>`. */
function outboxOf(
  book: OrderBook,
  doc: Exclude<OrdersDecisionDoc, { type: 'InvoiceNumberAssigned' }>,
  settings: OrderSettings,
): Outbox {
  const { orderId } = book;
  const steps: Step[] = [];
  const requests: ConcertRequest[] = [];
  const gateway: GatewayRefund[] = [];
  switch (doc.type) {
    case 'PaymentSucceeded':
    case 'PaymentFailed': {
      const command = orderCommandForPayment(doc);
      if (command) steps.push({ type: 'order', command });
      break;
    }
    case 'PaymentRefunded': {
      // A refund of invoiced tickets is credited on the invoice, on the refund's clock.
      const refund = book.refunds.get(doc.data.refundId);
      if (refund && book.invoice.status === 'paid')
        steps.push({
          type: 'invoice',
          command: creditNoteFor(refund, book.invoice.invoiceId, doc.meta.recordedAt),
        });
      break;
    }
    case 'GatewayRefundRequested': {
      const { refundId, paymentId, gatewayReference, amount, currency, reason } = doc.data;
      gateway.push({ refundId, paymentId, orderId, gatewayReference, amount, currency, reason });
      break;
    }
    case 'TicketsRefundAccepted': {
      // The tickets are given up as the refund is accepted: each concert voids its own and gives the seats back.
      requests.push(...voidRequests(doc.data, doc));
      const { refundId, paymentId, amount, currency, reason, method } = doc.data;
      const payment = book.payments[paymentId]?.state;
      if (method === 'card' && payment?.status !== 'none' && payment?.method.kind === 'card')
        gateway.push({
          refundId,
          paymentId,
          orderId,
          gatewayReference: payment.method.gatewayReference,
          amount,
          currency,
          reason,
        });
      else if (method === 'cash')
        // The cash is handed back at the desk: the refund is decided at once.
        steps.push({
          type: 'payment',
          command: { type: 'RefundPayment', data: { paymentId, refundId, amount, reason } },
        });
      break;
    }
    case 'CreditNoteIssued': {
      const { creditNoteId, issuedAt } = doc.data;
      const data = {
        series: settings.creditNoteSeries,
        year: new Date(issuedAt).getUTCFullYear(),
        documentId: creditNoteId,
      };
      steps.push({ type: 'number', command: { type: 'AssignInvoiceNumber', data } });
      break;
    }
    case 'InvoiceCreated': {
      const command = orderCommandForInvoice(doc);
      if (command) steps.push({ type: 'order', command });
      if (book.order.status !== 'none') {
        const { lines, payments } = book.order;
        const create = {
          type: 'CreateInvoice' as const,
          data: { invoiceId: doc.data.invoiceId, orderId, lines, payments },
        };
        const [, ...paid] = invoiceCommandsFor(create, booksOf(book, doc.data.issuedAt, settings));
        steps.push(...paid.map((command) => ({ type: 'invoice' as const, command })));
      }
      break;
    }
    case 'InvoicePaymentRecorded':
      // Paid in full: the invoice gets the next number of its series in the year it was issued (UTC).
      for (const { documentId, kind, issuedAt } of awaitingNumbers(book.invoice))
        if (kind === 'invoice') {
          const data = {
            series: settings.invoiceSeries,
            year: new Date(issuedAt).getUTCFullYear(),
            documentId,
          };
          steps.push({ type: 'number', command: { type: 'AssignInvoiceNumber', data } });
        }
      break;
    case 'OrderStepRefused':
    case 'DeliveryMethodChosen':
    case 'NotificationRequested':
      break;
    default:
      for (const command of react(book.order, doc)) {
        if (isLocal(command)) steps.push({ type: 'policy', command });
        else if (command.type !== 'RequestPayment') requests.push(concertRequest(command, doc));
        // RequestPayment: the desk sees the order awaiting payment and takes the money; nothing to send.
      }
  }
  const correlationId = doc.meta.correlationId;
  return {
    requests,
    steps: steps.map((step, n) => ({ id: `${doc._id}#${n}`, correlationId, orderId, step })),
    gateway,
  };
}

/** The credit note of a refund of invoiced tickets: the refunded amount of each of the invoice's lines. */
const creditNoteIdFor = (refundId: string): string => `${refundId}:credit-note`;

function creditNoteFor(refund: RefundAccepted, invoiceId: string, issuedAt: string): InvoiceCommand {
  const byLine = new Map<string, { concertId: string; level: string; amount: number }>();
  for (const { concertId, level, amount } of refund.lines) {
    const key = `${concertId}\u0000${level}`;
    const line = byLine.get(key) ?? { concertId, level, amount: 0 };
    byLine.set(key, { ...line, amount: line.amount + amount });
  }
  return {
    type: 'IssueCreditNote',
    data: {
      invoiceId,
      creditNoteId: creditNoteIdFor(refund.refundId),
      refundId: refund.refundId,
      reason: refund.reason || 'Tickets refunded.',
      issuedAt,
      lines: [...byLine.values()].filter((l) => l.amount > 0),
    },
  };
}

/** One request per concert of the refunded tickets, to void them; its id is the refund's and the concert's. */
function voidRequests(refund: RefundAccepted, cause: OrdersDecisionDoc): ConcertRequest[] {
  const byConcert = new Map<string, string[]>();
  for (const { concertId, ticketIds } of refund.lines)
    byConcert.set(concertId, [...(byConcert.get(concertId) ?? []), ...ticketIds]);
  const { refundId, orderId, reason } = refund;
  return [...byConcert].map(([concertId, ticketIds]) => {
    const doc: RequestDoc<'TicketsVoidRequested'> = {
      _id: voidRequestId(refundId, concertId),
      type: 'TicketsVoidRequested',
      v: 1,
      stream: concertStream(concertId),
      data: { refundId, orderId, concertId, ticketIds, reason },
      meta: requestMeta(cause),
    };
    return { database: concertDatabase(concertId), doc };
  });
}

/** A request's meta: the decision's clock, so the same request written again after a restart is the same document. */
const requestMeta = (cause: OrdersDecisionDoc) => ({
  deviceId: 'authority',
  userId: 'authority',
  recordedAt: cause.meta.recordedAt,
  correlationId: cause.meta.correlationId,
  causationId: cause._id,
});

type RemoteCommand = Extract<
  OrderPolicyCommand,
  { type: 'ReserveSeats' | 'ConfirmReservation' | 'ReleaseReservation' | 'IssueTickets' }
>;

const requestSteps: Record<RemoteCommand['type'], RequestStep> = {
  ReserveSeats: 'reserve',
  ConfirmReservation: 'confirm',
  ReleaseReservation: 'release',
  IssueTickets: 'tickets',
};

/** The request a policy command is in the concert's database: its id derived from the reservation and the step. */
function concertRequest(command: RemoteCommand, cause: OrdersDecisionDoc): ConcertRequest {
  const { reservationId, orderId, concertId } = command.data;
  const seats = { reservationId, orderId, concertId };
  const request = (): Pick<RequestDoc, 'type' | 'data'> => {
    switch (command.type) {
      case 'ReserveSeats':
        return {
          type: 'SeatsReservationRequested',
          data: { ...seats, lines: command.data.lines, staff: command.data.staff },
        };
      case 'ConfirmReservation':
        return { type: 'ReservationConfirmationRequested', data: seats };
      case 'ReleaseReservation':
        return { type: 'ReservationReleaseRequested', data: seats };
      case 'IssueTickets':
        return {
          type: 'TicketsIssueRequested',
          data: { ...seats, customerId: customerIdFor(orderId), lines: command.data.lines },
        };
    }
  };
  const doc = {
    _id: requestId(reservationId, requestSteps[command.type]),
    ...request(),
    v: 1,
    stream: concertStream(concertId),
    meta: requestMeta(cause),
  } as RequestDoc;
  return { database: concertDatabase(concertId), doc };
}

/**
 * What is still to do after a restart or a reload, of everything the streams' decisions asked for: the local steps
 * not decided yet, the requests of orders still under way (a cancelled order only asks for its seats back), and every
 * refund's request to void its tickets, whatever the order's state: the concert's answer is not relayed, so the orders
 * authority can't tell it was heard, and writing the request again is a 409 the concert never sees.
 */
export function stillWanted(state: OrdersAuthorityState, outbox: Outbox): Outbox {
  return {
    steps: outbox.steps.filter((cause) => !state.decided.has(cause.id)),
    // A card refund is still wanted until the gateway's webhook has been decided into PaymentRefunded.
    gateway: outbox.gateway.filter(({ orderId, paymentId, refundId }) => {
      const payment = state.orders.get(orderId)?.payments[paymentId]?.state;
      return !(
        payment &&
        (payment.status === 'succeeded' || payment.status === 'refunded') &&
        payment.refundIds.includes(refundId)
      );
    }),
    requests: outbox.requests.filter(({ doc }) => {
      if (doc.type === 'TicketsVoidRequested') return true;
      const order = state.orders.get(doc.data.orderId)?.order;
      if (!order || order.status === 'none') return false;
      if (order.status === 'cancelled') return doc.type === 'ReservationReleaseRequested';
      return order.status !== 'invoiced' && order.status !== 'completed';
    }),
  };
}

export const mergeOutboxes = (outboxes: readonly Outbox[]): Outbox => ({
  requests: outboxes.flatMap((o) => o.requests),
  steps: outboxes.flatMap((o) => o.steps),
  gateway: outboxes.flatMap((o) => o.gateway),
});
