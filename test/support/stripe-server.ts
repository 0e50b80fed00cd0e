// Test support: a small local Stripe-compatible server, because Stripe itself is unreachable here and the npm mocks
// have no PaymentIntents. It speaks what the project uses of the API, as the real `stripe` SDK sends it (form-encoded
// bodies under /v1, a Bearer secret key, the Idempotency-Key header): PaymentIntents (create, retrieve, confirm,
// cancel) and Refunds (create, retrieve). It sends webhooks to a configured URL signed exactly as Stripe signs them
// (`stripe.webhooks.generateTestHeaderString`), and a test can make a confirmation approve or decline, deliver an event
// again, or send a payload with a bad signature.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

type Json = { [key: string]: unknown };

export type StripeIntent = {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: 'requires_payment_method' | 'requires_confirmation' | 'succeeded' | 'canceled';
  client_secret: string;
  metadata: Record<string, string>;
  description: string | null;
  latest_charge: string | null;
  last_payment_error: { code: string; message: string; type: string } | null;
  created: number;
  livemode: false;
};

export type StripeRefund = {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  reason: string | null;
  metadata: Record<string, string>;
  created: number;
};

export type StripeEvent = {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  type: string;
  data: { object: StripeIntent | StripeRefund };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
};

export type Delivery = { eventId: string; type: string; status: number };

export type StripeTestServer = {
  /** The base URL, e.g. http://127.0.0.1:12345 (what STRIPE_API_BASE is set to). */
  url: string;
  secretKey: string;
  webhookSecret: string;
  /** Where webhooks go; until set, events are kept and sent once it is. */
  setWebhookUrl: (url: string) => Promise<void>;
  /** What the next confirmations do: approve (succeeded) or decline (card_declined). */
  setOutcome: (outcome: 'approve' | 'decline') => void;
  intents: ReadonlyMap<string, StripeIntent>;
  refunds: ReadonlyMap<string, StripeRefund>;
  /** Every event made, in order. */
  events: readonly StripeEvent[];
  /** Every webhook delivery and the answer it got. */
  deliveries: readonly Delivery[];
  /** How many times a path was asked for with a POST (to count creations). */
  posts: (path: string) => number;
  /** Confirms an intent as a card reader would (approve or decline by the outcome set). */
  confirm: (intentId: string) => Promise<StripeIntent>;
  /** Sends an event made before again, signed afresh (Stripe retries and sometimes delivers twice). */
  redeliver: (eventId: string) => Promise<number>;
  /** Sends a payload with the given signature header (a forged or stale one). */
  sendRaw: (payload: string, signature: string) => Promise<number>;
  /** Makes and sends an event about an intent as it is now (e.g. a success that arrives late). */
  emit: (type: string, intentId: string) => Promise<StripeEvent>;
  close: () => Promise<void>;
};

class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Reads Stripe's form encoding (`metadata[orderId]=…`, `a[b][c]=…`) into nested objects. */
export function parseForm(body: string): Json {
  const out: Json = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split('[').map((part) => part.replace(/]$/, ''));
    let at: Json = out;
    for (const [i, part] of path.entries()) {
      if (i === path.length - 1) at[part] = value;
      else {
        const next = at[part];
        if (typeof next === 'object' && next !== null) at = next as Json;
        else {
          const created: Json = {};
          at[part] = created;
          at = created;
        }
      }
    }
  }
  return out;
}

const strings = (value: unknown): Record<string, string> =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]))
    : {};

const integer = (value: unknown, name: string): number => {
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 1)
    throw new StripeError(400, 'invalid_request_error', `Invalid integer: ${name}`);
  return n;
};

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });

export async function startStripeServer(
  options: { secretKey?: string; webhookSecret?: string; webhookUrl?: string } = {},
): Promise<StripeTestServer> {
  const secretKey = options.secretKey ?? 'sk_test_stagedoor_local';
  const webhookSecret = options.webhookSecret ?? 'whsec_stagedoor_local';
  let webhookUrl = options.webhookUrl;
  let outcome: 'approve' | 'decline' = 'approve';
  const intents = new Map<string, StripeIntent>();
  const refunds = new Map<string, StripeRefund>();
  const events: StripeEvent[] = [];
  const deliveries: Delivery[] = [];
  const unsent: StripeEvent[] = [];
  const postCounts = new Map<string, number>();
  /** Idempotency-Key → the request's parameters and the answer given: the same key gets the same answer. */
  const idempotent = new Map<string, { path: string; params: string; status: number; body: string }>();
  let counter = 0;
  const nextId = (prefix: string) => `${prefix}_${Date.now().toString(36)}${(++counter).toString(36)}`;
  const now = () => Math.floor(Date.now() / 1000);

  const sign = (payload: string) =>
    Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });

  const post = async (payload: string, signature: string): Promise<number> => {
    if (!webhookUrl) throw new Error('no webhook URL set');
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature },
      body: payload,
    });
    await response.arrayBuffer();
    return response.status;
  };

  const deliver = async (event: StripeEvent): Promise<number> => {
    if (!webhookUrl) {
      unsent.push(event);
      return 0;
    }
    const payload = JSON.stringify(event, null, 2);
    const status = await post(payload, sign(payload));
    deliveries.push({ eventId: event.id, type: event.type, status });
    return status;
  };

  const makeEvent = (
    type: string,
    object: StripeIntent | StripeRefund,
    idempotencyKey: string | null,
  ): StripeEvent => {
    const event: StripeEvent = {
      id: nextId('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: now(),
      type,
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: nextId('req'), idempotency_key: idempotencyKey },
    };
    events.push(event);
    return event;
  };

  /**
   * Webhooks go out after the API answered, as Stripe sends them: asynchronously, and again (to the URL set then)
   * while the endpoint does not answer 2xx — here every 250 ms, up to 40 times.
   */
  const later = (event: StripeEvent, attempt = 1) => {
    setTimeout(
      () => {
        deliver(event)
          .catch(() => {
            deliveries.push({ eventId: event.id, type: event.type, status: 0 });
            return 0;
          })
          .then((status) => {
            if (webhookUrl && (status < 200 || status >= 300) && attempt < 40) later(event, attempt + 1);
          })
          .catch(() => undefined);
      },
      attempt === 1 ? 20 : 250,
    );
  };

  const intentOf = (id: string): StripeIntent => {
    const intent = intents.get(id);
    if (!intent)
      throw new StripeError(
        404,
        'invalid_request_error',
        `No such payment_intent: '${id}'`,
        'resource_missing',
      );
    return intent;
  };

  const confirmIntent = (intent: StripeIntent, key: string | null): StripeIntent => {
    if (intent.status === 'succeeded' || intent.status === 'canceled')
      throw new StripeError(
        400,
        'invalid_request_error',
        `This PaymentIntent's status is ${intent.status}: it cannot be confirmed.`,
        'payment_intent_unexpected_state',
      );
    if (outcome === 'approve') {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
      intent.latest_charge = nextId('ch');
      intent.last_payment_error = null;
      later(makeEvent('payment_intent.succeeded', intent, key));
    } else {
      intent.status = 'requires_payment_method';
      intent.last_payment_error = {
        type: 'card_error',
        code: 'card_declined',
        message: 'Your card was declined.',
      };
      later(makeEvent('payment_intent.payment_failed', intent, key));
    }
    return intent;
  };

  const routes: {
    method: string;
    pattern: RegExp;
    run: (match: RegExpExecArray, params: Json, key: string | null) => unknown;
  }[] = [
    {
      method: 'POST',
      pattern: /^\/v1\/payment_intents$/,
      run: (_m, params) => {
        const amount = integer(params.amount, 'amount');
        if (typeof params.currency !== 'string' || !/^[a-z]{3}$/i.test(params.currency))
          throw new StripeError(400, 'invalid_request_error', 'Invalid currency');
        const id = nextId('pi');
        const intent: StripeIntent = {
          id,
          object: 'payment_intent',
          amount,
          amount_received: 0,
          currency: params.currency.toLowerCase(),
          status: 'requires_payment_method',
          client_secret: `${id}_secret_${Math.random().toString(36).slice(2)}`,
          metadata: strings(params.metadata),
          description: typeof params.description === 'string' ? params.description : null,
          latest_charge: null,
          last_payment_error: null,
          created: now(),
          livemode: false,
        };
        intents.set(id, intent);
        return intent;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/payment_intents\/([^/]+)$/,
      run: (m) => intentOf(m[1] ?? ''),
    },
    {
      method: 'POST',
      pattern: /^\/v1\/payment_intents\/([^/]+)\/confirm$/,
      run: (m, _params, key) => {
        const intent = confirmIntent(intentOf(m[1] ?? ''), key);
        if (intent.last_payment_error)
          throw new StripeError(402, 'card_error', intent.last_payment_error.message, 'card_declined');
        return intent;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
      run: (m, _params, key) => {
        const intent = intentOf(m[1] ?? '');
        if (intent.status === 'succeeded')
          throw new StripeError(
            400,
            'invalid_request_error',
            'You cannot cancel this PaymentIntent because it has a status of succeeded.',
            'payment_intent_unexpected_state',
          );
        if (intent.status !== 'canceled') {
          intent.status = 'canceled';
          later(makeEvent('payment_intent.canceled', intent, key));
        }
        return intent;
      },
    },
    {
      method: 'POST',
      pattern: /^\/v1\/refunds$/,
      run: (_m, params, key) => {
        const intent = intentOf(typeof params.payment_intent === 'string' ? params.payment_intent : '');
        if (intent.status !== 'succeeded')
          throw new StripeError(
            400,
            'invalid_request_error',
            `PaymentIntent ${intent.id} has no successful charge to refund.`,
            'charge_not_refundable',
          );
        const refunded = [...refunds.values()]
          .filter((r) => r.payment_intent === intent.id && r.status !== 'failed')
          .reduce((sum, r) => sum + r.amount, 0);
        const left = intent.amount_received - refunded;
        const amount = params.amount === undefined ? left : integer(params.amount, 'amount');
        if (amount > left || left === 0)
          throw new StripeError(
            400,
            'invalid_request_error',
            `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
            'amount_too_large',
          );
        const refund: StripeRefund = {
          id: nextId('re'),
          object: 'refund',
          amount,
          currency: intent.currency,
          payment_intent: intent.id,
          charge: intent.latest_charge,
          // A card refund succeeds at once in test mode; Stripe still reports it by webhook.
          status: 'succeeded',
          reason: typeof params.reason === 'string' ? params.reason : null,
          metadata: strings(params.metadata),
          created: now(),
        };
        refunds.set(refund.id, refund);
        later(makeEvent('refund.created', refund, key));
        return refund;
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/refunds\/([^/]+)$/,
      run: (m) => {
        const refund = refunds.get(m[1] ?? '');
        if (!refund)
          throw new StripeError(
            404,
            'invalid_request_error',
            `No such refund: '${m[1] ?? ''}'`,
            'resource_missing',
          );
        return refund;
      },
    },
  ];

  const answer = (response: ServerResponse, status: number, body: string) => {
    response.writeHead(status, { 'content-type': 'application/json', 'request-id': nextId('req') });
    response.end(body);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const raw = method === 'POST' ? await readBody(request) : '';
    if (request.headers.authorization !== `Bearer ${secretKey}`)
      return answer(
        response,
        401,
        JSON.stringify({
          error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' },
        }),
      );
    const found = routes.find((r) => r.method === method && r.pattern.test(path));
    const match = found?.pattern.exec(path);
    if (!found || !match)
      return answer(
        response,
        404,
        JSON.stringify({
          error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` },
        }),
      );
    if (method === 'POST') postCounts.set(path, (postCounts.get(path) ?? 0) + 1);
    const header = request.headers['idempotency-key'];
    const key = method === 'POST' && typeof header === 'string' ? header : null;
    if (key) {
      const seen = idempotent.get(key);
      if (seen) {
        if (seen.path !== path || seen.params !== raw)
          return answer(
            response,
            400,
            JSON.stringify({
              error: {
                type: 'idempotency_error',
                message: `Keys for idempotent requests can only be used with the same parameters they were first used with.`,
              },
            }),
          );
        response.setHeader('idempotent-replayed', 'true');
        return answer(response, seen.status, seen.body);
      }
    }
    let status = 200;
    let body: string;
    try {
      body = JSON.stringify(found.run(match, parseForm(raw), key));
    } catch (error) {
      if (!(error instanceof StripeError)) throw error;
      status = error.status;
      body = JSON.stringify({
        error: { type: error.type, message: error.message, ...(error.code ? { code: error.code } : {}) },
      });
    }
    // Stripe keeps the answer to a key, errors included (but not a 5xx), for 24 hours.
    if (key) idempotent.set(key, { path, params: raw, status, body });
    answer(response, status, body);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      answer(response, 500, JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    webhookSecret,
    async setWebhookUrl(url) {
      webhookUrl = url;
      for (const event of unsent.splice(0)) await deliver(event);
    },
    setOutcome: (next) => (outcome = next),
    intents,
    refunds,
    events,
    deliveries,
    posts: (path) => postCounts.get(path) ?? 0,
    confirm: (intentId) => Promise.resolve(structuredClone(confirmIntent(intentOf(intentId), null))),
    redeliver: async (eventId) => {
      const event = events.find((e) => e.id === eventId);
      if (!event) throw new Error(`no event ${eventId}`);
      return deliver(event);
    },
    sendRaw: (payload, signature) => post(payload, signature),
    async emit(type, intentId) {
      const event = makeEvent(type, intentOf(intentId), null);
      await deliver(event);
      return event;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
