// The Orders context: one purchase across concerts, from a confirmed cart to paid-and-delivered or cancelled.
// The order is a process: the authority records what it learns from reservations, payments, tickets, invoices and
// notifications as the order's own events, and its policy (policy.ts) turns each into the commands to issue next.
import { z } from 'zod';
import { cartLineSchema, totalSchema } from '../cart/events';
import { concertIdSchema } from '../concert/events';
import { deliveryMethodSchema } from '../delivery/address';
import { isoInstant } from '../log/envelope';
import { reservedLineSchema, staffSchema } from '../reservation/events';

const id = z.string().min(1).max(200);
const order = { orderId: id };

export const orderRejectionCodes = [
  'empty_order',
  'invalid_line',
  'invalid_timeout',
  'order_exists',
  'unknown_order',
  'unknown_reservation',
  'unknown_concert',
  'unknown_payment',
  'amount_mismatch',
  'already_paid',
  'not_due',
  'not_ready',
  'order_cancelled',
  'ticket_count_mismatch',
  'already_invoiced',
] as const;
export type OrderRejectionCode = (typeof orderRejectionCodes)[number];

/** Why an order was cancelled; every cause ends the same way: seats released, money refunded. */
export const cancellationReasons = [
  'cancelled_by_staff',
  'timed_out',
  'payment_failed',
  'reservation_refused',
  'reservation_expired',
  'reservation_cancelled',
] as const;
export type CancellationReason = (typeof cancellationReasons)[number];

export const orderEventSchemas = {
  /** Placed from a confirmed cart, with its plan: one reservation per concert, one payment per currency due. */
  OrderPlaced: z.object({
    ...order,
    cartId: id,
    deskSessionId: id,
    placedBy: staffSchema,
    lines: z.array(cartLineSchema).min(1).max(100),
    totals: z.array(totalSchema).min(1),
    delivery: deliveryMethodSchema,
    /** The authority's clock, and the moment after which an unpaid order may be timed out. */
    placedAt: isoInstant,
    expiresAt: isoInstant,
    reservations: z
      .array(
        z.object({
          reservationId: id,
          concertId: concertIdSchema,
          lines: z.array(reservedLineSchema).min(1),
        }),
      )
      .min(1),
    /** Only currencies with something to pay: a free order has none. */
    payments: z.array(
      z.object({ paymentId: id, amount: z.number().int().positive(), currency: totalSchema.shape.currency }),
    ),
  }),
  /**
   * A cash sale the concert allocated at the desk, recorded as a one-line order that is paid and ticketed already:
   * its id is `sale-<saleId>`, its reservation `sale:<saleId>`, its tickets `sale:<saleId>:t<n>` (the concert issued
   * those seats when it allocated them), and it goes on like any ticketed order (delivery, invoice).
   */
  OrderRecordedFromSale: z.object({
    ...order,
    saleId: id,
    /** The desk that sold, and who sold. */
    deviceId: id,
    placedBy: staffSchema,
    lines: z.array(cartLineSchema).length(1),
    totals: z.array(totalSchema).min(1),
    delivery: deliveryMethodSchema,
    /** The authority's clock. */
    placedAt: isoInstant,
    reservations: z
      .array(
        z.object({
          reservationId: id,
          concertId: concertIdSchema,
          lines: z.array(reservedLineSchema).min(1),
          ticketIds: z.array(id).min(1).max(1000),
        }),
      )
      .length(1),
    /** Captured already, in cash: none for a free sale. */
    payments: z.array(
      z.object({
        paymentId: id,
        amount: z.number().int().positive(),
        currency: totalSchema.shape.currency,
        tendered: z.number().int().nonnegative(),
      }),
    ),
  }),
  OrderSeatsHeld: z.object({
    ...order,
    reservationId: id,
    concertId: concertIdSchema,
    expiresAt: isoInstant,
  }),
  /** The held seats are kept for the paid order: they no longer lapse. */
  OrderSeatsConfirmed: z.object({ ...order, reservationId: id, concertId: concertIdSchema }),
  OrderPaymentCaptured: z.object({
    ...order,
    paymentId: id,
    amount: z.number().int().positive(),
    currency: totalSchema.shape.currency,
  }),
  OrderTicketsIssued: z.object({ ...order, concertId: concertIdSchema, ticketIds: z.array(id).min(1) }),
  OrderInvoiced: z.object({ ...order, invoiceId: id }),
  /** The customer was told: the order is complete. */
  OrderConfirmationSent: z.object({ ...order, notificationId: id }),
  /** A member of staff asks to cancel an unpaid order (a request: the authority decides). */
  OrderCancellationRequested: z.object({
    ...order,
    requestedBy: z.string().min(1).max(100),
    reason: z.string().max(500),
  }),
  OrderCancelled: z.object({
    ...order,
    reason: z.enum(cancellationReasons),
    /** A sentence for the desk and the customer. */
    message: z.string(),
    /** The concert whose seats could not be held or were lost, if that was the cause. */
    concertId: concertIdSchema.optional(),
    /** The payment that failed, if that was the cause. */
    paymentId: id.optional(),
  }),
} as const;

export const orderEventWriters = {
  OrderPlaced: 'authority',
  OrderRecordedFromSale: 'authority',
  OrderSeatsHeld: 'authority',
  OrderSeatsConfirmed: 'authority',
  OrderPaymentCaptured: 'authority',
  OrderTicketsIssued: 'authority',
  OrderInvoiced: 'authority',
  OrderConfirmationSent: 'authority',
  OrderCancellationRequested: 'device',
  OrderCancelled: 'authority',
} as const satisfies Record<keyof typeof orderEventSchemas, 'device' | 'authority'>;

type Schemas = typeof orderEventSchemas;
export type OrderEventType = keyof Schemas;
export type OrderEventData<K extends OrderEventType> = z.infer<Schemas[K]>;
export type OrderEvent = { [K in OrderEventType]: { type: K; data: OrderEventData<K> } }[OrderEventType];
/** What the order decider decides; a cancellation request is the fact a desk writes to ask for one. */
export type OrderDecision = Exclude<OrderEvent, { type: 'OrderCancellationRequested' }>;

/** The order decider's decisions, as data (the authority writes them in the order's stream). */
export const orderDecisionTypes = [
  'OrderPlaced',
  'OrderRecordedFromSale',
  'OrderSeatsHeld',
  'OrderSeatsConfirmed',
  'OrderPaymentCaptured',
  'OrderTicketsIssued',
  'OrderInvoiced',
  'OrderConfirmationSent',
  'OrderCancelled',
] as const satisfies readonly OrderDecision['type'][];
/** Fails to compile when a decision of the order is missing from the list. */
export const orderDecisionTypesComplete: [OrderDecision['type']] extends [(typeof orderDecisionTypes)[number]]
  ? true
  : false = true;
