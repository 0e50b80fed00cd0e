// Card payments over HTTP. A desk (online, signed in) asks for a PaymentIntent for an order; the amount and currency
// are the order's, read from the orders authority's log. Stripe confirms by webhook (public, but its signature is
// verified with STRIPE_WEBHOOK_SECRET on the raw body). Without STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET card
// payments are off, and the status route says why. The test card confirmation exists only against a local
// Stripe-compatible server (STRIPE_API_BASE): in a real box office the card terminal (or Stripe Elements) confirms.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Couch } from '../store/couch';
import { CardPaymentRefused, cardIntentFor } from '../payments/payment-intents';
import type { CardGateway } from '../payments/stripe-gateway';
import { receiveWebhook } from '../payments/webhook';
import type { Access, AccessControl, App, Method } from './access';

export type CardPayments =
  { on: true; gateway: CardGateway; testConfirm: boolean } | { on: false; reason: string };

const sellers = ['desk'] as const;
const intentRequest = z.object({
  orderId: z.string().min(1).max(200),
  deviceId: z.string().min(1).max(100).default('unknown-desk'),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});
const intentParams = z.object({ paymentIntentId: z.string().min(1).max(200) });

export function paymentRoutes(
  app: App,
  services: { couch: Couch; payments: CardPayments; access: AccessControl },
): void {
  const { couch, payments, access } = services;
  const route = (
    method: Method,
    url: string,
    rule: Access,
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  ) => {
    access.declare(method, url, rule);
    app.route({ method, url, handler });
  };
  const off = (reply: FastifyReply) =>
    reply.code(503).send({ error: 'card_off', reason: payments.on ? '' : payments.reason });
  const refused = (reply: FastifyReply, error: unknown) => {
    if (error instanceof CardPaymentRefused)
      return reply.code(error.status).send({ error: error.code, reason: error.message });
    throw error;
  };

  route('GET', '/api/payments/status', sellers, async (_request, reply) =>
    reply.send(
      payments.on ? { card: 'on', testCard: payments.testConfirm } : { card: 'off', reason: payments.reason },
    ),
  );

  route('POST', '/api/payments/intents', sellers, async (request, reply) => {
    if (!payments.on) return off(reply);
    const body = intentRequest.safeParse(request.body);
    if (!body.success)
      return reply
        .code(400)
        .send({ error: 'bad_request', reason: body.error.issues.map((i) => i.message).join('; ') });
    try {
      const intent = await cardIntentFor({ couch, gateway: payments.gateway }, body.data);
      return reply.code(201).send(intent);
    } catch (error) {
      return refused(reply, error);
    }
  });

  if (payments.on && payments.testConfirm)
    route('POST', '/api/payments/intents/:paymentIntentId/test-confirm', sellers, async (request, reply) => {
      const params = intentParams.safeParse(request.params);
      if (!params.success) return reply.code(400).send({ error: 'bad_request', reason: 'no intent id' });
      try {
        return reply.send(await payments.gateway.confirmWithTestCard(params.data.paymentIntentId));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return reply.code(402).send({ error: 'card_declined', reason: message });
      }
    });

  // The webhook reads its body raw: the signature is over the exact bytes Stripe sent.
  access.declare('POST', '/api/stripe/webhook', 'public');
  void app.register((scope, _options, registered) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    scope.post('/api/stripe/webhook', async (request, reply) => {
      if (!payments.on) return off(reply);
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.from('');
      const signature = request.headers['stripe-signature'];
      const outcome = await receiveWebhook(
        { couch, gateway: payments.gateway },
        raw,
        typeof signature === 'string' ? signature : undefined,
      );
      if (outcome.status === 400) {
        request.log.warn({ reason: outcome.reason }, 'a webhook with a bad signature was refused');
        return reply.code(400).send({ error: 'bad_signature', reason: outcome.reason });
      }
      return reply.send({ received: true, duplicate: outcome.duplicate });
    });
    registered();
  });
}
