// The cart's rules, one specification each: what a desk may do with a sale in progress, and what it is refused.
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import { cartDecider, checkDelivery, decideCart, evolveCart, initialCartState, totalsOf } from './cart';
import type { CartCommand } from './cart';
import type { Staff } from '../reservation/events';
import type { DeliveryMethod, PostalAddress } from '../delivery/address';
import type { CartEvent, CartLine } from './events';

const given = specification(cartDecider);

const cartId = 'cart-1';
const deskSessionId = 'desk-4-session-7';
const staff: Staff = { userId: 'anna', role: 'desk' };
const torwar = 'kwiat-jabloni-torwar-2026';
const spodek = 'dawid-podsiadlo-spodek-2026';

// Commands
const openCart = (
  overrides: Partial<Extract<CartCommand, { type: 'OpenCart' }>['data']> = {},
): CartCommand => ({
  type: 'OpenCart',
  data: { cartId, deskSessionId, staff, openedAt: '2026-11-21T18:00:00.000Z', ...overrides },
});
const add = (
  addId: string,
  level: string,
  quantity: number,
  overrides: Partial<CartLine & { available: number; cartId: string }> = {},
): CartCommand => ({
  type: 'AddCartItem',
  data: {
    cartId,
    addId,
    concertId: torwar,
    level,
    quantity,
    unitPrice: 15_000,
    currency: 'PLN',
    available: 10,
    ...overrides,
  },
});
const change = (level: string, quantity: number, available = 10, concertId = torwar): CartCommand => ({
  type: 'ChangeCartItemQuantity',
  data: { cartId, concertId, level, quantity, available },
});
const remove = (level: string, concertId = torwar): CartCommand => ({
  type: 'RemoveCartItem',
  data: { cartId, concertId, level },
});
const choose = (delivery: DeliveryMethod): CartCommand => ({
  type: 'ChooseDelivery',
  data: { cartId, delivery },
});
const clear = (id = cartId): CartCommand => ({ type: 'ClearCart', data: { cartId: id } });
const confirm = (orderId = 'order-1', id = cartId): CartCommand => ({
  type: 'ConfirmCart',
  data: { cartId: id, orderId, confirmedAt: '2026-11-21T18:05:00.000Z' },
});

// Events
const opened = (id = cartId, by: Staff = staff): CartEvent => ({
  type: 'CartOpened',
  data: { cartId: id, deskSessionId, staff: by, openedAt: '2026-11-21T18:00:00.000Z' },
});
const added = (
  addId: string,
  level: string,
  quantity: number,
  overrides: Partial<CartLine> = {},
): CartEvent => ({
  type: 'CartItemAdded',
  data: {
    cartId,
    addId,
    concertId: torwar,
    level,
    quantity,
    unitPrice: 15_000,
    currency: 'PLN',
    ...overrides,
  },
});
const quantityChanged = (level: string, quantity: number): CartEvent => ({
  type: 'CartItemQuantityChanged',
  data: { cartId, concertId: torwar, level, quantity },
});
const removed = (level: string): CartEvent => ({
  type: 'CartItemRemoved',
  data: { cartId, concertId: torwar, level },
});
const deliveryChosen = (delivery: DeliveryMethod): CartEvent => ({
  type: 'CartDeliveryChosen',
  data: { cartId, delivery },
});
const cleared = (id = cartId): CartEvent => ({ type: 'CartCleared', data: { cartId: id } });
const printed: DeliveryMethod = { kind: 'printed' };
const address: PostalAddress = {
  recipient: 'Jan Kowalski',
  line1: 'ul. Marszałkowska 1',
  line2: '',
  postalCode: '00-950',
  city: 'Warszawa',
  country: 'PL',
};
const line = (level: string, quantity: number, overrides: Partial<CartLine> = {}): CartLine => ({
  concertId: torwar,
  level,
  quantity,
  unitPrice: 15_000,
  currency: 'PLN',
  ...overrides,
});
const confirmedEvent = (lines: CartLine[], delivery: DeliveryMethod, orderId = 'order-1'): CartEvent => ({
  type: 'CartConfirmed',
  data: {
    cartId,
    orderId,
    deskSessionId,
    staff,
    lines,
    totals: totalsOf(lines),
    delivery,
    confirmedAt: '2026-11-21T18:05:00.000Z',
  },
});

const open = [opened()];

describe('opening a cart', () => {
  it('opens a cart for a signed-in seller', () => {
    given([]).when(openCart()).then([opened()]);
  });

  it('refuses a cart to a role the rule set does not let sell (users/permissions): admins and organizers', () => {
    for (const role of ['admin', 'organizer'] as const)
      given([])
        .when(openCart({ staff: { userId: 'olga', role } }))
        .thenThrows('not_allowed');
  });

  it('refuses a cart to nobody signed in', () => {
    given([])
      .when(openCart({ staff: { userId: ' ', role: 'desk' } }))
      .thenThrows('not_signed_in');
  });

  it('refuses a cart to a scanner or a manager', () => {
    given([])
      .when(openCart({ staff: { userId: 'piotr', role: 'scanner' } }))
      .thenThrows('not_allowed');
    given([])
      .when(openCart({ staff: { userId: 'maria', role: 'manager' } }))
      .thenThrows('not_allowed');
  });

  it('keeps one open cart per desk session', () => {
    given(open)
      .when(openCart({ cartId: 'cart-2' }))
      .thenThrows('cart_open');
  });

  it('opens the same cart once (a replay is a no-op)', () => {
    given(open).when(openCart()).then([]);
    given([...open, cleared()])
      .when(openCart())
      .then([]);
  });

  it('opens a new cart once the last one is cleared or confirmed', () => {
    given([...open, cleared()])
      .when(openCart({ cartId: 'cart-2' }))
      .then([opened('cart-2')]);
    given([
      ...open,
      added('a1', 'Regular', 1),
      deliveryChosen(printed),
      confirmedEvent([line('Regular', 1)], printed),
    ])
      .when(openCart({ cartId: 'cart-2' }))
      .then([opened('cart-2')]);
  });
});

describe('adding tickets', () => {
  it('adds a concert and level with its price', () => {
    given(open)
      .when(add('a1', 'Regular', 2))
      .then([added('a1', 'Regular', 2)]);
  });

  it('adds tickets of several concerts, levels and currencies to one cart', () => {
    given([...open, added('a1', 'Regular', 2)])
      .when(add('a2', 'Płyta', 1, { concertId: spodek, unitPrice: 9_900, currency: 'EUR' }))
      .then([added('a2', 'Płyta', 1, { concertId: spodek, unitPrice: 9_900, currency: 'EUR' })]);
  });

  it('adds to the quantity of a concert and level already in the cart', () => {
    const state = fold(evolveCart, initialCartState(), [
      ...open,
      added('a1', 'Regular', 2),
      added('a2', 'Regular', 3),
    ]);
    expect(state.status === 'open' && state.cart.lines).toEqual([line('Regular', 5)]);
  });

  it('applies the same add once (a double click is one add)', () => {
    given([...open, added('a1', 'Regular', 2)])
      .when(add('a1', 'Regular', 2))
      .then([]);
  });

  it('refuses a quantity of zero, below zero or a fraction', () => {
    for (const quantity of [0, -1, 1.5])
      given(open)
        .when(add('a1', 'Regular', quantity))
        .thenThrows('invalid_quantity');
  });

  it('refuses a negative or fractional price, and a currency that is not a code', () => {
    given(open)
      .when(add('a1', 'Regular', 1, { unitPrice: -1 }))
      .thenThrows('invalid_price');
    given(open)
      .when(add('a1', 'Regular', 1, { unitPrice: 10.5 }))
      .thenThrows('invalid_price');
    given(open)
      .when(add('a1', 'Regular', 1, { currency: 'zł' }))
      .thenThrows('invalid_currency');
  });

  it('allows a free ticket (price 0)', () => {
    given(open)
      .when(add('a1', 'Guest list', 1, { unitPrice: 0 }))
      .then([added('a1', 'Guest list', 1, { unitPrice: 0 })]);
  });

  it('refuses more seats than are available, counting those already in the cart', () => {
    given(open)
      .when(add('a1', 'Regular', 3, { available: 2 }))
      .thenThrows('not_enough_seats');
    const error = given([...open, added('a1', 'Regular', 2)])
      .when(add('a2', 'Regular', 2, { available: 3 }))
      .thenThrows('not_enough_seats');
    expect(error.message).toBe('Only 3 "Regular" seats are available; the cart would hold 4.');
    expect(
      given(open)
        .when(add('a1', 'Regular', 1, { available: 0 }))
        .thenThrows('not_enough_seats').message,
    ).toBe('"Regular" is sold out.');
  });

  it('allows exactly the seats available', () => {
    given([...open, added('a1', 'Regular', 2)])
      .when(add('a2', 'Regular', 1, { available: 3 }))
      .then([added('a2', 'Regular', 1)]);
  });

  it('refuses the same level at another price or currency', () => {
    given([...open, added('a1', 'Regular', 2)])
      .when(add('a2', 'Regular', 1, { unitPrice: 16_000 }))
      .thenThrows('price_mismatch');
    given([...open, added('a1', 'Regular', 2)])
      .when(add('a2', 'Regular', 1, { currency: 'EUR' }))
      .thenThrows('price_mismatch');
  });
});

describe('changing a quantity', () => {
  const withRegular = [...open, added('a1', 'Regular', 2)];

  it('sets the quantity of a line', () => {
    given(withRegular)
      .when(change('Regular', 4))
      .then([quantityChanged('Regular', 4)]);
    const state = fold(evolveCart, initialCartState(), [...withRegular, quantityChanged('Regular', 4)]);
    expect(state.status === 'open' && state.cart.lines).toEqual([line('Regular', 4)]);
  });

  it('changes nothing when the quantity is the same', () => {
    given(withRegular).when(change('Regular', 2)).then([]);
  });

  it('refuses a quantity of zero or below: the line is removed instead', () => {
    const error = given(withRegular).when(change('Regular', 0)).thenThrows('invalid_quantity');
    expect(error.message).toMatch(/remove it/);
    given(withRegular).when(change('Regular', -2)).thenThrows('invalid_quantity');
  });

  it('refuses a quantity above what is available', () => {
    given(withRegular)
      .when(change('Regular', 5, 4))
      .thenThrows('not_enough_seats');
  });

  it('refuses to change a line that is not in the cart', () => {
    given(withRegular).when(change('VIP', 1)).thenThrows('not_in_cart');
    given(withRegular)
      .when(change('Regular', 1, 10, spodek))
      .thenThrows('not_in_cart');
  });
});

describe('removing a line', () => {
  it('removes a line', () => {
    given([...open, added('a1', 'Regular', 2)])
      .when(remove('Regular'))
      .then([removed('Regular')]);
    const state = fold(evolveCart, initialCartState(), [
      ...open,
      added('a1', 'Regular', 2),
      added('a2', 'VIP', 1),
      removed('Regular'),
    ]);
    expect(state.status === 'open' && state.cart.lines).toEqual([line('VIP', 1)]);
  });

  it('refuses to remove what is not in the cart', () => {
    given(open).when(remove('Regular')).thenThrows('not_in_cart');
    given([...open, added('a1', 'Regular', 2), removed('Regular')])
      .when(remove('Regular'))
      .thenThrows('not_in_cart');
  });
});

describe('choosing a delivery', () => {
  it('prints at the desk', () => {
    given(open)
      .when(choose(printed))
      .then([deliveryChosen(printed)]);
  });

  it('sends by email to a valid address, trimmed', () => {
    given(open)
      .when(choose({ kind: 'email', email: ' fan@example.pl ' }))
      .then([deliveryChosen({ kind: 'email', email: 'fan@example.pl' })]);
  });

  it('refuses an email address the tickets cannot reach', () => {
    for (const email of [
      '',
      'fan',
      'fan@',
      '@example.pl',
      'fan@example',
      'fan @example.pl',
      'fan@example..pl',
    ])
      given(open)
        .when(choose({ kind: 'email', email }))
        .thenThrows('invalid_email');
    given(open)
      .when(choose({ kind: 'email', email: `${'a'.repeat(250)}@example.pl` }))
      .thenThrows('invalid_email');
  });

  it('sends by courier to a complete postal address, trimmed, country in capitals', () => {
    given(open)
      .when(choose({ kind: 'courier', address: { ...address, city: ' Warszawa ', country: 'pl' } }))
      .then([deliveryChosen({ kind: 'courier', address })]);
    const berlin = {
      recipient: 'Max',
      line1: 'Unter den Linden 1',
      line2: '',
      postalCode: '10117',
      city: 'Berlin',
      country: 'DE',
    };
    given(open)
      .when(choose({ kind: 'courier', address: berlin }))
      .then([deliveryChosen({ kind: 'courier', address: berlin })]);
    const london = { ...berlin, postalCode: 'SW1A 1AA', city: 'London', country: 'GB' };
    given(open)
      .when(choose({ kind: 'courier', address: london }))
      .then([deliveryChosen({ kind: 'courier', address: london })]);
  });

  it('refuses a courier address without a name, a street or a city', () => {
    const named = { recipient: 'name', line1: 'street', city: 'city' } as const;
    for (const [field, word] of Object.entries(named)) {
      const error = given(open)
        .when(choose({ kind: 'courier', address: { ...address, [field]: ' ' } }))
        .thenThrows('invalid_address');
      expect(error.message).toContain(word);
    }
  });

  it('refuses a country that is not a two-letter code', () => {
    given(open)
      .when(choose({ kind: 'courier', address: { ...address, country: 'P' } }))
      .thenThrows('invalid_address');
    given(open)
      .when(choose({ kind: 'courier', address: { ...address, country: '12' } }))
      .thenThrows('invalid_address');
  });

  it("refuses a postal code that is not one of the country's", () => {
    const error = given(open)
      .when(choose({ kind: 'courier', address: { ...address, postalCode: '00950' } }))
      .thenThrows('invalid_address');
    expect(error.message).toBe('"00950" is not a postal code in PL: it looks like 00-950.');
    given(open)
      .when(choose({ kind: 'courier', address: { ...address, postalCode: '1234', country: 'DE' } }))
      .thenThrows('invalid_address');
    given(open)
      .when(choose({ kind: 'courier', address: { ...address, postalCode: '', country: 'GB' } }))
      .thenThrows('invalid_address');
    given(open)
      .when(choose({ kind: 'courier', address: { ...address, postalCode: '#1', country: 'GB' } }))
      .thenThrows('invalid_address');
  });

  it('lets the delivery be changed while the cart is open', () => {
    const state = fold(evolveCart, initialCartState(), [
      ...open,
      deliveryChosen(printed),
      deliveryChosen({ kind: 'email', email: 'fan@example.pl' }),
    ]);
    expect(state.status === 'open' && state.cart.delivery).toEqual({
      kind: 'email',
      email: 'fan@example.pl',
    });
  });

  it('checks a delivery on its own, for the desk to use before sending', () => {
    expect(checkDelivery(printed)).toEqual(printed);
    expect(() => checkDelivery({ kind: 'email', email: 'nope' })).toThrow('is not an email address');
  });
});

describe('confirming a cart', () => {
  const ready = [
    ...open,
    added('a1', 'Regular', 2),
    added('a2', 'VIP', 1, { unitPrice: 30_000 }),
    deliveryChosen(printed),
  ];

  it('hands the lines, the totals per currency and the delivery over to an order', () => {
    given(ready)
      .when(confirm())
      .then([confirmedEvent([line('Regular', 2), line('VIP', 1, { unitPrice: 30_000 })], printed)]);
  });

  it('totals each currency on its own', () => {
    const lines = [
      line('Regular', 2),
      line('Płyta', 3, { concertId: spodek, unitPrice: 9_900, currency: 'EUR' }),
      line('VIP', 1, { unitPrice: 30_000 }),
    ];
    expect(totalsOf(lines)).toEqual([
      { currency: 'EUR', amount: 29_700 },
      { currency: 'PLN', amount: 60_000 },
    ]);
  });

  it('refuses to confirm an empty cart', () => {
    given([...open, deliveryChosen(printed)])
      .when(confirm())
      .thenThrows('empty_cart');
    given([...open, added('a1', 'Regular', 2), removed('Regular'), deliveryChosen(printed)])
      .when(confirm())
      .thenThrows('empty_cart');
  });

  it('refuses to confirm before a delivery is chosen', () => {
    given([...open, added('a1', 'Regular', 2)])
      .when(confirm())
      .thenThrows('no_delivery');
  });

  it('confirms once: the same confirmation again is a no-op', () => {
    const confirmed = confirmedEvent([line('Regular', 2), line('VIP', 1, { unitPrice: 30_000 })], printed);
    given([...ready, confirmed])
      .when(confirm())
      .then([]);
  });
});

describe('a cart that is confirmed or cleared', () => {
  const confirmed = [
    ...open,
    added('a1', 'Regular', 2),
    deliveryChosen(printed),
    confirmedEvent([line('Regular', 2)], printed),
  ];
  const clearedCart = [...open, added('a1', 'Regular', 2), cleared()];

  it('clears an open cart, whatever it holds', () => {
    given(open).when(clear()).then([cleared()]);
    given([...open, added('a1', 'Regular', 2)])
      .when(clear())
      .then([cleared()]);
  });

  it('clears once: clearing again is a no-op', () => {
    given(clearedCart).when(clear()).then([]);
  });

  it('changes nothing once confirmed', () => {
    for (const command of [
      add('a2', 'VIP', 1),
      change('Regular', 1),
      remove('Regular'),
      choose(printed),
      clear(),
    ]) {
      const error = given(confirmed).when(command).thenThrows('cart_closed');
      expect(error.message).toContain('order-1');
    }
    given(confirmed).when(confirm('order-2')).thenThrows('cart_closed');
  });

  it('changes nothing once cleared', () => {
    for (const command of [
      add('a2', 'VIP', 1),
      change('Regular', 1),
      remove('Regular'),
      choose(printed),
      confirm(),
    ])
      given(clearedCart).when(command).thenThrows('cart_closed');
  });

  it('ignores late events of a closed cart in the next one', () => {
    const state = fold(evolveCart, initialCartState(), [
      ...clearedCart,
      opened('cart-2'),
      added('a9', 'VIP', 1),
    ]);
    expect(state).toMatchObject({ status: 'open', cart: { cartId: 'cart-2', lines: [] } });
  });
});

describe('a command for no open cart', () => {
  it('is refused when no cart is open, or another one is', () => {
    given([])
      .when(add('a1', 'Regular', 1))
      .thenThrows('no_open_cart');
    given(open)
      .when(add('a1', 'Regular', 1, { cartId: 'cart-9' }))
      .thenThrows('no_open_cart');
    given([]).when(confirm()).thenThrows('no_open_cart');
  });
});

describe('a command or event of a type the cart does not know', () => {
  it('is a programming error, not silently ignored', () => {
    const state = fold(evolveCart, initialCartState(), open);
    expect(() => decideCart({ type: 'PayCart', data: { cartId } } as never, state)).toThrow('Unhandled case');
    expect(() => evolveCart(state, { type: 'CartPaid', data: { cartId } } as never)).toThrow(
      'Unhandled case',
    );
    expect(() => checkDelivery({ kind: 'pigeon' } as never)).toThrow('Unhandled case');
  });
});

describe('the cart read back from its events', () => {
  it('folds a whole sale into its state', () => {
    const events = [
      ...open,
      added('a1', 'Regular', 2),
      added('a2', 'VIP', 1, { unitPrice: 30_000 }),
      quantityChanged('Regular', 3),
      deliveryChosen(printed),
    ];
    const state = fold(evolveCart, initialCartState(), events);
    expect(state).toEqual({
      status: 'open',
      closed: [],
      cart: {
        cartId,
        deskSessionId,
        staff,
        openedAt: '2026-11-21T18:00:00.000Z',
        lines: [line('Regular', 3), line('VIP', 1, { unitPrice: 30_000 })],
        delivery: printed,
        addIds: ['a1', 'a2'],
      },
    });
    const confirmed = decideCart(confirm(), state);
    expect(fold(evolveCart, state, confirmed)).toEqual({
      status: 'idle',
      closed: [{ cartId, outcome: 'confirmed', orderId: 'order-1' }],
    });
  });
});
