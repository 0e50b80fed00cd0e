// The order flow's own documents: what the orders authority asks of a concert's authority (requests), the tickets a
// concert issues for an order, a concert's decision relayed to the orders database, and a step the order refused.
// Every id here is deterministic, so a step done twice (a crash, a replay) writes the same document twice: a 409.
//
//   orders database (`stagedoor-orders`)             concert database (`stagedoor-concert-<id>`)
//   CartConfirmed (desk fact) ──► OrderPlaced
//                                  └─ request:<reservationId>:reserve ──► ReservationPlaced | ReservationRefused
//   relay:<decision id> ◄──────────────────────────────────────────────────┘
//   OrderSeatsHeld … PaymentInitiated (desk fact, cash) ──► PaymentSucceeded ──► OrderPaymentCaptured
//                                  └─ request:<reservationId>:confirm ──► ReservationConfirmed ──► relay
//   OrderSeatsConfirmed            └─ request:<reservationId>:tickets ──► TicketsIssued ──► relay
//   OrderTicketsIssued ─► DeliveryMethodChosen per ticket, InvoiceCreated, InvoicePaymentRecorded,
//                         InvoiceNumberAssigned, OrderInvoiced, NotificationRequested
//   OrderCancelled ─► request:<reservationId>:release ──► ReservationReleased; PaymentRefunded (cash back)
//   (a concert expires a hold itself, on its clock: ReservationExpired ──► relay ──► OrderCancelled)
//   A desk's cash sale: SaleRecorded (desk fact) ──► SeatsAllocated ──► relay ──► OrderRecordedFromSale (paid)
//                                  └─ request:sale:<saleId>:tickets ──► TicketsIssued ──► relay ──► as above
import { z } from 'zod';
import { cartLineSchema } from '../cart/events';
import { concertIdSchema } from '../concert/events';
import { inventoryDecisionSchemas } from '../inventory/events';
import { reservationEventSchemas, reservedLineSchema, staffSchema } from '../reservation/events';
import { ticketEventSchemas } from '../ticket/events';

export const ordersDatabase = 'stagedoor-orders';
export const orderStream = (orderId: string): string => `order-${orderId}`;
export const cartStream = (cartId: string): string => `cart-${cartId}`;

export const requestIdPrefix = 'request:';
export const relayIdPrefix = 'relay:';
export type RequestStep = 'reserve' | 'confirm' | 'release' | 'tickets';
export const requestId = (reservationId: string, step: RequestStep): string =>
  `${requestIdPrefix}${reservationId}:${step}`;
export const relayId = (decisionDocId: string): string => `${relayIdPrefix}${decisionDocId}`;

const id = z.string().min(1).max(200);
const seats = { reservationId: id, orderId: id, concertId: concertIdSchema };

/** A sale the concert allocated, with what its order needs of the sale recorded at the desk. */
export const allocatedSaleSchema = inventoryDecisionSchemas.SeatsAllocated.extend({
  unitPrice: z.number().int().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** The cash handed over. */
  tendered: z.number().int().nonnegative(),
  deviceId: id,
  userId: z.string().min(1).max(100),
});
export type AllocatedSale = z.infer<typeof allocatedSaleSchema>;

/** The concert-side decisions the order process hears of. */
export const relayedDecisionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ReservationPlaced'), data: reservationEventSchemas.ReservationPlaced }),
  z.object({ type: z.literal('ReservationRefused'), data: reservationEventSchemas.ReservationRefused }),
  z.object({ type: z.literal('ReservationConfirmed'), data: reservationEventSchemas.ReservationConfirmed }),
  z.object({ type: z.literal('ReservationExpired'), data: reservationEventSchemas.ReservationExpired }),
  z.object({ type: z.literal('ReservationReleased'), data: reservationEventSchemas.ReservationReleased }),
  z.object({
    type: z.literal('TicketsIssued'),
    data: z.object({ ...seats, tickets: z.array(ticketEventSchemas.TicketIssued).min(1).max(1000) }),
  }),
  z.object({ type: z.literal('SeatsAllocated'), data: allocatedSaleSchema }),
]);
export type RelayedDecision = z.infer<typeof relayedDecisionSchema>;

export const orderFlowSchemas = {
  /** Hold these seats for the order (the concert adds its clock, its seats left and its hold time). */
  SeatsReservationRequested: z.object({
    ...seats,
    lines: z.array(reservedLineSchema).min(1).max(50),
    staff: staffSchema,
  }),
  /** The order is paid: keep the held seats for good. */
  ReservationConfirmationRequested: z.object(seats),
  /** The order was cancelled: give the seats back. */
  ReservationReleaseRequested: z.object(seats),
  /** Issue one ticket per confirmed seat of this reservation. */
  TicketsIssueRequested: z.object({
    ...seats,
    customerId: id,
    lines: z.array(cartLineSchema).min(1).max(100),
  }),
  /** One decision for all the tickets of one reservation: a crash never leaves half of them issued. */
  TicketsIssued: z.object({ ...seats, tickets: z.array(ticketEventSchemas.TicketIssued).min(1).max(1000) }),
  /** A concert's decision, copied into the orders database (id `relay:<decision id>`). */
  ConcertDecisionRelayed: z.object({
    concertId: concertIdSchema,
    decisionDocId: z.string().min(1).max(300),
    event: relayedDecisionSchema,
  }),
  /** What the order's rules refused, and why (the cause is the decision's causationId). */
  OrderStepRefused: z.object({
    orderId: id,
    step: z.string().min(1).max(60),
    code: z.string().min(1).max(60),
    message: z.string().max(500),
  }),
} as const;
