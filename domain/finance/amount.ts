// Amounts in messages people read: integer minor units shown with two decimals, never through a float.
export const formatAmount = (minor: number, currency: string): string =>
  `${minor < 0 ? '-' : ''}${Math.trunc(Math.abs(minor) / 100)}.${String(Math.abs(minor) % 100).padStart(2, '0')} ${currency}`;
