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
export const scanRefusals = [
  'already_used',
  'wrong_concert',
  'voided',
  'not_found',
  'not_inside',
  /** A provisional ticket (its sale pending) at a concert whose policy refuses them. */
  'provisional',
  /** A signed ticket scanned outside its validity window. */
  'outside_window',
] as const;
export type ScanRefusal = (typeof scanRefusals)[number];

/**
 * What a scanner shows: `valid` lets a person in (amber when the ticket is provisional), `exited` lets them out, the
 * rest are refusals. Codes that are no ticket (unreadable, forged) are shown but not recorded.
 */
export const scanVerdicts = ['valid', 'exited', ...scanRefusals] as const;
export type ScanVerdict = (typeof scanVerdicts)[number];

export const voidReasons = ['refunded', 'concert_cancelled'] as const;
export type VoidReason = (typeof voidReasons)[number];

export const gateEntrySchema = z.object({ gate, at: isoInstant });
export type GateEntry = z.infer<typeof gateEntrySchema>;

const scan = { scanId: id, ticketId: id, concertId: concertIdSchema, gate };
/** The scanner that made the scan (its fact's device), on the gate's decisions: only it may annul the scan. */
const byDevice = { deviceId: id.optional() };

/** What a ticket's code says it is (domain/ticket/signing.ts): paid and confirmed, from a desk's block, or pending. */
export const ticketKinds = ['confirmed', 'guaranteed', 'provisional'] as const;

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
    /** The code as scanned (signed: the authority takes a ticket it has not heard of yet as sold offline). */
    code: z.string().min(1).max(2000).optional(),
    /** What the code said the ticket is. */
    kind: z.enum(ticketKinds).optional(),
  }),
  TicketEntered: z.object({ ...scan, ...byDevice, at: isoInstant }),
  TicketExited: z.object({ ...scan, ...byDevice, at: isoInstant }),
  TicketScanRefused: z.object({
    ...scan,
    ...byDevice,
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
