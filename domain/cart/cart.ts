// The cart of one desk session. Business rules (from the seeds, made strict):
// - one open cart per desk session, opened by a signed-in member of staff whose role sells (users/permissions);
// - a line is a concert and a level; adding one already in the cart adds to its quantity, at the same price;
// - a quantity is a whole number above zero and never above the seats available as the desk knows them;
// - delivery is printed at the desk, by email to a valid address, or by courier to a complete postal address (the
//   delivery context's method and checks, delivery/address.ts);
// - confirming needs at least one line and a delivery, and hands the cart over to an order;
// - nothing changes in a cart once it is confirmed or cleared; the session can open a new one.
// The cart is decided at the desk (its events are device facts). Adds carry an id: the same add twice is one add.
import { assertNever, DomainError } from '../shared/decider';
import type { Decider } from '../shared/decider';
import type { ListsAll } from '../shared/command-types';
import { may } from '../users/permissions';
import type { Staff } from '../reservation/events';
import { checkDeliveryMethod } from '../delivery/address';
import type { DeliveryMethod } from '../delivery/address';
import type { CartEvent, CartEventData, CartLine, CartRejectionCode, Total } from './events';

type Line = { cartId: string; concertId: string; level: string };

export type CartCommand =
  | { type: 'OpenCart'; data: CartEventData<'CartOpened'> }
  | { type: 'AddCartItem'; data: CartEventData<'CartItemAdded'> & { available: number } }
  | { type: 'ChangeCartItemQuantity'; data: Line & { quantity: number; available: number } }
  | { type: 'RemoveCartItem'; data: Line }
  | { type: 'ChooseDelivery'; data: { cartId: string; delivery: DeliveryMethod } }
  | { type: 'ClearCart'; data: { cartId: string } }
  | { type: 'ConfirmCart'; data: { cartId: string; orderId: string; confirmedAt: string } };

/** Every command type, as data: the rule set of who may do what is checked against it (users/permissions). */
export const cartCommandTypes = [
  'OpenCart',
  'AddCartItem',
  'ChangeCartItemQuantity',
  'RemoveCartItem',
  'ChooseDelivery',
  'ClearCart',
  'ConfirmCart',
] as const satisfies readonly CartCommand['type'][];
export const cartCommandTypesComplete: ListsAll<CartCommand['type'], typeof cartCommandTypes> = true;

export type OpenCart = {
  cartId: string;
  deskSessionId: string;
  staff: Staff;
  openedAt: string;
  lines: CartLine[];
  delivery: DeliveryMethod | null;
  /** Ids of the adds applied, so that an add sent twice is applied once. */
  addIds: string[];
};
export type ClosedCart = { cartId: string } & (
  { outcome: 'confirmed'; orderId: string } | { outcome: 'cleared' }
);

export type CartState =
  { status: 'idle'; closed: ClosedCart[] } | { status: 'open'; cart: OpenCart; closed: ClosedCart[] };

export const initialCartState = (): CartState => ({ status: 'idle', closed: [] });

export class CartRuleBroken extends DomainError<CartRejectionCode> {}

const broken = (code: CartRejectionCode, message: string) => new CartRuleBroken(code, message);

export function decideCart(command: CartCommand, state: CartState): CartEvent[] {
  if (command.type === 'OpenCart') return open(command.data, state);
  const { cartId } = command.data;
  const closed = state.closed.find((c) => c.cartId === cartId);
  // Clearing or confirming again into the same order is a replay; anything else on a closed cart is refused.
  if (closed?.outcome === 'cleared' && command.type === 'ClearCart') return [];
  if (
    closed?.outcome === 'confirmed' &&
    command.type === 'ConfirmCart' &&
    closed.orderId === command.data.orderId
  )
    return [];
  if (closed)
    throw broken(
      'cart_closed',
      closed.outcome === 'confirmed'
        ? `This cart became order ${closed.orderId}: open a new cart for another sale.`
        : 'This cart was cleared: open a new cart for another sale.',
    );
  if (state.status !== 'open' || state.cart.cartId !== cartId)
    throw broken('no_open_cart', 'There is no open cart with this id: open a cart first.');
  const cart = state.cart;
  switch (command.type) {
    case 'AddCartItem':
      return add(command.data, cart);
    case 'ChangeCartItemQuantity': {
      const { available, ...data } = command.data;
      const line = lineOf(cart, data);
      checkQuantity(data.quantity, 'To take it out of the cart, remove it.');
      checkAvailable(data.level, data.quantity, available);
      if (line.quantity === data.quantity) return [];
      return [{ type: 'CartItemQuantityChanged', data }];
    }
    case 'RemoveCartItem':
      lineOf(cart, command.data);
      return [{ type: 'CartItemRemoved', data: command.data }];
    case 'ChooseDelivery':
      return [
        { type: 'CartDeliveryChosen', data: { cartId, delivery: checkDelivery(command.data.delivery) } },
      ];
    case 'ClearCart':
      return [{ type: 'CartCleared', data: { cartId } }];
    case 'ConfirmCart':
      if (cart.lines.length === 0) throw broken('empty_cart', 'Add at least one ticket before confirming.');
      if (!cart.delivery)
        throw broken('no_delivery', 'Choose how the tickets reach the customer before confirming.');
      return [
        {
          type: 'CartConfirmed',
          data: {
            cartId,
            orderId: command.data.orderId,
            deskSessionId: cart.deskSessionId,
            staff: cart.staff,
            lines: cart.lines,
            totals: totalsOf(cart.lines),
            delivery: cart.delivery,
            confirmedAt: command.data.confirmedAt,
          },
        },
      ];
    default:
      return assertNever(command);
  }
}

function open(data: CartEventData<'CartOpened'>, state: CartState): CartEvent[] {
  if (state.closed.some((c) => c.cartId === data.cartId)) return [];
  if (state.status === 'open') {
    if (state.cart.cartId === data.cartId) return [];
    throw broken('cart_open', 'This desk has a cart open already: confirm or clear it first.');
  }
  if (!data.staff.userId.trim()) throw broken('not_signed_in', 'Sign in to start a sale.');
  if (!may(data.staff.role, 'OpenCart'))
    throw broken('not_allowed', `A ${data.staff.role} account can't sell tickets: ask box-office staff.`);
  return [{ type: 'CartOpened', data }];
}

function add(command: CartEventData<'CartItemAdded'> & { available: number }, cart: OpenCart): CartEvent[] {
  const { available, ...data } = command;
  if (cart.addIds.includes(data.addId)) return [];
  checkQuantity(data.quantity, 'Add at least one ticket.');
  if (!Number.isInteger(data.unitPrice) || data.unitPrice < 0)
    throw broken('invalid_price', 'A price is a whole number of minor units (grosze, cents), zero or more.');
  if (!/^[A-Z]{3}$/.test(data.currency))
    throw broken('invalid_currency', `"${data.currency}" is not a currency code such as PLN.`);
  const line = cart.lines.find((l) => sameLine(l, data));
  if (line && (line.unitPrice !== data.unitPrice || line.currency !== data.currency))
    throw broken(
      'price_mismatch',
      `"${data.level}" is in the cart at ${money(line.unitPrice, line.currency)}, not ${money(data.unitPrice, data.currency)}: remove it and add it again at the new price.`,
    );
  checkAvailable(data.level, (line?.quantity ?? 0) + data.quantity, available);
  return [{ type: 'CartItemAdded', data }];
}

function lineOf(cart: OpenCart, line: Line): CartLine {
  const found = cart.lines.find((l) => sameLine(l, line));
  if (!found) throw broken('not_in_cart', `"${line.level}" for this concert is not in the cart.`);
  return found;
}

function checkQuantity(quantity: number, hint: string): void {
  if (!Number.isInteger(quantity) || quantity < 1)
    throw broken('invalid_quantity', `A quantity is a whole number above zero. ${hint}`);
}

function checkAvailable(level: string, quantity: number, available: number): void {
  if (quantity > available)
    throw broken(
      'not_enough_seats',
      available <= 0
        ? `"${level}" is sold out.`
        : `Only ${available} "${level}" seats are available; the cart would hold ${quantity}.`,
    );
}

/** A delivery the tickets can reach, as it is kept (see delivery/address.ts); refused with the field to fix. */
export function checkDelivery(delivery: DeliveryMethod): DeliveryMethod {
  const checked = checkDeliveryMethod(delivery);
  if (!checked.ok) throw broken(checked.code, checked.message);
  return checked.method;
}

const sameLine = (a: { concertId: string; level: string }, b: { concertId: string; level: string }) =>
  a.concertId === b.concertId && a.level === b.level;

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;

/** What the lines cost, one total per currency, in currency order. */
export function totalsOf(lines: readonly CartLine[]): Total[] {
  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.currency, (totals.get(l.currency) ?? 0) + l.quantity * l.unitPrice);
  return [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, amount]) => ({ currency, amount }));
}

export function evolveCart(state: CartState, event: CartEvent): CartState {
  if (event.type === 'CartOpened') {
    const { cartId, deskSessionId, staff, openedAt } = event.data;
    const cart: OpenCart = { cartId, deskSessionId, staff, openedAt, lines: [], delivery: null, addIds: [] };
    return { status: 'open', cart, closed: state.closed };
  }
  if (state.status !== 'open' || state.cart.cartId !== event.data.cartId) return state;
  const cart = state.cart;
  const withCart = (changes: Partial<OpenCart>): CartState => ({ ...state, cart: { ...cart, ...changes } });
  switch (event.type) {
    case 'CartItemAdded': {
      const { cartId: _cart, addId, ...added } = event.data;
      const known = cart.lines.some((l) => sameLine(l, added));
      const lines = known
        ? cart.lines.map((l) => (sameLine(l, added) ? { ...l, quantity: l.quantity + added.quantity } : l))
        : [...cart.lines, added];
      return withCart({ lines, addIds: [...cart.addIds, addId] });
    }
    case 'CartItemQuantityChanged':
      return withCart({
        lines: cart.lines.map((l) => (sameLine(l, event.data) ? { ...l, quantity: event.data.quantity } : l)),
      });
    case 'CartItemRemoved':
      return withCart({ lines: cart.lines.filter((l) => !sameLine(l, event.data)) });
    case 'CartDeliveryChosen':
      return withCart({ delivery: event.data.delivery });
    case 'CartCleared':
      return { status: 'idle', closed: [...state.closed, { cartId: cart.cartId, outcome: 'cleared' }] };
    case 'CartConfirmed':
      return {
        status: 'idle',
        closed: [...state.closed, { cartId: cart.cartId, outcome: 'confirmed', orderId: event.data.orderId }],
      };
    default:
      return assertNever(event);
  }
}

export const cartDecider: Decider<CartCommand, CartEvent, CartState> = {
  decide: decideCart,
  evolve: evolveCart,
  initialState: initialCartState,
};
