// The order as a process, property by property. A small pure world runs the real deciders: a cart is confirmed, the
// order is placed, and every command its policy asks for is carried out, through routing.ts, by the reservation,
// payment, ticket, delivery, invoice and notification deciders, whose outcomes travel back to the order. fast-check picks the
// order in which commands and outcomes arrive, copies of both, card outcomes from the gateway, the clock, expiry
// sweeps, timeouts and cancels. Whatever it picks, the order ends paid and delivered or cancelled and made good.
// Every event any decider writes on the way passes its schema, as the authority would check it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { z } from 'zod';
import { decideCart, evolveCart, initialCartState } from '../cart/cart';
import type { CartCommand } from '../cart/cart';
import type { CartEvent, CartLine } from '../cart/events';
import { decidePayment, evolvePayment, initialPaymentState, moneyHeld } from '../payment/payment';
import type { PaymentCommand, PaymentState } from '../payment/payment';
import {
  decideReservation,
  evolveReservation,
  initialReservationState,
  reserveOrRefuse,
  seatsTaken,
} from '../reservation/reservation';
import type { ReservationCommand, ReservationState } from '../reservation/reservation';
import type { ReservationDecision } from '../reservation/events';
import { DomainError, fold } from '../shared/decider';
import { decideOrder, evolveOrder, initialOrderState } from './order';
import type { OrderCommand, OrderState, PlacedOrder } from './order';
import { orderEventSchemas } from './events';
import type { OrderDecision } from './events';
import { paymentEventSchemas } from '../payment/events';
import { reservationEventSchemas } from '../reservation/events';
import { react } from './policy';
import type { OrderPolicyCommand } from './policy';
import {
  deliveryCommandFor,
  invoiceCommandsFor,
  issueTicketsFor,
  notificationCommandFor,
  orderCommandForInvoice,
  orderCommandForNotification,
  orderCommandForPayment,
  orderCommandForReservation,
  orderCommandForTickets,
  placeOrderFromCart,
  refundFor,
  reservationCommandFor,
  reserveSeatsFor,
} from './routing';
import { decideDelivery, evolveDelivery, initialDeliveryState } from '../delivery/delivery';
import type { DeliveryState } from '../delivery/delivery';
import { deliveryEventSchemas } from '../delivery/events';
import { financeEventSchemas } from '../finance/events';
import { decideInvoice, evolveInvoice, initialInvoiceState } from '../finance/invoice';
import type { InvoiceState } from '../finance/invoice';
import { notificationsEventSchemas } from '../notifications/events';
import {
  decideNotification,
  evolveNotification,
  initialNotificationState,
} from '../notifications/notifications';
import type { NotificationCommand, NotificationState } from '../notifications/notifications';
import { ticketEventSchemas } from '../ticket/events';
import { decideTicket, evolveTicket, initialTicketBook } from '../ticket/ticket';
import type { TicketBook } from '../ticket/ticket';

const concerts = ['torwar-2026', 'spodek-2026'] as const;
const levels = ['Regular', 'VIP'] as const;
const staff = { userId: 'anna', role: 'desk' as const };
const start = Date.parse('2026-11-21T18:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const paymentArb = fc.record({
  method: fc.constantFrom('cash', 'card'),
  /** What the gateway says in the end about a card payment nobody has settled yet. */
  finally: fc.constantFrom('capture', 'fail'),
});
type Weights = Record<
  'fast' | 'again' | 'gateway' | 'clock' | 'sweep' | 'timeout' | 'cancel' | 'holdCancel',
  number
>;
const stepsArb = (w: Weights) =>
  fc.oneof(
    { weight: w.fast, arbitrary: fc.record({ kind: fc.constant('command' as const), pick: fc.nat() }) },
    { weight: w.fast, arbitrary: fc.record({ kind: fc.constant('outcome' as const), pick: fc.nat() }) },
    {
      weight: w.again,
      arbitrary: fc.record({ kind: fc.constant('command again' as const), pick: fc.nat() }),
    },
    {
      weight: w.again,
      arbitrary: fc.record({ kind: fc.constant('outcome again' as const), pick: fc.nat() }),
    },
    {
      weight: w.gateway,
      arbitrary: fc.record({
        kind: fc.constant('gateway' as const),
        pick: fc.nat(),
        outcome: fc.constantFrom('capture' as const, 'fail' as const),
      }),
    },
    {
      weight: w.clock,
      arbitrary: fc.record({ kind: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 20 }) }),
    },
    { weight: w.sweep, arbitrary: fc.record({ kind: fc.constant('sweep' as const) }) },
    { weight: w.timeout, arbitrary: fc.record({ kind: fc.constant('timeout' as const) }) },
    { weight: w.cancel, arbitrary: fc.record({ kind: fc.constant('cancel' as const) }) },
    {
      weight: w.holdCancel,
      arbitrary: fc.record({ kind: fc.constant('staff cancels a hold' as const), pick: fc.nat() }),
    },
  );
/** A calm desk, and a stormy one: a slow network, a clock that runs, sweeps and holds cancelled under the order. */
const calm = { fast: 8, again: 2, gateway: 3, clock: 3, sweep: 2, timeout: 1, cancel: 1, holdCancel: 1 };
const stormy = { fast: 3, again: 2, gateway: 3, clock: 4, sweep: 4, timeout: 2, cancel: 1, holdCancel: 2 };
const scenarioArb = fc.record({
  lines: fc.uniqueArray(
    fc.record({
      concert: fc.integer({ min: 0, max: 1 }),
      level: fc.integer({ min: 0, max: 1 }),
      quantity: fc.integer({ min: 1, max: 3 }),
      unitPrice: fc.constantFrom(0, 9_900, 15_000),
    }),
    { minLength: 1, maxLength: 4, selector: (l) => `${l.concert}/${l.level}` },
  ),
  /** The second concert's currency: one payment or two. */
  currency: fc.constantFrom('PLN', 'EUR'),
  /** Seats left per concert and level when the order is placed: now and then fewer than asked. */
  left: fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constant(10) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) },
    ),
    { minLength: 4, maxLength: 4 },
  ),
  payments: fc.record({ PLN: paymentArb, EUR: paymentArb }),
  holdMinutes: fc.integer({ min: 1, max: 20 }),
  timeoutMinutes: fc.integer({ min: 1, max: 20 }),
  steps: fc.oneof(fc.array(stepsArb(calm), { maxLength: 80 }), fc.array(stepsArb(stormy), { maxLength: 80 })),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;
type Step = Scenario['steps'][number];

/** Two concerts, two currencies, seats enough, cash: the order reaches paid, and then the storm begins. */
const racingArb = fc
  .record({
    scenario: scenarioArb,
    steps: fc.array(stepsArb(stormy), { maxLength: 40 }),
    quantities: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  })
  .map(({ scenario, steps, quantities }): Scenario => ({
    ...scenario,
    lines: [
      { concert: 0, level: 0, quantity: quantities[0], unitPrice: 15_000 },
      { concert: 1, level: 1, quantity: quantities[1], unitPrice: 9_900 },
    ],
    currency: 'EUR',
    left: [10, 10, 10, 10],
    payments: { PLN: { method: 'cash', finally: 'capture' }, EUR: { method: 'cash', finally: 'capture' } },
    steps,
  }));

const lateArrivals: OrderDecision['type'][] = [
  'OrderSeatsHeld',
  'OrderSeatsConfirmed',
  'OrderPaymentCaptured',
];

/** Everything outside the order: the other deciders' streams, the desk, the gateway, tickets, finance, mail. */
class World {
  now = start;
  order: OrderState = initialOrderState();
  reservations = new Map<string, ReservationState>();
  payments = new Map<string, PaymentState>();
  /** Commands the policy asked for, not carried out yet. */
  outbox: OrderPolicyCommand[] = [];
  carriedOut: OrderPolicyCommand[] = [];
  /** Outcomes on their way to the order. */
  inbox: OrderCommand[] = [];
  delivered: OrderCommand[] = [];
  asked: OrderPolicyCommand[] = [];
  recorded: OrderDecision[] = [];
  /** The tickets issued per concert, each concert's ticket book, and each ticket's delivery. */
  tickets = new Map<string, string[]>();
  books = new Map<string, TicketBook>();
  deliveries = new Map<string, DeliveryState>();
  /** The order's invoice, and the orders invoiced. */
  invoice: InvoiceState = initialInvoiceState();
  invoices: string[] = [];
  /** The order's payment confirmation, and the notifications requested. */
  notification: NotificationState = initialNotificationState();
  notifications: string[] = [];
  /** Seats left per concert and level, as the authority counts them. */
  left: Record<string, Record<string, number>>;
  /** Once completed or cancelled, the order must stay so. */
  ended: 'completed' | 'cancelled' | null = null;

  constructor(readonly scenario: Scenario) {
    this.left = Object.fromEntries(
      concerts.map((c, i) => [
        c,
        Object.fromEntries(levels.map((l, j) => [l, scenario.left[i * 2 + j] ?? 0])),
      ]),
    );
  }

  get placed(): PlacedOrder {
    if (this.order.status === 'none') throw new Error('The order was never placed.');
    return this.order;
  }

  toOrder(command: OrderCommand): void {
    this.delivered.push(command);
    const events = attempt(() => decideOrder(command, this.order));
    check(events.length <= 1, `${command.type} was decided into ${events.length} events.`);
    for (const event of events) {
      // Nothing changes an ended order: a completed one records nothing more, a cancelled one only what arrives late.
      check(this.ended !== 'completed', `A completed order recorded ${event.type}.`);
      check(
        this.ended !== 'cancelled' || lateArrivals.includes(event.type),
        `A cancelled order recorded ${event.type}.`,
      );
      valid(orderEventSchemas[event.type], event);
      this.order = evolveOrder(this.order, event);
      this.recorded.push(event);
      const asked = react(this.order, event);
      this.asked.push(...asked);
      this.outbox.push(...asked);
    }
    const status = this.order.status;
    check(!this.ended || status === this.ended, `An order ${this.ended ?? ''} became ${status}.`);
    if (status === 'completed' || status === 'cancelled') this.ended = status;
  }

  carryOut(command: OrderPolicyCommand): void {
    this.carriedOut.push(command);
    const { orderId } = command.data;
    switch (command.type) {
      case 'ReserveSeats': {
        const { reservationId, concertId } = command.data;
        const concert = {
          now: iso(this.now),
          onSale: true,
          available: { ...this.left[concertId] },
          holdMinutes: this.scenario.holdMinutes,
        };
        this.reserve(reservationId, (state) => reserveOrRefuse(reserveSeatsFor(command, concert), state));
        return;
      }
      case 'ConfirmReservation':
      case 'ReleaseReservation':
        return this.toReservation(reservationCommandFor(command));
      case 'RequestPayment': {
        // The desk takes the money the order asks for: cash is in the drawer at once, a card waits for the gateway.
        const { paymentId, amount, currency } = command.data;
        const how = this.scenario.payments[currency as 'PLN' | 'EUR'];
        const method =
          how.method === 'cash'
            ? { kind: 'cash' as const, tendered: amount + 1_000 }
            : { kind: 'card' as const, gatewayReference: `pi_${paymentId}` };
        this.toPayment({ type: 'InitiatePayment', data: { paymentId, orderId, amount, currency, method } });
        if (how.method === 'cash') this.toPayment({ type: 'CapturePayment', data: { paymentId } });
        return;
      }
      case 'RefundPayment':
        return this.toPayment(refundFor(command));
      case 'IssueTickets': {
        // Never tickets without money: at the moment they are issued, every payment is captured and kept.
        for (const due of this.placed.payments)
          check(
            moneyHeld(this.payment(due.paymentId)) === due.amount,
            'Tickets were issued before the money was kept.',
          );
        const { concertId, lines } = command.data;
        const seats = lines.reduce((sum, l) => sum + l.quantity, 0);
        const ticketIds = Array.from({ length: seats }, (_, i) => `${concertId}:ticket-${i + 1}`);
        const concert = { concertId, levels: [...levels], cancelled: false };
        const issue = issueTicketsFor(command, {
          customerId: 'walk-in',
          issuedAt: iso(this.now),
          ticketIds,
          concert,
        });
        const book = this.books.get(concertId) ?? initialTicketBook();
        const events = attempt(() => decideTicket(issue, book));
        for (const event of events) {
          valid(ticketEventSchemas[event.type], event);
          evolveTicket(book, event);
        }
        this.books.set(concertId, book);
        if (events.length > 0)
          this.tickets.set(concertId, [...(this.tickets.get(concertId) ?? []), ...ticketIds]);
        const told = orderCommandForTickets(events);
        if (told) this.inbox.push(told);
        return;
      }
      case 'ChooseDeliveryMethod': {
        const { ticketId } = command.data;
        let state = this.deliveries.get(ticketId) ?? initialDeliveryState();
        for (const event of attempt(() =>
          decideDelivery(deliveryCommandFor(command, iso(this.now)), state),
        )) {
          valid(deliveryEventSchemas[event.type], event);
          state = evolveDelivery(state, event);
        }
        this.deliveries.set(ticketId, state);
        return;
      }
      case 'CreateInvoice': {
        // The books: prices include 8 % VAT; each payment as the payment context recorded it.
        const paid = Object.fromEntries(
          command.data.payments.map(({ paymentId }) => {
            const payment = this.payment(paymentId);
            check(payment.status === 'succeeded', 'An order was invoiced before its money was kept.');
            const reference =
              payment.status !== 'none' && payment.method.kind === 'card'
                ? payment.method.gatewayReference
                : null;
            const method = payment.status !== 'none' ? payment.method.kind : 'cash';
            return [paymentId, { method, reference, paidAt: iso(this.now) }];
          }),
        );
        const books = {
          customerId: 'walk-in',
          buyer: { name: 'Walk-in customer', taxId: null },
          issuedAt: iso(this.now),
          priceBasis: 'gross' as const,
          taxRateBp: () => 800,
          payments: paid,
        };
        for (const invoiceCommand of invoiceCommandsFor(command, books))
          for (const event of attempt(() => decideInvoice(invoiceCommand, this.invoice))) {
            valid(financeEventSchemas[event.type], event);
            this.invoice = evolveInvoice(this.invoice, event);
            if (event.type === 'InvoiceCreated') this.invoices.push(event.data.orderId);
            const told = orderCommandForInvoice(event);
            if (told) this.inbox.push(told);
          }
        return;
      }
      case 'RequestNotification': {
        // The mailer sends at once: the confirmation is requested, then sent on its first attempt.
        const request = notificationCommandFor(command, { locale: 'pl', at: iso(this.now) });
        check(request !== null, 'An order delivered by email had no one to confirm it to.');
        const { notificationId } = command.data;
        const sent: NotificationCommand = {
          type: 'RecordNotificationSent',
          data: {
            notificationId,
            attempt: 1,
            providerMessageId: `<${notificationId}@mail>`,
            at: iso(this.now),
          },
        };
        for (const notificationCommand of [request!, sent])
          for (const event of attempt(() => decideNotification(notificationCommand, this.notification))) {
            valid(notificationsEventSchemas[event.type], event);
            this.notification = evolveNotification(this.notification, event);
            if (event.type === 'NotificationRequested') this.notifications.push(event.data.notificationId);
            const told = orderCommandForNotification(event, this.notification);
            if (told) this.inbox.push(told);
          }
        return;
      }
    }
  }

  reservation(id: string): ReservationState {
    return this.reservations.get(id) ?? initialReservationState();
  }

  payment(id: string): PaymentState {
    return this.payments.get(id) ?? initialPaymentState();
  }

  toReservation(command: ReservationCommand): void {
    this.reserve(command.data.reservationId, (state) => decideReservation(command, state));
  }

  reserve(id: string, decide: (state: ReservationState) => ReservationDecision[]): void {
    let state = this.reservation(id);
    for (const event of attempt(() => decide(state))) {
      valid(reservationEventSchemas[event.type], event);
      const concert = this.left[event.data.concertId]!;
      for (const line of seatsTaken(state)) concert[line.level]! += line.quantity;
      state = evolveReservation(state, event);
      for (const line of seatsTaken(state)) concert[line.level]! -= line.quantity;
      const told = orderCommandForReservation(event);
      if (told) this.inbox.push(told);
    }
    this.reservations.set(id, state);
    // Never beyond capacity: no level has fewer than zero seats left.
    for (const concert of Object.values(this.left))
      for (const seats of Object.values(concert)) check(seats >= 0, 'A level was held beyond its seats.');
  }

  toPayment(command: PaymentCommand): void {
    let state = this.payment(command.data.paymentId);
    for (const event of attempt(() => decidePayment(command, state))) {
      valid(paymentEventSchemas[event.type], event);
      state = evolvePayment(state, event);
      const told = orderCommandForPayment(event);
      if (told) this.inbox.push(told);
    }
    this.payments.set(command.data.paymentId, state);
    if (state.status === 'succeeded' || state.status === 'refunded')
      check(state.refunded <= state.captured, 'More was refunded than captured.');
  }

  /** The gateway answers about one of the card payments (any: a second answer, a late one). */
  gateway(pick: number, outcome: 'capture' | 'fail'): void {
    const cards = this.cardPayments();
    const paymentId = cards[pick % Math.max(cards.length, 1)];
    if (paymentId) this.answer(paymentId, outcome);
  }

  cardPayments(status?: PaymentState['status']): string[] {
    return [...this.payments]
      .filter(([, p]) => p.status !== 'none' && p.method.kind === 'card' && (!status || p.status === status))
      .map(([id]) => id);
  }

  answer(paymentId: string, outcome: 'capture' | 'fail'): void {
    this.toPayment(
      outcome === 'capture'
        ? { type: 'CapturePayment', data: { paymentId, gatewayReference: `pi_${paymentId}` } }
        : { type: 'FailPayment', data: { paymentId, reason: 'Card declined.' } },
    );
  }

  sweep(): void {
    for (const reservationId of this.reservations.keys())
      this.toReservation({ type: 'ExpireReservation', data: { reservationId, now: iso(this.now) } });
  }

  step(step: Step): void {
    const { orderId } = this.placed;
    switch (step.kind) {
      case 'command': {
        const [command] = this.outbox.splice(step.pick % Math.max(this.outbox.length, 1), 1);
        if (command) this.carryOut(command);
        return;
      }
      case 'outcome': {
        const [outcome] = this.inbox.splice(step.pick % Math.max(this.inbox.length, 1), 1);
        if (outcome) this.toOrder(outcome);
        return;
      }
      case 'command again': {
        const command = this.carriedOut[step.pick % Math.max(this.carriedOut.length, 1)];
        if (command) this.carryOut(command);
        return;
      }
      case 'outcome again': {
        const outcome = this.delivered[step.pick % Math.max(this.delivered.length, 1)];
        if (outcome) this.toOrder(outcome);
        return;
      }
      case 'gateway':
        return this.gateway(step.pick, step.outcome);
      case 'tick':
        this.now += step.minutes * 60_000;
        return;
      case 'sweep':
        return this.sweep();
      case 'timeout':
        return this.toOrder({ type: 'TimeOutOrder', data: { orderId, now: iso(this.now) } });
      case 'cancel':
        return this.toOrder({
          type: 'CancelOrder',
          data: { orderId, requestedBy: 'anna', reason: 'Changed mind.' },
        });
      case 'staff cancels a hold': {
        const ids = [...this.reservations.keys()];
        const reservationId = ids[step.pick % Math.max(ids.length, 1)];
        if (reservationId)
          this.toReservation({
            type: 'CancelReservation',
            data: { reservationId, staff, reason: 'Asked to.' },
          });
        return;
      }
    }
  }

  /** Once it has ended, everything late arrives again, and the clock runs out: nothing may change any more. */
  aftermath(): void {
    const { orderId } = this.placed;
    const { status } = this.placed;
    this.now += 24 * 60 * 60_000;
    this.toOrder({ type: 'TimeOutOrder', data: { orderId, now: iso(this.now) } });
    this.toOrder({ type: 'CancelOrder', data: { orderId, requestedBy: 'anna', reason: 'Too late.' } });
    this.sweep();
    for (const outcome of [...this.delivered]) this.toOrder(outcome);
    for (const command of [...this.carriedOut]) this.carryOut(command);
    this.settle();
    expect(this.placed.status).toBe(status);
  }

  /** Everything arrives in order, until the order is paid. */
  untilPaid(): void {
    while (this.placed.status !== 'paid') {
      const command = this.outbox.shift();
      if (command) this.carryOut(command);
      else this.toOrder(this.inbox.shift()!);
    }
  }

  /** Everything in flight arrives, the gateway answers, and the authority's sweeps run, until nothing moves. */
  settle(): void {
    for (let round = 0; round < 20; round++) {
      while (this.outbox.length > 0 || this.inbox.length > 0) {
        const command = this.outbox.shift();
        if (command) this.carryOut(command);
        else this.toOrder(this.inbox.shift()!);
      }
      const waiting = this.cardPayments('initiated');
      for (const paymentId of waiting) {
        const { currency } = this.payment(paymentId) as Exclude<PaymentState, { status: 'none' }>;
        this.answer(paymentId, this.scenario.payments[currency as 'PLN' | 'EUR'].finally);
      }
      if (waiting.length > 0 || this.inbox.length > 0 || this.outbox.length > 0) continue;
      if (this.ended) return;
      this.now += 24 * 60 * 60_000;
      this.sweep();
      this.toOrder({ type: 'TimeOutOrder', data: { orderId: this.placed.orderId, now: iso(this.now) } });
    }
    throw new Error(`The order never settled: ${this.order.status}.`);
  }
}

/** An invariant checked at every step; cheaper than expect in the inner loop of thousands of runs. */
function check(holds: boolean, broken: string): void {
  if (!holds) throw new Error(broken);
}

/** Every event a decider writes passes its schema, as the authority checks it at the edge. */
function valid(schema: z.ZodType, event: { type: string; data: unknown }): void {
  const parsed = schema.safeParse(event.data);
  check(parsed.success, `${event.type} fails its schema: ${parsed.error?.message ?? ''}`);
}

/** The decision, or nothing when the decider refuses (a refusal changes nothing). */
function attempt<T>(decide: () => T[]): T[] {
  try {
    return decide();
  } catch (error) {
    if (error instanceof DomainError) return [];
    throw error;
  }
}

/** The desk's sale: a real cart, confirmed into a real order. */
function placeOrder(scenario: Scenario): World {
  const cartId = 'cart-1';
  const lines: CartLine[] = scenario.lines.map((l) => ({
    concertId: concerts[l.concert]!,
    level: levels[l.level]!,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    currency: l.concert === 0 ? 'PLN' : scenario.currency,
  }));
  const commands: CartCommand[] = [
    { type: 'OpenCart', data: { cartId, deskSessionId: 'desk-4', staff, openedAt: iso(start) } },
    ...lines.map((line, i): CartCommand => ({
      type: 'AddCartItem',
      data: { cartId, addId: `add-${i}`, ...line, available: 100 },
    })),
    { type: 'ChooseDelivery', data: { cartId, delivery: { kind: 'email', email: 'fan@example.pl' } } },
    { type: 'ConfirmCart', data: { cartId, orderId: 'order-1', confirmedAt: iso(start) } },
  ];
  const cartEvents: CartEvent[] = [];
  let cart = initialCartState();
  for (const command of commands) {
    const events = decideCart(command, cart);
    cart = fold(evolveCart, cart, events);
    cartEvents.push(...events);
  }
  const confirmed = cartEvents.find((e) => e.type === 'CartConfirmed');
  if (confirmed?.type !== 'CartConfirmed') throw new Error('The cart was not confirmed.');

  const world = new World(scenario);
  const initial = structuredClone(world.left);
  world.toOrder(
    placeOrderFromCart(confirmed.data, { now: iso(start), timeoutMinutes: scenario.timeoutMinutes }),
  );
  expect(world.left).toEqual(initial);
  return world;
}

function run(scenario: Scenario): { world: World; initialLeft: World['left'] } {
  const world = placeOrder(scenario);
  const initialLeft = structuredClone(world.left);
  for (const step of scenario.steps) world.step(step);
  world.settle();
  world.aftermath();
  return { world, initialLeft };
}

const seatsOf = (lines: { quantity: number }[]) => lines.reduce((sum, l) => sum + l.quantity, 0);

/** Paid with exactly its tickets issued and invoiced, or cancelled with every seat released and every amount refunded. */
function expectEndedWell({ world, initialLeft }: { world: World; initialLeft: World['left'] }): void {
  const order = world.placed;
  expect(['completed', 'cancelled']).toContain(order.status);
  if (order.status === 'completed') {
    // Paid: every payment the order asked for is captured and kept, and there is no other.
    expect(world.payments.size).toBe(order.payments.length);
    for (const due of order.payments)
      expect(world.payment(due.paymentId)).toMatchObject({
        status: 'succeeded',
        captured: due.amount,
        refunded: 0,
      });
    // Exactly its tickets: one per seat of each concert, its seats kept, one invoice, one confirmation.
    expect(world.tickets.size).toBe(order.reservations.length);
    for (const r of order.reservations) {
      expect(world.tickets.get(r.concertId)).toHaveLength(seatsOf(r.lines));
      expect(world.reservation(r.reservationId).status).toBe('confirmed');
      for (const line of r.lines)
        expect(world.left[r.concertId]![line.level]).toBe(
          initialLeft[r.concertId]![line.level]! - line.quantity,
        );
    }
    // Each ticket goes by the method chosen at the desk; the invoice is paid in full; the customer was told once.
    const ticketIds = [...world.tickets.values()].flat();
    expect([...world.deliveries.keys()].sort()).toEqual([...ticketIds].sort());
    for (const delivery of world.deliveries.values())
      expect(delivery).toMatchObject({
        status: 'awaiting',
        method: { kind: 'email', email: 'fan@example.pl' },
      });
    expect(world.invoices).toEqual([order.orderId]);
    expect(world.invoice).toMatchObject({ status: 'paid', orderId: order.orderId });
    expect(world.notifications).toHaveLength(1);
    expect(world.notification).toMatchObject({ status: 'sent', kind: 'payment_confirmation' });
  } else {
    // Cancelled: no ticket, no invoice, no confirmation; every seat back, every captured amount refunded.
    expect(world.tickets.size).toBe(0);
    expect(world.deliveries.size).toBe(0);
    expect(world.invoices).toEqual([]);
    expect(world.notifications).toEqual([]);
    for (const reservation of world.reservations.values()) expect(seatsTaken(reservation)).toEqual([]);
    expect(world.left).toEqual(initialLeft);
    for (const payment of world.payments.values()) expect(moneyHeld(payment)).toBe(0);
  }
}
const runs = { numRuns: 300 };

describe('the order process, property by property', () => {
  it('ends paid with exactly its tickets issued and invoiced, or cancelled with seats released and money refunded', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => expectEndedWell(run(scenario))),
      runs,
    );
  });

  it('ends as well when seats lapse or are cancelled while a paid order is keeping them', () => {
    fc.assert(
      fc.property(racingArb, (scenario) => {
        const world = placeOrder(scenario);
        const initialLeft = structuredClone(world.left);
        world.untilPaid();
        expect(world.placed.status).toBe('paid');
        for (const step of scenario.steps) world.step(step);
        world.settle();
        world.aftermath();
        expectEndedWell({ world, initialLeft });
      }),
      runs,
    );
  });

  it('asks for each step forward once, whatever arrives twice', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { world } = run(scenario);
        const forward = world.asked
          .filter((c) => c.type !== 'ReleaseReservation' && c.type !== 'RefundPayment')
          .map((c) => `${c.type} ${JSON.stringify(c.data)}`);
        expect(new Set(forward).size).toBe(forward.length);
        const refunds = world.asked.filter((c) => c.type === 'RefundPayment').map((c) => c.data.refundId);
        expect(new Set(refunds).size).toBe(refunds.length);
      }),
      runs,
    );
  });

  it('never refunds more than was captured, and refunds only a cancelled order', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { world } = run(scenario);
        for (const payment of world.payments.values()) {
          if (payment.status !== 'succeeded' && payment.status !== 'refunded') continue;
          expect(payment.refunded).toBeLessThanOrEqual(payment.captured);
          if (payment.refunded > 0) expect(world.placed.status).toBe('cancelled');
        }
      }),
      runs,
    );
  });

  it('reaches both ends: some runs complete and some cancel', () => {
    const ends = new Set<string>();
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        ends.add(run(scenario).world.placed.status);
      }),
      runs,
    );
    expect([...ends].sort()).toEqual(['cancelled', 'completed']);
  });
});
