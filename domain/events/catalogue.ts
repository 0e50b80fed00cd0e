// The event catalogue: every event type, its schema version, who may write it, and the schema that validates it at
// every edge (the authority's loop, the devices' replication, the HTTP API). docs/events.md is its prose twin.
import { z } from 'zod';
import { allotmentDecisionSchemas, allotmentFactSchemas } from '../allotment/events';
import { cartEventSchemas } from '../cart/events';
import { concertDecisionSchemas, concertFactSchemas } from '../concert/events';
import { deliveryEventSchemas } from '../delivery/events';
import { financeEventSchemas } from '../finance/events';
import { inventoryDecisionSchemas, inventoryFactSchemas } from '../inventory/events';
import { notificationsEventSchemas } from '../notifications/events';
import { orderEventSchemas } from '../order/events';
import { paymentEventSchemas } from '../payment/events';
import { reservationEventSchemas } from '../reservation/events';
import { trustDecisionSchemas, trustFactSchemas } from '../ticket/trust-events';
import { ticketPrintSchemas } from '../ticket/print-events';
import { ticketEventSchemas } from '../ticket/events';
import {
  gateDecisionSchemas,
  gateDecisionTypes,
  gateFactSchemas,
  gateFactTypes,
} from '../ticket/gate-events';
import { orderFlowSchemas, relayIdPrefix, requestIdPrefix } from './order-flow';
import { decisionMetaSchema, envelopeSchema, factIdPattern, factMetaSchema } from '../log/envelope';
import type { DecisionMeta, EventDoc, FactMeta } from '../log/envelope';
import { upcast } from './upcasters';
import type { UpcastContext } from './upcasters';

export type Role = 'admin' | 'organizer' | 'desk' | 'scanner' | 'manager';

export const quarantineSchemas = {
  /** A document the authority could not accept: kept, with the reason, for an admin to review. */
  FactQuarantined: z.object({
    docId: z.string(),
    database: z.string(),
    reason: z.string(),
    docType: z.string().nullable(),
  }),
} as const;

/**
 * fact: a device's, ULID id, decided once by its database's authority. decision: the authority's, in a stream chain.
 * request: one authority asking another (orders → a concert), id `request:…`, decided like a fact.
 * relay: a concert's decision copied to the orders database for the order process, id `relay:<decision id>`.
 * record: the authority's bookkeeping (quarantine).
 */
export type EntryKind = 'fact' | 'decision' | 'request' | 'relay' | 'record';

type Entry<K extends EntryKind> = {
  kind: K;
  v: number;
  schema: z.ZodType;
  writers: readonly string[];
};

const fact = (schema: z.ZodType, writers: readonly Role[]): Entry<'fact'> => ({
  kind: 'fact',
  v: 1,
  schema,
  writers,
});
const decision = (schema: z.ZodType): Entry<'decision'> => ({
  kind: 'decision',
  v: 1,
  schema,
  writers: ['authority'],
});

const request = (schema: z.ZodType): Entry<'request'> => ({
  kind: 'request',
  v: 1,
  schema,
  writers: ['authority'],
});

const organizers = ['admin', 'organizer'] as const;
const sellers = ['desk'] as const;

export const eventCatalogue = {
  ConcertCreationRequested: fact(concertFactSchemas.ConcertCreationRequested, organizers),
  ConcertDetailsChangeRequested: fact(concertFactSchemas.ConcertDetailsChangeRequested, organizers),
  TicketLevelsChangeRequested: fact(concertFactSchemas.TicketLevelsChangeRequested, organizers),
  ConcertPublicationRequested: fact(concertFactSchemas.ConcertPublicationRequested, organizers),
  ConcertUnpublicationRequested: fact(concertFactSchemas.ConcertUnpublicationRequested, organizers),
  ConcertCancellationRequested: fact(concertFactSchemas.ConcertCancellationRequested, organizers),
  SaleRecorded: { ...fact(inventoryFactSchemas.SaleRecorded, ['desk']), v: 2 },

  ConcertCreated: decision(concertDecisionSchemas.ConcertCreated),
  ConcertDetailsUpdated: decision(concertDecisionSchemas.ConcertDetailsUpdated),
  TicketLevelsUpdated: decision(concertDecisionSchemas.TicketLevelsUpdated),
  ConcertPublished: decision(concertDecisionSchemas.ConcertPublished),
  ConcertUnpublished: decision(concertDecisionSchemas.ConcertUnpublished),
  ConcertCancelled: decision(concertDecisionSchemas.ConcertCancelled),
  ConcertChangeRejected: decision(concertDecisionSchemas.ConcertChangeRejected),
  SeatsAllocated: decision(inventoryDecisionSchemas.SeatsAllocated),
  SaleRejected: decision(inventoryDecisionSchemas.SaleRejected),
  /** A rejected sale made good by the desk that sold it: cash back, or an exchange (a new sale). */
  SaleSettlementRecorded: fact(inventoryFactSchemas.SaleSettlementRecorded, ['desk']),
  SaleSettled: decision(inventoryDecisionSchemas.SaleSettled),
  SaleSettlementRefused: decision(inventoryDecisionSchemas.SaleSettlementRefused),
  /** The codes a sale's tickets were printed with (a reprint prints them again): recorded, nothing to decide. */
  TicketsPrinted: fact(ticketPrintSchemas.TicketsPrinted, sellers),

  // The gate (domain/ticket): scans as the scanners made them, decided in the concert's stream in one order, so a
  // ticket used at two gates offline is caught; a confirmed sale refunded voids its tickets.
  TicketScanned: fact(ticketEventSchemas.TicketScanned, ['scanner']),
  /** A scanner's own scan, annulled within two minutes. */
  TicketScanAnnulled: fact(gateFactSchemas.TicketScanAnnulled, ['scanner']),
  TicketEntered: decision(ticketEventSchemas.TicketEntered),
  TicketExited: decision(ticketEventSchemas.TicketExited),
  TicketScanRefused: decision(ticketEventSchemas.TicketScanRefused),
  TicketScanAnnulmentAccepted: decision(gateDecisionSchemas.TicketScanAnnulmentAccepted),
  TicketScanAnnulmentRefused: decision(gateDecisionSchemas.TicketScanAnnulmentRefused),
  SaleRefundRequested: fact(gateFactSchemas.SaleRefundRequested, sellers),
  SaleRefunded: decision(gateDecisionSchemas.SaleRefunded),
  SaleRefundRefused: decision(gateDecisionSchemas.SaleRefundRefused),

  // Allotments (domain/allotment): desks' blocks of seats, decided in the concert's stream against its capacity.
  AllotmentGrantRequested: fact(allotmentFactSchemas.AllotmentGrantRequested, organizers),
  AllotmentPolicySet: fact(allotmentFactSchemas.AllotmentPolicySet, organizers),
  /** Written by the desk whose block it is (the authority checks the fact's device). */
  AllotmentReturnRequested: fact(allotmentFactSchemas.AllotmentReturnRequested, sellers),
  AllotmentGranted: decision(allotmentDecisionSchemas.AllotmentGranted),
  AllotmentPolicyApplied: decision(allotmentDecisionSchemas.AllotmentPolicyApplied),
  AllotmentRefused: decision(allotmentDecisionSchemas.AllotmentRefused),
  AllotmentReturned: decision(allotmentDecisionSchemas.AllotmentReturned),
  AllotmentLapsed: decision(allotmentDecisionSchemas.AllotmentLapsed),

  // The order flow (docs/architecture.md, "Orders"). Facts a desk writes to the orders database:
  CartOpened: fact(cartEventSchemas.CartOpened, sellers),
  CartItemAdded: fact(cartEventSchemas.CartItemAdded, sellers),
  CartItemQuantityChanged: fact(cartEventSchemas.CartItemQuantityChanged, sellers),
  CartItemRemoved: fact(cartEventSchemas.CartItemRemoved, sellers),
  CartDeliveryChosen: fact(cartEventSchemas.CartDeliveryChosen, sellers),
  CartCleared: fact(cartEventSchemas.CartCleared, sellers),
  CartConfirmed: fact(cartEventSchemas.CartConfirmed, sellers),
  /** Cash in the drawer: the authority captures it at once (a card is paid through the gateway, see below). */
  PaymentInitiated: fact(paymentEventSchemas.PaymentInitiated, sellers),
  OrderCancellationRequested: fact(orderEventSchemas.OrderCancellationRequested, sellers),
  /** Tickets of a paid order refunded at the desk, some or all, in cash or back to the card. */
  TicketsRefundRequested: fact(paymentEventSchemas.TicketsRefundRequested, sellers),
  /**
   * The card gateway's signed webhook, as the sync server writes it (no device may): a ULID-shaped id derived from the
   * gateway's event id, so a webhook delivered twice is one document.
   */
  PaymentGatewayReported: fact(paymentEventSchemas.PaymentGatewayReported, []),
  // A desk's cash drawer (domain/finance/cash-drawer.ts), decided at the desk like its cart, in `drawer-<deskId>`:
  DrawerShiftOpened: fact(financeEventSchemas.DrawerShiftOpened, sellers),
  DrawerCashSaleRecorded: fact(financeEventSchemas.DrawerCashSaleRecorded, sellers),
  DrawerCashRefundRecorded: fact(financeEventSchemas.DrawerCashRefundRecorded, sellers),
  DrawerCashPaidIn: fact(financeEventSchemas.DrawerCashPaidIn, sellers),
  DrawerCashPaidOut: fact(financeEventSchemas.DrawerCashPaidOut, sellers),
  DrawerShiftClosed: fact(financeEventSchemas.DrawerShiftClosed, sellers),

  // What the orders authority asks of a concert's authority (in the concert's database):
  SeatsReservationRequested: request(orderFlowSchemas.SeatsReservationRequested),
  ReservationConfirmationRequested: request(orderFlowSchemas.ReservationConfirmationRequested),
  ReservationReleaseRequested: request(orderFlowSchemas.ReservationReleaseRequested),
  TicketsIssueRequested: request(orderFlowSchemas.TicketsIssueRequested),
  /** An order's tickets refunded (TicketsRefundAccepted): one request per concert, id `request:<refundId>:<concertId>:void`. */
  TicketsVoidRequested: request(orderFlowSchemas.TicketsVoidRequested),

  // A concert's decisions about reservations and tickets (in its stream, counted against its capacity):
  ReservationPlaced: decision(reservationEventSchemas.ReservationPlaced),
  ReservationRefused: decision(reservationEventSchemas.ReservationRefused),
  ReservationConfirmed: decision(reservationEventSchemas.ReservationConfirmed),
  ReservationExpired: decision(reservationEventSchemas.ReservationExpired),
  ReservationReleased: decision(reservationEventSchemas.ReservationReleased),
  TicketsIssued: decision(orderFlowSchemas.TicketsIssued),
  /** …and about an order's refunded tickets: voided, their seats back to the pool (not relayed: the order moved on). */
  TicketsVoided: decision(orderFlowSchemas.TicketsVoided),
  TicketsVoidRefused: decision(orderFlowSchemas.TicketsVoidRefused),

  // …relayed to the orders database:
  ConcertDecisionRelayed: {
    kind: 'relay',
    v: 1,
    schema: orderFlowSchemas.ConcertDecisionRelayed,
    writers: ['authority'],
  } as Entry<'relay'>,

  // The orders authority's decisions, in the order's stream (`order-<orderId>`):
  OrderPlaced: decision(orderEventSchemas.OrderPlaced),
  /** A desk's cash sale the concert allocated, as a paid one-line order (cause: the SeatsAllocated relayed). */
  OrderRecordedFromSale: decision(orderEventSchemas.OrderRecordedFromSale),
  OrderSeatsHeld: decision(orderEventSchemas.OrderSeatsHeld),
  OrderSeatsConfirmed: decision(orderEventSchemas.OrderSeatsConfirmed),
  OrderPaymentCaptured: decision(orderEventSchemas.OrderPaymentCaptured),
  OrderTicketsIssued: decision(orderEventSchemas.OrderTicketsIssued),
  OrderInvoiced: decision(orderEventSchemas.OrderInvoiced),
  OrderConfirmationSent: decision(orderEventSchemas.OrderConfirmationSent),
  OrderCancelled: decision(orderEventSchemas.OrderCancelled),
  /** A fact or step the order's rules refused (a cart that cannot become an order, a payment not due…). */
  OrderStepRefused: decision(orderFlowSchemas.OrderStepRefused),
  PaymentSucceeded: decision(paymentEventSchemas.PaymentSucceeded),
  PaymentFailed: decision(paymentEventSchemas.PaymentFailed),
  PaymentRefunded: decision(paymentEventSchemas.PaymentRefunded),
  GatewayRefundRequested: decision(paymentEventSchemas.GatewayRefundRequested),
  TicketsRefundAccepted: decision(paymentEventSchemas.TicketsRefundAccepted),
  /** A refund of an invoiced order's tickets, credited against its invoice; numbered in its own series (KOR). */
  CreditNoteIssued: decision(financeEventSchemas.CreditNoteIssued),
  InvoiceCreated: decision(financeEventSchemas.InvoiceCreated),
  InvoicePaymentRecorded: decision(financeEventSchemas.InvoicePaymentRecorded),
  /** In the series' numbering stream (`invoice-numbers-<series>-<year>`): gapless. */
  InvoiceNumberAssigned: decision(financeEventSchemas.InvoiceNumberAssigned),
  DeliveryMethodChosen: decision(deliveryEventSchemas.DeliveryMethodChosen),
  NotificationRequested: decision(notificationsEventSchemas.NotificationRequested),

  // Trust (domain/ticket/trust-events.ts), in the catalogue's `trust` stream: the keys tickets are signed with.
  /** A desk asks for its ticket-signing key to be certified for the concerts it works. */
  DeskKeyCertificationRequested: fact(trustFactSchemas.DeskKeyCertificationRequested, sellers),
  DeskCertificateRevocationRequested: fact(trustFactSchemas.DeskCertificateRevocationRequested, organizers),
  /** The sync server's public key, published at its start (once per key). */
  AuthorityKeyPublished: decision(trustDecisionSchemas.AuthorityKeyPublished),
  DeskKeyCertified: decision(trustDecisionSchemas.DeskKeyCertified),
  DeskKeyCertificationRefused: decision(trustDecisionSchemas.DeskKeyCertificationRefused),
  DeskCertificateRevoked: decision(trustDecisionSchemas.DeskCertificateRevoked),
  DeskCertificateRevocationRefused: decision(trustDecisionSchemas.DeskCertificateRevocationRefused),

  FactQuarantined: {
    kind: 'record',
    v: 1,
    schema: quarantineSchemas.FactQuarantined,
    writers: ['authority'],
  } as Entry<'record'>,
} as const;

export type EventType = keyof typeof eventCatalogue;
type KindOf<K> = { [T in EventType]: (typeof eventCatalogue)[T]['kind'] extends K ? T : never }[EventType];
export type FactType = KindOf<'fact'>;
export type DecisionType = KindOf<'decision'>;
export type RequestType = KindOf<'request'>;

/** The facts a concert's database holds: asked of its authority, decided in the concert's stream. */
export const concertFactTypes = [
  'ConcertCreationRequested',
  'ConcertDetailsChangeRequested',
  'TicketLevelsChangeRequested',
  'ConcertPublicationRequested',
  'ConcertUnpublicationRequested',
  'ConcertCancellationRequested',
  'SaleRecorded',
  'SaleSettlementRecorded',
  'AllotmentGrantRequested',
  'AllotmentPolicySet',
  'AllotmentReturnRequested',
  'TicketsPrinted',
  ...gateFactTypes,
] as const satisfies readonly FactType[];
export type ConcertFactType = (typeof concertFactTypes)[number];
/** The facts of the catalogue's trust stream (keys and certificates). */
export type TrustFactType = 'DeskKeyCertificationRequested' | 'DeskCertificateRevocationRequested';
/** The facts of the order flow, in the orders database. */
export type OrderFactType = Exclude<FactType, ConcertFactType | TrustFactType>;

/**
 * The decisions of a concert's stream about the concert, its direct sales, its gate and an order's refunded tickets
 * (the reservations' and tickets issued are the order flow's: concert-authority.ts relays those).
 */
export const concertDecisionTypes = [
  'ConcertCreated',
  'ConcertDetailsUpdated',
  'TicketLevelsUpdated',
  'ConcertPublished',
  'ConcertUnpublished',
  'ConcertCancelled',
  'ConcertChangeRejected',
  'SeatsAllocated',
  'SaleRejected',
  'SaleSettled',
  'SaleSettlementRefused',
  'AllotmentGranted',
  'AllotmentPolicyApplied',
  'AllotmentRefused',
  'AllotmentReturned',
  'AllotmentLapsed',
  ...gateDecisionTypes,
  'TicketsVoided',
  'TicketsVoidRefused',
] as const satisfies readonly DecisionType[];
export type ConcertDecisionType = (typeof concertDecisionTypes)[number];

type Schemas = typeof concertFactSchemas &
  typeof inventoryFactSchemas &
  typeof allotmentFactSchemas &
  typeof allotmentDecisionSchemas &
  typeof concertDecisionSchemas &
  typeof inventoryDecisionSchemas &
  typeof cartEventSchemas &
  typeof paymentEventSchemas &
  typeof orderEventSchemas &
  typeof reservationEventSchemas &
  typeof financeEventSchemas &
  typeof deliveryEventSchemas &
  typeof notificationsEventSchemas &
  typeof orderFlowSchemas &
  typeof trustFactSchemas &
  typeof trustDecisionSchemas &
  typeof ticketPrintSchemas &
  typeof ticketEventSchemas &
  typeof gateFactSchemas &
  typeof gateDecisionSchemas &
  typeof quarantineSchemas;
export type DataOf<T extends EventType> = z.infer<Schemas[T]>;

export type FactDoc<T extends FactType = FactType> = { [K in T]: EventDoc<K, DataOf<K>, FactMeta> }[T];
export type DecisionDoc<T extends DecisionType = DecisionType> = {
  [K in T]: EventDoc<K, DataOf<K>, DecisionMeta>;
}[T];
export type RequestDoc<T extends RequestType = RequestType> = {
  [K in T]: EventDoc<K, DataOf<K>, FactMeta>;
}[T];
export type RelayDoc = EventDoc<'ConcertDecisionRelayed', DataOf<'ConcertDecisionRelayed'>, FactMeta>;
export type QuarantineDoc = EventDoc<'FactQuarantined', DataOf<'FactQuarantined'>, FactMeta>;
export type AnyEventDoc = FactDoc | DecisionDoc | RequestDoc | RelayDoc | QuarantineDoc;

/** The version a new event of this type is written with. */
export const currentVersion = (type: EventType): number => eventCatalogue[type].v;

export const isEventType = (type: string): type is EventType => Object.hasOwn(eventCatalogue, type);

export type Parsed = { ok: true; doc: AnyEventDoc } | { ok: false; reason: string; type: string | null };

/**
 * Validates a stored document against the envelope and its type's schema, reading an older schema version as the
 * current one (see upcasters.ts); never throws.
 */
export function parseEventDoc(raw: unknown, context: UpcastContext = {}): Parsed {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success)
    return { ok: false, reason: `not an event: ${summarize(envelope.error)}`, type: typeOf(raw) };
  const { type, v, _id, data, meta } = envelope.data;
  if (!isEventType(type)) return { ok: false, reason: `unknown event type "${type}"`, type };
  const entry = eventCatalogue[type];
  if (v > entry.v)
    return { ok: false, reason: `${type} v${v} is newer than this software reads (v${entry.v})`, type };
  if (entry.kind === 'fact' && !factIdPattern.test(_id))
    return { ok: false, reason: `a device fact's id must be a ULID, not "${_id}"`, type };
  if (entry.kind === 'request' && !_id.startsWith(requestIdPrefix))
    return { ok: false, reason: `a request's id starts with "${requestIdPrefix}", not "${_id}"`, type };
  if (entry.kind === 'relay' && !_id.startsWith(relayIdPrefix))
    return { ok: false, reason: `a relay's id starts with "${relayIdPrefix}", not "${_id}"`, type };
  const metaCheck = (entry.kind === 'decision' ? decisionMetaSchema : factMetaSchema).safeParse(meta);
  if (!metaCheck.success) return { ok: false, reason: `bad meta: ${summarize(metaCheck.error)}`, type };
  const lifted = upcast(type, v, entry.v, data, context);
  if (!lifted.ok) return { ok: false, reason: lifted.reason, type };
  const dataCheck = entry.schema.safeParse(lifted.data);
  if (!dataCheck.success) return { ok: false, reason: `bad ${type}: ${summarize(dataCheck.error)}`, type };
  return {
    ok: true,
    doc: { ...envelope.data, type, v: entry.v, meta: metaCheck.data, data: dataCheck.data } as AnyEventDoc,
  };
}

export const isFact = (doc: AnyEventDoc): doc is FactDoc => eventCatalogue[doc.type].kind === 'fact';
export const isConcertFact = (doc: AnyEventDoc): doc is FactDoc<ConcertFactType> =>
  (concertFactTypes as readonly string[]).includes(doc.type);
export const isConcertDecision = (doc: AnyEventDoc): doc is DecisionDoc<ConcertDecisionType> =>
  (concertDecisionTypes as readonly string[]).includes(doc.type);
export const isDecision = (doc: AnyEventDoc): doc is DecisionDoc =>
  eventCatalogue[doc.type].kind === 'decision';
export const isRequest = (doc: AnyEventDoc): doc is RequestDoc => eventCatalogue[doc.type].kind === 'request';
export const isRelay = (doc: AnyEventDoc): doc is RelayDoc => eventCatalogue[doc.type].kind === 'relay';

function summarize(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(document)'}: ${issue.message}`)
    .join('; ');
}

function typeOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && 'type' in raw && typeof raw.type === 'string'
    ? raw.type
    : null;
}
