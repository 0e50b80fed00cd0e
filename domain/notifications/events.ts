// The Notifications context: the emails a purchase causes (reservation confirmed, payment confirmed, tickets delivered)
// and what became of each send attempt. The mailer runs on the sync server, so everything here is its decision.
import { z } from 'zod';
import { isoInstant } from '../log/envelope';

export const notificationKinds = [
  'reservation_confirmation',
  'payment_confirmation',
  'ticket_delivery',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** Attempts a notification gets unless its request says otherwise, and the most a request may ask for. */
export const defaultMaxAttempts = 5;
export const maxAttemptsLimit = 10;

/** One notification per kind and cause: the id is derived, so a second request for the same cause finds the first. */
export const notificationIdOf = (kind: NotificationKind, causeId: string): string => `${kind}:${causeId}`;

const notification = { notificationId: z.string().min(1).max(200) };
const attempt = z.number().int().min(1).max(maxAttemptsLimit);
const at = { at: isoInstant };

export const recipientSchema = z.object({
  email: z.email().max(254),
  name: z.string().max(200).optional(),
});
export type Recipient = z.infer<typeof recipientSchema>;

export const notificationsEventSchemas = {
  NotificationRequested: z.object({
    ...notification,
    kind: z.enum(notificationKinds),
    /** What causes it (a reservation, an order's payments, a ticket delivery): the key of "once per cause". */
    causeId: z.string().min(1).max(100),
    recipient: recipientSchema,
    /** The language of the email, a BCP 47 tag ('en', 'pl'). */
    locale: z.string().min(2).max(35),
    maxAttempts: attempt,
    ...at,
  }),
  NotificationSent: z.object({
    ...notification,
    attempt,
    /** The provider's message id (Mailgun, the SMTP relay's queue id), for tracing a complaint. */
    providerMessageId: z.string().max(200),
    ...at,
  }),
  NotificationFailed: z.object({ ...notification, attempt, reason: z.string().max(500), ...at }),
  NotificationRetried: z.object({ ...notification, attempt, ...at }),
} as const;

export const notificationsEventWriters = {
  NotificationRequested: 'authority',
  NotificationSent: 'authority',
  NotificationFailed: 'authority',
  NotificationRetried: 'authority',
} as const satisfies Record<keyof typeof notificationsEventSchemas, 'device' | 'authority'>;

export const notificationRuleCodes = [
  'missing_cause',
  'invalid_recipient',
  'invalid_max_attempts',
  'wrong_notification',
  'unknown_notification',
  'unknown_attempt',
  'outcome_recorded',
  'already_sent',
  'not_failed',
  'attempts_exhausted',
] as const;
export type NotificationRuleCode = (typeof notificationRuleCodes)[number];

type DataOf<S extends Record<string, z.ZodType>> = {
  [K in keyof S]: { type: K; data: z.infer<S[K]> };
}[keyof S];
export type NotificationsEvent = DataOf<typeof notificationsEventSchemas>;
export type NotificationsEventType = NotificationsEvent['type'];
export type NotificationsEventData<K extends NotificationsEventType> = z.infer<
  (typeof notificationsEventSchemas)[K]
>;
