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
import { callApi } from '../session/api';
import { signedIn } from '../session/session';
import type { DeskStore } from '../store/desk-store';
import { recordDrawerCash } from './drawer-actions';

/** Who opens a cart: the person signed in at this desk. */
export const deskStaff = () => {
  const { userId, role } = signedIn();
  return { userId, role };
};

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
      staff: deskStaff(),
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

/** Whether the sync server takes cards, and if not why; `testCard`: a local test server confirms (never in a shop). */
export type CardStatus = { card: 'on'; testCard: boolean } | { card: 'off'; reason: string };

export async function cardPaymentStatus(store: DeskStore): Promise<CardStatus> {
  const answer = await callApi<CardStatus>(store.device, signedIn(), 'GET', '/api/payments/status');
  return answer.ok ? answer.body : { card: 'off', reason: answer.reason };
}

export type CardIntentView = { paymentIntentId: string; amount: number; currency: string; status: string };

/**
 * Asks the sync server for the order's card payment (the amount is the order's: the desk sends only its id). Asking
 * again returns the same PaymentIntent. The card itself is taken at the terminal (a real integration's step); the
 * order moves on when Stripe's webhook says it went through.
 */
export async function startCardPayment(store: DeskStore, orderId: string): Promise<CardIntentView> {
  const answer = await callApi<CardIntentView>(store.device, signedIn(), 'POST', '/api/payments/intents', {
    orderId,
    deviceId: store.device.deviceId,
  });
  if (!answer.ok) throw new Error(answer.reason);
  return answer.body;
}

/** Only against a local Stripe-compatible test server: confirms the intent with Stripe's test card. */
export async function confirmWithTestCard(store: DeskStore, paymentIntentId: string): Promise<void> {
  const answer = await callApi<unknown>(
    store.device,
    signedIn(),
    'POST',
    `/api/payments/intents/${encodeURIComponent(paymentIntentId)}/test-confirm`,
  );
  if (!answer.ok) throw new Error(answer.reason);
}

/**
 * Refunds tickets of a paid order, some or all: a fact the authority prices and decides. Cash is handed back from the
 * drawer at once (recorded against the open shift; returns why not, if it goes in no count); a card refund goes back
 * to the card through the gateway.
 */
export async function refundTickets(
  store: DeskStore,
  refund: {
    orderId: string;
    ticketIds: string[];
    method: 'cash' | 'card';
    reason: string;
    amount: number;
    currency: string;
  },
): Promise<{ refundId: string; drawer: string | null }> {
  const { orderId, ticketIds, method, reason } = refund;
  const fact = await store.record('TicketsRefundRequested', (refundId) => ({
    refundId,
    orderId,
    ticketIds,
    method,
    reason,
  }));
  if (method === 'card') return { refundId: fact._id, drawer: null };
  const drawer = await recordDrawerCash(store, {
    kind: 'refund',
    id: fact._id,
    amount: refund.amount,
    currency: refund.currency,
    at: new Date().toISOString(),
  });
  return { refundId: fact._id, drawer };
}
