// The Cart context: a box-office sale in progress at a desk, across concerts, until it is confirmed into an order.
// Every event is a fact written at the desk: the cart belongs to one desk session and nobody else can change it.
import { z } from 'zod';
import { concertIdSchema } from '../concert/events';
import { deliveryMethodSchema } from '../delivery/address';
import { isoInstant } from '../log/envelope';
import { staffSchema } from '../reservation/events';

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as PLN');

/** One concert and level in the cart; money in minor units of the line's currency. */
export const cartLineSchema = z.object({
  concertId: concertIdSchema,
  level: z.string().min(1).max(60),
  quantity: z.number().int().min(1).max(1000),
  unitPrice: z.number().int().nonnegative(),
  currency: currencySchema,
});
export type CartLine = z.infer<typeof cartLineSchema>;

export const totalSchema = z.object({ currency: currencySchema, amount: z.number().int().nonnegative() });
export type Total = z.infer<typeof totalSchema>;

export const cartRejectionCodes = [
  'not_signed_in',
  'not_allowed',
  'cart_open',
  'no_open_cart',
  'cart_closed',
  'invalid_quantity',
  'invalid_price',
  'invalid_currency',
  'price_mismatch',
  'not_enough_seats',
  'not_in_cart',
  'invalid_email',
  'invalid_address',
  'empty_cart',
  'no_delivery',
] as const;
export type CartRejectionCode = (typeof cartRejectionCodes)[number];

const cart = { cartId: z.string().min(1).max(200) };
const line = { concertId: concertIdSchema, level: z.string().min(1).max(60) };

export const cartEventSchemas = {
  CartOpened: z.object({
    ...cart,
    deskSessionId: z.string().min(1).max(200),
    staff: staffSchema,
    /** The desk's clock: informational only. */
    openedAt: isoInstant,
  }),
  /** Seats added; adding a concert and level already in the cart adds to its quantity. */
  CartItemAdded: z.object({ ...cart, addId: z.string().min(1).max(200), ...cartLineSchema.shape }),
  CartItemQuantityChanged: z.object({ ...cart, ...line, quantity: z.number().int().min(1).max(1000) }),
  CartItemRemoved: z.object({ ...cart, ...line }),
  /** How the tickets reach the customer: the delivery context's method, checked by its rules. */
  CartDeliveryChosen: z.object({ ...cart, delivery: deliveryMethodSchema }),
  CartCleared: z.object(cart),
  /** The hand-over to an order: everything the order needs, and the order's id chosen at the desk. */
  CartConfirmed: z.object({
    ...cart,
    orderId: z.string().min(1).max(200),
    deskSessionId: z.string().min(1).max(200),
    staff: staffSchema,
    lines: z.array(cartLineSchema).min(1).max(100),
    totals: z.array(totalSchema).min(1),
    delivery: deliveryMethodSchema,
    /** The desk's clock: informational only; the order's deadline runs from the authority's clock. */
    confirmedAt: isoInstant,
  }),
} as const;

export const cartEventWriters = {
  CartOpened: 'device',
  CartItemAdded: 'device',
  CartItemQuantityChanged: 'device',
  CartItemRemoved: 'device',
  CartDeliveryChosen: 'device',
  CartCleared: 'device',
  CartConfirmed: 'device',
} as const satisfies Record<keyof typeof cartEventSchemas, 'device' | 'authority'>;

type Schemas = typeof cartEventSchemas;
export type CartEventType = keyof Schemas;
export type CartEventData<K extends CartEventType> = z.infer<Schemas[K]>;
export type CartEvent = { [K in CartEventType]: { type: K; data: CartEventData<K> } }[CartEventType];
