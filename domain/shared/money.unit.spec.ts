// Money is kept in minor units and shown in the currency's own format.
import { describe, expect, it } from 'vitest';
import { formatMoney } from './money';

describe('formatMoney', () => {
  it('shows minor units as the major amount, in the currency and locale given', () => {
    expect(formatMoney(12345, 'EUR', 'en')).toBe('€123.45');
    expect(formatMoney(35000, 'PLN', 'pl').replace(/\s/g, ' ')).toBe('350,00 zł');
  });
});
