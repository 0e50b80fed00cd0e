// A concert's livestream, rule by rule: its schedule and quality profiles, going live and ending, viewer access from
// tickets, and viewer sessions with heartbeats; then its invariants as properties (one active session per ticket,
// nothing after the end, no session outliving its timeout).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import { evolveTicket, initialTicketBook } from '../ticket/ticket';
import { defaultSessionTimeoutSeconds, streamingEventSchemas, streamingEventWriters } from './events';
import type { QualityProfile, SessionEndReason, StreamingEvent, StreamingEventData } from './events';
import {
  decideLivestream,
  evolveLivestream,
  initialLivestreamState,
  livestreamDecider,
  mayWatch,
} from './streaming';
import type { LivestreamCommand, LivestreamState, TicketView } from './streaming';

const given = specification(livestreamDecider);

const concertId = 'kwiat-jabloni-torwar-2026';
const otherConcert = 'dawid-podsiadlo-spodek-2026';
const startsAt = '2026-11-21T20:00:00.000Z';
/** An instant on the concert's day: at(19, 55) is five to eight UTC. */
const at = (hour: number, minute = 0, second = 0) =>
  new Date(Date.UTC(2026, 10, 21, hour, minute, second)).toISOString();
const scheduledOn = '2026-11-01T10:00:00.000Z';

const ladder: QualityProfile[] = [
  { name: '1080p', height: 1080, bitrateKbps: 6000 },
  { name: '720p', height: 720, bitrateKbps: 3000 },
  { name: '480p', height: 480, bitrateKbps: 1200 },
];

// Commands
type ScheduleData = Extract<LivestreamCommand, { type: 'ScheduleLivestream' }>['data'];
const schedule = (overrides: Partial<ScheduleData> = {}): LivestreamCommand => ({
  type: 'ScheduleLivestream',
  data: { commandId: 'c-1', concertId, startsAt, profiles: ladder, at: scheduledOn, ...overrides },
});
const start = (when = at(19, 55), commandId = 'c-2', concert = concertId): LivestreamCommand => ({
  type: 'StartLivestream',
  data: { commandId, concertId: concert, at: when },
});
const end = (when = at(22), commandId = 'c-3'): LivestreamCommand => ({
  type: 'EndLivestream',
  data: { commandId, concertId, at: when },
});
const cancel = (commandId = 'c-4'): LivestreamCommand => ({
  type: 'CancelLivestream',
  data: { commandId, concertId, reason: 'The concert is cancelled.' },
});
const ticket = (
  ticketId: string,
  status: TicketView['status'] = 'valid',
  concert = concertId,
): TicketView => ({
  ticketId,
  concertId: concert,
  status,
});
const grant = (view: TicketView): LivestreamCommand => ({
  type: 'GrantViewerAccess',
  data: { concertId, ticket: view },
});
const revoke = (ticketId: string, when = at(21)): LivestreamCommand => ({
  type: 'RevokeViewerAccess',
  data: { concertId, ticketId, reason: 'ticket_voided', at: when },
});
const startSession = (sessionId: string, ticketId: string, when: string): LivestreamCommand => ({
  type: 'StartViewerSession',
  data: { concertId, sessionId, ticketId, at: when },
});
const heartbeat = (sessionId: string, when: string): LivestreamCommand => ({
  type: 'HeartbeatViewerSession',
  data: { concertId, sessionId, at: when },
});
const endSession = (sessionId: string, when: string): LivestreamCommand => ({
  type: 'EndViewerSession',
  data: { concertId, sessionId, at: when },
});
const expire = (when: string, concert = concertId): LivestreamCommand => ({
  type: 'ExpireViewerSessions',
  data: { concertId: concert, at: when },
});

// Events
const scheduled = (overrides: Partial<StreamingEventData<'LivestreamScheduled'>> = {}): StreamingEvent => ({
  type: 'LivestreamScheduled',
  data: {
    commandId: 'c-1',
    concertId,
    startsAt,
    profiles: ladder,
    sessionTimeoutSeconds: defaultSessionTimeoutSeconds,
    ...overrides,
  },
});
const started = (when = at(19, 55)): StreamingEvent => ({
  type: 'LivestreamStarted',
  data: { commandId: 'c-2', concertId, at: when },
});
const ended = (when = at(22)): StreamingEvent => ({
  type: 'LivestreamEnded',
  data: { commandId: 'c-3', concertId, at: when },
});
const cancelled: StreamingEvent = {
  type: 'LivestreamCancelled',
  data: { commandId: 'c-4', concertId, reason: 'The concert is cancelled.' },
};
const granted = (ticketId: string): StreamingEvent => ({
  type: 'ViewerAccessGranted',
  data: { concertId, ticketId },
});
const revoked = (ticketId: string): StreamingEvent => ({
  type: 'ViewerAccessRevoked',
  data: { concertId, ticketId, reason: 'ticket_voided' },
});
const sessionStarted = (sessionId: string, ticketId: string, when: string): StreamingEvent => ({
  type: 'ViewerSessionStarted',
  data: { concertId, sessionId, ticketId, at: when },
});
const heartbeatRecorded = (sessionId: string, when: string): StreamingEvent => ({
  type: 'ViewerHeartbeatRecorded',
  data: { concertId, sessionId, at: when },
});
const sessionEnded = (
  sessionId: string,
  ticketId: string,
  when: string,
  reason: SessionEndReason,
): StreamingEvent => ({
  type: 'ViewerSessionEnded',
  data: { concertId, sessionId, ticketId, at: when, reason },
});

// Ola's ticket t-ola and Jan's ticket t-jan have access; the stream went live at 19:55; Ola watches on her phone.
const live = [scheduled(), granted('t-ola'), granted('t-jan'), started()];
const olaWatching = [...live, sessionStarted('s-phone', 't-ola', at(20))];

describe('scheduling a livestream', () => {
  it('schedules it with its quality profiles and the default session timeout', () => {
    given([]).when(schedule()).then([scheduled()]);
  });

  it('takes a session timeout of 10 s to an hour', () => {
    given([])
      .when(schedule({ sessionTimeoutSeconds: 60 }))
      .then([scheduled({ sessionTimeoutSeconds: 60 })]);
    for (const sessionTimeoutSeconds of [5, 3601, 30.5])
      given([]).when(schedule({ sessionTimeoutSeconds })).thenThrows('invalid_timeout');
  });

  it('refuses a start that has passed', () => {
    given([])
      .when(schedule({ at: at(20, 1) }))
      .thenThrows('start_in_past');
    given([])
      .when(schedule({ at: startsAt }))
      .thenThrows('start_in_past');
  });

  it('refuses a time that is not a date', () => {
    given([])
      .when(schedule({ startsAt: 'tomorrow evening' }))
      .thenThrows('invalid_time');
  });

  it('refuses a stream without quality profiles', () => {
    given([])
      .when(schedule({ profiles: [] }))
      .thenThrows('no_profiles');
  });

  it('refuses a profile without a name, height or bitrate, and more than 8 profiles', () => {
    const bad: QualityProfile[] = [
      { name: ' ', height: 720, bitrateKbps: 3000 },
      { name: '720p', height: 0, bitrateKbps: 3000 },
      { name: '720p', height: 720, bitrateKbps: -1 },
      { name: '720p', height: 720.5, bitrateKbps: 3000 },
      { name: '720p', height: 720, bitrateKbps: 200_000 },
      { name: 'x'.repeat(21), height: 720, bitrateKbps: 3000 },
    ];
    for (const profile of bad)
      given([])
        .when(schedule({ profiles: [profile] }))
        .thenThrows('invalid_profile');
    const nine = Array.from({ length: 9 }, (_, i) => ({
      name: `p${i}`,
      height: 100 + i,
      bitrateKbps: 100 + i,
    }));
    given([])
      .when(schedule({ profiles: nine }))
      .thenThrows('invalid_profile');
  });

  it('refuses two profiles with the same name', () => {
    given([])
      .when(schedule({ profiles: [...ladder, { name: ' 720P ', height: 700, bitrateKbps: 2500 }] }))
      .thenThrows('duplicate_profile');
  });

  it('refuses a ladder where a taller rendition has no higher bitrate', () => {
    const typo = [{ name: '1080p', height: 1080, bitrateKbps: 600 }, ...ladder.slice(1)];
    given([])
      .when(schedule({ profiles: typo }))
      .thenThrows('inconsistent_ladder');
  });

  it('takes renditions of one height at several bitrates, and trims names', () => {
    const profiles = [
      { name: ' 720p60 ', height: 720, bitrateKbps: 4500 },
      { name: '720p', height: 720, bitrateKbps: 3000 },
    ];
    given([])
      .when(schedule({ profiles }))
      .then([scheduled({ profiles: [{ ...profiles[0]!, name: '720p60' }, profiles[1]!] })]);
  });

  it('is a no-op when the same command arrives again', () => {
    given([scheduled()]).when(schedule()).then([]);
  });

  it('reschedules until it starts, keeping the access granted', () => {
    const later = '2026-11-21T21:00:00.000Z';
    given([scheduled(), granted('t-ola')])
      .when(schedule({ commandId: 'c-9', startsAt: later }))
      .then([scheduled({ commandId: 'c-9', startsAt: later })]);
    given([scheduled(), granted('t-ola'), scheduled({ commandId: 'c-9' }), started()])
      .when(startSession('s-1', 't-ola', at(20)))
      .then([sessionStarted('s-1', 't-ola', at(20))]);
  });

  it('refuses to reschedule a stream that is live, ended or cancelled', () => {
    given(live)
      .when(schedule({ commandId: 'c-9' }))
      .thenThrows('already_started');
    given([...live, ended()])
      .when(schedule({ commandId: 'c-9' }))
      .thenThrows('stream_ended');
    given([scheduled(), cancelled])
      .when(schedule({ commandId: 'c-9' }))
      .thenThrows('stream_cancelled');
  });

  it("refuses another concert's stream", () => {
    given([scheduled()])
      .when(schedule({ commandId: 'c-9', concertId: otherConcert }))
      .thenThrows('wrong_livestream');
  });
});

describe('going live', () => {
  it('starts a scheduled stream', () => {
    given([scheduled()])
      .when(start(at(20)))
      .then([started(at(20))]);
  });

  it(`starts up to an hour early for a pre-show, not earlier`, () => {
    given([scheduled()])
      .when(start(at(19)))
      .then([started(at(19))]);
    given([scheduled()])
      .when(start(at(18, 59, 59)))
      .thenThrows('too_early');
  });

  it('starts late', () => {
    given([scheduled()])
      .when(start(at(21, 30)))
      .then([started(at(21, 30))]);
  });

  it('refuses a stream that was never scheduled', () => {
    given([]).when(start()).thenThrows('not_scheduled');
  });

  it('is a no-op when the same command arrives again, and refuses a second start', () => {
    given(live).when(start()).then([]);
    given(live)
      .when(start(at(20), 'c-9'))
      .thenThrows('already_started');
  });

  it('refuses to start after the end or a cancellation', () => {
    given([...live, ended()])
      .when(start(at(22, 5), 'c-9'))
      .thenThrows('stream_ended');
    given([scheduled(), cancelled])
      .when(start(at(20), 'c-9'))
      .thenThrows('stream_cancelled');
  });

  it("refuses another concert's stream and a time that is not a date", () => {
    given([scheduled()])
      .when(start(at(20), 'c-2', otherConcert))
      .thenThrows('wrong_livestream');
    given([scheduled()]).when(start('8 pm')).thenThrows('invalid_time');
  });
});

describe('ending and cancelling', () => {
  it('ends a live stream', () => {
    given(live).when(end()).then([ended()]);
  });

  it("ends every viewer's session with it", () => {
    given([
      ...olaWatching,
      sessionStarted('s-tv', 't-jan', at(21, 59)),
      heartbeatRecorded('s-phone', at(21, 59)),
    ])
      .when(end(at(22)))
      .then([
        ended(at(22)),
        sessionEnded('s-phone', 't-ola', at(22), 'stream_ended'),
        sessionEnded('s-tv', 't-jan', at(22), 'stream_ended'),
      ]);
  });

  it('ends a session that had timed out as timed out, at the moment it did', () => {
    given(olaWatching)
      .when(end(at(22)))
      .then([ended(at(22)), sessionEnded('s-phone', 't-ola', at(20, 1, 30), 'timed_out')]);
  });

  it('refuses to end a stream that has not started', () => {
    given([scheduled()]).when(end()).thenThrows('not_started');
    given([]).when(end()).thenThrows('not_scheduled');
  });

  it('refuses an end before the start', () => {
    given(live)
      .when(end(at(19, 50)))
      .thenThrows('end_before_start');
  });

  it('is a no-op when the same command arrives again, and nothing follows the end', () => {
    given([...live, ended()])
      .when(end())
      .then([]);
    given([...live, ended()])
      .when(end(at(23), 'c-9'))
      .thenThrows('stream_ended');
  });

  it('cancels a scheduled stream, after which nothing changes', () => {
    given([scheduled()]).when(cancel()).then([cancelled]);
    given([scheduled(), cancelled]).when(cancel()).then([]);
    given([scheduled(), cancelled]).when(cancel('c-9')).thenThrows('stream_cancelled');
    given([scheduled(), cancelled])
      .when(grant(ticket('t-ola')))
      .thenThrows('stream_cancelled');
  });

  it('refuses to cancel a live stream (end it) or one never scheduled', () => {
    given(live).when(cancel()).thenThrows('already_started');
    given([]).when(cancel()).thenThrows('not_scheduled');
  });
});

describe('granting viewer access', () => {
  it('grants access to a valid ticket of this concert, before or during the stream', () => {
    given([scheduled()])
      .when(grant(ticket('t-ola')))
      .then([granted('t-ola')]);
    given(live)
      .when(grant(ticket('t-ewa')))
      .then([granted('t-ewa')]);
  });

  it('is a no-op for a ticket that has access already, even after the end', () => {
    given(live)
      .when(grant(ticket('t-ola')))
      .then([]);
    given([...live, ended()])
      .when(grant(ticket('t-ola')))
      .then([]);
  });

  it("refuses another concert's ticket", () => {
    given(live)
      .when(grant(ticket('t-x', 'valid', otherConcert)))
      .thenThrows('wrong_concert');
  });

  it('refuses a voided ticket', () => {
    given(live)
      .when(grant(ticket('t-x', 'voided')))
      .thenThrows('ticket_voided');
  });

  it('takes the ticket as the ticket context holds it', () => {
    const book = fold(evolveTicket, initialTicketBook(), [
      {
        type: 'TicketIssued',
        data: {
          ticketId: 't-eva',
          orderId: 'o-1',
          customerId: 'eva',
          concertId,
          level: 'Regular',
          issuedAt: at(18),
        },
      },
      {
        type: 'TicketIssued',
        data: {
          ticketId: 't-max',
          orderId: 'o-2',
          customerId: 'max',
          concertId,
          level: 'Regular',
          issuedAt: at(18),
        },
      },
      {
        type: 'TicketVoided',
        data: { ticketId: 't-max', concertId, reason: 'refunded', causeId: 'r-1', voidedAt: at(19) },
      },
    ]);
    given([scheduled(), started()])
      .when(grant(book.tickets.get('t-eva')!))
      .then([granted('t-eva')]);
    given([scheduled(), started()])
      .when(grant(book.tickets.get('t-max')!))
      .thenThrows('ticket_voided');
  });

  it('never grants again a ticket whose access was revoked', () => {
    given([...live, revoked('t-ola')])
      .when(grant(ticket('t-ola')))
      .thenThrows('access_revoked');
  });

  it('refuses a stream never scheduled, and grants nothing after the end', () => {
    given([])
      .when(grant(ticket('t-ola')))
      .thenThrows('not_scheduled');
    given([...live, ended()])
      .when(grant(ticket('t-ewa')))
      .thenThrows('stream_ended');
  });
});

describe('revoking viewer access', () => {
  it("revokes a voided ticket's access", () => {
    given(live)
      .when(revoke('t-jan'))
      .then([revoked('t-jan')]);
  });

  it('ends the session of the voided ticket at once', () => {
    given(olaWatching)
      .when(revoke('t-ola', at(20, 1)))
      .then([revoked('t-ola'), sessionEnded('s-phone', 't-ola', at(20, 1), 'access_revoked')]);
  });

  it('records a void that overtook the grant, so the grant is refused when it comes', () => {
    given(live)
      .when(revoke('t-ewa'))
      .then([revoked('t-ewa')]);
    given([...live, revoked('t-ewa')])
      .when(grant(ticket('t-ewa')))
      .thenThrows('access_revoked');
  });

  it('is a no-op for a ticket revoked already', () => {
    given([...live, revoked('t-jan')])
      .when(revoke('t-jan'))
      .then([]);
  });

  it('refuses a stream never scheduled, a time that is not a date, and anything after the end', () => {
    given([]).when(revoke('t-ola')).thenThrows('not_scheduled');
    given(live).when(revoke('t-ola', 'soon')).thenThrows('invalid_time');
    given([...live, ended()])
      .when(revoke('t-ola'))
      .thenThrows('stream_ended');
  });
});

describe('viewer sessions', () => {
  it('starts a session for a ticket with access while the stream is live', () => {
    given(live)
      .when(startSession('s-phone', 't-ola', at(20)))
      .then([sessionStarted('s-phone', 't-ola', at(20))]);
  });

  it('is a no-op when the same session starts again', () => {
    given(olaWatching)
      .when(startSession('s-phone', 't-ola', at(20, 0, 5)))
      .then([]);
  });

  it('ends the old session when the same ticket starts another: the latest device wins', () => {
    given(olaWatching)
      .when(startSession('s-tv', 't-ola', at(20, 1)))
      .then([
        sessionEnded('s-phone', 't-ola', at(20, 1), 'replaced'),
        sessionStarted('s-tv', 't-ola', at(20, 1)),
      ]);
  });

  it('ends the old session as timed out if it had, at the moment it did', () => {
    given(olaWatching)
      .when(startSession('s-tv', 't-ola', at(20, 30)))
      .then([
        sessionEnded('s-phone', 't-ola', at(20, 1, 30), 'timed_out'),
        sessionStarted('s-tv', 't-ola', at(20, 30)),
      ]);
  });

  it("leaves other tickets' sessions alone", () => {
    given(olaWatching)
      .when(startSession('s-tv', 't-jan', at(20, 1)))
      .then([sessionStarted('s-tv', 't-jan', at(20, 1))]);
  });

  it('refuses a session before the stream is live', () => {
    given([scheduled(), granted('t-ola')])
      .when(startSession('s-phone', 't-ola', at(19, 50)))
      .thenThrows('not_live');
  });

  it('refuses a ticket without access, or whose access was revoked', () => {
    given(live)
      .when(startSession('s-1', 't-ewa', at(20)))
      .thenThrows('no_access');
    given([...live, revoked('t-jan')])
      .when(startSession('s-1', 't-jan', at(20)))
      .thenThrows('access_revoked');
  });

  it('refuses a session after the end, a stream never scheduled, and a time that is not a date', () => {
    given([...live, ended()])
      .when(startSession('s-late', 't-ola', at(22, 5)))
      .thenThrows('stream_ended');
    given([])
      .when(startSession('s-1', 't-ola', at(20)))
      .thenThrows('not_scheduled');
    given(live)
      .when(startSession('s-1', 't-ola', 'now'))
      .thenThrows('invalid_time');
  });
});

describe('heartbeats', () => {
  it('records a heartbeat within the timeout', () => {
    given(olaWatching)
      .when(heartbeat('s-phone', at(20, 0, 30)))
      .then([heartbeatRecorded('s-phone', at(20, 0, 30))]);
  });

  it('keeps a session alive as long as heartbeats come in time', () => {
    given([...olaWatching, heartbeatRecorded('s-phone', at(20, 1, 20))])
      .when(heartbeat('s-phone', at(20, 2, 50)))
      .then([heartbeatRecorded('s-phone', at(20, 2, 50))]);
  });

  it('takes a heartbeat exactly at the timeout, and refuses one later: the player starts a new session', () => {
    given(olaWatching)
      .when(heartbeat('s-phone', at(20, 1, 30)))
      .then([heartbeatRecorded('s-phone', at(20, 1, 30))]);
    given(olaWatching)
      .when(heartbeat('s-phone', at(20, 1, 31)))
      .thenThrows('session_timed_out');
  });

  it('is a no-op for a heartbeat not newer than the last one', () => {
    given(olaWatching)
      .when(heartbeat('s-phone', at(20)))
      .then([]);
    given([...olaWatching, heartbeatRecorded('s-phone', at(20, 0, 30))])
      .when(heartbeat('s-phone', at(20, 0, 10)))
      .then([]);
  });

  it('refuses a session it does not know, and a time that is not a date', () => {
    given(olaWatching)
      .when(heartbeat('s-ghost', at(20, 0, 30)))
      .thenThrows('unknown_session');
    given(olaWatching).when(heartbeat('s-phone', 'later')).thenThrows('invalid_time');
  });

  it('tells a replaced, revoked, ended or timed-out session why it is over', () => {
    const over = (reason: SessionEndReason) => [
      ...olaWatching,
      sessionEnded('s-phone', 't-ola', at(20, 1), reason),
    ];
    const messages = (
      ['replaced', 'access_revoked', 'stream_ended', 'ended_by_viewer', 'timed_out'] as const
    ).map(
      (reason) =>
        given(over(reason))
          .when(heartbeat('s-phone', at(20, 1, 10)))
          .thenThrows('session_ended').message,
    );
    expect(messages[0]).toContain('another device');
    expect(messages[1]).toContain('voided');
    expect(new Set(messages).size).toBe(5);
  });
});

describe('ending a session', () => {
  it("ends the session when the viewer's player closes", () => {
    given(olaWatching)
      .when(endSession('s-phone', at(20, 1)))
      .then([sessionEnded('s-phone', 't-ola', at(20, 1), 'ended_by_viewer')]);
  });

  it('records a session that had timed out before its end arrived as timed out', () => {
    given(olaWatching)
      .when(endSession('s-phone', at(20, 10)))
      .then([sessionEnded('s-phone', 't-ola', at(20, 1, 30), 'timed_out')]);
  });

  it('is a no-op for a session that has ended', () => {
    given([...olaWatching, sessionEnded('s-phone', 't-ola', at(20, 1), 'replaced')])
      .when(endSession('s-phone', at(20, 2)))
      .then([]);
  });

  it('refuses a session it does not know, and a time that is not a date', () => {
    given(olaWatching)
      .when(endSession('s-ghost', at(20, 1)))
      .thenThrows('unknown_session');
    given(olaWatching).when(endSession('s-phone', '')).thenThrows('invalid_time');
  });
});

describe('the timeout sweep', () => {
  const both = [...olaWatching, sessionStarted('s-tv', 't-jan', at(20, 1))];

  it('ends the sessions without heartbeats for longer than the timeout, at the moment they timed out', () => {
    given(both)
      .when(expire(at(20, 2)))
      .then([sessionEnded('s-phone', 't-ola', at(20, 1, 30), 'timed_out')]);
    given(both)
      .when(expire(at(20, 3)))
      .then([
        sessionEnded('s-phone', 't-ola', at(20, 1, 30), 'timed_out'),
        sessionEnded('s-tv', 't-jan', at(20, 2, 30), 'timed_out'),
      ]);
  });

  it('ends nothing while heartbeats come in time, or when there is no stream', () => {
    given([...both, heartbeatRecorded('s-phone', at(20, 1, 50))])
      .when(expire(at(20, 2)))
      .then([]);
    given([])
      .when(expire(at(20)))
      .then([]);
  });

  it("refuses another concert's stream", () => {
    given(live)
      .when(expire(at(20), otherConcert))
      .thenThrows('wrong_livestream');
  });
});

describe('a command or event it does not know', () => {
  it('is a programming error, not a rule broken', () => {
    const bogus = { type: 'RewindLivestream', data: { concertId } } as unknown as LivestreamCommand;
    expect(() => decideLivestream(bogus, initialLivestreamState())).toThrow('Unhandled case');
    const state = fold(evolveLivestream, initialLivestreamState(), live);
    expect(() =>
      evolveLivestream(state, { type: 'LivestreamRewound', data: {} } as unknown as StreamingEvent),
    ).toThrow('Unhandled case');
  });
});

describe('what the stream origin reads', () => {
  const state = (events: StreamingEvent[]) => fold(evolveLivestream, initialLivestreamState(), events);

  it('serves a live, active session until its timeout', () => {
    expect(mayWatch(state(olaWatching), 's-phone', at(20, 1))).toBe(true);
    expect(mayWatch(state(olaWatching), 's-phone', at(20, 1, 30))).toBe(true);
    expect(mayWatch(state(olaWatching), 's-phone', at(20, 1, 31))).toBe(false);
  });

  it('serves no ended or unknown session, and nothing unless live', () => {
    const replaced = [...olaWatching, sessionEnded('s-phone', 't-ola', at(20, 1), 'replaced')];
    expect(mayWatch(state(replaced), 's-phone', at(20, 1))).toBe(false);
    expect(mayWatch(state(olaWatching), 's-ghost', at(20, 1))).toBe(false);
    expect(mayWatch(state([...olaWatching, ended(at(20, 1))]), 's-phone', at(20, 1))).toBe(false);
    expect(mayWatch(initialLivestreamState(), 's-phone', at(20, 1))).toBe(false);
  });

  it('ignores what does not fit its state (a stream is never partially applied)', () => {
    expect(state([started(), granted('t-ola')])).toEqual({ status: 'unscheduled' });
    const current = state(live);
    expect(evolveLivestream(current, heartbeatRecorded('s-ghost', at(20)))).toBe(current);
    expect(evolveLivestream(current, sessionEnded('s-ghost', 't-ola', at(20), 'replaced'))).toBe(current);
    expect(state([scheduled(), ended()])).toMatchObject({
      status: 'ended',
      startedAt: at(22),
      endedAt: at(22),
    });
  });
});

describe('the events', () => {
  it('are all decided by the authority (the stream origin and its access API run on the sync server)', () => {
    expect(Object.keys(streamingEventWriters).sort()).toEqual(Object.keys(streamingEventSchemas).sort());
    expect(new Set(Object.values(streamingEventWriters))).toEqual(new Set(['authority']));
  });

  it('validate what the decider writes', () => {
    const events = [
      ...olaWatching,
      heartbeatRecorded('s-phone', at(20, 0, 30)),
      revoked('t-ola'),
      sessionEnded('s-phone', 't-ola', at(20, 1), 'access_revoked'),
      ended(),
      cancelled,
    ];
    for (const event of events)
      expect(streamingEventSchemas[event.type].safeParse(event.data).success).toBe(true);
    expect(
      streamingEventSchemas.LivestreamScheduled.safeParse({ ...scheduled().data, profiles: [] }).success,
    ).toBe(false);
  });
});

// Properties: viewers on any number of devices, starting, beating, closing and vanishing, tickets voided, the sweep
// and the end of the stream, at any pace against a 90 s timeout.
const ticketIds = ['t0', 't1', 't2', 't3', 't4', 't5']; // t0–t3 have access from the start, t4 and t5 may get it
const weighted = <T>(...choices: [T, number][]) =>
  fc.oneof(...choices.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));
const stepArb = fc.record({
  kind: weighted<'start' | 'heartbeat' | 'end' | 'expire' | 'revoke' | 'grant' | 'endStream'>(
    ['start', 20],
    ['heartbeat', 30],
    ['end', 8],
    ['expire', 8],
    ['revoke', 3],
    ['grant', 3],
    ['endStream', 1],
  ),
  /** which of the sessions started so far a heartbeat or an end is for (a replay of an old one included) */
  pick: fc.nat(),
  ticket: fc.constantFrom(...ticketIds),
  /** seconds since the previous step: mostly seconds, sometimes minutes (a player that vanished) */
  pause: fc.oneof(
    { arbitrary: fc.nat({ max: 20 }), weight: 6 },
    { arbitrary: fc.nat({ max: 240 }), weight: 1 },
  ),
});
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;
const stepsArb = fc.array(stepArb, { maxLength: 80, size: 'max' });

const opening = [scheduled(), granted('t0'), granted('t1'), granted('t2'), granted('t3'), started(at(20))];

function commandOf(step: Step, when: string, index: number, known: readonly string[]): LivestreamCommand {
  // mostly one of the latest sessions (the ones likely still running), sometimes one that ended long ago
  const pickedSession = known[known.length - 1 - (step.pick % Math.min(6, known.length || 1))] ?? 's-ghost';
  switch (step.kind) {
    case 'start':
      return startSession(`s-${index}`, step.ticket, when);
    case 'heartbeat':
      return heartbeat(pickedSession, when);
    case 'end':
      return endSession(pickedSession, when);
    case 'expire':
      return expire(when);
    case 'revoke':
      return revoke(step.ticket, when);
    case 'grant':
      return grant(ticket(step.ticket));
    default:
      return end(when, `end-${index}`);
  }
}

/** Decides each step in turn; returns every state along the way and the log. */
function run(steps: readonly Step[]): { states: LivestreamState[]; log: StreamingEvent[] } {
  let state = fold(evolveLivestream, initialLivestreamState(), opening);
  let time = Date.parse(at(20));
  const states: LivestreamState[] = [state];
  const log: StreamingEvent[] = [...opening];
  const known: string[] = [];
  steps.forEach((step, index) => {
    time += step.pause * 1000;
    const command = commandOf(step, new Date(time).toISOString(), index, known);
    try {
      const events = decideLivestream(command, state);
      state = fold(evolveLivestream, state, events);
      log.push(...events);
      for (const event of events) if (event.type === 'ViewerSessionStarted') known.push(event.data.sessionId);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
    }
    states.push(state);
  });
  return { states, log };
}

const runs = { numRuns: 300 };

describe('the livestream, property by property', () => {
  it('has at most one active session per ticket at every moment, always of a ticket with access', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        for (const state of run(steps).states) {
          if (state.status === 'unscheduled') continue;
          const active = [...state.sessions.values()].filter((s) => s.status === 'active');
          const tickets = active.map((s) => s.ticketId);
          expect(new Set(tickets).size).toBe(tickets.length);
          expect(new Map(active.map((s) => [s.ticketId, s.sessionId]))).toEqual(state.activeByTicket);
          for (const ticketId of tickets) expect(state.access.get(ticketId)).toBe('granted');
        }
      }),
      runs,
    );
  });

  it('lets nothing follow the end, which closes every session', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const { log, states } = run(steps);
        const endAt = log.findIndex((e) => e.type === 'LivestreamEnded');
        if (endAt < 0) return;
        expect(log.slice(endAt + 1).every((e) => e.type === 'ViewerSessionEnded')).toBe(true);
        const last = states.at(-1)!;
        expect(last.status).toBe('ended');
        if (last.status !== 'unscheduled') expect(last.activeByTicket.size).toBe(0);
      }),
      runs,
    );
  });

  it('never keeps a session beyond its timeout, and ends each session once', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const lastSeen = new Map<string, number>();
        const timeout = defaultSessionTimeoutSeconds * 1000;
        const ends: string[] = [];
        for (const event of run(steps).log) {
          switch (event.type) {
            case 'ViewerSessionStarted':
              lastSeen.set(event.data.sessionId, Date.parse(event.data.at));
              break;
            case 'ViewerHeartbeatRecorded': {
              const previous = lastSeen.get(event.data.sessionId)!;
              expect(Date.parse(event.data.at) - previous).toBeLessThanOrEqual(timeout);
              lastSeen.set(event.data.sessionId, Date.parse(event.data.at));
              break;
            }
            case 'ViewerSessionEnded':
              expect(Date.parse(event.data.at) - lastSeen.get(event.data.sessionId)!).toBeLessThanOrEqual(
                timeout,
              );
              ends.push(event.data.sessionId);
              break;
            default:
          }
        }
        expect(new Set(ends).size).toBe(ends.length);
      }),
      runs,
    );
  });
});
