// A concert's livestream: one aggregate per concert holding the schedule, the viewers' access and their sessions, so
// that "one active session per ticket" and "no access without a valid ticket" are decided against one state.
// Business rules:
// - a stream is scheduled in the future with at least one quality profile (unique names; a taller rendition has a
//   higher bitrate) and a session timeout; it may be rescheduled until it starts;
// - it starts at most `earlyStartMinutes` before its scheduled start (a pre-show), never earlier, and any time later;
//   it ends only after it started; a scheduled stream may be cancelled, a live one is ended instead;
// - after the end or a cancellation nothing changes any more (a replay of something already handled is still a no-op);
// - access is granted to a valid (not voided) ticket of this concert, and revoked when the ticket is voided,
//   for good: a revoked ticket is never granted again, and its session ends at once;
// - a session starts only while the stream is live and the ticket has access; a ticket has at most one active session:
//   a new session ends the old one ("replaced": the latest device wins, so a fan moving from phone to TV is never locked
//   out by a session they can no longer reach, and a shared ticket keeps kicking its other viewer off);
// - a session with no heartbeat for the stream's timeout is over: it ends as "timed out" at the moment it timed out,
//   whichever command notices it first (a new session on the ticket, the viewer's end, the sweep, the stream's end);
//   a heartbeat that comes later is refused and the player starts a new session;
// - idempotency: lifecycle commands by commandId, access by ticket (granted twice or revoked twice is a no-op),
//   sessions by sessionId (started twice or ended twice is a no-op), heartbeats by time (one not newer than the last
//   is a no-op).
import { assertNever, DomainError } from '../shared/decider';
import type { Decider } from '../shared/decider';
import type { ListsAll } from '../shared/command-types';
import type { Ticket } from '../ticket/ticket';
import { defaultSessionTimeoutSeconds, earlyStartMinutes, sessionTimeoutBounds } from './events';
import type {
  AccessRevocationReason,
  QualityProfile,
  SessionEndReason,
  StreamingEvent,
  StreamingRuleCode,
} from './events';

/**
 * A ticket as the Ticket context holds it (its own type, not a copy): access follows its status. A ticket exists only
 * once its order is paid and its seats are confirmed, so there is no "not yet confirmed" ticket to refuse.
 */
export type TicketView = Pick<Ticket, 'ticketId' | 'concertId' | 'status'>;

type Commanded = { commandId: string; concertId: string };
type Concerted = { concertId: string };

export type LivestreamCommand =
  | {
      type: 'ScheduleLivestream';
      data: Commanded & {
        startsAt: string;
        profiles: readonly QualityProfile[];
        /** Defaults to `defaultSessionTimeoutSeconds`. */
        sessionTimeoutSeconds?: number;
        at: string;
      };
    }
  | { type: 'StartLivestream'; data: Commanded & { at: string } }
  | { type: 'EndLivestream'; data: Commanded & { at: string } }
  | { type: 'CancelLivestream'; data: Commanded & { reason: string } }
  | { type: 'GrantViewerAccess'; data: Concerted & { ticket: TicketView } }
  | {
      type: 'RevokeViewerAccess';
      data: Concerted & { ticketId: string; reason: AccessRevocationReason; at: string };
    }
  | { type: 'StartViewerSession'; data: Concerted & { sessionId: string; ticketId: string; at: string } }
  | { type: 'HeartbeatViewerSession'; data: Concerted & { sessionId: string; at: string } }
  | { type: 'EndViewerSession'; data: Concerted & { sessionId: string; at: string } }
  /** The sweep the server runs every few seconds: ends the sessions that timed out by `at`. */
  | { type: 'ExpireViewerSessions'; data: Concerted & { at: string } };

/** Every command type, as data: the rule set of who may do what is checked against it (users/permissions). */
export const streamingCommandTypes = [
  'ScheduleLivestream',
  'StartLivestream',
  'EndLivestream',
  'CancelLivestream',
  'GrantViewerAccess',
  'RevokeViewerAccess',
  'StartViewerSession',
  'HeartbeatViewerSession',
  'EndViewerSession',
  'ExpireViewerSessions',
] as const satisfies readonly LivestreamCommand['type'][];
export const streamingCommandTypesComplete: ListsAll<
  LivestreamCommand['type'],
  typeof streamingCommandTypes
> = true;

type SessionBase = { sessionId: string; ticketId: string; startedAt: string; lastSeenAt: string };
type ActiveSession = SessionBase & { status: 'active' };
export type ViewerSession =
  ActiveSession | (SessionBase & { status: 'ended'; endedAt: string; reason: SessionEndReason });

type Livestream = {
  concertId: string;
  startsAt: string;
  profiles: readonly QualityProfile[];
  sessionTimeoutSeconds: number;
  access: ReadonlyMap<string, 'granted' | 'revoked'>;
  sessions: ReadonlyMap<string, ViewerSession>;
  /** ticketId → its one active session */
  activeByTicket: ReadonlyMap<string, string>;
  handled: ReadonlySet<string>;
};

export type LivestreamState =
  | { status: 'unscheduled' }
  | (Livestream & { status: 'scheduled' })
  | (Livestream & { status: 'live'; startedAt: string })
  | (Livestream & { status: 'ended'; startedAt: string; endedAt: string })
  | (Livestream & { status: 'cancelled'; reason: string });

type Existing = Exclude<LivestreamState, { status: 'unscheduled' }>;
type Open = Extract<Existing, { status: 'scheduled' | 'live' }>;

export const initialLivestreamState = (): LivestreamState => ({ status: 'unscheduled' });

export class StreamingRuleBroken extends DomainError<StreamingRuleCode> {}

const broken = (code: StreamingRuleCode, message: string) => new StreamingRuleBroken(code, message);

export function decideLivestream(command: LivestreamCommand, state: LivestreamState): StreamingEvent[] {
  if (
    state.status !== 'unscheduled' &&
    'commandId' in command.data &&
    state.handled.has(command.data.commandId)
  )
    return [];
  switch (command.type) {
    case 'ScheduleLivestream':
      return schedule(command.data, state);
    case 'StartLivestream': {
      const { commandId, concertId, at } = command.data;
      const stream = open(existing(state, concertId));
      if (stream.status === 'live') throw broken('already_started', 'This livestream is live already.');
      const earliest = instant(stream.startsAt) - earlyStartMinutes * 60_000;
      if (instant(at) < earliest)
        throw broken(
          'too_early',
          `This livestream is scheduled for ${stream.startsAt}: it can go live from ${iso(earliest)}, or reschedule it.`,
        );
      return [{ type: 'LivestreamStarted', data: { commandId, concertId, at } }];
    }
    case 'EndLivestream': {
      const { commandId, concertId, at } = command.data;
      const stream = open(existing(state, concertId));
      if (stream.status !== 'live')
        throw broken('not_started', 'This livestream has not started: cancel it instead.');
      const end = instant(at);
      if (end < instant(stream.startedAt))
        throw broken(
          'end_before_start',
          `This livestream started at ${stream.startedAt}: it can't end before that.`,
        );
      const sessions = activeSessions(stream).map((session) => ending(stream, session, at, 'stream_ended'));
      return [{ type: 'LivestreamEnded', data: { commandId, concertId, at } }, ...sessions];
    }
    case 'CancelLivestream': {
      const { commandId, concertId, reason } = command.data;
      const stream = open(existing(state, concertId));
      if (stream.status === 'live')
        throw broken('already_started', 'This livestream is live: end it instead of cancelling it.');
      return [{ type: 'LivestreamCancelled', data: { commandId, concertId, reason } }];
    }
    case 'GrantViewerAccess':
      return grant(command.data, state);
    case 'RevokeViewerAccess': {
      const { concertId, ticketId, reason, at } = command.data;
      const stream = existing(state, concertId);
      if (stream.access.get(ticketId) === 'revoked') return [];
      open(stream);
      instant(at); // refuses a time that is not a date
      // Recorded even for a ticket never granted: a void that overtakes the grant still blocks it.
      const session = activeSessionOf(stream, ticketId);
      return [
        { type: 'ViewerAccessRevoked', data: { concertId, ticketId, reason } },
        ...(session ? [ending(stream, session, at, 'access_revoked')] : []),
      ];
    }
    case 'StartViewerSession': {
      const { concertId, sessionId, ticketId, at } = command.data;
      const stream = existing(state, concertId);
      if (stream.sessions.has(sessionId)) return [];
      if (open(stream).status !== 'live')
        throw broken('not_live', `This livestream starts at ${stream.startsAt}: come back then.`);
      instant(at); // refuses a time that is not a date
      const access = stream.access.get(ticketId);
      if (access === 'revoked')
        throw broken('access_revoked', 'This ticket was voided: it no longer gives access.');
      if (access !== 'granted')
        throw broken(
          'no_access',
          'This ticket has no access to the livestream yet: present it to get access.',
        );
      const current = activeSessionOf(stream, ticketId);
      return [
        ...(current ? [ending(stream, current, at, 'replaced')] : []),
        { type: 'ViewerSessionStarted', data: { concertId, sessionId, ticketId, at } },
      ];
    }
    case 'HeartbeatViewerSession': {
      const { concertId, sessionId, at } = command.data;
      const stream = existing(state, concertId);
      const session = sessionIn(stream, sessionId);
      if (session.status === 'ended') throw broken('session_ended', endedMessage(session.reason));
      const now = instant(at);
      if (now <= instant(session.lastSeenAt)) return []; // a repeated or overtaken heartbeat
      if (now > deadline(stream, session))
        throw broken('session_timed_out', 'This session timed out without heartbeats: start a new session.');
      return [{ type: 'ViewerHeartbeatRecorded', data: { concertId, sessionId, at } }];
    }
    case 'EndViewerSession': {
      const { concertId, sessionId, at } = command.data;
      const stream = existing(state, concertId);
      const session = sessionIn(stream, sessionId);
      if (session.status === 'ended') return [];
      instant(at); // refuses a time that is not a date
      return [ending(stream, session, at, 'ended_by_viewer')];
    }
    case 'ExpireViewerSessions': {
      const { concertId, at } = command.data;
      if (state.status === 'unscheduled') return [];
      const stream = existing(state, concertId);
      const now = instant(at);
      return activeSessions(stream)
        .filter((session) => now > deadline(stream, session))
        .map((session) => ending(stream, session, at, 'timed_out'));
    }
    default:
      return assertNever(command);
  }
}

function schedule(
  data: Extract<LivestreamCommand, { type: 'ScheduleLivestream' }>['data'],
  state: LivestreamState,
): StreamingEvent[] {
  const { commandId, concertId, startsAt, at } = data;
  if (state.status !== 'unscheduled' && open(existing(state, concertId)).status === 'live')
    throw broken('already_started', 'This livestream is live: it can no longer be rescheduled.');
  if (instant(startsAt) <= instant(at))
    throw broken('start_in_past', `The start ${startsAt} has passed: schedule the livestream in the future.`);
  const profiles = checkProfiles(data.profiles);
  const sessionTimeoutSeconds = data.sessionTimeoutSeconds ?? defaultSessionTimeoutSeconds;
  const { min, max } = sessionTimeoutBounds;
  if (!Number.isInteger(sessionTimeoutSeconds) || sessionTimeoutSeconds < min || sessionTimeoutSeconds > max)
    throw broken('invalid_timeout', `Set a session timeout of ${min} to ${max} seconds.`);
  return [
    {
      type: 'LivestreamScheduled',
      data: { commandId, concertId, startsAt, profiles, sessionTimeoutSeconds },
    },
  ];
}

function checkProfiles(profiles: readonly QualityProfile[]): QualityProfile[] {
  if (profiles.length === 0) throw broken('no_profiles', 'Add at least one quality profile, such as 720p.');
  if (profiles.length > 8) throw broken('invalid_profile', 'Offer at most 8 quality profiles.');
  const names = new Set<string>();
  const checked = profiles.map(({ name, height, bitrateKbps }) => {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 20)
      throw broken(
        'invalid_profile',
        'Give every quality profile a name of 1 to 20 characters, such as 1080p.',
      );
    if (!whole(height, 4320) || !whole(bitrateKbps, 100_000))
      throw broken(
        'invalid_profile',
        `Profile "${trimmed}" needs a height of 1 to 4320 pixels and a bitrate of 1 to 100000 kbit/s.`,
      );
    if (names.has(trimmed.toLowerCase()))
      throw broken('duplicate_profile', `There are two quality profiles named "${trimmed}".`);
    names.add(trimmed.toLowerCase());
    return { name: trimmed, height, bitrateKbps };
  });
  for (const taller of checked)
    for (const shorter of checked)
      if (taller.height > shorter.height && taller.bitrateKbps <= shorter.bitrateKbps)
        throw broken(
          'inconsistent_ladder',
          `"${taller.name}" is taller than "${shorter.name}" but has no higher bitrate: check the bitrates.`,
        );
  return checked;
}

const whole = (value: number, max: number) => Number.isInteger(value) && value > 0 && value <= max;

function grant(
  data: Extract<LivestreamCommand, { type: 'GrantViewerAccess' }>['data'],
  state: LivestreamState,
): StreamingEvent[] {
  const { concertId, ticket } = data;
  const stream = existing(state, concertId);
  if (ticket.concertId !== concertId)
    throw broken(
      'wrong_concert',
      `This ticket is for another concert (${ticket.concertId}), not this livestream.`,
    );
  if (ticket.status === 'voided')
    throw broken('ticket_voided', 'This ticket was voided: it gives no access.');
  const access = stream.access.get(ticket.ticketId);
  if (access === 'revoked')
    throw broken('access_revoked', 'This ticket was voided: it no longer gives access.');
  if (access === 'granted') return [];
  open(stream);
  return [{ type: 'ViewerAccessGranted', data: { concertId, ticketId: ticket.ticketId } }];
}

/** The stream of this concert; commands for another concert never touch it. */
function existing(state: LivestreamState, concertId: string): Existing {
  if (state.status === 'unscheduled')
    throw broken('not_scheduled', 'This concert has no livestream: schedule it first.');
  if (state.concertId !== concertId)
    throw broken('wrong_livestream', `This is the livestream of ${state.concertId}, not of ${concertId}.`);
  return state;
}

/** Nothing changes after the end or a cancellation. */
function open(stream: Existing): Open {
  if (stream.status === 'ended')
    throw broken('stream_ended', 'This livestream has ended: nothing about it can change.');
  if (stream.status === 'cancelled')
    throw broken('stream_cancelled', 'This livestream was cancelled: nothing about it can change.');
  return stream;
}

function sessionIn(stream: Existing, sessionId: string): ViewerSession {
  const session = stream.sessions.get(sessionId);
  if (!session) throw broken('unknown_session', 'There is no such viewing session: start a new one.');
  return session;
}

function endedMessage(reason: SessionEndReason): string {
  switch (reason) {
    case 'replaced':
      return 'This ticket is now being watched on another device: start a new session to watch here.';
    case 'timed_out':
      return 'This session timed out without heartbeats: start a new session.';
    case 'access_revoked':
      return 'This ticket was voided: it no longer gives access.';
    case 'stream_ended':
      return 'The livestream has ended.';
    case 'ended_by_viewer':
      return 'This session was ended: start a new session to watch again.';
    default:
      return assertNever(reason);
  }
}

function activeSessions(stream: Existing): ActiveSession[] {
  return [...stream.activeByTicket.values()].map((id) => stream.sessions.get(id) as ActiveSession);
}

function activeSessionOf(stream: Existing, ticketId: string): ActiveSession | undefined {
  const sessionId = stream.activeByTicket.get(ticketId);
  return sessionId === undefined ? undefined : (stream.sessions.get(sessionId) as ActiveSession);
}

/** The last moment a session without a newer heartbeat is alive, in ms since the epoch. */
const deadline = (stream: Existing, session: SessionBase): number =>
  instant(session.lastSeenAt) + stream.sessionTimeoutSeconds * 1000;

/** The end of an active session for `reason` at `at`, unless it timed out before: then it ended timed out, back then. */
function ending(
  stream: Existing,
  session: ActiveSession,
  at: string,
  reason: SessionEndReason,
): StreamingEvent {
  const { sessionId, ticketId } = session;
  const expiry = deadline(stream, session);
  const timedOut = instant(at) > expiry;
  return {
    type: 'ViewerSessionEnded',
    data: {
      concertId: stream.concertId,
      sessionId,
      ticketId,
      at: timedOut ? iso(expiry) : at,
      reason: timedOut ? 'timed_out' : reason,
    },
  };
}

function instant(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw broken('invalid_time', `"${value}" is not a date and time: use ISO 8601.`);
  return ms;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function evolveLivestream(state: LivestreamState, event: StreamingEvent): LivestreamState {
  if (event.type === 'LivestreamScheduled') {
    const { commandId, concertId, startsAt, profiles, sessionTimeoutSeconds } = event.data;
    const kept =
      state.status === 'unscheduled'
        ? { access: new Map(), sessions: new Map(), activeByTicket: new Map(), handled: new Set<string>() }
        : state;
    return {
      status: 'scheduled',
      concertId,
      startsAt,
      profiles,
      sessionTimeoutSeconds,
      access: kept.access,
      sessions: kept.sessions,
      activeByTicket: kept.activeByTicket,
      handled: new Set(kept.handled).add(commandId),
    };
  }
  if (state.status === 'unscheduled') return state;
  switch (event.type) {
    case 'LivestreamStarted':
      return { ...base(state, event.data.commandId), status: 'live', startedAt: event.data.at };
    case 'LivestreamEnded':
      return {
        ...base(state, event.data.commandId),
        status: 'ended',
        startedAt: 'startedAt' in state ? state.startedAt : event.data.at,
        endedAt: event.data.at,
      };
    case 'LivestreamCancelled':
      return { ...base(state, event.data.commandId), status: 'cancelled', reason: event.data.reason };
    case 'ViewerAccessGranted':
      return { ...state, access: new Map(state.access).set(event.data.ticketId, 'granted') };
    case 'ViewerAccessRevoked':
      return { ...state, access: new Map(state.access).set(event.data.ticketId, 'revoked') };
    case 'ViewerSessionStarted': {
      const { sessionId, ticketId, at } = event.data;
      const session: ViewerSession = { status: 'active', sessionId, ticketId, startedAt: at, lastSeenAt: at };
      return {
        ...state,
        sessions: new Map(state.sessions).set(sessionId, session),
        activeByTicket: new Map(state.activeByTicket).set(ticketId, sessionId),
      };
    }
    case 'ViewerHeartbeatRecorded': {
      const session = state.sessions.get(event.data.sessionId);
      if (!session) return state;
      const seen = { ...session, lastSeenAt: event.data.at };
      return { ...state, sessions: new Map(state.sessions).set(session.sessionId, seen) };
    }
    case 'ViewerSessionEnded': {
      const session = state.sessions.get(event.data.sessionId);
      if (!session) return state;
      const { sessionId, ticketId, startedAt, lastSeenAt } = session;
      const { at, reason } = event.data;
      const ended: ViewerSession = {
        status: 'ended',
        sessionId,
        ticketId,
        startedAt,
        lastSeenAt,
        endedAt: at,
        reason,
      };
      const activeByTicket = new Map(state.activeByTicket);
      if (activeByTicket.get(ticketId) === sessionId) activeByTicket.delete(ticketId);
      return { ...state, sessions: new Map(state.sessions).set(sessionId, ended), activeByTicket };
    }
    default:
      return assertNever(event);
  }
}

function base(stream: Existing, commandId: string): Livestream {
  const { concertId, startsAt, profiles, sessionTimeoutSeconds, access, sessions, activeByTicket } = stream;
  const handled = new Set(stream.handled).add(commandId);
  return { concertId, startsAt, profiles, sessionTimeoutSeconds, access, sessions, activeByTicket, handled };
}

/** Whether this session may be served the stream now (the origin signs its URLs only then). */
export function mayWatch(state: LivestreamState, sessionId: string, now: string): boolean {
  if (state.status !== 'live') return false;
  const session = state.sessions.get(sessionId);
  if (!session || session.status !== 'active') return false;
  return instant(now) <= deadline(state, session);
}

export const livestreamDecider = {
  decide: decideLivestream,
  evolve: evolveLivestream,
  initialState: initialLivestreamState,
} satisfies Decider<LivestreamCommand, StreamingEvent, LivestreamState>;
