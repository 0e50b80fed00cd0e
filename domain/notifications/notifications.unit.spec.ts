// A notification's rules, one specification each, and "sent at most once per cause" as a property over any sequence
// of attempts, failures, retries and replays.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError, fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import {
  defaultMaxAttempts,
  notificationIdOf,
  notificationKinds,
  notificationsEventSchemas,
  notificationsEventWriters,
} from './events';
import type { NotificationKind, NotificationsEvent } from './events';
import {
  attemptsLeft,
  decideNotification,
  evolveNotification,
  initialNotificationState,
  notificationDecider,
  pendingAttempt,
} from './notifications';
import type { NotificationCommand, NotificationState } from './notifications';

const given = specification(notificationDecider);

const causeId = 'res-01J9Z3';
const id = notificationIdOf('reservation_confirmation', causeId);
const recipient = { email: 'ola@example.com', name: 'Ola Nowak' };
const t = (minute: number) => `2026-11-21T18:${String(minute).padStart(2, '0')}:00.000Z`;

// Commands
const requestNotification = (
  overrides: Partial<Extract<NotificationCommand, { type: 'RequestNotification' }>['data']> = {},
): NotificationCommand => ({
  type: 'RequestNotification',
  data: {
    kind: 'reservation_confirmation',
    causeId,
    recipient,
    locale: 'pl',
    maxAttempts: 3,
    at: t(0),
    ...overrides,
  },
});
const recordSent = (attempt: number, notificationId = id): NotificationCommand => ({
  type: 'RecordNotificationSent',
  data: { notificationId, attempt, providerMessageId: `msg-${attempt}`, at: t(attempt * 10 + 1) },
});
const recordFailure = (
  attempt: number,
  reason = 'SMTP 451: try again later',
  notificationId = id,
): NotificationCommand => ({
  type: 'RecordNotificationFailure',
  data: { notificationId, attempt, reason, at: t(attempt * 10 + 1) },
});
const retry = (afterAttempt: number): NotificationCommand => ({
  type: 'RetryNotification',
  data: { notificationId: id, afterAttempt, at: t(afterAttempt * 10 + 5) },
});

// Events
const requested = (maxAttempts = 3): Extract<NotificationsEvent, { type: 'NotificationRequested' }> => ({
  type: 'NotificationRequested',
  data: {
    notificationId: id,
    kind: 'reservation_confirmation',
    causeId,
    recipient,
    locale: 'pl',
    maxAttempts,
    at: t(0),
  },
});
const sent = (attempt: number): NotificationsEvent => ({
  type: 'NotificationSent',
  data: { notificationId: id, attempt, providerMessageId: `msg-${attempt}`, at: t(attempt * 10 + 1) },
});
const failed = (attempt: number, reason = 'SMTP 451: try again later'): NotificationsEvent => ({
  type: 'NotificationFailed',
  data: { notificationId: id, attempt, reason, at: t(attempt * 10 + 1) },
});
const retried = (attempt: number): NotificationsEvent => ({
  type: 'NotificationRetried',
  data: { notificationId: id, attempt, at: t((attempt - 1) * 10 + 5) },
});

describe('requesting a notification', () => {
  it('requests one notification for a cause, with a bounded number of attempts', () => {
    given([]).when(requestNotification()).then([requested()]);
  });

  it.each(notificationKinds)('requests a %s', (kind: NotificationKind) => {
    const [event] = given([])
      .when(requestNotification({ kind }))
      .then([
        {
          type: 'NotificationRequested',
          data: { ...requested().data, kind, notificationId: notificationIdOf(kind, causeId) },
        },
      ]);
    expect(event?.data.notificationId).toBe(`${kind}:${causeId}`);
  });

  it(`allows ${defaultMaxAttempts} attempts unless the request says otherwise`, () => {
    given([])
      .when(requestNotification({ maxAttempts: undefined }))
      .then([requested(defaultMaxAttempts)]);
  });

  it('notifies a cause once: a second request is a no-op, whatever it says', () => {
    given([requested()]).when(requestNotification()).then([]);
    given([requested(), sent(1)])
      .when(requestNotification({ recipient: { email: 'other@example.com' } }))
      .then([]);
    given([requested(), failed(1)])
      .when(requestNotification())
      .then([]);
  });

  it('refuses a request for another cause on this notification', () => {
    given([requested()])
      .when(requestNotification({ causeId: 'res-other' }))
      .thenThrows('wrong_notification');
    given([requested()])
      .when(requestNotification({ kind: 'payment_confirmation' }))
      .thenThrows('wrong_notification');
  });

  it('refuses a request without a cause', () => {
    given([])
      .when(requestNotification({ causeId: ' ' }))
      .thenThrows('missing_cause');
  });

  it('refuses a recipient without a valid email address', () => {
    for (const email of ['', 'ola', 'ola@', 'ola @example.com', 'ola@example'])
      given([])
        .when(requestNotification({ recipient: { email } }))
        .thenThrows('invalid_recipient');
  });

  it('refuses a maximum of attempts outside 1 to 10', () => {
    for (const maxAttempts of [0, -1, 11, 2.5])
      given([]).when(requestNotification({ maxAttempts })).thenThrows('invalid_max_attempts');
    given([])
      .when(requestNotification({ maxAttempts: 1 }))
      .then([requested(1)]);
  });
});

describe('recording an attempt', () => {
  it('records the first attempt as sent', () => {
    given([requested()])
      .when(recordSent(1))
      .then([sent(1)]);
  });

  it('records the first attempt as failed, with the reason', () => {
    given([requested()])
      .when(recordFailure(1))
      .then([failed(1)]);
  });

  it('records a retried attempt', () => {
    given([requested(), failed(1), retried(2)])
      .when(recordSent(2))
      .then([sent(2)]);
    given([requested(), failed(1), retried(2)])
      .when(recordFailure(2))
      .then([failed(2)]);
  });

  it('is a no-op when the same outcome arrives again', () => {
    given([requested(), sent(1)])
      .when(recordSent(1))
      .then([]);
    given([requested(), failed(1)])
      .when(recordFailure(1, 'another wording'))
      .then([]);
    given([requested(), failed(1), retried(2), sent(2)])
      .when(recordFailure(1))
      .then([]);
  });

  it('never records a second send', () => {
    given([requested(), sent(1)])
      .when(recordFailure(1))
      .thenThrows('already_sent');
    given([requested(), failed(1), retried(2), sent(2)])
      .when(recordSent(1))
      .thenThrows('outcome_recorded');
  });

  it('never changes an outcome: a failed attempt stays failed', () => {
    given([requested(), failed(1)])
      .when(recordSent(1))
      .thenThrows('outcome_recorded');
    given([requested(), failed(1), retried(2)])
      .when(recordSent(1))
      .thenThrows('outcome_recorded');
  });

  it('refuses an outcome for an attempt not yet made', () => {
    given([requested()]).when(recordSent(2)).thenThrows('unknown_attempt');
    given([requested(), failed(1)])
      .when(recordFailure(2))
      .thenThrows('unknown_attempt');
  });

  it('refuses an outcome for a notification that was never requested, or another one', () => {
    given([]).when(recordSent(1)).thenThrows('unknown_notification');
    given([]).when(recordFailure(1)).thenThrows('unknown_notification');
    given([requested()])
      .when(recordSent(1, notificationIdOf('ticket_delivery', causeId)))
      .thenThrows('unknown_notification');
  });
});

describe('retrying', () => {
  it('retries a failed attempt with the next one', () => {
    given([requested(), failed(1)])
      .when(retry(1))
      .then([retried(2)]);
    given([requested(), failed(1), retried(2), failed(2)])
      .when(retry(2))
      .then([retried(3)]);
  });

  it('is a no-op when the same failure is retried again', () => {
    given([requested(), failed(1), retried(2)])
      .when(retry(1))
      .then([]);
    given([requested(), failed(1), retried(2), sent(2)])
      .when(retry(1))
      .then([]);
  });

  it('never retries a sent notification', () => {
    given([requested(), sent(1)])
      .when(retry(1))
      .thenThrows('already_sent');
    given([requested(), failed(1), retried(2), sent(2)])
      .when(retry(2))
      .thenThrows('already_sent');
  });

  it('retries only after a failure, not while an attempt awaits its outcome', () => {
    given([requested()]).when(retry(1)).thenThrows('not_failed');
    given([requested(), failed(1), retried(2)])
      .when(retry(2))
      .thenThrows('not_failed');
  });

  it('refuses to retry an attempt not yet made', () => {
    given([requested(), failed(1)])
      .when(retry(2))
      .thenThrows('unknown_attempt');
  });

  it('stops at the maximum of attempts, telling what to do', () => {
    const error = given([
      requested(),
      failed(1),
      retried(2),
      failed(2),
      retried(3),
      failed(3, 'mailbox full'),
    ])
      .when(retry(3))
      .thenThrows('attempts_exhausted');
    expect(error.message).toContain('mailbox full');
    given([requested(1), failed(1)])
      .when(retry(1))
      .thenThrows('attempts_exhausted');
  });

  it('refuses to retry a notification that was never requested', () => {
    given([]).when(retry(1)).thenThrows('unknown_notification');
  });
});

describe('a command or event it does not know', () => {
  it('is a programming error, not a rule broken', () => {
    const bogus = { type: 'SendSms', data: {} } as unknown as NotificationCommand;
    expect(() => decideNotification(bogus, initialNotificationState())).toThrow('Unhandled case');
    const state = fold(evolveNotification, initialNotificationState(), [requested()]);
    const odd = { type: 'SmsSent', data: {} } as unknown as NotificationsEvent;
    expect(() => evolveNotification(state, odd)).toThrow('Unhandled case');
  });
});

describe('the state the mailer reads', () => {
  const state = (...events: NotificationsEvent[]) =>
    fold(evolveNotification, initialNotificationState(), events);

  it('says which attempt to make now', () => {
    expect(pendingAttempt(state())).toBeUndefined();
    expect(pendingAttempt(state(requested()))).toBe(1);
    expect(pendingAttempt(state(requested(), failed(1)))).toBeUndefined();
    expect(pendingAttempt(state(requested(), failed(1), retried(2)))).toBe(2);
    expect(pendingAttempt(state(requested(), sent(1)))).toBeUndefined();
  });

  it('counts the attempts left', () => {
    expect(attemptsLeft(state())).toBe(0);
    expect(attemptsLeft(state(requested()))).toBe(2);
    expect(attemptsLeft(state(requested(), failed(1), retried(2), failed(2)))).toBe(1);
    expect(attemptsLeft(state(requested(), sent(1)))).toBe(0);
  });

  it('tracks requested, sent, failed and retrying', () => {
    expect(state(requested()).status).toBe('requested');
    expect(state(requested(), sent(1))).toMatchObject({
      status: 'sent',
      providerMessageId: 'msg-1',
      sentAt: t(11),
    });
    expect(state(requested(), failed(1))).toMatchObject({
      status: 'failed',
      reason: 'SMTP 451: try again later',
    });
    expect(state(requested(), failed(1), retried(2))).toMatchObject({ status: 'retrying', attempt: 2 });
  });

  it('ignores outcomes without a request (a stream is never partially applied)', () => {
    for (const event of [sent(1), failed(1), retried(2)]) expect(state(event)).toEqual({ status: 'none' });
  });
});

describe('the events', () => {
  it('are all decided by the authority (the mailer runs on the sync server)', () => {
    expect(Object.keys(notificationsEventWriters).sort()).toEqual(
      Object.keys(notificationsEventSchemas).sort(),
    );
    expect(new Set(Object.values(notificationsEventWriters))).toEqual(new Set(['authority']));
  });

  it('validate what the decider writes', () => {
    for (const event of [requested(), sent(1), failed(1), retried(2)])
      expect(notificationsEventSchemas[event.type].safeParse(event.data).success).toBe(true);
    expect(
      notificationsEventSchemas.NotificationRequested.safeParse({
        ...requested().data,
        recipient: { email: 'ola' },
      }).success,
    ).toBe(false);
  });
});

// Properties: a mailer and an impatient operator issuing any mix of outcomes, retries and replays. Each step names an
// attempt relative to the current one (mostly the current one; sometimes an earlier one, a replay, or one not made).
const stepArb = fc.record({
  kind: fc.constantFrom('request', 'sent', 'failed', 'failed', 'retry', 'retry'),
  offset: fc.constantFrom(0, 0, 0, 0, -1, -2, 1),
});
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;
const commandsArb = fc.array(stepArb, { maxLength: 40, size: 'max' });
const maxAttemptsArb = fc.integer({ min: 1, max: 5 });

function commandOf({ kind, offset }: Step, state: NotificationState): NotificationCommand {
  const attempt = Math.max(1, (state.status === 'none' ? 1 : state.attempt) + offset);
  switch (kind) {
    case 'request':
      return requestNotification();
    case 'sent':
      return recordSent(attempt);
    case 'failed':
      return recordFailure(attempt);
    default:
      return retry(attempt);
  }
}

function run(maxAttempts: number, steps: readonly Step[]): NotificationsEvent[] {
  let state: NotificationState = fold(evolveNotification, initialNotificationState(), [
    requested(maxAttempts),
  ]);
  const log: NotificationsEvent[] = [requested(maxAttempts)];
  for (const step of steps) {
    try {
      const events = decideNotification(commandOf(step, state), state);
      state = fold(evolveNotification, state, events);
      log.push(...events);
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
    }
  }
  return log;
}

const runs = { numRuns: 300 };

describe('a notification, property by property', () => {
  it('is sent at most once per cause, and nothing follows the send', () => {
    fc.assert(
      fc.property(maxAttemptsArb, commandsArb, (maxAttempts, commands) => {
        const log = run(maxAttempts, commands);
        const sends = log.filter((e) => e.type === 'NotificationSent');
        expect(sends.length).toBeLessThanOrEqual(1);
        if (sends.length === 1) expect(log.at(-1)).toBe(sends[0]);
        expect(log.filter((e) => e.type === 'NotificationRequested')).toHaveLength(1);
      }),
      runs,
    );
  });

  it('retries only after a failure, one attempt at a time, never beyond the maximum', () => {
    fc.assert(
      fc.property(maxAttemptsArb, commandsArb, (maxAttempts, commands) => {
        const log = run(maxAttempts, commands);
        let attempt = 1;
        let outcome: 'pending' | 'sent' | 'failed' = 'pending';
        for (const event of log.slice(1)) {
          switch (event.type) {
            case 'NotificationSent':
            case 'NotificationFailed':
              expect(outcome).toBe('pending'); // one outcome per attempt
              expect(event.data.attempt).toBe(attempt);
              outcome = event.type === 'NotificationSent' ? 'sent' : 'failed';
              break;
            case 'NotificationRetried':
              expect(outcome).toBe('failed');
              expect(event.data.attempt).toBe(attempt + 1);
              attempt = event.data.attempt;
              outcome = 'pending';
              break;
            default:
              throw new Error(`unexpected ${event.type}`);
          }
        }
        expect(attempt).toBeLessThanOrEqual(maxAttempts);
      }),
      runs,
    );
  });

  it('ends sent, or failed with every attempt used, for a mailer that retries every failure', () => {
    fc.assert(
      fc.property(
        maxAttemptsArb,
        fc.array(fc.boolean(), { maxLength: 12, size: 'max' }),
        (maxAttempts, outcomes) => {
          let state = fold(evolveNotification, initialNotificationState(), [requested(maxAttempts)]);
          for (const delivered of outcomes) {
            const attempt = pendingAttempt(state);
            if (attempt === undefined) break;
            const command = delivered ? recordSent(attempt) : recordFailure(attempt);
            state = fold(evolveNotification, state, decideNotification(command, state));
            if (state.status === 'failed' && attemptsLeft(state) > 0)
              state = fold(evolveNotification, state, decideNotification(retry(state.attempt), state));
          }
          const firstSend = outcomes.slice(0, maxAttempts).indexOf(true);
          if (firstSend >= 0) expect(state).toMatchObject({ status: 'sent', attempt: firstSend + 1 });
          else if (outcomes.length >= maxAttempts)
            expect(state).toMatchObject({ status: 'failed', attempt: maxAttempts });
          else expect(pendingAttempt(state)).toBe(outcomes.length + 1);
        },
      ),
      runs,
    );
  });
});
