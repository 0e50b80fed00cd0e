// The Payments context: money taken for an order, in cash at the desk or by card through the gateway, and given back.
// The desk starts a payment and asks for refunds (device facts); captures, failures and refunds are the authority's.
import { z } from 'zod';

const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as PLN');
const minor = z.number().int().nonnegative();

export const paymentMethodSchema = z.discriminatedUnion('kind', [
  /** Cash in hand: what the customer gave, and the change given back. */
  z.object({ kind: z.literal('cash'), tendered: minor, change: minor }),
  /** A card payment: the gateway's reference for it (a Stripe PaymentIntent id). */
  z.object({ kind: z.literal('card'), gatewayReference: z.string().min(1).max(200) }),
]);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

export const paymentRejectionCodes = [
  'invalid_amount',
  'invalid_currency',
  'insufficient_cash',
  'missing_reference',
  'payment_exists',
  'unknown_payment',
  'gateway_mismatch',
  'already_captured',
  'not_captured',
  'invalid_refund',
  'refund_exceeds_capture',
] as const;
export type PaymentRejectionCode = (typeof paymentRejectionCodes)[number];

/** What the gateway's webhook says happened. */
export const gatewayOutcomes = ['succeeded', 'failed', 'refunded', 'refund_failed'] as const;
export type GatewayOutcome = (typeof gatewayOutcomes)[number];
export const refundMethods = ['cash', 'card'] as const;
export type RefundMethod = (typeof refundMethods)[number];

const payment = { paymentId: z.string().min(1).max(200), orderId: z.string().min(1).max(200) };

export const paymentEventSchemas = {
  PaymentInitiated: z.object({
    ...payment,
    amount: z.number().int().positive(),
    currency: currencySchema,
    method: paymentMethodSchema,
  }),
  /** The money is captured: in the drawer, or confirmed by the gateway (then with its reference). */
  PaymentSucceeded: z.object({
    ...payment,
    amount: minor,
    currency: currencySchema,
    gatewayReference: z.string().min(1).max(200).optional(),
  }),
  PaymentFailed: z.object({ ...payment, reason: z.string().max(500) }),
  /** A desk asks to give money back; without an amount, all that is left. The authority decides. */
  PaymentRefundRequested: z.object({
    paymentId: payment.paymentId,
    refundId: z.string().min(1).max(200),
    amount: z.number().int().positive().optional(),
    reason: z.string().max(500),
  }),
  PaymentRefunded: z.object({
    ...payment,
    refundId: z.string().min(1).max(200),
    amount: z.number().int().positive(),
    currency: currencySchema,
    reason: z.string().max(500),
    /** All refunded so far, this refund included: never more than was captured. */
    refundedInTotal: minor,
  }),
  /**
   * What the card gateway reported by its signed webhook, written by the sync server into the orders database (its id
   * is derived from the gateway's event id, so an event delivered twice is one document) and decided once by the
   * orders authority: a capture, a decline, or a refund done or failed.
   */
  PaymentGatewayReported: z.object({
    gateway: z.literal('stripe'),
    eventId: z.string().min(1).max(200),
    outcome: z.enum(gatewayOutcomes),
    paymentId: payment.paymentId,
    orderId: payment.orderId,
    /** The PaymentIntent's id. */
    gatewayReference: z.string().min(1).max(200),
    amount: minor,
    currency: currencySchema,
    /** The refund's own id (ours), for a refund's outcome. */
    refundId: z.string().min(1).max(200).optional(),
    reason: z.string().max(500),
  }),
  /** The authority asked the gateway to give a card payment's money back (confirmed later by webhook). */
  GatewayRefundRequested: z.object({
    ...payment,
    refundId: z.string().min(1).max(200),
    gatewayReference: z.string().min(1).max(200),
    amount: z.number().int().positive(),
    currency: currencySchema,
    reason: z.string().max(500),
  }),
  /**
   * A desk refunds tickets of a paid order, some or all: in cash from its drawer, or back to the card the order was
   * paid with. The authority prices them from the order and decides.
   */
  TicketsRefundRequested: z.object({
    refundId: z.string().min(1).max(200),
    orderId: payment.orderId,
    ticketIds: z.array(z.string().min(1).max(200)).min(1).max(1000),
    method: z.enum(refundMethods),
    reason: z.string().max(500),
  }),
  /** The tickets are refunded: their price is given back (cash at the desk, or the card by the gateway). */
  TicketsRefundAccepted: z.object({
    refundId: z.string().min(1).max(200),
    orderId: payment.orderId,
    paymentId: payment.paymentId,
    method: z.enum(refundMethods),
    ticketIds: z.array(z.string().min(1).max(200)).min(1).max(1000),
    lines: z
      .array(
        z.object({
          concertId: z.string().min(1).max(200),
          level: z.string().min(1).max(60),
          ticketIds: z.array(z.string().min(1).max(200)).min(1),
          amount: minor,
        }),
      )
      .min(1),
    amount: minor,
    currency: currencySchema,
    reason: z.string().max(500),
    /** The desk that refunds (a cash refund comes out of its drawer). */
    deviceId: z.string().min(1).max(200),
  }),
} as const;

export const paymentEventWriters = {
  PaymentInitiated: 'device',
  PaymentSucceeded: 'authority',
  PaymentFailed: 'authority',
  PaymentRefundRequested: 'device',
  PaymentRefunded: 'authority',
  PaymentGatewayReported: 'authority',
  GatewayRefundRequested: 'authority',
  TicketsRefundRequested: 'device',
  TicketsRefundAccepted: 'authority',
} as const satisfies Record<keyof typeof paymentEventSchemas, 'device' | 'authority'>;

type Schemas = typeof paymentEventSchemas;
export type PaymentEventType = keyof Schemas;
export type PaymentEventData<K extends PaymentEventType> = z.infer<Schemas[K]>;
export type PaymentEvent = {
  [K in PaymentEventType]: { type: K; data: PaymentEventData<K> };
}[PaymentEventType];
/** What the payment decider decides; a refund request is the fact a desk writes to ask for one. */
export type PaymentDecision = Extract<
  PaymentEvent,
  { type: 'PaymentInitiated' | 'PaymentSucceeded' | 'PaymentFailed' | 'PaymentRefunded' }
>;
