// The Allotments context (escrow): blocks of seats the authority sets aside for a desk before it goes offline, so that
// the desk's sales inside its block are guaranteed. Organizers and desks ask (device facts); the concert's authority
// decides, in the concert's stream, against the one capacity that sales and holds share.
import { z } from 'zod';
import { concertIdSchema } from '../concert/events';
import { isoInstant } from '../log/envelope';

const deviceIdSchema = z.string().min(1).max(100);
const levelSchema = z.string().min(1).max(60);
const seats = z.number().int().min(1).max(1000);

export const allotmentFactSchemas = {
  /** An organizer gives one desk a block of one level. The allotment's id is the fact's id. */
  AllotmentGrantRequested: z.object({
    allotmentId: z.string().min(1),
    concertId: concertIdSchema,
    deviceId: deviceIdSchema,
    level: levelSchema,
    quantity: seats,
  }),
  /**
   * An organizer marks desks offline-ready: each should hold at least `perLevel[level]` unsold seats of each level
   * (0 = none). The authority tops each desk up from the free seats; it never takes seats back. `lapsesAt` sets when
   * this concert's allotments lapse (the concert's start when no policy set it). The policy's id is the fact's id.
   */
  AllotmentPolicySet: z.object({
    policyId: z.string().min(1),
    concertId: concertIdSchema,
    perLevel: z.record(levelSchema, z.number().int().min(0).max(1000)),
    deviceIds: z.array(deviceIdSchema).min(1).max(100),
    lapsesAt: isoInstant.optional(),
  }),
  /**
   * A desk gives back seats of its block it did not sell: a number, or `'unsold'` for all it holds unsold. Written by
   * the desk itself (the authority checks that the fact's device is `deviceId`). The return's id is the fact's id.
   */
  AllotmentReturnRequested: z.object({
    returnId: z.string().min(1),
    concertId: concertIdSchema,
    deviceId: deviceIdSchema,
    level: levelSchema,
    quantity: z.union([seats, z.literal('unsold')]),
  }),
} as const;

export const allotmentRefusalCodes = [
  'unknown_concert',
  'concert_cancelled',
  'not_published',
  'unknown_level',
  'lapsed',
  'not_enough_free_seats',
  'nothing_to_return',
  /** A desk asked to give back another desk's seats. */
  'not_permitted',
] as const;
export type AllotmentRefusalCode = (typeof allotmentRefusalCodes)[number];

/** Why a sale the desk claimed on its allotment was refused: its block no longer covered it, nor did the pool. */
export const allotmentSaleRefusalCodes = ['allotment_lapsed', 'allotment_exhausted', 'sold_out'] as const;
export type AllotmentSaleRefusalCode = (typeof allotmentSaleRefusalCodes)[number];

const block = { concertId: concertIdSchema, deviceId: deviceIdSchema, level: levelSchema };

export const allotmentDecisionSchemas = {
  /** The desk holds `quantity` more seats of the level, guaranteed to its sales until `lapsesAt` (authority clock). */
  AllotmentGranted: z.object({
    allotmentId: z.string().min(1),
    ...block,
    quantity: seats,
    lapsesAt: isoInstant,
  }),
  /**
   * A policy applied once: each desk and level that held less than the policy asks was topped up. `quantity` below
   * `asked` is a partial grant (the level had no more free seats), said in words in `message`.
   */
  AllotmentPolicyApplied: z.object({
    policyId: z.string().min(1),
    concertId: concertIdSchema,
    /** When the grants lapse. */
    lapsesAt: isoInstant,
    /** The lapse time the policy set for this concert's later grants, when it set one. */
    concertLapsesAt: isoInstant.optional(),
    grants: z.array(
      z.object({
        deviceId: deviceIdSchema,
        level: levelSchema,
        asked: seats,
        quantity: z.number().int().min(0).max(1000),
      }),
    ),
    message: z.string(),
  }),
  /** A grant, a policy or a return that could not be honoured; `requestId` is the fact's id. */
  AllotmentRefused: z.object({
    requestId: z.string().min(1),
    requestType: z.enum(['AllotmentGrantRequested', 'AllotmentPolicySet', 'AllotmentReturnRequested']),
    concertId: concertIdSchema,
    code: z.enum(allotmentRefusalCodes),
    message: z.string(),
  }),
  /** Unsold seats of a block went back to the pool because the desk asked. */
  AllotmentReturned: z.object({ returnId: z.string().min(1), ...block, quantity: seats }),
  /** A block's time came on the authority's clock: its unsold seats went back to the pool. */
  AllotmentLapsed: z.object({ ...block, quantity: seats, lapsedAt: isoInstant }),
} as const;

export const allotmentEventWriters = {
  AllotmentGrantRequested: 'device',
  AllotmentPolicySet: 'device',
  AllotmentReturnRequested: 'device',
  AllotmentGranted: 'authority',
  AllotmentPolicyApplied: 'authority',
  AllotmentRefused: 'authority',
  AllotmentReturned: 'authority',
  AllotmentLapsed: 'authority',
} as const satisfies Record<
  keyof typeof allotmentFactSchemas | keyof typeof allotmentDecisionSchemas,
  'device' | 'authority'
>;

type DataOf<S extends Record<string, z.ZodType>> = {
  [K in keyof S]: { type: K; data: z.infer<S[K]> };
}[keyof S];
export type AllotmentFact = DataOf<typeof allotmentFactSchemas>;
export type AllotmentDecision = DataOf<typeof allotmentDecisionSchemas>;
export type AllotmentFactData<K extends AllotmentFact['type']> = Extract<AllotmentFact, { type: K }>['data'];
export type AllotmentDecisionData<K extends AllotmentDecision['type']> = Extract<
  AllotmentDecision,
  { type: K }
>['data'];

/** Where an allocated sale's seats came from: the selling desk's block, or the free seats of the level. */
export type SaleSource = 'allotment' | 'pool';

/**
 * A sale's allocation as the allotment book folds it: SeatsAllocated with the selling desk and where its seats came
 * from. A rejected sale leaves the book as it was.
 */
export type AllocatedSale = {
  type: 'SeatsAllocated';
  data: { saleId: string; deviceId: string; level: string; quantity: number; from: SaleSource };
};
