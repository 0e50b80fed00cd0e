// A concert's start is the venue's wall clock in the venue's timezone, summer or winter, wherever the desk is.
import { describe, expect, it } from 'vitest';
import { isoToZoned, isTimeZone, zonedToIso } from './zoned-time';

describe('venue time', () => {
  it('gives the offset of the venue on that day', () => {
    expect(zonedToIso('2027-06-27T20:00', 'Europe/Warsaw')).toBe('2027-06-27T20:00:00+02:00');
    expect(zonedToIso('2027-01-15T19:30', 'Europe/Warsaw')).toBe('2027-01-15T19:30:00+01:00');
    expect(zonedToIso('2027-03-14T19:00', 'America/New_York')).toBe('2027-03-14T19:00:00-04:00');
    expect(zonedToIso('2027-03-14T19:00', 'Asia/Kolkata')).toBe('2027-03-14T19:00:00+05:30');
    expect(zonedToIso('2027-03-14T19:00', 'UTC')).toBe('2027-03-14T19:00:00+00:00');
  });

  it('keeps seconds, for a lapse a short while ahead', () => {
    expect(zonedToIso('2027-06-27T20:00:30', 'Europe/Warsaw')).toBe('2027-06-27T20:00:30+02:00');
    expect(isoToZoned('2027-06-27T18:00:30Z', 'Europe/Warsaw', true)).toBe('2027-06-27T20:00:30');
    expect(zonedToIso('2027-06-27T20:00:3', 'Europe/Warsaw')).toBeUndefined();
  });

  it('takes the offset after the change on the night clocks go back', () => {
    expect(zonedToIso('2027-10-31T12:00', 'Europe/Warsaw')).toBe('2027-10-31T12:00:00+01:00');
  });

  it('refuses what is not a date and time', () => {
    expect(zonedToIso('', 'Europe/Warsaw')).toBeUndefined();
    expect(zonedToIso('27.06.2027 20:00', 'Europe/Warsaw')).toBeUndefined();
  });

  it('shows an instant back as the venue’s wall clock', () => {
    expect(isoToZoned('2027-06-27T20:00:00+02:00', 'Europe/Warsaw')).toBe('2027-06-27T20:00');
    expect(isoToZoned('2027-06-27T18:00:00Z', 'Europe/London')).toBe('2027-06-27T19:00');
  });

  it('knows a timezone name from a typo', () => {
    expect(isTimeZone('Europe/Warsaw')).toBe(true);
    expect(isTimeZone('Europe/Warsawa')).toBe(false);
  });
});
