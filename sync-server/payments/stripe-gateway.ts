// The card gateway: Stripe through its `stripe` SDK. It creates a PaymentIntent for an order's payment (the amount and
// currency the orders authority recorded, an idempotency key from the payment's id, metadata linking the order, its
// payment and the desk), asks for refunds (idempotent by our refund id), and verifies the webhooks Stripe signs with the
// endpoint secret. STRIPE_API_BASE points the SDK at another server speaking Stripe's API (the tests' local one).
import Stripe from 'stripe';
import type { GatewayRefund } from '../../domain/authority/order-authority';

export type CardIntent = {
  paymentIntentId: string;
  clientSecret: string | null;
  status: string;
  amount: number;
  currency: string;
};

export type CardGateway = {
  createIntent: (payment: {
    orderId: string;
    paymentId: string;
    deviceId: string;
    amount: number;
    currency: string;
  }) => Promise<CardIntent>;
  retrieveIntent: (paymentIntentId: string) => Promise<CardIntent>;
  /** Confirms an intent with Stripe's test card: only against a test server (STRIPE_API_BASE), never in production. */
  confirmWithTestCard: (paymentIntentId: string) => Promise<CardIntent>;
  refund: (refund: GatewayRefund) => Promise<void>;
  /** The event a webhook carries, once its signature checks out; throws on a forged, altered or stale one. */
  verify: (rawBody: Buffer, signature: string) => Stripe.Event;
};

export type StripeSettings = { secretKey: string; webhookSecret: string; apiBase?: string | undefined };

/** The SDK's host, port and protocol for a base URL such as http://127.0.0.1:12111. */
export function stripeEndpoint(apiBase: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const url = new URL(apiBase);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port ? Number(url.port) : protocol === 'http' ? 80 : 443;
  return { host: url.hostname, port, protocol };
}

const intentOf = (intent: Stripe.PaymentIntent): CardIntent => ({
  paymentIntentId: intent.id,
  clientSecret: intent.client_secret,
  status: intent.status,
  amount: intent.amount,
  currency: intent.currency.toUpperCase(),
});

export function stripeGateway(settings: StripeSettings): CardGateway {
  const stripe = new Stripe(settings.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(settings.apiBase ? stripeEndpoint(settings.apiBase) : {}),
  });
  return {
    async createIntent({ orderId, paymentId, deviceId, amount, currency }) {
      const intent = await stripe.paymentIntents.create(
        {
          amount,
          currency: currency.toLowerCase(),
          description: `Stagedoor order ${orderId}`,
          metadata: { orderId, paymentId, deviceId },
        },
        // One intent per payment of the order, however often the desk asks (Stripe keeps a key for 24 hours; the
        // sync server also remembers the intent it made, see payment-intents.ts).
        { idempotencyKey: `stagedoor-intent-${paymentId}` },
      );
      return intentOf(intent);
    },
    retrieveIntent: async (paymentIntentId) =>
      intentOf(await stripe.paymentIntents.retrieve(paymentIntentId)),
    confirmWithTestCard: async (paymentIntentId) =>
      intentOf(await stripe.paymentIntents.confirm(paymentIntentId, { payment_method: 'pm_card_visa' })),
    async refund({ refundId, paymentId, orderId, gatewayReference, amount, reason }) {
      await stripe.refunds.create(
        {
          payment_intent: gatewayReference,
          amount,
          reason: 'requested_by_customer',
          metadata: { refundId, paymentId, orderId, note: reason.slice(0, 400) },
        },
        { idempotencyKey: `stagedoor-refund-${refundId}` },
      );
    },
    verify: (rawBody, signature) =>
      stripe.webhooks.constructEvent(rawBody, signature, settings.webhookSecret),
  };
}
