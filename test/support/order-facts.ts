// Test support: the order flow's desk facts, as a desk writes them to the orders database.
import { monotonicFactory } from 'ulid';
import type { CartLine } from '../../domain/cart/events';
import type { DeliveryMethod } from '../../domain/delivery/address';
import type { FactDoc } from '../../domain/events/catalogue';
import { cartStream, orderStream } from '../../domain/events/order-flow';
import { paymentIdFor } from '../../domain/order/order';
import { factMeta } from './store';

const nextId = monotonicFactory();

/** The totals of the lines per currency, as the cart computes them. */
export function totalsOf(lines: readonly CartLine[]): { currency: string; amount: number }[] {
  const totals = new Map<string, number>();
  for (const line of lines)
    totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.unitPrice * line.quantity);
  return [...totals].map(([currency, amount]) => ({ currency, amount }));
}

/** A desk confirms a cart: the order's id is chosen at the desk. */
export function cartConfirmedFact(
  deviceId: string,
  orderId: string,
  lines: CartLine[],
  delivery: DeliveryMethod = { kind: 'printed' },
): FactDoc<'CartConfirmed'> {
  const id = nextId();
  const cartId = `cart-${orderId}`;
  return {
    _id: id,
    type: 'CartConfirmed',
    v: 1,
    stream: cartStream(cartId),
    data: {
      cartId,
      orderId,
      deskSessionId: `${deviceId}-session`,
      staff: { userId: `${deviceId}-user`, role: 'desk' },
      lines,
      totals: totalsOf(lines),
      delivery,
      confirmedAt: new Date().toISOString(),
    },
    meta: factMeta(deviceId, id),
  };
}

/** A desk takes cash for an order's payment in one currency. */
export function cashPaymentFact(
  deviceId: string,
  orderId: string,
  amount: number,
  currency = 'PLN',
): FactDoc<'PaymentInitiated'> {
  const id = nextId();
  return {
    _id: id,
    type: 'PaymentInitiated',
    v: 1,
    stream: orderStream(orderId),
    data: {
      paymentId: paymentIdFor(orderId, currency),
      orderId,
      amount,
      currency,
      method: { kind: 'cash', tendered: amount, change: 0 },
    },
    meta: factMeta(deviceId, id),
  };
}
