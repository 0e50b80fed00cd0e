// The Delivery context: how each ticket reaches its holder (printed at the desk, emailed, or shipped by courier) and
// the record that it did, once. The method and address checks live in address.ts, shared with the cart.
import { z } from 'zod';
import { isoInstant } from '../log/envelope';
import { deliveryMethodSchema, postalAddressSchema } from './address';

const id = z.string().min(1).max(100);
const reason = z.string().max(500);

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

/**
 * The desk chooses the method in the cart (CartDeliveryChosen, its fact); the order process carries that choice to
 * each ticket once it is issued (DeliveryMethodChosen). The desk prints; the sync server emails, ships, and stops the
 * delivery of voided tickets.
 */
export const deliveryEventWriters = {
  DeliveryMethodChosen: 'authority',
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
