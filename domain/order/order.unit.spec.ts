// The order's rules, one specification each: what it records of each outcome, when it is cancelled, and what is
// refused. What it asks for next is the policy's (policy.unit.spec.ts).
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import { evolveOrder, initialOrderState, isPaid, orderDecider } from './order';
import type { OrderCommand, OrderState } from './order';
import type { OrderDecision } from './events';
import {
  anna,
  cancelled,
  cancelledByStaff,
  captured,
  completed,
  confirmationId,
  confirmationSent,
  confirmed,
  deadline,
  invoiceId,
  invoiced,
  lines,
  orderId,
  paid,
  payments,
  placed,
  placeOrder,
  placedAt,
  printed,
  recordedFromSale,
  recordSale,
  saleId,
  saleLine,
  saleOrderId,
  saleSeats,
  seated,
  seats,
  seatsConfirmed,
  seatsHeld,
  spodek,
  ticketed,
  ticketIdsOf,
  ticketsIssued,
  torwar,
} from './order.fixtures';

const given = specification(orderDecider);

// Commands
const held = (reservationId: string): OrderCommand => ({
  type: 'RecordSeatsHeld',
  data: { orderId, reservationId, expiresAt: '2026-11-21T18:20:00.000Z' },
});
const refused = (reservationId: string): OrderCommand => ({
  type: 'RecordReservationRefused',
  data: { orderId, reservationId, message: '"VIP" is sold out.' },
});
const ended = (reservationId: string, ending: 'expired' | 'cancelled'): OrderCommand => ({
  type: 'RecordReservationEnded',
  data: { orderId, reservationId, ending },
});
const seatsKept = (reservationId: string): OrderCommand => ({
  type: 'RecordSeatsConfirmed',
  data: { orderId, reservationId },
});
const capture = (currency: 'PLN' | 'EUR', amount = currency === 'PLN' ? 60_000 : 9_900): OrderCommand => ({
  type: 'RecordPaymentCaptured',
  data: { orderId, paymentId: payments[currency], amount, currency },
});
const paymentFailed = (currency: 'PLN' | 'EUR'): OrderCommand => ({
  type: 'RecordPaymentFailed',
  data: { orderId, paymentId: payments[currency], reason: 'card declined' },
});
const issued = (concertId: string, ticketIds: string[]): OrderCommand => ({
  type: 'RecordTicketsIssued',
  data: { orderId, concertId, ticketIds },
});
const invoice = (id = invoiceId): OrderCommand => ({
  type: 'RecordInvoiceCreated',
  data: { orderId, invoiceId: id },
});
const sent: OrderCommand = {
  type: 'RecordConfirmationSent',
  data: { orderId, notificationId: confirmationId },
};
const cancel = (reason = 'The customer changed their mind.'): OrderCommand => ({
  type: 'CancelOrder',
  data: { orderId, requestedBy: anna.userId, reason },
});
const timeOut = (now: string): OrderCommand => ({ type: 'TimeOutOrder', data: { orderId, now } });

const statusAfter = (events: OrderDecision[]) => fold(evolveOrder, initialOrderState(), events).status;

describe('placing an order from a confirmed cart', () => {
  it('plans one reservation per concert and one payment per currency, with a deadline 15 minutes on', () => {
    given([]).when(placeOrder()).then([placed]);
  });

  it('waits as long as the venue says', () => {
    const [event] = given([])
      .when(placeOrder({ timeoutMinutes: 30 }))
      .then([
        { ...placed, data: { ...placed.data, expiresAt: '2026-11-21T18:30:00.000Z' } } as OrderDecision,
      ]);
    expect(event?.type).toBe('OrderPlaced');
  });

  it('asks for no payment in a currency with nothing to pay', () => {
    const free = [{ ...lines[0]!, unitPrice: 0 }, lines[2]!];
    const [event] = decide(placeOrder({ lines: free }));
    expect(event?.type === 'OrderPlaced' && event.data.payments).toEqual([
      { paymentId: payments.EUR, amount: 9_900, currency: 'EUR' },
    ]);
    const [guestList] = decide(placeOrder({ lines: [{ ...lines[0]!, unitPrice: 0 }] }));
    expect(guestList?.type === 'OrderPlaced' && guestList.data.payments).toEqual([]);
  });

  it('refuses an order without tickets', () => {
    given([])
      .when(placeOrder({ lines: [] }))
      .thenThrows('empty_order');
  });

  it('refuses a line twice, a quantity below one, a negative price or a currency that is not a code', () => {
    for (const bad of [
      [lines[0]!, lines[0]!],
      [{ ...lines[0]!, quantity: 0 }],
      [{ ...lines[0]!, quantity: 1.5 }],
      [{ ...lines[0]!, unitPrice: -1 }],
      [{ ...lines[0]!, unitPrice: 0.5 }],
      [{ ...lines[0]!, currency: 'zł' }],
    ])
      given([])
        .when(placeOrder({ lines: bad }))
        .thenThrows('invalid_line');
  });

  it('refuses a wait that is not 1 to 1440 whole minutes', () => {
    for (const timeoutMinutes of [0, 1.5, 1441])
      given([]).when(placeOrder({ timeoutMinutes })).thenThrows('invalid_timeout');
  });

  it('places once: the same cart again is a no-op, another cart under the same id is refused', () => {
    given([placed]).when(placeOrder()).then([]);
    given([placed])
      .when(placeOrder({ cartId: 'cart-2' }))
      .thenThrows('order_exists');
  });

  it('refuses anything for an order that was never placed', () => {
    given([]).when(cancel()).thenThrows('unknown_order');
    given([placed])
      .when({ type: 'CancelOrder', data: { orderId: 'order-2', requestedBy: 'anna', reason: '' } })
      .thenThrows('unknown_order');
  });
});

describe('an order recorded from a cash sale', () => {
  const saleOrder = { ...recordedFromSale.data, orderId: saleOrderId };
  const sold = (events: OrderDecision[]) => fold(evolveOrder, initialOrderState(), events);

  it('records one line, printed, its seats confirmed and ticketed and its cash captured: ticketed at once', () => {
    given([]).when(recordSale()).then([recordedFromSale]);
    expect(sold([recordedFromSale])).toMatchObject({
      status: 'ticketed',
      orderId: saleOrderId,
      saleId,
      lines: [saleLine],
      delivery: printed,
      expiresAt: placedAt,
      reservations: [
        { reservationId: saleSeats, status: 'confirmed', ticketIds: [`${saleSeats}:t1`, `${saleSeats}:t2`] },
      ],
      payments: [{ paymentId: `${saleOrderId}:payment:PLN`, amount: 30_000, status: 'captured' }],
    });
    expect(saleOrder.orderId).toBe(`sale-${saleId}`);
  });

  it('goes the way of any ticketed order to its invoice; never ticketed twice, timed out or cancelled by staff', () => {
    given([recordedFromSale])
      .when({
        type: 'RecordTicketsIssued',
        data: { orderId: saleOrderId, concertId: torwar, ticketIds: ['x', 'y'] },
      })
      .then([]);
    given([recordedFromSale])
      .when({
        type: 'RecordInvoiceCreated',
        data: { orderId: saleOrderId, invoiceId: `${saleOrderId}:invoice` },
      })
      .then([{ type: 'OrderInvoiced', data: { orderId: saleOrderId, invoiceId: `${saleOrderId}:invoice` } }]);
    given([recordedFromSale])
      .when({ type: 'TimeOutOrder', data: { orderId: saleOrderId, now: '2027-01-01T00:00:00.000Z' } })
      .then([]);
    given([recordedFromSale])
      .when({ type: 'CancelOrder', data: { orderId: saleOrderId, requestedBy: 'anna', reason: '' } })
      .thenThrows('already_paid');
  });

  it('asks for no payment for a free sale', () => {
    const [event] = decide(recordSale({ unitPrice: 0 }));
    expect(event?.type === 'OrderRecordedFromSale' && event.data.payments).toEqual([]);
    expect(event && sold([event]).status).toBe('ticketed');
  });

  it('records a sale once: the same sale again is a no-op', () => {
    given([recordedFromSale]).when(recordSale()).then([]);
  });

  it('refuses a quantity below one, or a price that is not in minor units of a currency code', () => {
    for (const bad of [{ quantity: 0 }, { unitPrice: -1 }, { currency: 'zł' }])
      given([]).when(recordSale(bad)).thenThrows('invalid_line');
  });
});

describe('seats', () => {
  it('records seats held, once', () => {
    given([placed])
      .when(held(seats.torwar))
      .then([seatsHeld('torwar')]);
    given([placed, seatsHeld('torwar')])
      .when(held(seats.torwar))
      .then([]);
  });

  it('awaits payment once every concert has its seats', () => {
    expect(statusAfter([placed, seatsHeld('torwar')])).toBe('reserving');
    expect(statusAfter(seated)).toBe('awaiting_payment');
  });

  it('refuses news of a reservation that is not the order’s', () => {
    for (const command of [held('other'), refused('other'), ended('other', 'expired'), seatsKept('other')])
      given([placed]).when(command).thenThrows('unknown_reservation');
  });

  it('is cancelled when a concert refuses its seats', () => {
    given([placed, seatsHeld('torwar')])
      .when(refused(seats.spodek))
      .then([
        cancelled('reservation_refused', `Seats for ${spodek} could not be held: "VIP" is sold out.`, {
          concertId: spodek,
        }),
      ]);
  });

  it('hears a refusal once, and not at all once cancelled', () => {
    const refusedSpodek = cancelled('reservation_refused', 'x', { concertId: spodek });
    given([placed, refusedSpodek]).when(refused(seats.spodek)).then([]);
    given(cancelledByStaff).when(refused(seats.spodek)).then([]);
  });

  it('is cancelled when a hold expires or staff cancel it before the seats are kept', () => {
    given(seated)
      .when(ended(seats.torwar, 'expired'))
      .then([
        cancelled('reservation_expired', `The hold on seats for ${torwar} expired.`, { concertId: torwar }),
      ]);
    given([placed])
      .when(ended(seats.spodek, 'cancelled'))
      .then([
        cancelled('reservation_cancelled', `The hold on seats for ${spodek} was cancelled.`, {
          concertId: spodek,
        }),
      ]);
  });

  it('is cancelled, money and all, when paid seats lapse before they are kept', () => {
    given(paid)
      .when(ended(seats.torwar, 'expired'))
      .then([
        cancelled('reservation_expired', `The hold on seats for ${torwar} expired.`, { concertId: torwar }),
      ]);
  });

  it('ignores the end of seats already kept, already ended, or of a cancelled order', () => {
    given([...paid, seatsConfirmed('torwar')])
      .when(ended(seats.torwar, 'expired'))
      .then([]);
    const lapsed = cancelled('reservation_expired', 'x', { concertId: torwar });
    given([...seated, lapsed])
      .when(ended(seats.torwar, 'expired'))
      .then([]);
    given(cancelledByStaff).when(ended(seats.torwar, 'expired')).then([]);
  });

  it('records seats held after the order was cancelled, for the policy to release them', () => {
    given(cancelledByStaff)
      .when(held(seats.spodek))
      .then([seatsHeld('spodek')]);
  });

  it('records seats kept for the paid order, once', () => {
    given(paid)
      .when(seatsKept(seats.torwar))
      .then([seatsConfirmed('torwar')]);
    given([...paid, seatsConfirmed('torwar')])
      .when(seatsKept(seats.torwar))
      .then([]);
    given([placed]).when(seatsKept(seats.torwar)).then([]);
  });
});

describe('payment', () => {
  it('records money captured, once', () => {
    given(seated)
      .when(capture('PLN'))
      .then([captured('PLN')]);
    given([...seated, captured('PLN')])
      .when(capture('PLN'))
      .then([]);
  });

  it('is paid once every currency is captured, never before', () => {
    expect(statusAfter([...seated, captured('PLN')])).toBe('awaiting_payment');
    expect(statusAfter(paid)).toBe('paid');
  });

  it('records money that arrives before the seats; paid only once the seats are held too', () => {
    given([placed])
      .when(capture('EUR'))
      .then([captured('EUR')]);
    expect(statusAfter([placed, captured('EUR'), captured('PLN'), seatsHeld('torwar')])).toBe('reserving');
    expect(
      statusAfter([placed, captured('EUR'), captured('PLN'), seatsHeld('torwar'), seatsHeld('spodek')]),
    ).toBe('paid');
  });

  it('is paid with its seats held when there is nothing to pay', () => {
    const guestList = fold(
      evolveOrder,
      initialOrderState(),
      decide(placeOrder({ lines: [{ ...lines[0]!, unitPrice: 0 }] })),
    );
    const [event] = orderDecider.decide(held(seats.torwar), guestList);
    expect(fold(evolveOrder, guestList, [event!]).status).toBe('paid');
  });

  it('records money captured after the order was cancelled, for the policy to refund it', () => {
    given(cancelledByStaff)
      .when(capture('PLN'))
      .then([captured('PLN')]);
  });

  it('refuses a capture of another amount or currency than asked', () => {
    given(seated).when(capture('PLN', 59_999)).thenThrows('amount_mismatch');
    given(seated)
      .when({
        type: 'RecordPaymentCaptured',
        data: { orderId, paymentId: payments.PLN, amount: 60_000, currency: 'EUR' },
      })
      .thenThrows('amount_mismatch');
  });

  it('refuses news of a payment the order did not ask for', () => {
    given(seated)
      .when({
        type: 'RecordPaymentCaptured',
        data: { orderId, paymentId: 'other', amount: 1, currency: 'PLN' },
      })
      .thenThrows('unknown_payment');
    given(seated)
      .when({ type: 'RecordPaymentFailed', data: { orderId, paymentId: 'other', reason: 'x' } })
      .thenThrows('unknown_payment');
  });

  it('is cancelled when a payment fails', () => {
    given([...seated, captured('EUR')])
      .when(paymentFailed('PLN'))
      .then([
        cancelled('payment_failed', 'The payment of 600.00 PLN failed: card declined.', {
          paymentId: payments.PLN,
        }),
      ]);
  });

  it('ignores a failure after the money was captured, a second failure, and a failure of a cancelled order', () => {
    given(paid).when(paymentFailed('PLN')).then([]);
    const failedPln = cancelled('payment_failed', 'x', { paymentId: payments.PLN });
    given([...seated, failedPln])
      .when(paymentFailed('PLN'))
      .then([]);
    given(cancelledByStaff).when(paymentFailed('PLN')).then([]);
  });
});

describe('tickets, invoice, confirmation', () => {
  it('records the tickets of each concert once every seat is kept, and is ticketed once all are', () => {
    given(confirmed)
      .when(issued(torwar, ticketIdsOf('torwar')))
      .then([ticketsIssued('torwar')]);
    expect(statusAfter([...confirmed, ticketsIssued('torwar')])).toBe('paid');
    expect(statusAfter(ticketed)).toBe('ticketed');
  });

  it('records the tickets of a concert once', () => {
    given([...confirmed, ticketsIssued('torwar')])
      .when(issued(torwar, ['t-9', 't-8', 't-7']))
      .then([]);
  });

  it('refuses tickets before the order is paid and every seat is kept', () => {
    given(seated)
      .when(issued(torwar, ticketIdsOf('torwar')))
      .thenThrows('not_ready');
    given([...paid, seatsConfirmed('torwar')])
      .when(issued(torwar, ticketIdsOf('torwar')))
      .thenThrows('not_ready');
  });

  it('refuses other than exactly one different ticket per seat', () => {
    given(confirmed)
      .when(issued(torwar, ['t-1', 't-2']))
      .thenThrows('ticket_count_mismatch');
    given(confirmed)
      .when(issued(torwar, ['t-1', 't-2', 't-3', 't-4']))
      .thenThrows('ticket_count_mismatch');
    given(confirmed)
      .when(issued(torwar, ['t-1', 't-1', 't-2']))
      .thenThrows('ticket_count_mismatch');
  });

  it('refuses tickets for a concert the order has no seats for', () => {
    given(confirmed)
      .when(issued('other-concert', ['t-1']))
      .thenThrows('unknown_concert');
  });

  it('is invoiced once ticketed, once', () => {
    given(ticketed).when(invoice()).then([invoiced]);
    given([...ticketed, invoiced])
      .when(invoice())
      .then([]);
    expect(statusAfter([...ticketed, invoiced])).toBe('invoiced');
  });

  it('refuses an invoice before the tickets, and a second invoice', () => {
    given(confirmed).when(invoice()).thenThrows('not_ready');
    given([...ticketed, invoiced])
      .when(invoice(`${orderId}:invoice-2`))
      .thenThrows('already_invoiced');
  });

  it('is completed once the customer is told, once', () => {
    given([...ticketed, invoiced])
      .when(sent)
      .then([confirmationSent]);
    given(completed).when(sent).then([]);
    expect(statusAfter(completed)).toBe('completed');
  });

  it('refuses to tell the customer before the invoice', () => {
    given(ticketed).when(sent).thenThrows('not_ready');
  });

  it('refuses tickets, an invoice or a confirmation for a cancelled order', () => {
    for (const command of [issued(torwar, ticketIdsOf('torwar')), invoice(), sent])
      given(cancelledByStaff).when(command).thenThrows('order_cancelled');
  });
});

describe('cancelling', () => {
  it('cancels an unpaid order at the desk, with the reason', () => {
    given(seated)
      .when(cancel())
      .then([cancelled('cancelled_by_staff', 'Cancelled at the desk: The customer changed their mind.')]);
    given([placed])
      .when(cancel('  '))
      .then([cancelled('cancelled_by_staff', 'Cancelled at the desk.')]);
    given([placed])
      .when(cancel('no show'))
      .then([cancelled('cancelled_by_staff', 'Cancelled at the desk: no show.')]);
  });

  it('cancels once', () => {
    given(cancelledByStaff).when(cancel()).then([]);
  });

  it('refuses to cancel a paid order: that is a refund', () => {
    for (const past of [paid, confirmed, ticketed, completed])
      given(past).when(cancel()).thenThrows('already_paid');
  });
});

describe('timing out', () => {
  it('cancels an unpaid order once its deadline has come, by the authority clock', () => {
    const timedOut = cancelled('timed_out', 'The order was not paid in time.');
    given([placed]).when(timeOut(deadline)).then([timedOut]);
    given([...seated, captured('PLN')])
      .when(timeOut('2026-11-21T19:00:00.000Z'))
      .then([timedOut]);
  });

  it('refuses to time out before the deadline', () => {
    given(seated).when(timeOut('2026-11-21T18:14:59.999Z')).thenThrows('not_due');
  });

  it('does nothing to an order paid in time, or one already cancelled', () => {
    for (const past of [paid, ticketed, completed, cancelledByStaff])
      given(past).when(timeOut('2026-11-22T00:00:00.000Z')).then([]);
  });
});

describe('a command or event of a type the order does not know', () => {
  it('is a programming error, not silently ignored', () => {
    const state = fold(evolveOrder, initialOrderState(), [placed]);
    expect(() => decide({ type: 'ShipOrder', data: { orderId } } as never, state)).toThrow('Unhandled case');
    expect(() => evolveOrder(state, { type: 'OrderShipped', data: { orderId } } as never)).toThrow(
      'Unhandled case',
    );
  });
});

describe('the order read back from its events', () => {
  it('keeps what it learnt and where it stands', () => {
    const state = fold(evolveOrder, initialOrderState(), completed);
    expect(state).toMatchObject({
      status: 'completed',
      orderId,
      placedAt,
      expiresAt: deadline,
      delivery: printed,
      invoiceId,
      notificationId: confirmationId,
      cancellation: null,
      reservations: [
        { reservationId: seats.torwar, status: 'confirmed', ticketIds: ticketIdsOf('torwar') },
        { reservationId: seats.spodek, status: 'confirmed', ticketIds: ticketIdsOf('spodek') },
      ],
      payments: [
        { paymentId: payments.EUR, status: 'captured' },
        { paymentId: payments.PLN, status: 'captured' },
      ],
    });
  });

  it('marks what caused a cancellation', () => {
    const refusedSpodek = fold(evolveOrder, initialOrderState(), [
      placed,
      cancelled('reservation_refused', 'x', { concertId: spodek }),
    ]);
    expect(refusedSpodek).toMatchObject({
      status: 'cancelled',
      cancellation: { reason: 'reservation_refused', message: 'x' },
      reservations: [{ status: 'requested' }, { status: 'refused' }],
    });
    const failedPln = fold(evolveOrder, initialOrderState(), [
      ...seated,
      cancelled('payment_failed', 'x', { paymentId: payments.PLN }),
    ]);
    expect(failedPln).toMatchObject({ payments: [{ status: 'due' }, { status: 'failed' }] });
    const lapsed = fold(evolveOrder, initialOrderState(), [
      ...seated,
      cancelled('reservation_expired', 'x', { concertId: torwar }),
    ]);
    expect(lapsed).toMatchObject({ reservations: [{ status: 'ended' }, { status: 'held' }] });
  });

  it('ignores events of another order, or before it was placed', () => {
    const other = {
      ...seatsHeld('torwar'),
      data: { ...seatsHeld('torwar').data, orderId: 'order-2' },
    } as OrderDecision;
    const state = fold(evolveOrder, initialOrderState(), [placed, other]);
    expect(state.status).toBe('reserving');
    expect(fold(evolveOrder, initialOrderState(), [seatsHeld('torwar')])).toEqual({ status: 'none' });
  });

  it('counts as paid from paid to completed', () => {
    expect(['reserving', 'awaiting_payment', 'cancelled'].map((s) => isPaid(s as never))).toEqual([
      false,
      false,
      false,
    ]);
    expect(['paid', 'ticketed', 'invoiced', 'completed'].map((s) => isPaid(s as never))).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });
});

function decide(command: OrderCommand, state: OrderState = initialOrderState()): OrderDecision[] {
  return orderDecider.decide(command, state);
}
