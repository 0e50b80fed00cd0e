// How the order meets the other contexts: a confirmed cart becomes PlaceOrder, reservation and payment outcomes become
// the order's Record… commands, and the policy's commands become the reservation's and the payment's commands once
// the authority adds what only it knows. The sync server drives these; tickets, finance and notifications map alike.
import type { CartEventData } from '../cart/events';
import type { PaymentCommand } from '../payment/payment';
import type { PaymentDecision } from '../payment/events';
import type { ReservationCommand, ReserveSeats } from '../reservation/reservation';
import type { ReservationDecision } from '../reservation/events';
import type { OrderCommand } from './order';
import type { OrderPolicyCommand } from './policy';

type PolicyCommand<T extends OrderPolicyCommand['type']> = Extract<OrderPolicyCommand, { type: T }>;

/** The order a confirmed cart becomes. Its clock is the authority's: the desk's confirmedAt is informational. */
export function placeOrderFromCart(
  confirmed: CartEventData<'CartConfirmed'>,
  authority: { now: string; timeoutMinutes?: number },
): OrderCommand {
  const { orderId, cartId, deskSessionId, staff, lines, delivery } = confirmed;
  return {
    type: 'PlaceOrder',
    data: {
      orderId,
      cartId,
      deskSessionId,
      placedBy: staff,
      lines,
      delivery,
      placedAt: authority.now,
      timeoutMinutes: authority.timeoutMinutes,
    },
  };
}

/** What the order must hear of a reservation's decision; nothing for the releases it asked for itself. */
export function orderCommandForReservation(event: ReservationDecision): OrderCommand | null {
  const { orderId, reservationId } = event.data;
  switch (event.type) {
    case 'ReservationPlaced':
      return { type: 'RecordSeatsHeld', data: { orderId, reservationId, expiresAt: event.data.expiresAt } };
    case 'ReservationRefused':
      return {
        type: 'RecordReservationRefused',
        data: { orderId, reservationId, message: event.data.message },
      };
    case 'ReservationConfirmed':
      return { type: 'RecordSeatsConfirmed', data: { orderId, reservationId } };
    case 'ReservationExpired':
      return { type: 'RecordReservationEnded', data: { orderId, reservationId, ending: 'expired' } };
    case 'ReservationCancelled':
      return { type: 'RecordReservationEnded', data: { orderId, reservationId, ending: 'cancelled' } };
    case 'ReservationReleased':
      return null;
  }
}

/** What the order must hear of a payment's decision; refunds are the payment's own business. */
export function orderCommandForPayment(event: PaymentDecision): OrderCommand | null {
  switch (event.type) {
    case 'PaymentSucceeded':
      return { type: 'RecordPaymentCaptured', data: event.data };
    case 'PaymentFailed':
      return { type: 'RecordPaymentFailed', data: event.data };
    case 'PaymentInitiated':
    case 'PaymentRefunded':
      return null;
  }
}

/** ReserveSeats as the reservation decider takes it: with the concert as the authority knows it now. */
export function reserveSeatsFor(
  command: PolicyCommand<'ReserveSeats'>,
  concert: {
    now: string;
    onSale: boolean;
    available: Readonly<Record<string, number>>;
    holdMinutes?: number;
  },
): ReserveSeats {
  const { reservationId, orderId, concertId, lines, staff } = command.data;
  return { type: 'ReserveSeats', data: { reservationId, orderId, concertId, lines, staff, ...concert } };
}

export function reservationCommandFor(
  command: PolicyCommand<'ConfirmReservation' | 'ReleaseReservation'>,
): ReservationCommand {
  return { type: command.type, data: { reservationId: command.data.reservationId } };
}

/** A refund without an amount: the payment gives back all that is left of what it captured. */
export function refundFor(command: PolicyCommand<'RefundPayment'>): PaymentCommand {
  const { paymentId, refundId, reason } = command.data;
  return { type: 'RefundPayment', data: { paymentId, refundId, reason } };
}
