// The one delivery method and its checks: kept as typed but tidied, and applied alike by the cart (at the desk) and by
// each ticket's delivery (in the order process), so an address one accepts the other never refuses.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkDelivery } from '../cart/cart';
import { DomainError } from '../shared/decider';
import { checkDeliveryMethod, normalizeAddress } from './address';
import type { DeliveryMethod, PostalAddress } from './address';
import { decideDelivery, initialDeliveryState } from './delivery';

const address: PostalAddress = {
  recipient: ' Anna Nowak ',
  line1: ' ul. Marszałkowska 1 ',
  line2: ' m. 4 ',
  postalCode: ' 00-950 ',
  city: ' Warszawa ',
  country: ' pl ',
};

describe('a delivery method', () => {
  it('is kept tidy: fields trimmed, the country in capitals', () => {
    expect(normalizeAddress(address)).toEqual({
      recipient: 'Anna Nowak',
      line1: 'ul. Marszałkowska 1',
      line2: 'm. 4',
      postalCode: '00-950',
      city: 'Warszawa',
      country: 'PL',
    });
    expect(checkDeliveryMethod({ kind: 'courier', address })).toEqual({
      ok: true,
      method: { kind: 'courier', address: normalizeAddress(address) },
    });
  });

  it('says what to fix, with the code both contexts refuse it with', () => {
    expect(checkDeliveryMethod({ kind: 'email', email: 'anna@' })).toEqual({
      ok: false,
      code: 'invalid_email',
      message: '"anna@" is not an email address the tickets can be sent to.',
    });
    expect(checkDeliveryMethod({ kind: 'courier', address: { ...address, postalCode: '7' } })).toMatchObject({
      ok: false,
      code: 'invalid_address',
    });
    expect(
      checkDeliveryMethod({ kind: 'courier', address: { ...address, country: 'XX', postalCode: '#' } }),
    ).toEqual({ ok: false, code: 'invalid_address', message: '"#" is not a postal code.' });
  });

  const text = fc.oneof(
    fc.constantFrom('', ' ', 'PL', 'pl', 'DE', 'GB', '00-950', '10115', 'SW1A 1AA', 'Warszawa', 'x'),
    fc.string({ maxLength: 12 }),
  );
  const methodArb: fc.Arbitrary<DeliveryMethod> = fc.oneof(
    fc.constant({ kind: 'printed' as const }),
    fc
      .oneof(
        fc.emailAddress(),
        fc.string({ maxLength: 20 }),
        fc.constantFrom(' fan@example.pl ', 'fan@example'),
      )
      .map((email) => ({ kind: 'email' as const, email })),
    fc
      .record({ recipient: text, line1: text, line2: text, postalCode: text, city: text, country: text })
      .map((a) => ({ kind: 'courier' as const, address: a })),
  );

  /** What a context made of the method: the method it keeps, or the code it refused it with. */
  const outcome = (decide: () => DeliveryMethod): DeliveryMethod | string => {
    try {
      return decide();
    } catch (error) {
      if (error instanceof DomainError) return (error as DomainError).code;
      throw error;
    }
  };

  it('is accepted or refused alike by the cart and by the ticket’s delivery, and kept alike', () => {
    fc.assert(
      fc.property(methodArb, (method) => {
        const atTheDesk = outcome(() => checkDelivery(method));
        const forTheTicket = outcome(() => {
          const command = {
            type: 'ChooseDeliveryMethod' as const,
            data: { ticketId: 't1', orderId: 'o1', method, chosenAt: '2026-11-21T18:00:00.000Z' },
          };
          const [chosen] = decideDelivery(command, initialDeliveryState());
          if (chosen?.type !== 'DeliveryMethodChosen') throw new Error('Nothing was chosen.');
          return chosen.data.method;
        });
        expect(forTheTicket).toEqual(atTheDesk);
      }),
      { numRuns: 500 },
    );
  });
});
