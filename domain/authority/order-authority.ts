// The orders authority's view of the order process: every order's decision stream (and the invoice numbering streams)
// folded into state, the rule that turns each cause into at most one decision, and the outbox — what each decision asks
// for next, as requests to a concert's authority or as local steps with causes of their own. Pure: the sync server
// brings the I/O, the decision ids and the clock.
//
//   cause                                   decided with                            decision (stream order-<id>)
//   CartConfirmed fact                      placeOrderFromCart → decideOrder        OrderPlaced
//   PaymentInitiated fact (cash)            the order's check, then the payment     PaymentSucceeded
//   OrderCancellationRequested fact         decideOrder CancelOrder                 OrderCancelled
//   ConcertDecisionRelayed                  orderCommandFor… → decideOrder          OrderSeatsHeld, OrderTicketsIssued…
//   ConcertDecisionRelayed (SeatsAllocated) orderCommandForSale → decideOrder       OrderRecordedFromSale (paid)
//   timeout:<orderId> (the clock)           decideOrder TimeOutOrder                OrderCancelled 'timed_out'
//   <decision id>#<n> (a decision's step)   delivery, invoice, numbering, payment,  DeliveryMethodChosen, InvoiceCreated,
//                                           notification deciders; the order        InvoiceNumberAssigned, OrderInvoiced…
// A rule a cause breaks is recorded as OrderStepRefused, so every cause is answered once and never decided again.
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
import { requestId } from '../events/order-flow';
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
  OrderRuleBroken,
  saleOrderIdFor,
} from '../order/order';
import type { OrderCommand, OrderState } from '../order/order';
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
import { decidePayment, evolvePayment, initialPaymentState } from '../payment/payment';
import type { PaymentState } from '../payment/payment';
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
  /** The language of the emails the order causes. */
  locale: string;
};

export const defaultOrderSettings: OrderSettings = {
  timeoutMinutes: defaultOrderTimeoutMinutes,
  taxRateBp: 800,
  priceBasis: 'gross',
  invoiceSeries: 'FV',
  locale: 'pl',
};

/** The decisions of an order's stream. */
export const orderStreamTypes = [
  ...orderDecisionTypes,
  'OrderStepRefused',
  'PaymentSucceeded',
  'PaymentFailed',
  'PaymentRefunded',
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
});

/** What a cause asks of the order process. */
export type Step =
  | { type: 'place'; confirmed: CartEventData<'CartConfirmed'> }
  | { type: 'cash'; initiated: DataOf<'PaymentInitiated'> }
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

export type Outbox = { requests: ConcertRequest[]; steps: Cause[] };

const emptyOutbox = (): Outbox => ({ requests: [], steps: [] });

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
    case 'sale':
      return 'RecordSale';
    case 'timeout':
      return 'TimeOutOrder';
    default:
      return step.command.type;
  }
}

/**
 * Cash in the drawer is captured at once, for a payment the order is waiting for. Anything else is refused, so the desk
 * gives the money back; the order goes on waiting (a refusal is not a failed payment: nothing was lost).
 */
function takeCash(initiated: DataOf<'PaymentInitiated'>, book: OrderBook): PaymentDecision[] {
  const { paymentId, orderId, amount, currency, method } = initiated;
  if (method.kind !== 'cash')
    throw new OrderRuleBroken(
      'not_ready',
      'Card payments are taken with the payment gateway, not yet here: take cash.',
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
      return decidePayment(refundFor(command), current);
    }
  }
}

/** What the books know of an order: its walk-in customer, its buyer, the tax, and how each payment was taken. */
function booksOf(book: OrderBook, issuedAt: string, settings: OrderSettings) {
  const payments: Record<string, InvoicedPayment> = {};
  for (const [paymentId, { paidAt }] of Object.entries(book.payments))
    if (paidAt) payments[paymentId] = { method: 'cash', reference: null, paidAt };
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
      const { paymentId } = doc.data;
      const payment = cashCaptured(doc.data, doc.data.amount, doc.meta.recordedAt);
      return { ...book, payments: { ...book.payments, [paymentId]: payment } };
    }
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
  switch (doc.type) {
    case 'PaymentSucceeded':
    case 'PaymentFailed':
    case 'PaymentRefunded': {
      const command = orderCommandForPayment(doc);
      if (command) steps.push({ type: 'order', command });
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
  };
}

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
    meta: {
      deviceId: 'authority',
      userId: 'authority',
      // The decision's clock: the same request written again after a restart is the same document.
      recordedAt: cause.meta.recordedAt,
      correlationId: cause.meta.correlationId,
      causationId: cause._id,
    },
  } as RequestDoc;
  return { database: concertDatabase(concertId), doc };
}

/**
 * What is still to do after a restart or a reload, of everything the streams' decisions asked for: the local steps
 * not decided yet, and the requests of orders still under way (a cancelled order only asks for its seats back).
 */
export function stillWanted(state: OrdersAuthorityState, outbox: Outbox): Outbox {
  return {
    steps: outbox.steps.filter((cause) => !state.decided.has(cause.id)),
    requests: outbox.requests.filter(({ doc }) => {
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
});
