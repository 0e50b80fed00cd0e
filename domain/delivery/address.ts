// Where a ticket can be sent: an email address that can receive mail, a postal address a courier can find.
// Deliberately practical rather than RFC-complete: the checks refuse what a person mistyped, not what is exotic.
import type { PostalAddress } from './events';

const localPart = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabel = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** One @, a local part without spaces or stray dots, and a domain of at least two labels ending in a TLD. */
export function isValidEmail(email: string): boolean {
  if (email.length > 254) return false;
  const at = email.lastIndexOf('@');
  if (at < 1 || at !== email.indexOf('@')) return false;
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  const tld = labels.at(-1) ?? '';
  return (
    local.length <= 64 &&
    localPart.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => domainLabel.test(label)) &&
    /^[A-Za-z]{2,63}$/.test(tld)
  );
}

/** Postal code formats of the countries a Warsaw venue ships to most; others get a general check. */
const postalCodes: Record<string, { pattern: RegExp; example: string }> = {
  PL: { pattern: /^\d{2}-\d{3}$/, example: '00-950' },
  DE: { pattern: /^\d{5}$/, example: '10115' },
  CZ: { pattern: /^\d{3} ?\d{2}$/, example: '110 00' },
  SK: { pattern: /^\d{3} ?\d{2}$/, example: '811 01' },
  LT: { pattern: /^(?:LT-)?\d{5}$/, example: 'LT-01100' },
  UA: { pattern: /^\d{5}$/, example: '01001' },
  US: { pattern: /^\d{5}(?:-\d{4})?$/, example: '10001' },
  GB: { pattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, example: 'SW1A 1AA' },
};
const anyPostalCode = /^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/;

/** What is wrong with an address, as a sentence a person can act on; null when a courier can use it. */
export function postalAddressProblem(address: PostalAddress): string | null {
  if (!address.recipient.trim()) return 'Give the name of the person the courier delivers to.';
  if (!address.line1.trim()) return 'Give the street and number of the delivery address.';
  if (!address.city.trim()) return 'Give the city of the delivery address.';
  if (!/^[A-Z]{2}$/.test(address.country))
    return `"${address.country}" is not a country code: use two capital letters, such as PL.`;
  const format = postalCodes[address.country];
  const code = address.postalCode.trim();
  if (format && !format.pattern.test(code))
    return `"${address.postalCode}" is not a postal code in ${address.country}: it looks like ${format.example}.`;
  if (!format && !anyPostalCode.test(code)) return `"${address.postalCode}" is not a postal code.`;
  return null;
}
