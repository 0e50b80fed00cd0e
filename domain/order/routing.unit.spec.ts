// How the order meets the other contexts: each mapping, one by one.
import { describe, expect, it } from 'vitest';
import type { CartEventData } from '../cart/events';
import type { PaymentDecision } from '../payment/events';
import type { ReservationDecision } from '../reservation/events';
import {
  orderCommandForPayment,
  orderCommandForReservation,
  placeOrderFromCart,
  refundFor,
  reservationCommandFor,
  reserveSeatsFor,
} from './routing';
import { anna, lines, orderId, payments, printed, seats, torwar } from './order.fixtures';

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
