// The Concerts context: what an organizer asks for (device facts) and what the authority decides.
import { z } from 'zod';
import { concertIdPattern, isoInstant } from '../log/envelope';

export const concertIdSchema = z.string().regex(concertIdPattern, 'lowercase letters, digits and dashes');

/** A ticket level as sold: name, seats, price in minor units of the concert's currency. */
export const ticketLevelSchema = z.object({
  name: z.string().max(60),
  capacity: z.number().int(),
  price: z.number().int(),
});
export type TicketLevel = z.infer<typeof ticketLevelSchema>;

export const concertDetailsSchema = z.object({
  artist: z.string().max(200),
  /** The tour or show name, shown under the artist. */
  title: z.string().max(200).default(''),
  venue: z.string().max(200),
  city: z.string().max(100).default(''),
  startsAt: isoInstant,
  timezone: z.string().min(1).max(64),
  /** How long a reservation holds this concert's seats before they return; the box office's default when absent. */
  holdMinutes: z.number().int().min(1).max(1440).optional(),
  /** What the gates do with a provisional ticket (its sale pending): admit with a warning (the default), or refuse. */
  provisionalAtGate: z.enum(['admit', 'refuse']).optional(),
});
export type ConcertDetails = z.infer<typeof concertDetailsSchema>;

const concert = { concertId: concertIdSchema };

// Device facts: an organizer's requests. The authority turns each into exactly one decision.
export const concertFactSchemas = {
  ConcertCreationRequested: z.object({
    ...concert,
    ...concertDetailsSchema.shape,
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as PLN'),
    levels: z.array(ticketLevelSchema).max(50),
  }),
  ConcertDetailsChangeRequested: z.object({ ...concert, ...concertDetailsSchema.shape }),
  TicketLevelsChangeRequested: z.object({ ...concert, levels: z.array(ticketLevelSchema).max(50) }),
  ConcertPublicationRequested: z.object(concert),
  ConcertUnpublicationRequested: z.object(concert),
  ConcertCancellationRequested: z.object({ ...concert, reason: z.string().max(500) }),
} as const;

export const concertRejectionCodes = [
  'missing_artist',
  'missing_venue',
  'no_levels',
  'invalid_level',
  'duplicate_level',
  'capacity_below_allocated',
  'level_has_sales',
  'concert_exists',
  'unknown_concert',
  'concert_cancelled',
  'already_published',
  'not_published',
] as const;
export type ConcertRejectionCode = (typeof concertRejectionCodes)[number];

// Authority decisions about the concert itself.
export const concertDecisionSchemas = {
  ConcertCreated: concertFactSchemas.ConcertCreationRequested,
  ConcertDetailsUpdated: concertFactSchemas.ConcertDetailsChangeRequested,
  TicketLevelsUpdated: concertFactSchemas.TicketLevelsChangeRequested,
  ConcertPublished: z.object(concert),
  ConcertUnpublished: z.object(concert),
  ConcertCancelled: concertFactSchemas.ConcertCancellationRequested,
  ConcertChangeRejected: z.object({
    ...concert,
    requestId: z.string(),
    requestType: z.string(),
    code: z.enum(concertRejectionCodes),
    message: z.string(),
  }),
} as const;

type DataOf<S extends Record<string, z.ZodType>> = {
  [K in keyof S]: { type: K; data: z.infer<S[K]> };
}[keyof S];
export type ConcertFact = DataOf<typeof concertFactSchemas>;
export type ConcertDecision = DataOf<typeof concertDecisionSchemas>;
