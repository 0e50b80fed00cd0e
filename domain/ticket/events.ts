// The Ticket context: one ticket per seat of a paid order, voided on refund or cancellation, and judged at the gate.
// A scanner records what it scanned and the verdict it showed (a device fact); the authority, which sees the scans
// of every gate, decides entries, exits and refusals in one order, so a ticket used at two gates offline is caught.
import { z } from 'zod';
import { concertIdSchema } from '../concert/events';
import { isoInstant } from '../log/envelope';

const id = z.string().min(1).max(100);
const gate = z.string().min(1).max(60);

export const scanDirections = ['entry', 'exit'] as const;
export type ScanDirection = (typeof scanDirections)[number];

/** Why a scan was refused: shown on the scanner in one word and one line. */
export const scanRefusals = ['already_used', 'wrong_concert', 'voided', 'not_found', 'not_inside'] as const;
export type ScanRefusal = (typeof scanRefusals)[number];

/** What a scanner shows: `valid` lets a person in, `exited` lets them out, the rest are refusals. */
export const scanVerdicts = ['valid', 'exited', ...scanRefusals] as const;
export type ScanVerdict = (typeof scanVerdicts)[number];

export const voidReasons = ['refunded', 'concert_cancelled'] as const;
export type VoidReason = (typeof voidReasons)[number];

export const gateEntrySchema = z.object({ gate, at: isoInstant });
export type GateEntry = z.infer<typeof gateEntrySchema>;

const scan = { scanId: id, ticketId: id, concertId: concertIdSchema, gate };

export const ticketEventSchemas = {
  TicketIssued: z.object({
    ticketId: id,
    orderId: id,
    customerId: id,
    concertId: concertIdSchema,
    level: z.string().min(1).max(60),
    issuedAt: isoInstant,
  }),
  TicketVoided: z.object({
    ticketId: id,
    concertId: concertIdSchema,
    reason: z.enum(voidReasons),
    /** The refund or the concert cancellation that voided it. */
    causeId: id,
    voidedAt: isoInstant,
  }),
  /** A scan as the scanner made it, with the verdict it showed; `concertId` is the concert the gate admits to. */
  TicketScanned: z.object({
    ...scan,
    direction: z.enum(scanDirections),
    scannedAt: isoInstant,
    verdict: z.enum(scanVerdicts),
  }),
  TicketEntered: z.object({ ...scan, at: isoInstant }),
  TicketExited: z.object({ ...scan, at: isoInstant }),
  TicketScanRefused: z.object({
    ...scan,
    direction: z.enum(scanDirections),
    at: isoInstant,
    reason: z.enum(scanRefusals),
    /** For wrong_concert: the concert the ticket is for. */
    ticketConcertId: concertIdSchema.nullable(),
    /** For already_used: where and when the ticket went in (the entry since its last exit). */
    firstEntry: gateEntrySchema.nullable(),
  }),
} as const;

/**
 * Issuing and voiding follow payments and cancellations the authority confirms; a gate's verdict is final only when
 * the authority has put it in order with every other gate's scans. The scanner's own fact is TicketScanned.
 */
export const ticketEventWriters = {
  TicketIssued: 'authority',
  TicketVoided: 'authority',
  TicketScanned: 'device',
  TicketEntered: 'authority',
  TicketExited: 'authority',
  TicketScanRefused: 'authority',
} as const satisfies Record<keyof typeof ticketEventSchemas, 'device' | 'authority'>;

type DataOf<S extends Record<string, z.ZodType>> = {
  [K in keyof S]: { type: K; data: z.infer<S[K]> };
}[keyof S];
export type TicketContextEvent = DataOf<typeof ticketEventSchemas>;
export type TicketEventType = TicketContextEvent['type'];
export type TicketEventData<K extends TicketEventType> = z.infer<(typeof ticketEventSchemas)[K]>;

/** The events the ticket decider decides and folds (the device's TicketScanned is its input, not its history). */
export type TicketEvent = Exclude<TicketContextEvent, { type: 'TicketScanned' }>;
export type GateEvent = Extract<
  TicketEvent,
  { type: 'TicketEntered' | 'TicketExited' | 'TicketScanRefused' }
>;
