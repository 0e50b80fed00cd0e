// Amounts as people type them ("350", "350.50", "350,5") to minor units, the only form money takes in events.

/** Minor units, or undefined when the text is not an amount with at most two decimals. */
export function parseAmount(text: string): number | undefined {
  const match = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match?.[1]) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Minor units as the input shows them back: 35000 → "350.00". */
export const amountText = (minor: number): string => (minor / 100).toFixed(2);
