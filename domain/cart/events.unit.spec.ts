// The cart's events at the edge: every event the cart decides passes its schema, and malformed data does not.
import { describe, expect, it } from 'vitest';
import { decideCart, evolveCart, initialCartState } from './cart';
import type { CartCommand, CartState } from './cart';
import { cartEventSchemas, cartEventWriters, cartLineSchema } from './events';
import type { CartEvent } from './events';

const cartId = 'cart-1';
const line = { concertId: 'kwiat-jabloni-torwar-2026', level: 'Regular', unitPrice: 15_000, currency: 'PLN' };
const sale: CartCommand[] = [
  {
    type: 'OpenCart',
    data: {
      cartId,
      deskSessionId: 'desk-4',
      staff: { userId: 'anna', role: 'desk' },
      openedAt: '2026-11-21T18:00:00Z',
    },
  },
  { type: 'AddCartItem', data: { cartId, addId: 'a1', ...line, quantity: 2, available: 10 } },
  { type: 'AddCartItem', data: { cartId, addId: 'a2', ...line, level: 'VIP', quantity: 1, available: 10 } },
  {
    type: 'ChangeCartItemQuantity',
    data: { cartId, concertId: line.concertId, level: 'Regular', quantity: 3, available: 10 },
  },
  { type: 'RemoveCartItem', data: { cartId, concertId: line.concertId, level: 'VIP' } },
  {
    type: 'ChooseDelivery',
    data: {
      cartId,
      delivery: {
        kind: 'courier',
        address: {
          recipient: 'Jan',
          line1: 'Marszałkowska 1',
          line2: '',
          postalCode: '00-950',
          city: 'Warszawa',
          country: 'PL',
        },
      },
    },
  },
  { type: 'ConfirmCart', data: { cartId, orderId: 'order-1', confirmedAt: '2026-11-21T18:05:00+01:00' } },
  {
    type: 'OpenCart',
    data: {
      cartId: 'cart-2',
      deskSessionId: 'desk-4',
      staff: { userId: 'anna', role: 'desk' },
      openedAt: '2026-11-21T18:06:00Z',
    },
  },
  { type: 'ClearCart', data: { cartId: 'cart-2' } },
];

function decided(commands: CartCommand[]): CartEvent[] {
  let state: CartState = initialCartState();
  const events: CartEvent[] = [];
  for (const command of commands) {
    const next = decideCart(command, state);
    for (const event of next) state = evolveCart(state, event);
    events.push(...next);
  }
  return events;
}

describe("the cart's events", () => {
  it('are all facts written at the desk, each with a schema', () => {
    expect(Object.keys(cartEventWriters).sort()).toEqual(Object.keys(cartEventSchemas).sort());
    expect(new Set(Object.values(cartEventWriters))).toEqual(new Set(['device']));
  });

  it('pass their schema as the cart decides them, every type of them', () => {
    const events = decided(sale);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(Object.keys(cartEventSchemas)));
    for (const event of events) expect(cartEventSchemas[event.type].parse(event.data)).toEqual(event.data);
  });

  it('refuse a line with a fractional quantity, a negative price, a currency that is not a code or a bad concert id', () => {
    const good = { ...line, quantity: 1 };
    expect(cartLineSchema.safeParse(good).success).toBe(true);
    for (const bad of [
      { ...good, quantity: 1.5 },
      { ...good, quantity: 0 },
      { ...good, unitPrice: -1 },
      { ...good, unitPrice: 0.5 },
      { ...good, currency: 'zł' },
      { ...good, concertId: 'Not A Database Name' },
    ])
      expect(cartLineSchema.safeParse(bad).success).toBe(false);
  });

  it('refuse a delivery method nobody offers, and an email delivery without an address', () => {
    const chosen = (delivery: unknown) =>
      cartEventSchemas.CartDeliveryChosen.safeParse({ cartId, delivery }).success;
    expect(chosen({ kind: 'printed' })).toBe(true);
    expect(chosen({ kind: 'pigeon' })).toBe(false);
    expect(chosen({ kind: 'email' })).toBe(false);
  });

  it('refuse a confirmation without lines', () => {
    const [confirmed] = decided(sale).filter((e) => e.type === 'CartConfirmed');
    expect(cartEventSchemas.CartConfirmed.safeParse({ ...confirmed!.data, lines: [] }).success).toBe(false);
  });
});
