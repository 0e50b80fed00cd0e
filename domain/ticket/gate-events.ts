// The gate and refunds in a concert's stream: a scanner annulling its own mistaken scan, and a desk refunding a
// confirmed sale, whose tickets are voided and whose seats go back to the pool. The scans themselves and the gate's
// decisions are the Ticket context's (events.ts); these are the facts and decisions around them.
import { z } from 'zod';
import { concertIdSchema } from '../concert/events';
import { isoInstant } from '../log/envelope';
import { gateEntrySchema } from './events';

const id = z.string().min(1).max(100);
const gate = z.string().min(1).max(60);
const currency = z.string().regex(/^[A-Z]{3}$/);
const message = z.string().min(1).max(500);

/** How long after its scan a scanner may annul it (device clock, the scan's and the annulment's). */
export const annulWindowMs = 2 * 60 * 1000;

export const annulRefusals = [
  'unknown_scan',
  'not_own_scan',
  'too_late',
  'superseded',
  'already_annulled',
] as const;
export type AnnulRefusal = (typeof annulRefusals)[number];

export const refundRefusals = ['unknown_sale', 'not_of_sale', 'already_refunded'] as const;
export type RefundRefusal = (typeof refundRefusals)[number];

const annul = { annulId: id, scanId: id, ticketId: id, concertId: concertIdSchema, gate };
const refund = { refundId: id, saleId: id, concertId: concertIdSchema };

export const gateFactSchemas = {
  /** A scanner's own scan, annulled within annulWindowMs of it (a wrong ticket, a wrong direction). Id = annulId. */
  TicketScanAnnulled: z.object({ ...annul, annulledAt: isoInstant }),
  /** A desk refunds tickets of a confirmed sale: the cash handed back. Id = refundId. */
  SaleRefundRequested: z.object({
    ...refund,
    ticketIds: z.array(id).min(1).max(1000),
    amount: z.number().int().nonnegative(),
    currency,
  }),
} as const;

export const gateDecisionSchemas = {
  /** The scan no longer counts: the ticket is where it was before it (`inside`: its entry since the last exit). */
  TicketScanAnnulmentAccepted: z.object({ ...annul, deviceId: id, inside: gateEntrySchema.nullable() }),
  TicketScanAnnulmentRefused: z.object({ ...annul, code: z.enum(annulRefusals), message }),
  /**
   * The tickets are voided (reason `refunded`) and their seats go back to the level's free seats. A ticket inside stays
   * inside (a voided ticket may still go out) and can't come in again.
   */
  SaleRefunded: z.object({
    ...refund,
    level: z.string().min(1).max(60),
    ticketIds: z.array(id).min(1).max(1000),
    amount: z.number().int().nonnegative(),
    currency,
    deviceId: id,
    refundedAt: isoInstant,
  }),
  SaleRefundRefused: z.object({ ...refund, code: z.enum(refundRefusals), message }),
} as const;

export const gateEventWriters = {
  TicketScanAnnulled: 'device',
  SaleRefundRequested: 'device',
  TicketScanAnnulmentAccepted: 'authority',
  TicketScanAnnulmentRefused: 'authority',
  SaleRefunded: 'authority',
  SaleRefundRefused: 'authority',
} as const satisfies Record<
  keyof typeof gateFactSchemas | keyof typeof gateDecisionSchemas,
  'device' | 'authority'
>;

/** The gate's facts and decisions, all in the concert's stream (the catalogue's concert lists include them). */
export const gateFactTypes = ['TicketScanned', 'TicketScanAnnulled', 'SaleRefundRequested'] as const;
export const gateDecisionTypes = [
  'TicketEntered',
  'TicketExited',
  'TicketScanRefused',
  'TicketScanAnnulmentAccepted',
  'TicketScanAnnulmentRefused',
  'SaleRefunded',
  'SaleRefundRefused',
] as const;
