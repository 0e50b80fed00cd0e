// How the order meets the other contexts: each mapping, one by one.
import { describe, expect, it } from 'vitest';
import type { CartEventData } from '../cart/events';
import type { PaymentDecision } from '../payment/events';
import type { ReservationDecision } from '../reservation/events';
import { decideInvoice, evolveInvoice, initialInvoiceState } from '../finance/invoice';
import type { InvoiceEvent } from '../finance/events';
import {
  decideNotification,
  evolveNotification,
  initialNotificationState,
} from '../notifications/notifications';
import type { NotificationsEvent } from '../notifications/events';
import { decideTicket, initialTicketBook } from '../ticket/ticket';
import type { TicketEvent } from '../ticket/events';
import { fold } from '../shared/decider';
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
import {
  anna,
  confirmationId,
  invoiceId,
  lines,
  orderId,
  payments,
  printed,
  seats,
  torwar,
} from './order.fixtures';

const ids = { reservationId: seats.torwar, orderId, concertId: torwar };

describe('a confirmed cart', () => {
  it("becomes PlaceOrder on the authority's clock, not the desk's", () => {
    const confirmed: CartEventData<'CartConfirmed'> = {
      cartId: 'cart-1',
      orderId,
      deskSessionId: 'desk-4',
      staff: anna,
      lines,
      totals: [],
      delivery: printed,
      confirmedAt: '2026-11-21T17:59:00.000Z',
    };
    expect(placeOrderFromCart(confirmed, { now: '2026-11-21T18:00:00.000Z', timeoutMinutes: 20 })).toEqual({
      type: 'PlaceOrder',
      data: {
        orderId,
        cartId: 'cart-1',
        deskSessionId: 'desk-4',
        placedBy: anna,
        lines,
        delivery: printed,
        placedAt: '2026-11-21T18:00:00.000Z',
        timeoutMinutes: 20,
      },
    });
  });
});

describe('reservation decisions the order hears of', () => {
  const cases: [ReservationDecision, unknown][] = [
    [
      {
        type: 'ReservationPlaced',
        data: { ...ids, lines: [], heldBy: 'anna', placedAt: 'a', expiresAt: '2026-11-21T18:15:00.000Z' },
      },
      {
        type: 'RecordSeatsHeld',
        data: { orderId, reservationId: seats.torwar, expiresAt: '2026-11-21T18:15:00.000Z' },
      },
    ],
    [
      {
        type: 'ReservationRefused',
        data: { ...ids, lines: [], code: 'not_enough_seats', message: 'Sold out.' },
      },
      {
        type: 'RecordReservationRefused',
        data: { orderId, reservationId: seats.torwar, message: 'Sold out.' },
      },
    ],
    [
      { type: 'ReservationConfirmed', data: ids },
      { type: 'RecordSeatsConfirmed', data: { orderId, reservationId: seats.torwar } },
    ],
    [
      { type: 'ReservationExpired', data: { ...ids, expiredAt: 'x' } },
      { type: 'RecordReservationEnded', data: { orderId, reservationId: seats.torwar, ending: 'expired' } },
    ],
    [
      { type: 'ReservationCancelled', data: { ...ids, cancelledBy: 'anna', reason: '' } },
      { type: 'RecordReservationEnded', data: { orderId, reservationId: seats.torwar, ending: 'cancelled' } },
    ],
    [{ type: 'ReservationReleased', data: ids }, null],
  ];
  for (const [event, command] of cases)
    it(`maps ${event.type}`, () => {
      expect(orderCommandForReservation(event)).toEqual(command);
    });
});

describe('payment decisions the order hears of', () => {
  const ids = { paymentId: payments.PLN, orderId };
  const cases: [PaymentDecision, unknown][] = [
    [
      { type: 'PaymentSucceeded', data: { ...ids, amount: 60_000, currency: 'PLN' } },
      { type: 'RecordPaymentCaptured', data: { ...ids, amount: 60_000, currency: 'PLN' } },
    ],
    [
      { type: 'PaymentFailed', data: { ...ids, reason: 'Declined.' } },
      { type: 'RecordPaymentFailed', data: { ...ids, reason: 'Declined.' } },
    ],
    [
      {
        type: 'PaymentInitiated',
        data: { ...ids, amount: 1, currency: 'PLN', method: { kind: 'cash', tendered: 1, change: 0 } },
      },
      null,
    ],
    [
      {
        type: 'PaymentRefunded',
        data: { ...ids, refundId: 'r', amount: 1, currency: 'PLN', reason: '', refundedInTotal: 1 },
      },
      null,
    ],
  ];
  for (const [event, command] of cases)
    it(`maps ${event.type}`, () => {
      expect(orderCommandForPayment(event)).toEqual(command);
    });
});

describe("the policy's commands, as the other deciders take them", () => {
  it('adds the concert as the authority knows it to ReserveSeats', () => {
    const lines = [{ level: 'Regular', quantity: 2 }];
    expect(
      reserveSeatsFor(
        { type: 'ReserveSeats', data: { ...ids, lines, staff: anna } },
        { now: 'n', onSale: true, available: { Regular: 5 }, holdMinutes: 10 },
      ),
    ).toEqual({
      type: 'ReserveSeats',
      data: {
        ...ids,
        lines,
        staff: anna,
        now: 'n',
        onSale: true,
        available: { Regular: 5 },
        holdMinutes: 10,
      },
    });
  });

  it('confirms and releases by reservation id', () => {
    expect(reservationCommandFor({ type: 'ConfirmReservation', data: ids })).toEqual({
      type: 'ConfirmReservation',
      data: { reservationId: seats.torwar },
    });
    expect(reservationCommandFor({ type: 'ReleaseReservation', data: ids })).toEqual({
      type: 'ReleaseReservation',
      data: { reservationId: seats.torwar },
    });
  });

  it('refunds all that is left', () => {
    expect(
      refundFor({
        type: 'RefundPayment',
        data: { paymentId: payments.PLN, refundId: 'r', orderId, reason: 'Its order was cancelled.' },
      }),
    ).toEqual({
      type: 'RefundPayment',
      data: { paymentId: payments.PLN, refundId: 'r', reason: 'Its order was cancelled.' },
    });
  });
});

describe('tickets', () => {
  const torwarLines = lines.filter((l) => l.concertId === torwar);
  const issue = { type: 'IssueTickets' as const, data: { ...ids, lines: torwarLines } };
  const authority = {
    customerId: 'walk-in',
    issuedAt: '2026-11-21T18:10:00.000Z',
    ticketIds: ['t-1', 't-2', 't-3'],
    concert: { concertId: torwar, levels: ['Regular', 'VIP'], cancelled: false },
  };

  it('are issued with one new id per seat, over the lines in order, and the ticket decider takes them', () => {
    const command = issueTicketsFor(issue, authority);
    expect(command).toEqual({
      type: 'IssueTickets',
      data: {
        orderId,
        customerId: 'walk-in',
        issuedAt: '2026-11-21T18:10:00.000Z',
        lines: [
          { concertId: torwar, level: 'Regular', quantity: 2, ticketIds: ['t-1', 't-2'] },
          { concertId: torwar, level: 'VIP', quantity: 1, ticketIds: ['t-3'] },
        ],
        concerts: [authority.concert],
      },
    });
    const events = decideTicket(command, initialTicketBook());
    expect(orderCommandForTickets(events)).toEqual({
      type: 'RecordTicketsIssued',
      data: { orderId, concertId: torwar, ticketIds: ['t-1', 't-2', 't-3'] },
    });
  });

  it('need exactly one id per seat', () => {
    expect(() => issueTicketsFor(issue, { ...authority, ticketIds: ['t-1'] })).toThrow(
      'one ticket id per seat',
    );
  });

  it('tell the order nothing of a replay or a void', () => {
    expect(orderCommandForTickets([])).toBeNull();
    const voided: TicketEvent = {
      type: 'TicketVoided',
      data: { ticketId: 't-1', concertId: torwar, reason: 'refunded', causeId: 'r', voidedAt: 'x' },
    };
    expect(orderCommandForTickets([voided])).toBeNull();
  });

  it('go the way chosen at the desk, chosen on the authority clock', () => {
    expect(
      deliveryCommandFor(
        { type: 'ChooseDeliveryMethod', data: { ticketId: 't-1', orderId, method: printed } },
        '2026-11-21T18:11:00.000Z',
      ),
    ).toEqual({
      type: 'ChooseDeliveryMethod',
      data: { ticketId: 't-1', orderId, method: printed, chosenAt: '2026-11-21T18:11:00.000Z' },
    });
  });
});

describe('the invoice', () => {
  const create = {
    type: 'CreateInvoice' as const,
    data: {
      invoiceId,
      orderId,
      lines,
      payments: [
        { paymentId: payments.EUR, amount: 9_900, currency: 'EUR' },
        { paymentId: payments.PLN, amount: 60_000, currency: 'PLN' },
      ],
    },
  };
  const at = '2026-11-21T18:12:00.000Z';
  const books = {
    customerId: 'walk-in',
    buyer: { name: 'Walk-in customer', taxId: null },
    issuedAt: at,
    priceBasis: 'gross' as const,
    taxRateBp: (line: { level: string }) => (line.level === 'VIP' ? 2_300 : 800),
    payments: {
      [payments.EUR]: { method: 'card' as const, reference: 'pi_1', paidAt: at },
      [payments.PLN]: { method: 'cash' as const, reference: null, paidAt: at },
    },
  };

  it('is created with the books’ tax rates, then paid with every payment, and the invoice decider takes it', () => {
    const commands = invoiceCommandsFor(create, books);
    expect(commands.map((c) => c.type)).toEqual([
      'CreateInvoice',
      'RecordInvoicePayment',
      'RecordInvoicePayment',
    ]);
    expect(commands[0]).toMatchObject({
      data: {
        invoiceId,
        orderId,
        lines: lines.map((l) => ({ ...l, taxRateBp: l.level === 'VIP' ? 2_300 : 800 })),
      },
    });
    expect(commands[1]).toEqual({
      type: 'RecordInvoicePayment',
      data: {
        invoiceId,
        paymentId: payments.EUR,
        amount: 9_900,
        currency: 'EUR',
        method: 'card',
        reference: 'pi_1',
        paidAt: at,
      },
    });
    let state = initialInvoiceState();
    const events: InvoiceEvent[] = [];
    for (const command of commands)
      for (const event of decideInvoice(command, state)) {
        state = evolveInvoice(state, event);
        events.push(event);
      }
    expect(state.status).toBe('paid');
    expect(events.map(orderCommandForInvoice)).toEqual([
      { type: 'RecordInvoiceCreated', data: { orderId, invoiceId } },
      null,
      null,
    ]);
  });

  it('needs every payment as the books know it', () => {
    expect(() => invoiceCommandsFor(create, { ...books, payments: {} })).toThrow('not known to the books');
  });
});

describe('the payment confirmation', () => {
  const request = (delivery = printed) => ({
    type: 'RequestNotification' as const,
    data: {
      notificationId: confirmationId,
      kind: 'payment_confirmation' as const,
      causeId: orderId,
      orderId,
      invoiceId,
      delivery,
    },
  });
  const at = '2026-11-21T18:13:00.000Z';

  it('goes to the address the tickets are emailed to, as the notification decider names it', () => {
    const command = notificationCommandFor(request({ kind: 'email', email: 'fan@example.pl' }), {
      locale: 'pl',
      at,
    });
    expect(command).toEqual({
      type: 'RequestNotification',
      data: {
        kind: 'payment_confirmation',
        causeId: orderId,
        recipient: { email: 'fan@example.pl' },
        locale: 'pl',
        at,
      },
    });
    const [requested] = decideNotification(command!, initialNotificationState());
    expect(requested?.data.notificationId).toBe(confirmationId);
  });

  it('goes to the customer on record first, and to no one when there is no address', () => {
    const recipient = { email: 'ola@example.pl', name: 'Ola' };
    expect(notificationCommandFor(request(), { recipient, locale: 'pl', at })?.data).toMatchObject({
      recipient,
    });
    expect(notificationCommandFor(request(), { locale: 'pl', at })).toBeNull();
  });

  it('tells the order once it was sent, and nothing else', () => {
    const requested: NotificationsEvent = {
      type: 'NotificationRequested',
      data: {
        notificationId: confirmationId,
        kind: 'payment_confirmation',
        causeId: orderId,
        recipient: { email: 'fan@example.pl' },
        locale: 'pl',
        maxAttempts: 5,
        at,
      },
    };
    const sent: NotificationsEvent = {
      type: 'NotificationSent',
      data: { notificationId: confirmationId, attempt: 1, providerMessageId: 'm-1', at },
    };
    const state = fold(evolveNotification, initialNotificationState(), [requested, sent]);
    expect(orderCommandForNotification(sent, state)).toEqual({
      type: 'RecordConfirmationSent',
      data: { orderId, notificationId: confirmationId },
    });
    expect(orderCommandForNotification(requested, state)).toBeNull();
    expect(orderCommandForNotification(sent, initialNotificationState())).toBeNull();
    const delivery = fold(evolveNotification, initialNotificationState(), [
      { ...requested, data: { ...requested.data, kind: 'ticket_delivery', notificationId: 'n' } },
    ]);
    expect(orderCommandForNotification(sent, delivery)).toBeNull();
  });
});
