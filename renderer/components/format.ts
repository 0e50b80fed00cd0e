// Amounts and times as a person at this desk reads them.
import { locale, t } from '../i18n';

// Building an Intl formatter costs far more than formatting with one, and the sales list formats every row at every
// render: one formatter per currency, and one clock, made once.
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** As domain/shared/money.ts `formatMoney` formats minor units, with the formatter made once per currency. */
export function money(minor: number, currency: string): string {
  let formatter = moneyFormats.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormats.set(currency, formatter);
  }
  return formatter.format(minor / 100);
}

/** A concert's start in its venue's timezone: what the ticket says. */
export const concertDate = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );

const clock = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });

export const clockTime = (epochMs: number | string): string => clock.format(new Date(epochMs));

export function ago(epochMs: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - epochMs) / 1000));
  if (seconds < 120) return t('sync.secondsAgo', { count: seconds });
  return t('sync.minutesAgo', { count: Math.floor(seconds / 60) });
}
