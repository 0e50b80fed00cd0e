// The concert form as a person fills it (text everywhere), checked against the rules the authority applies, so a
// request that would be refused is caught here with a sentence saying what to fix.
import type { ConcertDetails, TicketLevel } from '../../domain/concert/events';
import type { ConcertView } from '../../domain/desk/desk-view';
import { t } from '../i18n';
import { amountText, parseAmount } from './money-input';
import { isoToZoned, isTimeZone, zonedToIso } from './zoned-time';

export type LevelInput = { name: string; capacity: string; price: string };

export type ConcertInput = {
  artist: string;
  title: string;
  venue: string;
  city: string;
  /** datetime-local: '2027-06-27T20:00', the venue's wall clock. */
  startsAt: string;
  timezone: string;
  /** Minutes a reservation holds seats; empty: the box office's default. */
  holdMinutes: string;
  /** What the gates do with a provisional ticket (its sale pending). */
  provisionalAtGate: 'admit' | 'refuse';
  currency: string;
  levels: LevelInput[];
};

export type FieldError = { field: string; message: string };

export type ValidConcert = { details: ConcertDetails; currency: string; levels: TicketLevel[] };

export const emptyConcertInput = (timezone: string): ConcertInput => ({
  artist: '',
  title: '',
  venue: '',
  city: '',
  startsAt: '',
  timezone,
  holdMinutes: '',
  provisionalAtGate: 'admit',
  currency: 'PLN',
  levels: [{ name: '', capacity: '', price: '' }],
});

export function inputFromConcert(concert: ConcertView): ConcertInput {
  return {
    artist: concert.artist,
    title: concert.title,
    venue: concert.venue,
    city: concert.city,
    startsAt: isoToZoned(concert.startsAt, concert.timezone),
    timezone: concert.timezone,
    holdMinutes: concert.holdMinutes === undefined ? '' : String(concert.holdMinutes),
    provisionalAtGate: concert.provisionalAtGate ?? 'admit',
    currency: concert.currency,
    levels: concert.levels.map((l) => ({
      name: l.name,
      capacity: String(l.capacity),
      price: amountText(l.price),
    })),
  };
}

export function validateConcert(
  input: ConcertInput,
): { ok: true; value: ValidConcert } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) => errors.push({ field, message });
  if (!input.artist.trim()) fail('artist', t('form.missingArtist'));
  if (!input.venue.trim()) fail('venue', t('form.missingVenue'));
  const timezoneOk = isTimeZone(input.timezone.trim()) && input.timezone.trim() !== '';
  if (!timezoneOk) fail('timezone', t('form.badTimezone'));
  const startsAt = timezoneOk ? zonedToIso(input.startsAt, input.timezone.trim()) : undefined;
  if (timezoneOk && !startsAt) fail('startsAt', t('form.badStartsAt'));
  const hold = input.holdMinutes.trim();
  const holdMinutes = /^\d{1,4}$/.test(hold) ? Number(hold) : undefined;
  if (hold && (holdMinutes === undefined || holdMinutes < 1 || holdMinutes > 1440))
    fail('holdMinutes', t('form.badHoldMinutes'));
  const currency = input.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) fail('currency', t('form.badCurrency'));
  if (input.levels.length === 0) fail('levels', t('form.noLevels'));

  const seen = new Set<string>();
  const levels: TicketLevel[] = [];
  input.levels.forEach((level, i) => {
    const name = level.name.trim();
    const label = name ? `"${name}"` : String(i + 1);
    if (!name) fail(`level-${i}-name`, t('form.levelNameMissing', { n: i + 1 }));
    else if (seen.has(name.toLowerCase())) fail(`level-${i}-name`, t('form.levelDuplicate', { name }));
    seen.add(name.toLowerCase());
    const capacity = /^\s*\d{1,7}\s*$/.test(level.capacity) ? Number(level.capacity) : 0;
    if (capacity < 1) fail(`level-${i}-capacity`, t('form.levelCapacity', { name: label }));
    const price = parseAmount(level.price);
    if (price === undefined) fail(`level-${i}-price`, t('form.levelPrice', { name: label }));
    levels.push({ name, capacity, price: price ?? 0 });
  });

  if (errors.length > 0 || !startsAt) return { ok: false, errors };
  const details: ConcertDetails = {
    artist: input.artist.trim(),
    title: input.title.trim(),
    venue: input.venue.trim(),
    city: input.city.trim(),
    startsAt,
    timezone: input.timezone.trim(),
    ...(holdMinutes === undefined ? {} : { holdMinutes }),
    // Admitting is the default: only a refusal is written, so a concert that never chose compares equal.
    ...(input.provisionalAtGate === 'refuse' ? { provisionalAtGate: 'refuse' as const } : {}),
  };
  return { ok: true, value: { details, currency, levels } };
}

/** A readable, unique concert id (it names the concert's database): artist, city, date and a few random letters. */
export function newConcertId(
  details: Pick<ConcertDetails, 'artist' | 'city' | 'startsAt'>,
  random: string,
): string {
  const slug = (text: string) =>
    text
      .replace(/[łŁ]/g, 'l')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const date = details.startsAt.slice(0, 10).replace(/-/g, '');
  const head = [slug(details.artist).slice(0, 30), slug(details.city).slice(0, 15), date]
    .filter(Boolean)
    .join('-');
  return `${head}-${random
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(-5)}`.replace(/^-+/, '');
}
