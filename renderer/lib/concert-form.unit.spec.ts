// The concert form catches what the authority would refuse, with a sentence per problem, and builds the request.
import { describe, expect, it } from 'vitest';
import { emptyConcertInput, newConcertId, validateConcert } from './concert-form';
import type { ConcertInput } from './concert-form';

const filled: ConcertInput = {
  artist: ' Dawid Podsiadło ',
  title: 'Lata Dwudzieste',
  venue: 'Tauron Arena',
  city: 'Kraków',
  startsAt: '2027-03-14T19:00',
  timezone: 'Europe/Warsaw',
  holdMinutes: '',
  provisionalAtGate: 'admit',
  currency: 'pln',
  levels: [
    { name: 'Regular', capacity: '12000', price: '199' },
    { name: 'Balcony', capacity: '3000', price: '149.50' },
  ],
};

describe('the concert form', () => {
  it('takes the concert’s own hold time in whole minutes, or none for the box office’s default', () => {
    const held = validateConcert({ ...filled, holdMinutes: ' 30 ' });
    expect(held.ok && held.value.details.holdMinutes).toBe(30);
    const unset = validateConcert(filled);
    expect(unset.ok && 'holdMinutes' in unset.value.details).toBe(false);
    for (const bad of ['0', '1441', '2.5', 'soon']) {
      const result = validateConcert({ ...filled, holdMinutes: bad });
      expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(['holdMinutes']);
    }
  });

  it('turns a complete form into the request’s details, currency and levels', () => {
    const result = validateConcert(filled);
    expect(result).toEqual({
      ok: true,
      value: {
        details: {
          artist: 'Dawid Podsiadło',
          title: 'Lata Dwudzieste',
          venue: 'Tauron Arena',
          city: 'Kraków',
          startsAt: '2027-03-14T19:00:00+01:00',
          timezone: 'Europe/Warsaw',
        },
        currency: 'PLN',
        levels: [
          { name: 'Regular', capacity: 12_000, price: 19_900 },
          { name: 'Balcony', capacity: 3_000, price: 14_950 },
        ],
      },
    });
  });

  it('says what to fix in an empty form, field by field', () => {
    const result = validateConcert(emptyConcertInput('Europe/Warsaw'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual([
      'artist',
      'venue',
      'startsAt',
      'level-0-name',
      'level-0-capacity',
      'level-0-price',
    ]);
    for (const error of result.errors) expect(error.message).toMatch(/^[A-Z].*\.$/);
  });

  it('refuses duplicate level names, zero capacity, a bad timezone and currency', () => {
    const result = validateConcert({
      ...filled,
      timezone: 'Mars/Olympus',
      currency: 'zł',
      levels: [
        { name: 'Regular', capacity: '0', price: '10' },
        { name: 'regular', capacity: '10', price: 'ten' },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual([
      'timezone',
      'currency',
      'level-0-capacity',
      'level-1-name',
      'level-1-price',
    ]);
    expect(result.errors[3]?.message).toBe('Two levels are named "regular".');
  });

  it('makes a concert id a database may be named by', () => {
    const id = newConcertId(
      { artist: 'Dawid Podsiadło', city: 'Kraków', startsAt: '2027-03-14T19:00:00+01:00' },
      '01KABCDEFGHJKMNPQRSTVWXYZ9',
    );
    expect(id).toBe('dawid-podsiadlo-krakow-20270314-wxyz9');
    expect(id).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
    const long = newConcertId(
      { artist: 'A'.repeat(80), city: 'B'.repeat(80), startsAt: '2027-03-14T19:00:00+01:00' },
      '01KABCDEFGHJKMNPQRSTVWXYZ9',
    );
    expect(long).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
  });
});

describe('the gates’ policy for provisional tickets', () => {
  it('admits with a warning unless the organizer chooses to refuse, and only a refusal is written', () => {
    const admit = validateConcert(filled);
    expect(admit.ok && admit.value.details.provisionalAtGate).toBe(undefined);
    const refuse = validateConcert({ ...filled, provisionalAtGate: 'refuse' });
    expect(refuse.ok && refuse.value.details.provisionalAtGate).toBe('refuse');
  });
});
