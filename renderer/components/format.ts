// Amounts and times as a person at this desk reads them.
import { formatMoney } from '../../domain/shared/money';
import { locale, t } from '../i18n';

export const money = (minor: number, currency: string): string => formatMoney(minor, currency, locale);

/** A concert's start in its venue's timezone: what the ticket says. */
export const concertDate = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );

export const clockTime = (epochMs: number | string): string =>
  new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(new Date(epochMs));

export function ago(epochMs: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - epochMs) / 1000));
  if (seconds < 120) return t('sync.secondsAgo', { count: seconds });
  return t('sync.minutesAgo', { count: Math.floor(seconds / 60) });
}
