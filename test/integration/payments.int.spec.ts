// Card payments and refunds against the real store, real sync server processes, the real `stripe` SDK and the local
// Stripe-compatible test server (test/support/stripe-server.ts): one PaymentIntent per order however often the desk
// asks, signed webhooks verified (a forged one changes nothing) and handled once per event, a decline cancelling the
// order, a late success refunded by itself, a partial refund credited on the invoice, and invoice numbers gapless with
// two instances. Nothing here reaches the real Stripe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { monotonicFactory } from 'ulid';
import {
  concertDatabase,
  evolveAuthority,
  initialAuthorityState,
  isStreamDecision,
} from '../../domain/authority/concert-authority';
import type { CartLine } from '../../domain/cart/events';
import { isDecision, isFact, parseEventDoc } from '../../domain/events/catalogue';
import type { DecisionDoc, FactDoc } from '../../domain/events/catalogue';
import { orderStream, ordersDatabase } from '../../domain/events/order-flow';
import { numberingStream } from '../../domain/finance/invoice-numbering';
import { availability } from '../../domain/inventory/inventory';
import { emptyChain, followChain, streamRange } from '../../domain/log/stream';
import { invoiceIdFor, reservationIdFor } from '../../domain/order/order';
import { authorityDb, createAll, getDoc, readRange } from '../../sync-server/store/couch';
import type { Doc } from '../../sync-server/store/couch';
import { cartConfirmedFact, cashPaymentFact } from '../support/order-facts';
import { factMeta, readStream, setUpConcert, stopProcess, waitFor } from '../support/store';
import type { SyncServerProcess, TestStore } from '../support/store';
import { useSpecStore } from '../support/spec-store';
import { startStripeServer } from '../support/stripe-server';
import type { StripeTestServer } from '../support/stripe-server';

const spec = useSpecStore();
const adminPassword = 'payments-admin-password';
const deskName = 'card desk';
const deskPassword = 'card-desk-password-1';
let store: TestStore;
let stripe: StripeTestServer;

beforeAll(async () => {
  store = spec.store;
  stripe = await startStripeServer();
});
afterAll(async () => {
  await stripe?.close();
});

type Api = { url: string; token: string; server: SyncServerProcess };

/** A sync server with card payments on (pointed at the local Stripe server), its webhooks, and a desk signed in. */
async function syncServer(env: Record<string, string> = {}, webhooks = true): Promise<Api> {
  const server = spec.syncServer({
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_BASE: stripe.url,
    ADMIN_PASSWORD: adminPassword,
    ...env,
  });
  const url = `http://127.0.0.1:${await server.port}`;
  if (webhooks) await stripe.setWebhookUrl(`${url}/api/stripe/webhook`);
  const admin = await call(url, 'POST', '/api/sessions', undefined, {
    name: 'admin',
    password: adminPassword,
  });
  const adminToken = String(admin.body.token);
  // The directory is in the store: the desk exists from the first test on (409 after).
  await call(url, 'POST', '/api/users', adminToken, { name: deskName, role: 'desk', password: deskPassword });
  const desk = await call(url, 'POST', '/api/sessions', undefined, {
    name: deskName,
    password: deskPassword,
  });
  expect(desk.status).toBe(201);
  return { url, token: String(desk.body.token), server };
}

type Reply = { status: number; body: Record<string, unknown> };
async function call(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<Reply> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const askIntent = (api: Api, orderId: string) =>
  call(api.url, 'POST', '/api/payments/intents', api.token, { orderId, deviceId: 'desk-1' });

const orders = () => store.couch.server.use<Doc>(ordersDatabase);

async function readDecisions(stream: string): Promise<DecisionDoc[]> {
  const { startkey, endkey } = streamRange(stream);
  const decisions: DecisionDoc[] = [];
  for await (const page of readRange(orders(), startkey, endkey))
    for (const raw of page) {
      const parsed = parseEventDoc(raw);
      if (parsed.ok && isDecision(parsed.doc) && parsed.doc.stream === stream) decisions.push(parsed.doc);
    }
  return followChain(
    emptyChain(),
    decisions.map((d) => ({ ...d.meta, doc: d })),
  ).accepted.map((a) => a.doc);
}

const count = (decisions: readonly DecisionDoc[], type: string) =>
  decisions.filter((d) => d.type === type).length;

function orderUntil(orderId: string, what: string, done: (d: DecisionDoc[]) => boolean, timeoutMs = 60_000) {
  return waitFor(
    what,
    async () => {
      const decisions = await readDecisions(orderStream(orderId));
      return done(decisions) ? decisions : undefined;
    },
    timeoutMs,
  );
}

async function concertState(concertId: string) {
  let state = initialAuthorityState();
  for (const doc of (await readStream(store.couch, concertId)).accepted)
    if (isStreamDecision(doc)) state = evolveAuthority(state, doc);
  return state;
}

async function seatsLeft(concertId: string): Promise<Record<string, number>> {
  const { concert } = await concertState(concertId);
  return Object.fromEntries(availability(concert).map((l) => [l.level, l.left]));
}

/** The concert's answer to a refund's request to void its tickets there. */
const voidedBy = (concertId: string, refundId: string) =>
  waitFor(`the refund's tickets voided at ${concertId}`, async () =>
    (await readStream(store.couch, concertId)).accepted.find(
      (d) => (d.type === 'TicketsVoided' || d.type === 'TicketsVoidRefused') && d.data.refundId === refundId,
    ),
  );

/** Where the concert's gate has each ticket: valid, or voided (a scanner refuses it). */
async function ticketStatuses(concertId: string, ticketIds: readonly string[]) {
  const { gate } = await concertState(concertId);
  return ticketIds.map((id) => gate.tickets.get(id)?.status);
}

/** A concert and a placed order of 2 Regular (150.00) + 1 VIP (300.00), its seats held: 600.00 PLN due. */
async function orderAwaitingPayment(concertId: string, orderId: string) {
  await setUpConcert(store.couch, concertId, [
    { name: 'Regular', capacity: 10, price: 15000 },
    { name: 'VIP', capacity: 5, price: 30000 },
  ]);
  const lines: CartLine[] = [
    { concertId, level: 'Regular', quantity: 2, unitPrice: 15000, currency: 'PLN' },
    { concertId, level: 'VIP', quantity: 1, unitPrice: 30000, currency: 'PLN' },
  ];
  await createAll(orders(), [cartConfirmedFact('desk-1', orderId, lines)]);
  await orderUntil(orderId, 'the seats held', (d) => count(d, 'OrderSeatsHeld') === 1);
  return { total: 60000 };
}

const intentsOf = (orderId: string) =>
  [...stripe.intents.values()].filter((i) => i.metadata.orderId === orderId);

const nextId = monotonicFactory();

function refundFact(
  orderId: string,
  ticketIds: string[],
  method: 'cash' | 'card',
): FactDoc<'TicketsRefundRequested'> {
  const id = nextId();
  return {
    _id: id,
    type: 'TicketsRefundRequested',
    v: 1,
    stream: orderStream(orderId),
    data: { refundId: id, orderId, ticketIds, method, reason: 'The customer cannot come.' },
    meta: factMeta('desk-1', id),
  };
}

/** Pays an order awaiting payment by card: an intent, the test card, the webhook; resolves once it is invoiced. */
async function payByCard(api: Api, orderId: string) {
  const intent = await askIntent(api, orderId);
  expect(intent.status).toBe(201);
  const id = String(intent.body.paymentIntentId);
  const confirmed = await call(api.url, 'POST', `/api/payments/intents/${id}/test-confirm`, api.token);
  expect(confirmed.status).toBe(200);
  const decisions = await orderUntil(
    orderId,
    'the order invoiced',
    (d) => count(d, 'InvoicePaymentRecorded') === 1,
  );
  return { intentId: id, decisions };
}

describe('a card payment', () => {
  it('creates one PaymentIntent per order however often the desk asks, for the order’s amount, and the webhook pays it', async () => {
    const api = await syncServer();
    const orderId = 'card-once';
    const { total } = await orderAwaitingPayment('pay-once', orderId);
    // The desk retries (a lost answer, two clicks, a reload): at once and later.
    const answers = await Promise.all([askIntent(api, orderId), askIntent(api, orderId)]);
    answers.push(await askIntent(api, orderId));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.paymentIntentId)).size).toBe(1);
    expect(intentsOf(orderId)).toHaveLength(1);
    expect(intentsOf(orderId)[0]).toMatchObject({
      amount: total,
      currency: 'pln',
      metadata: { orderId, deviceId: 'desk-1', paymentId: `${orderId}:payment:PLN` },
    });
    // The desk cannot say what to charge: the amount is the order's.
    expect(answers[0]?.body).toMatchObject({ amount: total, currency: 'PLN' });

    const { intentId, decisions } = await payByCard(api, orderId);
    const paid = decisions.find((d) => d.type === 'PaymentSucceeded');
    expect(paid?.data).toMatchObject({ amount: total, gatewayReference: intentId });
    const invoicePayment = decisions.find((d) => d.type === 'InvoicePaymentRecorded');
    expect(invoicePayment?.data).toMatchObject({ method: 'card', reference: intentId, amount: total });
    expect(count(decisions, 'OrderTicketsIssued')).toBe(1);
    // Asked again once paid: nothing is left to pay, and no second intent is made.
    expect((await askIntent(api, orderId)).status).toBe(409);
    expect(intentsOf(orderId)).toHaveLength(1);
  });

  it('refuses a webhook with a bad signature with 400, and nothing changes', async () => {
    const api = await syncServer();
    const orderId = 'card-forged';
    const { total } = await orderAwaitingPayment('pay-forged', orderId);
    const id = String((await askIntent(api, orderId)).body.paymentIntentId);
    const intent = stripe.intents.get(id);
    if (!intent) throw new Error('no intent');
    const event = {
      id: 'evt_forged_1',
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      type: 'payment_intent.succeeded',
      data: { object: { ...intent, status: 'succeeded', amount_received: total } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
    };
    const payload = JSON.stringify(event);
    const wrongSecret = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_ours' });
    expect(await stripe.sendRaw(payload, wrongSecret)).toBe(400);
    const signed = Stripe.webhooks.generateTestHeaderString({ payload, secret: stripe.webhookSecret });
    expect(await stripe.sendRaw(payload.replace(String(total), '1'), signed)).toBe(400);
    const stale = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: stripe.webhookSecret,
      timestamp: Math.floor(Date.now() / 1000) - 3600,
    });
    expect(await stripe.sendRaw(payload, stale)).toBe(400);
    expect(await stripe.sendRaw(payload, '')).toBe(400);

    await new Promise((resolve) => setTimeout(resolve, 1500));
    const decisions = await readDecisions(orderStream(orderId));
    expect(decisions.map((d) => d.type)).toEqual(['OrderPlaced', 'OrderSeatsHeld']);
    expect(
      await getDoc(store.couch.server.use<Doc>(authorityDb), 'stripe-event:evt_forged_1'),
    ).toBeUndefined();
    const { rows } = await orders().list({ include_docs: true });
    expect(
      rows.filter(
        (r) =>
          (r.doc as { type?: string } | undefined)?.type === 'PaymentGatewayReported' &&
          (r.doc as { data?: { eventId?: string } }).data?.eventId === 'evt_forged_1',
      ),
    ).toEqual([]);
    // The same payload signed with the endpoint's secret is accepted.
    expect(await stripe.sendRaw(payload, signed)).toBe(200);
    await orderUntil(orderId, 'the order paid', (d) => count(d, 'PaymentSucceeded') === 1);
  });

  it('takes the same webhook delivered twice once', async () => {
    const api = await syncServer();
    const orderId = 'card-twice';
    await orderAwaitingPayment('pay-twice', orderId);
    const { intentId } = await payByCard(api, orderId);
    const succeeded = stripe.events.find(
      (e) => e.type === 'payment_intent.succeeded' && e.data.object.id === intentId,
    );
    if (!succeeded) throw new Error('no success event');
    expect(await stripe.redeliver(succeeded.id)).toBe(200);
    expect(await stripe.redeliver(succeeded.id)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const decisions = await readDecisions(orderStream(orderId));
    expect(count(decisions, 'PaymentSucceeded')).toBe(1);
    expect(count(decisions, 'OrderPaymentCaptured')).toBe(1);
    expect(count(decisions, 'OrderStepRefused')).toBe(0);
    const { rows } = await orders().list({ include_docs: true });
    const reports = rows.filter((r) => {
      const parsed = parseEventDoc(r.doc);
      return (
        parsed.ok &&
        isFact(parsed.doc) &&
        parsed.doc.type === 'PaymentGatewayReported' &&
        parsed.doc.data.eventId === succeeded.id
      );
    });
    expect(reports).toHaveLength(1);
  });

  it('cancels the order and gives its seats back when the card is declined', async () => {
    const api = await syncServer();
    const orderId = 'card-declined';
    const concertId = 'pay-declined';
    await orderAwaitingPayment(concertId, orderId);
    expect(await seatsLeft(concertId)).toEqual({ Regular: 8, VIP: 4 });
    const id = String((await askIntent(api, orderId)).body.paymentIntentId);
    stripe.setOutcome('decline');
    try {
      const confirmed = await call(api.url, 'POST', `/api/payments/intents/${id}/test-confirm`, api.token);
      expect(confirmed.status).toBe(402);
    } finally {
      stripe.setOutcome('approve');
    }
    const decisions = await orderUntil(
      orderId,
      'the order cancelled',
      (d) => count(d, 'OrderCancelled') === 1,
    );
    expect(decisions.find((d) => d.type === 'PaymentFailed')?.data).toMatchObject({
      reason: 'Your card was declined.',
    });
    expect(decisions.find((d) => d.type === 'OrderCancelled')?.data).toMatchObject({
      reason: 'payment_failed',
    });
    await waitFor('the seats released', async () => {
      const { accepted } = await readStream(store.couch, concertId);
      return accepted.some(
        (d) =>
          d.type === 'ReservationReleased' && d.data.reservationId === reservationIdFor(orderId, concertId),
      )
        ? true
        : undefined;
    });
    expect(await seatsLeft(concertId)).toEqual({ Regular: 10, VIP: 5 });
  });

  it('refunds by itself a card payment that succeeds after its order expired', async () => {
    // A minute a second: the order's 3-minute deadline passes in 3 s, before anyone pays.
    await syncServer({ CLOCK_RATE: '60', ORDER_TIMEOUT_MINUTES: '3' }).then(async (api) => {
      const orderId = 'card-late';
      const concertId = 'pay-late';
      const { total } = await orderAwaitingPayment(concertId, orderId);
      const id = String((await askIntent(api, orderId)).body.paymentIntentId);
      await orderUntil(orderId, 'the order timed out', (d) => count(d, 'OrderCancelled') === 1);
      // The customer's card goes through at the terminal after all.
      await stripe.confirm(id);
      const decisions = await orderUntil(
        orderId,
        'the late money refunded',
        (d) => count(d, 'PaymentRefunded') === 1,
      );
      expect(decisions.find((d) => d.type === 'PaymentSucceeded')?.data).toMatchObject({
        gatewayReference: id,
      });
      expect(decisions.find((d) => d.type === 'GatewayRefundRequested')?.data).toMatchObject({
        amount: total,
        gatewayReference: id,
      });
      expect(decisions.find((d) => d.type === 'PaymentRefunded')?.data).toMatchObject({
        amount: total,
        refundedInTotal: total,
      });
      const refunds = [...stripe.refunds.values()].filter((r) => r.payment_intent === id);
      expect(refunds).toHaveLength(1);
      expect(refunds[0]).toMatchObject({ amount: total, status: 'succeeded' });
      expect(count(decisions, 'OrderTicketsIssued')).toBe(0);
    });
  });
});

describe('a refund', () => {
  it('refunds one ticket of a card order at the gateway and credits it on the invoice, numbered in its own series', async () => {
    const api = await syncServer();
    const orderId = 'card-partial';
    const concertId = 'pay-partial';
    await orderAwaitingPayment(concertId, orderId);
    const { intentId, decisions } = await payByCard(api, orderId);
    const tickets = decisions.flatMap((d) => (d.type === 'OrderTicketsIssued' ? d.data.ticketIds : []));
    expect(tickets).toHaveLength(3);
    expect(await seatsLeft(concertId)).toEqual({ Regular: 8, VIP: 4 });
    const vip = tickets[2];
    if (!vip) throw new Error('no VIP ticket');
    const fact = refundFact(orderId, [vip], 'card');
    await createAll(orders(), [fact]);
    const after = await orderUntil(orderId, 'the credit note', (d) => count(d, 'CreditNoteIssued') === 1);
    expect(after.find((d) => d.type === 'TicketsRefundAccepted')?.data).toMatchObject({
      refundId: fact._id,
      amount: 30000,
      method: 'card',
      lines: [{ level: 'VIP', ticketIds: [vip], amount: 30000 }],
    });
    expect(after.find((d) => d.type === 'PaymentRefunded')?.data).toMatchObject({
      refundId: fact._id,
      amount: 30000,
      refundedInTotal: 30000,
    });
    const note = after.find((d) => d.type === 'CreditNoteIssued');
    expect(note?.data).toMatchObject({
      invoiceId: invoiceIdFor(orderId),
      refundId: fact._id,
      totals: [{ currency: 'PLN', gross: 30000, tax: 2222, net: 27778 }],
    });
    const refunds = [...stripe.refunds.values()].filter((r) => r.payment_intent === intentId);
    expect(refunds.map((r) => r.amount)).toEqual([30000]);
    const year = new Date(note?.type === 'CreditNoteIssued' ? note.data.issuedAt : '').getUTCFullYear();
    const numbered = await waitFor('the credit note numbered', async () =>
      (await readDecisions(numberingStream('KOR', year))).find(
        (d) => d.type === 'InvoiceNumberAssigned' && d.data.documentId === `${fact._id}:credit-note`,
      ),
    );
    expect(numbered.type === 'InvoiceNumberAssigned' && numbered.data.number).toMatch(/^KOR\/\d{4}\/\d{6}$/);
    // The concert voids the refunded ticket (a scanner refuses it) and its seat is on sale again; the others stand.
    const voided = await voidedBy(concertId, fact._id);
    expect(voided).toMatchObject({
      type: 'TicketsVoided',
      _id: expect.stringMatching(/^concert-pay-partial:\d{10}$/) as string,
      data: { orderId, concertId, tickets: [{ ticketId: vip, level: 'VIP' }], alreadyVoided: [] },
      meta: { causationId: `request:${fact._id}:${concertId}:void` },
    });
    expect(await ticketStatuses(concertId, tickets)).toEqual(['valid', 'valid', 'voided']);
    expect(await seatsLeft(concertId)).toEqual({ Regular: 8, VIP: 5 });

    // The same ticket again, and a ticket of no order of this one's, are refused with the reason.
    await createAll(orders(), [
      refundFact(orderId, [vip], 'card'),
      refundFact(orderId, ['not-a-ticket'], 'cash'),
    ]);
    const refused = await orderUntil(orderId, 'two refusals', (d) => count(d, 'OrderStepRefused') === 2);
    const messages = refused.flatMap((d) => (d.type === 'OrderStepRefused' ? [d.data] : []));
    expect(messages.map((m) => m.step)).toEqual(['RefundTickets', 'RefundTickets']);
    // The two facts were written in one request: the authority may decide them in either order.
    const texts = messages.map((m) => m.message);
    expect(texts.filter((text) => text.includes('refunded already'))).toHaveLength(1);
    expect(texts.filter((text) => text.includes('not one of this order'))).toHaveLength(1);
    expect(stripe.refunds.size).toBeGreaterThan(0);
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === intentId)).toHaveLength(1);
  });

  it('refunds tickets of a cash order in cash at once, with a credit note', async () => {
    await syncServer();
    const orderId = 'cash-partial';
    const concertId = 'pay-cash-partial';
    const { total } = await orderAwaitingPayment(concertId, orderId);
    await createAll(orders(), [cashPaymentFact('desk-1', orderId, total)]);
    const paid = await orderUntil(
      orderId,
      'the order invoiced',
      (d) => count(d, 'InvoicePaymentRecorded') === 1,
    );
    const tickets = paid.flatMap((d) => (d.type === 'OrderTicketsIssued' ? d.data.ticketIds : []));
    // Card is refused for a cash order; cash goes through.
    const byCard = refundFact(orderId, tickets.slice(0, 2), 'card');
    await createAll(orders(), [byCard]);
    await orderUntil(orderId, 'the card refund refused', (d) => count(d, 'OrderStepRefused') === 1);
    const inCash = refundFact(orderId, tickets.slice(0, 2), 'cash');
    await createAll(orders(), [inCash]);
    const after = await orderUntil(orderId, 'the credit note', (d) => count(d, 'CreditNoteIssued') === 1);
    expect(after.find((d) => d.type === 'PaymentRefunded')?.data).toMatchObject({ amount: 30000 });
    expect(after.find((d) => d.type === 'CreditNoteIssued')?.data).toMatchObject({
      totals: [{ currency: 'PLN', gross: 30000 }],
    });
    // Both Regular tickets are voided at the concert, their seats back on sale; the refused refund voided nothing.
    expect(await voidedBy(concertId, inCash._id)).toMatchObject({
      type: 'TicketsVoided',
      data: {
        orderId,
        tickets: tickets.slice(0, 2).map((ticketId) => ({ ticketId, level: 'Regular' })),
      },
    });
    expect(await ticketStatuses(concertId, tickets)).toEqual(['voided', 'voided', 'valid']);
    expect(await seatsLeft(concertId)).toEqual({ Regular: 10, VIP: 4 });
    const concertDb = store.couch.server.use<Doc>(concertDatabase(concertId));
    expect(await getDoc(concertDb, `request:${byCard._id}:${concertId}:void`)).toBeUndefined();
  });
});

describe('invoice numbers', () => {
  it('stay gapless and unique with two sync server instances and concurrent card and cash orders', async () => {
    const a = await syncServer({ AUTHORITY_ID: 'pay-a' });
    const b = await syncServer({ AUTHORITY_ID: 'pay-b' }, false);
    const ids = Array.from({ length: 6 }, (_, i) => `gapless-${i}`);
    await setUpConcert(store.couch, 'pay-gapless', [{ name: 'Regular', capacity: 50, price: 10000 }]);
    const line: CartLine = {
      concertId: 'pay-gapless',
      level: 'Regular',
      quantity: 1,
      unitPrice: 10000,
      currency: 'PLN',
    };
    await createAll(
      orders(),
      ids.map((id) => cartConfirmedFact('desk-1', id, [line])),
    );
    await Promise.all(
      ids.map((id) => orderUntil(id, 'the seats held', (d) => count(d, 'OrderSeatsHeld') === 1)),
    );
    // Half by card through one instance's API, half in cash, all at once; the active authority dies midway.
    const paying = ids.map(async (id, i) => {
      if (i % 2 === 0) {
        const api = i % 4 === 0 ? a : b;
        const intent = await askIntent(api, id);
        await call(
          api.url,
          'POST',
          `/api/payments/intents/${String(intent.body.paymentIntentId)}/test-confirm`,
          api.token,
        );
      } else await createAll(orders(), [cashPaymentFact('desk-1', id, 10000)]);
    });
    await Promise.all(paying);
    await orderUntil(ids[0] ?? '', 'the first invoiced', (d) => count(d, 'InvoicePaymentRecorded') === 1);
    await stopProcess(a.server, 'SIGKILL');
    await stripe.setWebhookUrl(`${b.url}/api/stripe/webhook`);
    for (const id of ids)
      await orderUntil(id, `${id} invoiced`, (d) => count(d, 'InvoicePaymentRecorded') === 1);
    const year = new Date().getUTCFullYear();
    const numbers = await waitFor('every invoice numbered', async () => {
      const numbered = (await readDecisions(numberingStream('FV', year))).flatMap((d) =>
        d.type === 'InvoiceNumberAssigned' ? [d.data] : [],
      );
      return ids.every((id) => numbered.some((n) => n.documentId === invoiceIdFor(id)))
        ? numbered
        : undefined;
    });
    // Every invoice of this spec file's store, numbered once each, 1…n without a gap.
    expect(numbers.map((n) => n.sequence)).toEqual(numbers.map((_, i) => i + 1));
    expect(new Set(numbers.map((n) => n.documentId)).size).toBe(numbers.length);
    expect(new Set(numbers.map((n) => n.number)).size).toBe(numbers.length);
  });
});
