// Amounts typed at the desk become minor units exactly, or are refused: money is never a float in an event.
import { describe, expect, it } from 'vitest';
import { amountText, parseAmount } from './money-input';

describe('typed amounts', () => {
  it('reads whole amounts and up to two decimals, with a dot or a comma', () => {
    expect(parseAmount('350')).toBe(35_000);
    expect(parseAmount('350.5')).toBe(35_050);
    expect(parseAmount(' 350,05 ')).toBe(35_005);
    expect(parseAmount('0')).toBe(0);
  });

  it('refuses anything else', () => {
    for (const text of ['', '-5', '3.505', '1e3', 'abc', '1 000']) expect(parseAmount(text)).toBeUndefined();
  });

  it('writes minor units back as the input shows them', () => {
    expect(amountText(35_050)).toBe('350.50');
  });
});
