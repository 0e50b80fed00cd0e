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
//   TicketsRefundRequested (desk fact) ──► TicketsRefundAccepted
//                                  └─ request:<refundId>:<concertId>:void ──► TicketsVoided | TicketsVoidRefused
//                                     (one per concert of the refunded tickets; not relayed: the order moved on)
import { z } from 'zod';
import { cartLineSchema } from '../cart/events';
import { concertIdSchema } from '../concert/events';
import { inventoryDecisionSchemas } from '../inventory/events';
import { isoInstant } from '../log/envelope';
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
/** The request to void a refund's tickets of one concert: one per refund and concert, so a replay is a 409. */
export const voidRequestId = (refundId: string, concertId: string): string =>
  `${requestIdPrefix}${refundId}:${concertId}:void`;

const id = z.string().min(1).max(200);
const seats = { reservationId: id, orderId: id, concertId: concertIdSchema };
const refund = { refundId: id, orderId: id, concertId: concertIdSchema };
const ticketIds = z.array(id).max(1000);

/** Why a concert could not void the tickets of an order's refund. */
export const voidRefusals = ['unknown_ticket', 'not_of_order', 'already_voided'] as const;
export type VoidRefusal = (typeof voidRefusals)[number];

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
  /** An order's tickets of this concert were refunded: void them and give their seats back. */
  TicketsVoidRequested: z.object({ ...refund, ticketIds: ticketIds.min(1), reason: z.string().max(500) }),
  /**
   * The tickets still valid are voided (a scanner refuses them) and their seats go back to their levels' free seats;
   * those voided before (a desk refunded the sale they came from) are named apart, and give nothing back again.
   */
  TicketsVoided: z.object({
    ...refund,
    tickets: z
      .array(z.object({ ticketId: id, level: z.string().min(1).max(60) }))
      .min(1)
      .max(1000),
    alreadyVoided: ticketIds,
    voidedAt: isoInstant,
  }),
  /** Nothing was voided: tickets this concert did not issue, or issued for another order, or all voided already. */
  TicketsVoidRefused: z.object({
    ...refund,
    code: z.enum(voidRefusals),
    /** The tickets the code is about. */
    ticketIds: ticketIds.min(1),
    message: z.string().min(1).max(500),
  }),
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
