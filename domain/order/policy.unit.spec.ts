// The order's policy, row by row: after each recorded event, the commands the order wants issued.
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { evolveOrder, initialOrderState } from './order';
import { react } from './policy';
import type { OrderPolicyCommand } from './policy';
import type { OrderDecision } from './events';
import {
  anna,
  cancelled,
  cancelledByStaff,
  captured,
  confirmed,
  confirmationId,
  confirmationSent,
  invoiceId,
  invoiced,
  lines,
  orderId,
  paid,
  payments,
  placed,
  printed,
  recordedFromSale,
  saleLine,
  saleOrderId,
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

/** What the policy asks for when `event` is recorded after `past`. */
function after(past: OrderDecision[], event: OrderDecision): OrderPolicyCommand[] {
  return react(fold(evolveOrder, initialOrderState(), [...past, event]), event);
}

const torwarSeats = { reservationId: seats.torwar, orderId, concertId: torwar };
const spodekSeats = { reservationId: seats.spodek, orderId, concertId: spodek };
const release = (data: typeof torwarSeats): OrderPolicyCommand => ({ type: 'ReleaseReservation', data });
const confirm = (data: typeof torwarSeats): OrderPolicyCommand => ({ type: 'ConfirmReservation', data });
const refund = (currency: 'PLN' | 'EUR'): OrderPolicyCommand => ({
  type: 'RefundPayment',
  data: {
    paymentId: payments[currency],
    refundId: `${payments[currency]}:refund`,
    orderId,
    reason: 'Its order was cancelled.',
  },
});
const issueTickets = (concert: 'torwar' | 'spodek'): OrderPolicyCommand => ({
  type: 'IssueTickets',
  data: {
    ...(concert === 'torwar' ? torwarSeats : spodekSeats),
    lines: lines.filter((l) => l.concertId === (concert === 'torwar' ? torwar : spodek)),
  },
});
const deliver = (concert: 'torwar' | 'spodek'): OrderPolicyCommand[] =>
  ticketIdsOf(concert).map((ticketId) => ({
    type: 'ChooseDeliveryMethod',
    data: { ticketId, orderId, method: printed },
  }));

describe('an order recorded from a cash sale', () => {
  it('has its tickets printed at once, one per ticket, and is invoiced like any order; no email confirmation', () => {
    const commands = after([], recordedFromSale);
    expect(commands.map((c) => c.type)).toEqual([
      'ChooseDeliveryMethod',
      'ChooseDeliveryMethod',
      'CreateInvoice',
    ]);
    expect(commands.at(-1)).toEqual({
      type: 'CreateInvoice',
      data: {
        invoiceId: `${saleOrderId}:invoice`,
        orderId: saleOrderId,
        lines: [saleLine],
        payments: [{ paymentId: `${saleOrderId}:payment:PLN`, amount: 30_000, currency: 'PLN' }],
      },
    });
  });
});

describe('on the way to a paid order', () => {
  it('reserves seats at every concert of a placed order', () => {
    expect(after([], placed)).toEqual([
      {
        type: 'ReserveSeats',
        data: {
          ...torwarSeats,
          lines: [
            { level: 'Regular', quantity: 2 },
            { level: 'VIP', quantity: 1 },
          ],
          staff: anna,
        },
      },
      {
        type: 'ReserveSeats',
        data: { ...spodekSeats, lines: [{ level: 'Płyta', quantity: 1 }], staff: anna },
      },
    ]);
  });

  it('waits until every concert has its seats, then asks for each payment due', () => {
    expect(after([placed], seatsHeld('torwar'))).toEqual([]);
    expect(after([placed, seatsHeld('torwar')], seatsHeld('spodek'))).toEqual([
      { type: 'RequestPayment', data: { paymentId: payments.EUR, orderId, amount: 9_900, currency: 'EUR' } },
      { type: 'RequestPayment', data: { paymentId: payments.PLN, orderId, amount: 60_000, currency: 'PLN' } },
    ]);
  });

  it('does not ask again for money captured before the seats were held', () => {
    expect(after([placed, captured('PLN'), seatsHeld('torwar')], seatsHeld('spodek'))).toEqual([
      { type: 'RequestPayment', data: { paymentId: payments.EUR, orderId, amount: 9_900, currency: 'EUR' } },
    ]);
  });

  it('waits for every currency, then keeps the held seats for the paid order', () => {
    expect(after(seated, captured('PLN'))).toEqual([]);
    expect(after([...seated, captured('PLN')], captured('EUR'))).toEqual([
      confirm(torwarSeats),
      confirm(spodekSeats),
    ]);
  });

  it('keeps the seats as soon as they are held when the money came first', () => {
    expect(
      after([placed, captured('PLN'), captured('EUR'), seatsHeld('torwar')], seatsHeld('spodek')),
    ).toEqual([confirm(torwarSeats), confirm(spodekSeats)]);
  });

  it('keeps only the seats not kept yet, and issues tickets at once if all are', () => {
    expect(after([...seated, seatsConfirmed('torwar'), captured('PLN')], captured('EUR'))).toEqual([
      confirm(spodekSeats),
    ]);
    const allKept = [...seated, seatsConfirmed('torwar'), seatsConfirmed('spodek'), captured('PLN')];
    expect(after(allKept, captured('EUR'))).toEqual([issueTickets('torwar'), issueTickets('spodek')]);
  });

  it('asks for no payment and keeps the seats of an order with nothing to pay', () => {
    const free = { ...placed, data: { ...placed.data, payments: [] } } as OrderDecision;
    expect(after([free, seatsHeld('torwar')], seatsHeld('spodek'))).toEqual([
      confirm(torwarSeats),
      confirm(spodekSeats),
    ]);
  });
});

describe('from paid to completed', () => {
  it('issues tickets for every concert once all seats are kept, not before', () => {
    expect(after(paid, seatsConfirmed('torwar'))).toEqual([]);
    expect(after([...paid, seatsConfirmed('torwar')], seatsConfirmed('spodek'))).toEqual([
      issueTickets('torwar'),
      issueTickets('spodek'),
    ]);
  });

  it('does not keep seats nor issue tickets before the order is paid', () => {
    expect(after(seated, seatsConfirmed('torwar'))).toEqual([]);
  });

  it("delivers each concert's tickets as soon as they are issued, the way chosen at the desk", () => {
    expect(after(confirmed, ticketsIssued('torwar'))).toEqual(deliver('torwar'));
  });

  it('invoices the whole purchase, with its payments, once every concert has its tickets', () => {
    expect(after([...confirmed, ticketsIssued('torwar')], ticketsIssued('spodek'))).toEqual([
      ...deliver('spodek'),
      {
        type: 'CreateInvoice',
        data: {
          invoiceId,
          orderId,
          lines,
          payments: [
            { paymentId: payments.EUR, amount: 9_900, currency: 'EUR' },
            { paymentId: payments.PLN, amount: 60_000, currency: 'PLN' },
          ],
        },
      },
    ]);
  });

  it('tells the customer once invoiced, and asks for nothing more once told', () => {
    expect(after(ticketed, invoiced)).toEqual([
      {
        type: 'RequestNotification',
        data: {
          notificationId: confirmationId,
          kind: 'payment_confirmation',
          causeId: orderId,
          orderId,
          invoiceId,
          delivery: printed,
        },
      },
    ]);
    expect(after([...ticketed, invoiced], confirmationSent)).toEqual([]);
  });
});

describe('compensation', () => {
  it('releases the seats held and refunds the money captured when an order is cancelled', () => {
    expect(after([...seated, captured('PLN')], cancelled('timed_out', 'x'))).toEqual([
      release(torwarSeats),
      release(spodekSeats),
      refund('PLN'),
    ]);
  });

  it('releases kept seats too when paid seats lapse, and refunds every payment', () => {
    expect(
      after(
        [...paid, seatsConfirmed('spodek')],
        cancelled('reservation_expired', 'x', { concertId: torwar }),
      ),
    ).toEqual([release(spodekSeats), refund('EUR'), refund('PLN')]);
  });

  it('releases nothing that was not held and refunds nothing that was not captured', () => {
    expect(after([placed], cancelled('cancelled_by_staff', 'x'))).toEqual([]);
    expect(
      after([placed, seatsHeld('torwar')], cancelled('reservation_refused', 'x', { concertId: spodek })),
    ).toEqual([release(torwarSeats)]);
    expect(after(seated, cancelled('payment_failed', 'x', { paymentId: payments.PLN }))).toEqual([
      release(torwarSeats),
      release(spodekSeats),
    ]);
  });

  it('releases seats held after the order was cancelled', () => {
    expect(after(cancelledByStaff, seatsHeld('spodek'))).toEqual([release(spodekSeats)]);
  });

  it('releases seats kept after the order was cancelled', () => {
    expect(after(cancelledByStaff, seatsConfirmed('torwar'))).toEqual([release(torwarSeats)]);
  });

  it('refunds money captured after the order was cancelled', () => {
    expect(after(cancelledByStaff, captured('PLN'))).toEqual([refund('PLN')]);
  });
});

describe('an order that is not there', () => {
  it('asks for nothing', () => {
    expect(react(initialOrderState(), placed)).toEqual([]);
  });

  it('is a programming error to react to an event the policy does not know', () => {
    const state = fold(evolveOrder, initialOrderState(), [placed]);
    expect(() => react(state, { type: 'OrderShipped', data: { orderId } } as never)).toThrow(
      'Unhandled case',
    );
  });
});
