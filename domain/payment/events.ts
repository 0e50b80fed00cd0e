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

const payment = { paymentId: z.string().min(1).max(200), orderId: z.string().min(1).max(200) };

export const paymentEventSchemas = {
  PaymentInitiated: z.object({
    ...payment,
    amount: z.number().int().positive(),
    currency: currencySchema,
    method: paymentMethodSchema,
  }),
  /** The money is captured: in the drawer, or confirmed by the gateway. */
  PaymentSucceeded: z.object({ ...payment, amount: minor, currency: currencySchema }),
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
} as const;

export const paymentEventWriters = {
  PaymentInitiated: 'device',
  PaymentSucceeded: 'authority',
  PaymentFailed: 'authority',
  PaymentRefundRequested: 'device',
  PaymentRefunded: 'authority',
} as const satisfies Record<keyof typeof paymentEventSchemas, 'device' | 'authority'>;

type Schemas = typeof paymentEventSchemas;
export type PaymentEventType = keyof Schemas;
export type PaymentEventData<K extends PaymentEventType> = z.infer<Schemas[K]>;
export type PaymentEvent = {
  [K in PaymentEventType]: { type: K; data: PaymentEventData<K> };
}[PaymentEventType];
/** What the payment decider decides; a refund request is the fact a desk writes to ask for one. */
export type PaymentDecision = Exclude<PaymentEvent, { type: 'PaymentRefundRequested' }>;
