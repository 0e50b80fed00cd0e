// The invoice's arithmetic: tax per line, rounded half up to the minor unit; totals are sums of lines per currency.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatAmount } from './amount';
import { priceLine, roundHalfUp, taxIncluded, totalsByCurrency } from './tax';

describe('rounding half up to the minor unit', () => {
  it.each([
    [1n, 2n, 1n], // 0.5 → 1
    [3n, 2n, 2n], // 1.5 → 2
    [5n, 10n, 1n], // 0.5 → 1
    [4n, 10n, 0n], // 0.4 → 0
    [6n, 10n, 1n], // 0.6 → 1
    [1n, 3n, 0n], // 0.33 → 0
    [2n, 3n, 1n], // 0.67 → 1
    [0n, 7n, 0n],
  ])('rounds %i / %i to %i', (n, d, expected) => {
    expect(roundHalfUp(n, d)).toBe(expected);
  });

  it('is the nearest integer, ties going up, for any fraction', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
        const r = roundHalfUp(n, d);
        // n/d − 1/2 < r ≤ n/d + 1/2: the nearest integer, and a tie goes up
        expect(2n * n - 2n * r * d < d).toBe(true);
        expect(2n * r * d - 2n * n <= d).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('pricing a line whose prices include tax (a box office’s prices)', () => {
  it('takes the tax out of the line’s amount', () => {
    // 2 × 150.00 at 8 %: 300.00 × 8/108 = 22.2222… → 22.22
    expect(priceLine({ quantity: 2, unitPrice: 15_000, taxRateBp: 800 }, 'gross')).toEqual({
      net: 27_778,
      tax: 2_222,
      gross: 30_000,
    });
  });

  it('rounds a half up', () => {
    // 0.03 at 100 %: 0.015 → 0.02
    expect(priceLine({ quantity: 1, unitPrice: 3, taxRateBp: 10_000 }, 'gross')).toEqual({
      net: 1,
      tax: 2,
      gross: 3,
    });
  });

  it('has no tax at rate 0 and nothing at price 0', () => {
    expect(priceLine({ quantity: 3, unitPrice: 999, taxRateBp: 0 }, 'gross')).toEqual({
      net: 2_997,
      tax: 0,
      gross: 2_997,
    });
    expect(priceLine({ quantity: 3, unitPrice: 0, taxRateBp: 2_300 }, 'gross')).toEqual({
      net: 0,
      tax: 0,
      gross: 0,
    });
  });
});

describe('pricing a line whose prices are before tax', () => {
  it('adds the tax to the line’s amount', () => {
    // 10.05 at 23 %: 2.3115 → 2.31
    expect(priceLine({ quantity: 1, unitPrice: 1_005, taxRateBp: 2_300 }, 'net')).toEqual({
      net: 1_005,
      tax: 231,
      gross: 1_236,
    });
  });

  it('rounds a half up', () => {
    // 10.50 at 23 %: 2.415 → 2.42
    expect(priceLine({ quantity: 1, unitPrice: 1_050, taxRateBp: 2_300 }, 'net')).toEqual({
      net: 1_050,
      tax: 242,
      gross: 1_292,
    });
  });

  it('computes the tax on the line’s whole amount, not per unit', () => {
    // 2 × 10.50 = 21.00 at 23 % = 4.83, where 2 × 2.42 would be 4.84
    expect(priceLine({ quantity: 2, unitPrice: 1_050, taxRateBp: 2_300 }, 'net')?.tax).toBe(483);
  });
});

describe('either basis', () => {
  it('keeps net + tax = gross with no negative part, for any line', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.constantFrom('net' as const, 'gross' as const),
        (quantity, unitPrice, taxRateBp, basis) => {
          const line = priceLine({ quantity, unitPrice, taxRateBp }, basis);
          expect(line).toBeDefined();
          const { net, tax, gross } = line!;
          expect(net + tax).toBe(gross);
          expect(Math.min(net, tax)).toBeGreaterThanOrEqual(0);
          expect(basis === 'gross' ? gross : net).toBe(quantity * unitPrice);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses amounts beyond what a number holds exactly', () => {
    const huge = { quantity: 1000, unitPrice: Number.MAX_SAFE_INTEGER, taxRateBp: 800 };
    expect(priceLine(huge, 'gross')).toBeUndefined();
    expect(priceLine(huge, 'net')).toBeUndefined();
  });
});

describe('the tax included in a gross amount', () => {
  it('is gross × rate / (1 + rate), rounded half up', () => {
    expect(taxIncluded(15_000, 800)).toBe(1_111); // 1111.11
    expect(taxIncluded(12_300, 2_300)).toBe(2_300);
    expect(taxIncluded(3, 10_000)).toBe(2); // 1.5
    expect(taxIncluded(0, 2_300)).toBe(0);
  });
});

describe('totals', () => {
  it('sum the lines per currency, in currency order, never adding two currencies', () => {
    const lines = [
      { currency: 'PLN', net: 27_778, tax: 2_222, gross: 30_000 },
      { currency: 'EUR', net: 4_065, tax: 935, gross: 5_000 },
      { currency: 'PLN', net: 13_889, tax: 1_111, gross: 15_000 },
    ];
    expect(totalsByCurrency(lines)).toEqual([
      { currency: 'EUR', net: 4_065, tax: 935, gross: 5_000 },
      { currency: 'PLN', net: 41_667, tax: 3_333, gross: 45_000 },
    ]);
    expect(totalsByCurrency([])).toEqual([]);
  });

  it('are sums of rounded lines: two half-cent taxes make two cents, not one', () => {
    const half = priceLine({ quantity: 1, unitPrice: 50, taxRateBp: 100 }, 'net')!; // 0.005 → 0.01
    const total = totalsByCurrency([
      { currency: 'PLN', ...half },
      { currency: 'PLN', ...half },
    ]);
    expect(total).toEqual([{ currency: 'PLN', net: 100, tax: 2, gross: 102 }]);
  });
});

describe('amounts in messages', () => {
  it('shows minor units with two decimals and the currency', () => {
    expect(formatAmount(15_000, 'PLN')).toBe('150.00 PLN');
    expect(formatAmount(5, 'EUR')).toBe('0.05 EUR');
    expect(formatAmount(-1_234, 'PLN')).toBe('-12.34 PLN');
  });
});
