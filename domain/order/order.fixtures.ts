// Test support for the order's specs (imported by specs only): one order across two concerts and two currencies.
import type { CartLine } from '../cart/events';
import type { DeliveryMethod } from '../delivery/address';
import type { Staff } from '../reservation/events';
import type { OrderDecision } from './events';
import type { OrderCommand } from './order';

export const orderId = 'order-1';
export const torwar = 'kwiat-jabloni-torwar-2026';
export const spodek = 'dawid-podsiadlo-spodek-2026';
export const anna: Staff = { userId: 'anna', role: 'desk' };
export const printed: DeliveryMethod = { kind: 'printed' };
export const placedAt = '2026-11-21T18:00:00.000Z';
export const deadline = '2026-11-21T18:15:00.000Z';

export const lines: CartLine[] = [
  { concertId: torwar, level: 'Regular', quantity: 2, unitPrice: 15_000, currency: 'PLN' },
  { concertId: torwar, level: 'VIP', quantity: 1, unitPrice: 30_000, currency: 'PLN' },
  { concertId: spodek, level: 'Płyta', quantity: 1, unitPrice: 9_900, currency: 'EUR' },
];

export const seats = { torwar: `${orderId}:seats:${torwar}`, spodek: `${orderId}:seats:${spodek}` };
/** The ids the order derives for its invoice and its payment confirmation. */
export const invoiceId = `${orderId}:invoice`;
export const confirmationId = `payment_confirmation:${orderId}`;
export const payments = { PLN: `${orderId}:payment:PLN`, EUR: `${orderId}:payment:EUR` };

export const placeOrder = (
  overrides: Partial<Extract<OrderCommand, { type: 'PlaceOrder' }>['data']> = {},
): OrderCommand => ({
  type: 'PlaceOrder',
  data: {
    orderId,
    cartId: 'cart-1',
    deskSessionId: 'desk-4',
    placedBy: anna,
    lines,
    delivery: printed,
    placedAt,
    ...overrides,
  },
});

export const placed: OrderDecision = {
  type: 'OrderPlaced',
  data: {
    orderId,
    cartId: 'cart-1',
    deskSessionId: 'desk-4',
    placedBy: anna,
    lines,
    totals: [
      { currency: 'EUR', amount: 9_900 },
      { currency: 'PLN', amount: 60_000 },
    ],
    delivery: printed,
    placedAt,
    expiresAt: deadline,
    reservations: [
      {
        reservationId: seats.torwar,
        concertId: torwar,
        lines: [
          { level: 'Regular', quantity: 2 },
          { level: 'VIP', quantity: 1 },
        ],
      },
      { reservationId: seats.spodek, concertId: spodek, lines: [{ level: 'Płyta', quantity: 1 }] },
    ],
    payments: [
      { paymentId: payments.EUR, amount: 9_900, currency: 'EUR' },
      { paymentId: payments.PLN, amount: 60_000, currency: 'PLN' },
    ],
  },
};

type Concert = keyof typeof seats;
const concertIds: Record<Concert, string> = { torwar, spodek };
const expiresAt = '2026-11-21T18:20:00.000Z';

export const seatsHeld = (concert: Concert): OrderDecision => ({
  type: 'OrderSeatsHeld',
  data: { orderId, reservationId: seats[concert], concertId: concertIds[concert], expiresAt },
});
export const seatsConfirmed = (concert: Concert): OrderDecision => ({
  type: 'OrderSeatsConfirmed',
  data: { orderId, reservationId: seats[concert], concertId: concertIds[concert] },
});
export const captured = (currency: 'PLN' | 'EUR'): OrderDecision => ({
  type: 'OrderPaymentCaptured',
  data: { orderId, paymentId: payments[currency], amount: currency === 'PLN' ? 60_000 : 9_900, currency },
});
export const ticketIdsOf = (concert: Concert): string[] =>
  concert === 'torwar' ? ['t-1', 't-2', 't-3'] : ['t-4'];
export const ticketsIssued = (concert: Concert): OrderDecision => ({
  type: 'OrderTicketsIssued',
  data: { orderId, concertId: concertIds[concert], ticketIds: ticketIdsOf(concert) },
});
export const invoiced: OrderDecision = {
  type: 'OrderInvoiced',
  data: { orderId, invoiceId },
};
export const confirmationSent: OrderDecision = {
  type: 'OrderConfirmationSent',
  data: { orderId, notificationId: confirmationId },
};
export const cancelled = (
  reason: Extract<OrderDecision, { type: 'OrderCancelled' }>['data']['reason'],
  message: string,
  cause: { concertId?: string; paymentId?: string } = {},
): OrderDecision => ({ type: 'OrderCancelled', data: { orderId, reason, message, ...cause } });

export const seated = [placed, seatsHeld('torwar'), seatsHeld('spodek')];
export const paid = [...seated, captured('PLN'), captured('EUR')];
export const confirmed = [...paid, seatsConfirmed('torwar'), seatsConfirmed('spodek')];
export const ticketed = [...confirmed, ticketsIssued('torwar'), ticketsIssued('spodek')];
export const completed = [...ticketed, invoiced, confirmationSent];
export const cancelledByStaff = [
  placed,
  seatsHeld('torwar'),
  cancelled('cancelled_by_staff', 'Cancelled at the desk.'),
];

// A cash sale at the desk, allocated by the concert, recorded as a one-line order.
export const saleId = '01JD7SALE0000000000000001';
export const saleOrderId = `sale-${saleId}`;
export const saleSeats = `sale:${saleId}`;
export const saleLine: CartLine = {
  concertId: torwar,
  level: 'Regular',
  quantity: 2,
  unitPrice: 15_000,
  currency: 'PLN',
};
export const recordSale = (
  overrides: Partial<Extract<OrderCommand, { type: 'RecordSale' }>['data']> = {},
): OrderCommand => ({
  type: 'RecordSale',
  data: {
    saleId,
    concertId: torwar,
    level: 'Regular',
    quantity: 2,
    unitPrice: 15_000,
    currency: 'PLN',
    tendered: 40_000,
    deviceId: 'desk-4',
    soldBy: anna,
    recordedAt: placedAt,
    ...overrides,
  },
});
export const recordedFromSale: OrderDecision = {
  type: 'OrderRecordedFromSale',
  data: {
    orderId: saleOrderId,
    saleId,
    deviceId: 'desk-4',
    placedBy: anna,
    lines: [saleLine],
    totals: [{ currency: 'PLN', amount: 30_000 }],
    delivery: printed,
    placedAt,
    reservations: [
      {
        reservationId: saleSeats,
        concertId: torwar,
        lines: [{ level: 'Regular', quantity: 2 }],
        ticketIds: [`${saleSeats}:t1`, `${saleSeats}:t2`],
      },
    ],
    payments: [
      { paymentId: `${saleOrderId}:payment:PLN`, amount: 30_000, currency: 'PLN', tendered: 40_000 },
    ],
  },
};
