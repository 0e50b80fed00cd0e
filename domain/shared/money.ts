// Money is an integer number of minor units (grosze, cents) in a currency; never a float.

export type Money = { amount: number; currency: string };

export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
}
