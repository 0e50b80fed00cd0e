// A verified Stripe event, as the fact the orders authority decides (PaymentGatewayReported), or nothing for an event
// the box office does not act on. The fact's id is a ULID derived from the event's id and time, so the same event
// delivered twice is the same document (the second write is a 409).
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { FactDoc } from '../../domain/events/catalogue';
import { orderStream } from '../../domain/events/order-flow';
import type { GatewayOutcome } from '../../domain/payment/events';

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID whose time is the event's and whose other 80 bits come from a hash of its id: the same id, the same ULID. */
export function eventUlid(eventId: string, createdSeconds: number): string {
  let time = '';
  let ms = Math.max(0, Math.floor(createdSeconds * 1000));
  for (let i = 0; i < 10; i++) {
    time = (crockford[ms % 32] ?? '0') + time;
    ms = Math.floor(ms / 32);
  }
  const digest = createHash('sha256').update(`stripe:${eventId}`).digest();
  let rest = '';
  for (let i = 0; i < 16; i++) rest += crockford[(digest[i] ?? 0) % 32] ?? '0';
  return time + rest;
}

type Report = {
  outcome: GatewayOutcome;
  orderId: string;
  paymentId: string;
  gatewayReference: string;
  amount: number;
  currency: string;
  refundId?: string;
  reason: string;
};

function reportOf(event: Stripe.Event): Report | undefined {
  switch (event.type) {
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed': {
      const intent = event.data.object;
      const { orderId, paymentId } = intent.metadata;
      if (!orderId || !paymentId) return undefined; // not one of ours
      const succeeded = event.type === 'payment_intent.succeeded';
      return {
        outcome: succeeded ? 'succeeded' : 'failed',
        orderId,
        paymentId,
        gatewayReference: intent.id,
        amount: succeeded ? intent.amount_received || intent.amount : intent.amount,
        currency: intent.currency.toUpperCase(),
        reason: succeeded ? '' : (intent.last_payment_error?.message ?? 'The card was declined.'),
      };
    }
    case 'refund.created':
    case 'refund.updated': {
      const refund = event.data.object;
      const { refundId, orderId, paymentId } = refund.metadata ?? {};
      const intent =
        typeof refund.payment_intent === 'string' ? refund.payment_intent : refund.payment_intent?.id;
      // Pending: Stripe says again (refund.updated) when it is done.
      if (!refundId || !orderId || !paymentId || !intent || refund.status === 'pending') return undefined;
      const done = refund.status === 'succeeded';
      if (!done && refund.status !== 'failed' && refund.status !== 'canceled') return undefined;
      return {
        outcome: done ? 'refunded' : 'refund_failed',
        orderId,
        paymentId,
        gatewayReference: intent,
        amount: refund.amount,
        currency: refund.currency.toUpperCase(),
        refundId,
        reason: done ? (refund.metadata?.note ?? '') : (refund.failure_reason ?? refund.status ?? 'failed'),
      };
    }
    default:
      return undefined;
  }
}

export function gatewayReportFact(event: Stripe.Event): FactDoc<'PaymentGatewayReported'> | undefined {
  const report = reportOf(event);
  if (!report) return undefined;
  const id = eventUlid(event.id, event.created);
  const { refundId, ...rest } = report;
  return {
    _id: id,
    type: 'PaymentGatewayReported',
    v: 1,
    stream: orderStream(report.orderId),
    data: { gateway: 'stripe', eventId: event.id, ...rest, ...(refundId ? { refundId } : {}) },
    meta: {
      deviceId: 'gateway-stripe',
      userId: 'gateway',
      recordedAt: new Date(event.created * 1000).toISOString(),
      correlationId: id,
      causationId: id,
    },
  };
}
