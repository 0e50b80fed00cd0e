// The desk decides its cart itself (the cart is device facts): a command is decided with the cart's rules against the
// cart as the log says it is, and what it decides is recorded as facts, in order. A rule broken throws the cart's
// DomainError, whose sentence the screen shows.
import { decideCart, evolveCart, initialCartState } from '../../domain/cart/cart';
import type { CartCommand, CartState } from '../../domain/cart/cart';
import type { CartLine } from '../../domain/cart/events';
import type { DeliveryMethod } from '../../domain/delivery/address';
import { orderNumberFrom } from '../../domain/desk/order-view';
import { decidePayment, initialPaymentState } from '../../domain/payment/payment';
import { ulid } from 'ulid';
import { staffUserId } from '../device';
import type { DeskStore } from '../store/desk-store';
import { recordDrawerCash } from './drawer-actions';

export const deskStaff = { userId: staffUserId, role: 'desk' } as const;

/** Decides the command on the cart and records what it decided; returns the cart as it is then. */
export async function runCart(store: DeskStore, state: CartState, command: CartCommand): Promise<CartState> {
  let next = state;
  for (const event of decideCart(command, state)) {
    await store.record(event.type, () => event.data);
    next = evolveCart(next, event);
  }
  return next;
}

/** Opens a new cart at this desk (another may stay open, parked). */
export async function openCart(store: DeskStore): Promise<{ cartId: string; state: CartState }> {
  const cartId = ulid();
  const state = await runCart(store, initialCartState(), {
    type: 'OpenCart',
    data: {
      cartId,
      deskSessionId: store.device.deviceId,
      staff: deskStaff,
      openedAt: new Date().toISOString(),
    },
  });
  return { cartId, state };
}

/** A new order number: chosen at the desk, short enough to read out to a customer. */
export const newOrderId = (): string => orderNumberFrom(crypto.getRandomValues(new Uint8Array(5)));

/** Confirms the cart into a new order (choosing the delivery first if it changed); returns the order's id. */
export async function confirmCart(
  store: DeskStore,
  state: CartState,
  delivery: DeliveryMethod,
): Promise<string> {
  if (state.status !== 'open') throw new Error('There is no open cart to confirm.');
  const { cartId } = state.cart;
  let next: CartState = state;
  if (JSON.stringify(state.cart.delivery) !== JSON.stringify(delivery))
    next = await runCart(store, next, { type: 'ChooseDelivery', data: { cartId, delivery } });
  const orderId = newOrderId();
  await runCart(store, next, {
    type: 'ConfirmCart',
    data: { cartId, orderId, confirmedAt: new Date().toISOString() },
  });
  return orderId;
}

/**
 * The same tickets and delivery as a new order (after a hold expired): a new cart, filled and confirmed at once.
 * `available` says how many seats of a level the desk believes are free.
 */
export async function confirmAgain(
  store: DeskStore,
  lines: readonly CartLine[],
  delivery: DeliveryMethod,
  available: (line: CartLine) => number,
): Promise<string> {
  const opened = await openCart(store);
  let state = opened.state;
  for (const line of lines)
    state = await runCart(store, state, {
      type: 'AddCartItem',
      data: { cartId: opened.cartId, addId: ulid(), ...line, available: available(line) },
    });
  return confirmCart(store, state, delivery);
}

/** Cash taken for one payment of an order: checked with the payment's rules (enough cash, change computed). */
export async function takeCash(
  store: DeskStore,
  payment: { paymentId: string; orderId: string; amount: number; currency: string },
  tendered: number,
): Promise<{ change: number; drawer: string | null }> {
  const [initiated] = decidePayment(
    { type: 'InitiatePayment', data: { ...payment, method: { kind: 'cash', tendered } } },
    initialPaymentState(),
  );
  if (initiated?.type !== 'PaymentInitiated') throw new Error('The payment could not be started.');
  await store.record('PaymentInitiated', () => initiated.data);
  // The order's cash goes into the open shift (a payment is never blocked for want of one).
  const drawer = await recordDrawerCash(store, {
    kind: 'sale',
    id: payment.paymentId,
    amount: payment.amount,
    currency: payment.currency,
    at: new Date().toISOString(),
  });
  return { change: initiated.data.method.kind === 'cash' ? initiated.data.method.change : 0, drawer };
}
