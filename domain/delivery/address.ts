// How the tickets reach the customer, and where: the one delivery method schema (the cart chooses it, the order
// carries it, each ticket's delivery follows it) and the one set of checks for an email and a postal address.
// Deliberately practical rather than RFC-complete: the checks refuse what a person mistyped, not what is exotic.
import { z } from 'zod';
import { assertNever } from '../shared/decider';

export const postalAddressSchema = z.object({
  /** The person the courier hands the tickets to. */
  recipient: z.string().max(200),
  /** Street and number. */
  line1: z.string().max(200),
  /** Flat, floor, company: may be empty. */
  line2: z.string().max(200),
  postalCode: z.string().max(20),
  city: z.string().max(100),
  /** ISO 3166-1 alpha-2, such as PL. */
  country: z.string().max(2),
});
export type PostalAddress = z.infer<typeof postalAddressSchema>;

/** Printed at the desk, emailed, or sent by courier to a postal address. */
export const deliveryMethodSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('printed') }),
  z.object({ kind: z.literal('email'), email: z.string().max(254) }),
  z.object({ kind: z.literal('courier'), address: postalAddressSchema }),
]);
export type DeliveryMethod = z.infer<typeof deliveryMethodSchema>;
export type DeliveryKind = DeliveryMethod['kind'];

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
  FR: { pattern: /^\d{5}$/, example: '75001' },
  CZ: { pattern: /^\d{3} ?\d{2}$/, example: '110 00' },
  SK: { pattern: /^\d{3} ?\d{2}$/, example: '811 01' },
  LT: { pattern: /^(?:LT-)?\d{5}$/, example: 'LT-01100' },
  UA: { pattern: /^\d{5}$/, example: '01001' },
  US: { pattern: /^\d{5}(?:-\d{4})?$/, example: '10001' },
  GB: { pattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i, example: 'SW1A 1AA' },
};
const anyPostalCode = /^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/;

/** The address as it is kept: every field without surrounding spaces, the country in capitals. */
export function normalizeAddress(address: PostalAddress): PostalAddress {
  return {
    recipient: address.recipient.trim(),
    line1: address.line1.trim(),
    line2: address.line2.trim(),
    postalCode: address.postalCode.trim(),
    city: address.city.trim(),
    country: address.country.trim().toUpperCase(),
  };
}

/** What is wrong with a normalized address, as a sentence a person can act on; null when a courier can use it. */
export function postalAddressProblem(address: PostalAddress): string | null {
  if (!address.recipient) return 'Give the name of the person the courier delivers to.';
  if (!address.line1) return 'Give the street and number of the delivery address.';
  if (!address.city) return 'Give the city of the delivery address.';
  if (!/^[A-Z]{2}$/.test(address.country))
    return `"${address.country}" is not a country code: use two letters, such as PL.`;
  const format = postalCodes[address.country];
  if (format && !format.pattern.test(address.postalCode))
    return `"${address.postalCode}" is not a postal code in ${address.country}: it looks like ${format.example}.`;
  if (!format && !anyPostalCode.test(address.postalCode))
    return `"${address.postalCode}" is not a postal code.`;
  return null;
}

export type DeliveryMethodCheck =
  | { ok: true; method: DeliveryMethod }
  | { ok: false; code: 'invalid_email' | 'invalid_address'; message: string };

/**
 * A method the tickets can travel by, as it is kept (an email without surrounding spaces, a normalized address), or
 * the rule it breaks. Each context throws its own DomainError with this code and message.
 */
export function checkDeliveryMethod(method: DeliveryMethod): DeliveryMethodCheck {
  switch (method.kind) {
    case 'printed':
      return { ok: true, method };
    case 'email': {
      const email = method.email.trim();
      if (!isValidEmail(email))
        return {
          ok: false,
          code: 'invalid_email',
          message: `"${email}" is not an email address the tickets can be sent to.`,
        };
      return { ok: true, method: { kind: 'email', email } };
    }
    case 'courier': {
      const address = normalizeAddress(method.address);
      const problem = postalAddressProblem(address);
      if (problem) return { ok: false, code: 'invalid_address', message: problem };
      return { ok: true, method: { kind: 'courier', address } };
    }
    default:
      return assertNever(method);
  }
}
