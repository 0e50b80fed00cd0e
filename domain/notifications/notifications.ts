// One notification: an email a cause (a reservation, a payment, a ticket delivery) owes its customer, and the attempts
// to send it. One aggregate per kind and cause, its id derived from both. Business rules:
// - a cause is notified once per kind: a second request for it is a no-op, whatever it says;
// - attempts are numbered from 1; each has exactly one outcome, sent or failed, recorded by the mailer after the
//   provider answers (the same outcome recorded again is a no-op, a different one is refused);
// - a sent notification is never sent again: no retry, no second "sent";
// - a retry follows a failure only, and only while attempts are left (the maximum is set by the request, bounded by
//   `maxAttemptsLimit`); retrying the same failure twice is a no-op.
import { assertNever, DomainError } from '../shared/decider';
import type { Decider } from '../shared/decider';
import type { ListsAll } from '../shared/command-types';
import { isValidEmail } from '../delivery/address';
import { defaultMaxAttempts, maxAttemptsLimit, notificationIdOf } from './events';
import type { NotificationKind, NotificationRuleCode, NotificationsEvent, Recipient } from './events';

export type NotificationCommand =
  | {
      type: 'RequestNotification';
      data: {
        kind: NotificationKind;
        causeId: string;
        recipient: Recipient;
        locale: string;
        /** Defaults to `defaultMaxAttempts`. */
        maxAttempts?: number;
        at: string;
      };
    }
  | {
      type: 'RecordNotificationSent';
      data: { notificationId: string; attempt: number; providerMessageId: string; at: string };
    }
  | {
      type: 'RecordNotificationFailure';
      data: { notificationId: string; attempt: number; reason: string; at: string };
    }
  /** Retries the failure of attempt `afterAttempt`: the next attempt is afterAttempt + 1. */
  | { type: 'RetryNotification'; data: { notificationId: string; afterAttempt: number; at: string } };

/** Every command type, as data: the rule set of who may do what is checked against it (users/permissions). */
export const notificationsCommandTypes = [
  'RequestNotification',
  'RecordNotificationSent',
  'RecordNotificationFailure',
  'RetryNotification',
] as const satisfies readonly NotificationCommand['type'][];
export const notificationsCommandTypesComplete: ListsAll<
  NotificationCommand['type'],
  typeof notificationsCommandTypes
> = true;

type Notification = {
  notificationId: string;
  kind: NotificationKind;
  causeId: string;
  recipient: Recipient;
  locale: string;
  maxAttempts: number;
  /** The current attempt: the one awaiting its outcome, or the last one made. */
  attempt: number;
};

export type NotificationState =
  | { status: 'none' }
  /** attempt 1 awaits its outcome */
  | (Notification & { status: 'requested' })
  /** a later attempt awaits its outcome */
  | (Notification & { status: 'retrying' })
  | (Notification & { status: 'sent'; providerMessageId: string; sentAt: string })
  | (Notification & { status: 'failed'; reason: string; failedAt: string });

type Existing = Exclude<NotificationState, { status: 'none' }>;

export const initialNotificationState = (): NotificationState => ({ status: 'none' });

export class NotificationRuleBroken extends DomainError<NotificationRuleCode> {}

const broken = (code: NotificationRuleCode, message: string) => new NotificationRuleBroken(code, message);

export function decideNotification(
  command: NotificationCommand,
  state: NotificationState,
): NotificationsEvent[] {
  switch (command.type) {
    case 'RequestNotification':
      return request(command.data, state);
    case 'RecordNotificationSent': {
      const { notificationId, attempt, providerMessageId, at } = command.data;
      if (!hasOutcomeToRecord(existing(state, notificationId), attempt, 'sent')) return [];
      return [{ type: 'NotificationSent', data: { notificationId, attempt, providerMessageId, at } }];
    }
    case 'RecordNotificationFailure': {
      const { notificationId, attempt, reason, at } = command.data;
      if (!hasOutcomeToRecord(existing(state, notificationId), attempt, 'failed')) return [];
      return [{ type: 'NotificationFailed', data: { notificationId, attempt, reason, at } }];
    }
    case 'RetryNotification': {
      const { notificationId, afterAttempt, at } = command.data;
      const notification = existing(state, notificationId);
      if (afterAttempt < notification.attempt) return []; // that failure was retried already
      if (afterAttempt > notification.attempt)
        throw broken(
          'unknown_attempt',
          `Attempt ${afterAttempt} hasn't been made: retry the last attempt only.`,
        );
      if (notification.status === 'sent')
        throw broken('already_sent', 'This notification was sent already: it is never sent twice.');
      if (notification.status !== 'failed')
        throw broken(
          'not_failed',
          `Attempt ${afterAttempt} hasn't failed: wait for its outcome before retrying.`,
        );
      if (notification.attempt >= notification.maxAttempts)
        throw broken(
          'attempts_exhausted',
          `All ${notification.maxAttempts} attempts failed (last: ${notification.reason}): check the recipient's address and contact them another way.`,
        );
      return [{ type: 'NotificationRetried', data: { notificationId, attempt: afterAttempt + 1, at } }];
    }
    default:
      return assertNever(command);
  }
}

function request(
  data: Extract<NotificationCommand, { type: 'RequestNotification' }>['data'],
  state: NotificationState,
): NotificationsEvent[] {
  const { kind, causeId, recipient, locale, at } = data;
  const notificationId = notificationIdOf(kind, causeId);
  if (state.status !== 'none') {
    if (state.notificationId === notificationId) return []; // this cause is notified already
    throw broken(
      'wrong_notification',
      `This is the notification ${state.notificationId}, not ${notificationId}.`,
    );
  }
  if (!causeId.trim())
    throw broken('missing_cause', 'Name the reservation, payment or delivery this notification is for.');
  if (!isValidEmail(recipient.email))
    throw broken(
      'invalid_recipient',
      `"${recipient.email}" is not an email address: correct the customer's email.`,
    );
  const maxAttempts = data.maxAttempts ?? defaultMaxAttempts;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > maxAttemptsLimit)
    throw broken('invalid_max_attempts', `Allow from 1 to ${maxAttemptsLimit} attempts, not ${maxAttempts}.`);
  return [
    {
      type: 'NotificationRequested',
      data: { notificationId, kind, causeId, recipient, locale, maxAttempts, at },
    },
  ];
}

function existing(state: NotificationState, notificationId: string): Existing {
  if (state.status === 'none' || state.notificationId !== notificationId)
    throw broken('unknown_notification', `There is no notification ${notificationId}.`);
  return state;
}

/** True when this outcome is new for this attempt; false when it was recorded already (a replay); throws otherwise. */
function hasOutcomeToRecord(notification: Existing, attempt: number, outcome: 'sent' | 'failed'): boolean {
  if (attempt > notification.attempt)
    throw broken(
      'unknown_attempt',
      `Attempt ${attempt} hasn't been made: record the outcome of an attempt that was.`,
    );
  // Every earlier attempt failed: that is why there was a later one.
  const recorded =
    attempt < notification.attempt
      ? 'failed'
      : notification.status === 'sent' || notification.status === 'failed'
        ? notification.status
        : undefined;
  if (recorded === undefined) return true;
  if (recorded === outcome) return false;
  if (recorded === 'sent')
    throw broken('already_sent', 'This notification was sent already: its outcome is not a failure.');
  throw broken(
    'outcome_recorded',
    `Attempt ${attempt} failed already: retry it instead of changing its outcome.`,
  );
}

export function evolveNotification(state: NotificationState, event: NotificationsEvent): NotificationState {
  switch (event.type) {
    case 'NotificationRequested': {
      const { notificationId, kind, causeId, recipient, locale, maxAttempts } = event.data;
      return {
        status: 'requested',
        notificationId,
        kind,
        causeId,
        recipient,
        locale,
        maxAttempts,
        attempt: 1,
      };
    }
    case 'NotificationSent': {
      if (state.status === 'none') return state;
      const { attempt, providerMessageId, at } = event.data;
      return { ...base(state), status: 'sent', attempt, providerMessageId, sentAt: at };
    }
    case 'NotificationFailed': {
      if (state.status === 'none') return state;
      const { attempt, reason, at } = event.data;
      return { ...base(state), status: 'failed', attempt, reason, failedAt: at };
    }
    case 'NotificationRetried':
      if (state.status === 'none') return state;
      return { ...base(state), status: 'retrying', attempt: event.data.attempt };
    default:
      return assertNever(event);
  }
}

function base(state: Existing): Notification {
  const { notificationId, kind, causeId, recipient, locale, maxAttempts, attempt } = state;
  return { notificationId, kind, causeId, recipient, locale, maxAttempts, attempt };
}

/** The attempt the mailer should make now, if any: the one that awaits its outcome. */
export function pendingAttempt(state: NotificationState): number | undefined {
  return state.status === 'requested' || state.status === 'retrying' ? state.attempt : undefined;
}

/** Attempts still allowed after the current one (0 once sent: a sent notification is never sent again). */
export function attemptsLeft(state: NotificationState): number {
  if (state.status === 'none' || state.status === 'sent') return 0;
  return state.maxAttempts - state.attempt;
}

export const notificationDecider = {
  decide: decideNotification,
  evolve: evolveNotification,
  initialState: initialNotificationState,
} satisfies Decider<NotificationCommand, NotificationsEvent, NotificationState>;
