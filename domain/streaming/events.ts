// The Streaming context: a concert's livestream (schedule, quality profiles, start, end), who may watch it (access
// granted from a valid ticket, revoked when the ticket is voided) and the viewers' sessions. The stream origin and
// the access API run on the sync server, so everything here is its decision.
import { z } from 'zod';
import { concertIdSchema } from '../concert/events';
import { isoInstant } from '../log/envelope';

/** A rendition of the adaptive ladder: "1080p" at 6000 kbit/s. */
export const qualityProfileSchema = z.object({
  name: z.string().min(1).max(20),
  height: z.number().int().positive().max(4320),
  bitrateKbps: z.number().int().positive().max(100_000),
});
export type QualityProfile = z.infer<typeof qualityProfileSchema>;

/** A stream may go live this long before its scheduled start (a pre-show), never earlier. */
export const earlyStartMinutes = 60;
/** Heartbeats every 30 s; a session missing three is over. Set per stream, within the bounds. */
export const defaultSessionTimeoutSeconds = 90;
export const sessionTimeoutBounds = { min: 10, max: 3600 } as const;

export const accessRevocationReasons = ['ticket_voided'] as const;
export type AccessRevocationReason = (typeof accessRevocationReasons)[number];

export const sessionEndReasons = [
  /** the player said goodbye */
  'ended_by_viewer',
  /** the same ticket started a session elsewhere: the latest device wins */
  'replaced',
  /** no heartbeat within the stream's session timeout */
  'timed_out',
  /** the ticket was voided */
  'access_revoked',
  /** the livestream ended */
  'stream_ended',
] as const;
export type SessionEndReason = (typeof sessionEndReasons)[number];

const commanded = { commandId: z.string().min(1).max(100) };
const concert = { concertId: concertIdSchema };
const ticket = { ticketId: z.string().min(1).max(100) };
const session = { sessionId: z.string().min(1).max(100) };
const at = { at: isoInstant };

export const streamingEventSchemas = {
  LivestreamScheduled: z.object({
    ...commanded,
    ...concert,
    startsAt: isoInstant,
    profiles: z.array(qualityProfileSchema).min(1).max(8),
    sessionTimeoutSeconds: z.number().int().min(sessionTimeoutBounds.min).max(sessionTimeoutBounds.max),
  }),
  LivestreamStarted: z.object({ ...commanded, ...concert, ...at }),
  LivestreamEnded: z.object({ ...commanded, ...concert, ...at }),
  LivestreamCancelled: z.object({ ...commanded, ...concert, reason: z.string().max(500) }),
  ViewerAccessGranted: z.object({ ...concert, ...ticket }),
  ViewerAccessRevoked: z.object({ ...concert, ...ticket, reason: z.enum(accessRevocationReasons) }),
  ViewerSessionStarted: z.object({ ...concert, ...session, ...ticket, ...at }),
  ViewerHeartbeatRecorded: z.object({ ...concert, ...session, ...at }),
  ViewerSessionEnded: z.object({
    ...concert,
    ...session,
    ...ticket,
    ...at,
    reason: z.enum(sessionEndReasons),
  }),
} as const;

export const streamingEventWriters = {
  LivestreamScheduled: 'authority',
  LivestreamStarted: 'authority',
  LivestreamEnded: 'authority',
  LivestreamCancelled: 'authority',
  ViewerAccessGranted: 'authority',
  ViewerAccessRevoked: 'authority',
  ViewerSessionStarted: 'authority',
  ViewerHeartbeatRecorded: 'authority',
  ViewerSessionEnded: 'authority',
} as const satisfies Record<keyof typeof streamingEventSchemas, 'device' | 'authority'>;

export const streamingRuleCodes = [
  'not_scheduled',
  'wrong_livestream',
  'invalid_time',
  'start_in_past',
  'no_profiles',
  'invalid_profile',
  'duplicate_profile',
  'inconsistent_ladder',
  'invalid_timeout',
  'too_early',
  'already_started',
  'not_started',
  'end_before_start',
  'stream_ended',
  'stream_cancelled',
  'wrong_concert',
  'ticket_voided',
  'access_revoked',
  'no_access',
  'not_live',
  'unknown_session',
  'session_ended',
  'session_timed_out',
] as const;
export type StreamingRuleCode = (typeof streamingRuleCodes)[number];

type DataOf<S extends Record<string, z.ZodType>> = {
  [K in keyof S]: { type: K; data: z.infer<S[K]> };
}[keyof S];
export type StreamingEvent = DataOf<typeof streamingEventSchemas>;
export type StreamingEventType = StreamingEvent['type'];
export type StreamingEventData<K extends StreamingEventType> = z.infer<(typeof streamingEventSchemas)[K]>;
