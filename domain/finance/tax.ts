// Invoice arithmetic, in integers only. The rounding rule: tax is computed per line, on the line's whole amount
// (quantity × unit price), and rounded half up to the minor unit; totals are sums of lines, per currency, never
// recomputed from the totals. Intermediate products use BigInt so no amount is ever rounded by floating point.
import type { CurrencyTotal, PriceBasis } from './events';

const BP = 10_000n;

/** n / d rounded half up, for n ≥ 0 and d > 0: 0.5 becomes 1, 1.5 becomes 2. */
export function roundHalfUp(n: bigint, d: bigint): bigint {
  return (2n * n + d) / (2n * d);
}

export type LineAmounts = { net: number; tax: number; gross: number };

/**
 * Prices a line. With prices that include tax (`gross`, what a box office charges) the tax is taken out of the
 * line's amount: tax = gross × rate / (1 + rate). With prices before tax (`net`) it is added: tax = net × rate.
 * Returns undefined when an amount would leave the range of safe integers.
 */
export function priceLine(
  line: { quantity: number; unitPrice: number; taxRateBp: number },
  basis: PriceBasis,
): LineAmounts | undefined {
  const amount = BigInt(line.quantity) * BigInt(line.unitPrice);
  const rate = BigInt(line.taxRateBp);
  if (basis === 'gross') {
    const tax = roundHalfUp(amount * rate, BP + rate);
    return safe({ net: amount - tax, tax, gross: amount });
  }
  const tax = roundHalfUp(amount * rate, BP);
  return safe({ net: amount, tax, gross: amount + tax });
}

/** The tax included in a gross amount at a rate, rounded half up. */
export function taxIncluded(gross: number, taxRateBp: number): number {
  const rate = BigInt(taxRateBp);
  return Number(roundHalfUp(BigInt(gross) * rate, BP + rate));
}

/** Sums of lines per currency, in currency-code order. */
export function totalsByCurrency(lines: readonly ({ currency: string } & LineAmounts)[]): CurrencyTotal[] {
  const totals = new Map<string, CurrencyTotal>();
  for (const line of lines) {
    const total = totals.get(line.currency) ?? { currency: line.currency, net: 0, tax: 0, gross: 0 };
    totals.set(line.currency, {
      currency: line.currency,
      net: total.net + line.net,
      tax: total.tax + line.tax,
      gross: total.gross + line.gross,
    });
  }
  return [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}

function safe(amounts: { net: bigint; tax: bigint; gross: bigint }): LineAmounts | undefined {
  if (amounts.gross > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return { net: Number(amounts.net), tax: Number(amounts.tax), gross: Number(amounts.gross) };
}
