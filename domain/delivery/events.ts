// The Delivery context: how each ticket reaches its holder (printed at the desk, emailed, or shipped by courier) and
// the record that it did, once. The desk prints; the sync server sends mail and books couriers.
import { z } from 'zod';
import { isoInstant } from '../log/envelope';

const id = z.string().min(1).max(100);
const reason = z.string().max(500);

export const postalAddressSchema = z.object({
  recipient: z.string().max(200),
  line1: z.string().max(200),
  line2: z.string().max(200),
  postalCode: z.string().max(20),
  city: z.string().max(100),
  /** ISO 3166-1 alpha-2, such as PL. */
  country: z.string().max(2),
});
export type PostalAddress = z.infer<typeof postalAddressSchema>;

export const deliveryMethodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('printed') }),
  z.object({ kind: z.literal('email'), email: z.string().max(254) }),
  z.object({ kind: z.literal('courier'), address: postalAddressSchema }),
]);
export type DeliveryMethod = z.infer<typeof deliveryMethodSchema>;
export type DeliveryKind = DeliveryMethod['kind'];

export const deliveryEventSchemas = {
  DeliveryMethodChosen: z.object({
    ticketId: id,
    orderId: id,
    method: deliveryMethodSchema,
    chosenAt: isoInstant,
  }),
  TicketPrinted: z.object({ ticketId: id, attemptId: id, deskId: id, printedAt: isoInstant }),
  TicketPrintFailed: z.object({ ticketId: id, attemptId: id, deskId: id, reason, failedAt: isoInstant }),
  TicketEmailed: z.object({
    ticketId: id,
    attemptId: id,
    email: z.string().max(254),
    /** The mail server's message id, to trace the email. */
    messageId: z.string().min(1).max(300),
    sentAt: isoInstant,
  }),
  TicketEmailFailed: z.object({
    ticketId: id,
    attemptId: id,
    email: z.string().max(254),
    reason,
    failedAt: isoInstant,
  }),
  TicketShipped: z.object({
    ticketId: id,
    attemptId: id,
    carrier: z.string().min(1).max(100),
    trackingNumber: z.string().min(1).max(60),
    address: postalAddressSchema,
    shippedAt: isoInstant,
  }),
  TicketShipmentFailed: z.object({
    ticketId: id,
    attemptId: id,
    carrier: z.string().min(1).max(100),
    reason,
    failedAt: isoInstant,
  }),
  /** The ticket was voided before it went out: it is never delivered. */
  TicketDeliveryCancelled: z.object({ ticketId: id, reason, cancelledAt: isoInstant }),
} as const;

/** The desk chooses the method with the sale and prints; the sync server emails, ships, and stops voided tickets. */
export const deliveryEventWriters = {
  DeliveryMethodChosen: 'device',
  TicketPrinted: 'device',
  TicketPrintFailed: 'device',
  TicketEmailed: 'authority',
  TicketEmailFailed: 'authority',
  TicketShipped: 'authority',
  TicketShipmentFailed: 'authority',
  TicketDeliveryCancelled: 'authority',
} as const satisfies Record<keyof typeof deliveryEventSchemas, 'device' | 'authority'>;

type DataOf<S extends Record<string, z.ZodType>> = {
  [K in keyof S]: { type: K; data: z.infer<S[K]> };
}[keyof S];
export type DeliveryEvent = DataOf<typeof deliveryEventSchemas>;
export type DeliveryEventType = DeliveryEvent['type'];
export type DeliveryEventData<K extends DeliveryEventType> = z.infer<(typeof deliveryEventSchemas)[K]>;
