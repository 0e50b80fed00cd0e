// The Reservations context: seats held for an order until they are paid for, given back, or the hold lapses.
// Every decision is the authority's (reservations count against capacity); staff only ask to cancel one.
import { z } from 'zod';
import { concertIdSchema } from '../concert/events';
import { isoInstant } from '../log/envelope';
import { roles } from '../users/events';

/** The signed-in person a command is done for, with their one role. An empty userId means nobody is signed in. */
export const staffSchema = z.object({ userId: z.string().max(100), role: z.enum(roles) });
export type Staff = z.infer<typeof staffSchema>;

export const reservedLineSchema = z.object({
  level: z.string().min(1).max(60),
  quantity: z.number().int().min(1).max(1000),
});
export type ReservedLine = z.infer<typeof reservedLineSchema>;

export const reservationRejectionCodes = [
  'not_signed_in',
  'not_allowed',
  'no_lines',
  'invalid_quantity',
  'duplicate_level',
  'invalid_hold',
  'not_on_sale',
  'unknown_level',
  'not_enough_seats',
  'reservation_exists',
  'unknown_reservation',
  'not_held',
  'not_expired',
  'already_confirmed',
  'already_cancelled',
  'already_expired',
  'already_released',
] as const;
export type ReservationRejectionCode = (typeof reservationRejectionCodes)[number];

const reservation = {
  reservationId: z.string().min(1).max(200),
  orderId: z.string().min(1).max(200),
  concertId: concertIdSchema,
};

export const reservationEventSchemas = {
  /** Seats are held for the order until expiresAt (the authority's clock). */
  ReservationPlaced: z.object({
    ...reservation,
    lines: z.array(reservedLineSchema).min(1).max(50),
    heldBy: z.string().min(1).max(100),
    placedAt: isoInstant,
    expiresAt: isoInstant,
  }),
  /** The seats could not be held: the order is told why. */
  ReservationRefused: z.object({
    ...reservation,
    lines: z.array(reservedLineSchema).max(50),
    code: z.enum(reservationRejectionCodes),
    message: z.string(),
  }),
  /** The order was paid: the seats are kept for its tickets and the hold no longer lapses. */
  ReservationConfirmed: z.object(reservation),
  /** A member of staff asks to cancel a hold (a request: the authority decides). */
  ReservationCancellationRequested: z.object({
    reservationId: reservation.reservationId,
    staff: staffSchema,
    reason: z.string().max(500),
  }),
  ReservationCancelled: z.object({
    ...reservation,
    cancelledBy: z.string().min(1).max(100),
    reason: z.string(),
  }),
  ReservationExpired: z.object({ ...reservation, expiredAt: isoInstant }),
  /** The order gave the seats back (it was cancelled): compensation, not a person's choice. */
  ReservationReleased: z.object(reservation),
} as const;

export const reservationEventWriters = {
  ReservationPlaced: 'authority',
  ReservationRefused: 'authority',
  ReservationConfirmed: 'authority',
  ReservationCancellationRequested: 'device',
  ReservationCancelled: 'authority',
  ReservationExpired: 'authority',
  ReservationReleased: 'authority',
} as const satisfies Record<keyof typeof reservationEventSchemas, 'device' | 'authority'>;

type Schemas = typeof reservationEventSchemas;
export type ReservationEventType = keyof Schemas;
export type ReservationEventData<K extends ReservationEventType> = z.infer<Schemas[K]>;
export type ReservationEvent = {
  [K in ReservationEventType]: { type: K; data: ReservationEventData<K> };
}[ReservationEventType];
/** What the reservation decider decides; the cancellation request is the fact a desk writes to ask for one. */
export type ReservationDecision = Exclude<ReservationEvent, { type: 'ReservationCancellationRequested' }>;
