// A ticket's delivery: the method chosen first, then one successful delivery by that method, retries after failures.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError, fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import type { DeliveryMethod, PostalAddress } from './address';
import type { DeliveryEvent } from './events';
import { decideDelivery, deliveryDecider, evolveDelivery, initialDeliveryState } from './delivery';
import type { DeliveryCommand } from './delivery';

const given = specification(deliveryDecider);

const ticketId = 't1';
const at = '2026-11-21T18:50:00.000+01:00';
const email = 'anna.nowak@example.pl';
const address: PostalAddress = {
  recipient: 'Anna Nowak',
  line1: 'ul. Marszałkowska 1',
  line2: 'm. 4',
  postalCode: '00-950',
  city: 'Warszawa',
  country: 'PL',
};
const printed: DeliveryMethod = { kind: 'printed' };
const byEmail: DeliveryMethod = { kind: 'email', email };
const byCourier: DeliveryMethod = { kind: 'courier', address };

// Commands
const choose = (method: DeliveryMethod, ticket = ticketId): DeliveryCommand => ({
  type: 'ChooseDeliveryMethod',
  data: { ticketId: ticket, orderId: 'order-1', method, chosenAt: at },
});
const print = (attemptId: string, ticket = ticketId): DeliveryCommand => ({
  type: 'PrintTicket',
  data: { ticketId: ticket, attemptId, deskId: 'desk-4', printedAt: at },
});
const printFails = (attemptId: string): DeliveryCommand => ({
  type: 'RecordPrintFailure',
  data: { ticketId, attemptId, deskId: 'desk-4', reason: 'Out of paper.', failedAt: at },
});
const send = (attemptId: string, to = email): DeliveryCommand => ({
  type: 'EmailTicket',
  data: { ticketId, attemptId, email: to, messageId: `<${attemptId}@mail.stagedoor>`, sentAt: at },
});
const sendFails = (attemptId: string, to = email): DeliveryCommand => ({
  type: 'RecordEmailFailure',
  data: { ticketId, attemptId, email: to, reason: 'Mailbox full.', failedAt: at },
});
const ship = (
  attemptId: string,
  carrier = 'DPD',
  trackingNumber = 'JJD000390007123456789',
): DeliveryCommand => ({
  type: 'ShipTicket',
  data: { ticketId, attemptId, carrier, trackingNumber, shippedAt: at },
});
const shipFails = (attemptId: string, carrier = 'DPD'): DeliveryCommand => ({
  type: 'RecordShipmentFailure',
  data: { ticketId, attemptId, carrier, reason: 'Pick-up missed.', failedAt: at },
});
const cancel = (ticket = ticketId): DeliveryCommand => ({
  type: 'CancelDelivery',
  data: { ticketId: ticket, reason: 'The ticket was refunded.', cancelledAt: at },
});

// Events
const chosen = (method: DeliveryMethod): DeliveryEvent => ({
  type: 'DeliveryMethodChosen',
  data: { ticketId, orderId: 'order-1', method, chosenAt: at },
});
const wasPrinted = (attemptId: string): DeliveryEvent => ({
  type: 'TicketPrinted',
  data: { ticketId, attemptId, deskId: 'desk-4', printedAt: at },
});
const printFailed = (attemptId: string): DeliveryEvent => ({
  type: 'TicketPrintFailed',
  data: { ticketId, attemptId, deskId: 'desk-4', reason: 'Out of paper.', failedAt: at },
});
const emailed = (attemptId: string, to = email): DeliveryEvent => ({
  type: 'TicketEmailed',
  data: { ticketId, attemptId, email: to, messageId: `<${attemptId}@mail.stagedoor>`, sentAt: at },
});
const emailFailed = (attemptId: string): DeliveryEvent => ({
  type: 'TicketEmailFailed',
  data: { ticketId, attemptId, email, reason: 'Mailbox full.', failedAt: at },
});
const shipped = (attemptId: string): DeliveryEvent => ({
  type: 'TicketShipped',
  data: {
    ticketId,
    attemptId,
    carrier: 'DPD',
    trackingNumber: 'JJD000390007123456789',
    address,
    shippedAt: at,
  },
});
const shipmentFailed = (attemptId: string): DeliveryEvent => ({
  type: 'TicketShipmentFailed',
  data: { ticketId, attemptId, carrier: 'DPD', reason: 'Pick-up missed.', failedAt: at },
});
const cancelled: DeliveryEvent = {
  type: 'TicketDeliveryCancelled',
  data: { ticketId, reason: 'The ticket was refunded.', cancelledAt: at },
};

describe('choosing how a ticket is delivered', () => {
  it.each<[string, DeliveryMethod]>([
    ['printed at the desk', printed],
    ['emailed', byEmail],
    ['sent by courier', byCourier],
  ])('chooses %s', (_, method) => {
    given([])
      .when(choose(method))
      .then([chosen(method)]);
  });

  it('keeps the address as typed, without surrounding spaces', () => {
    given([])
      .when(choose({ kind: 'email', email: `  ${email} ` }))
      .then([chosen(byEmail)]);
  });

  it('chooses once: the same method again changes nothing', () => {
    given([chosen(printed)])
      .when(choose(printed))
      .then([]);
    given([chosen(byEmail)])
      .when(choose(byEmail))
      .then([]);
    given([chosen(byEmail)])
      .when(choose({ kind: 'email', email: email.toUpperCase() }))
      .then([]);
    given([chosen(byCourier)])
      .when(choose(byCourier))
      .then([]);
    const { recipient, ...rest } = address;
    given([chosen(byCourier)])
      .when(choose({ kind: 'courier', address: { ...rest, recipient } }))
      .then([]);
  });

  it('takes another address or another method as a change', () => {
    given([chosen(byEmail)])
      .when(choose({ kind: 'email', email: 'jan@example.pl' }))
      .then([chosen({ kind: 'email', email: 'jan@example.pl' })]);
    const moved: DeliveryMethod = { kind: 'courier', address: { ...address, line2: 'm. 5' } };
    given([chosen(byCourier)])
      .when(choose(moved))
      .then([chosen(moved)]);
    given([chosen(printed)])
      .when(choose(byCourier))
      .then([chosen(byCourier)]);
  });

  it('changes the method until the ticket is delivered, keeping the failed attempts', () => {
    given([chosen(byEmail), emailFailed('a1')])
      .when(choose(printed))
      .then([chosen(printed)]);
    const state = fold(evolveDelivery, initialDeliveryState(), [
      chosen(byEmail),
      emailFailed('a1'),
      chosen(printed),
    ]);
    expect(state).toMatchObject({ status: 'awaiting', method: printed, failures: 1, attempts: ['a1'] });
  });

  it.each([
    'anna',
    'anna@',
    '@example.pl',
    'anna@example',
    'an na@example.pl',
    'anna..nowak@example.pl',
    '.anna@example.pl',
    'anna@@example.pl',
    'anna@exa_mple.pl',
    'anna@-example.pl',
    'anna@example.p1',
    `${'a'.repeat(65)}@example.pl`,
    `anna@${'a'.repeat(250)}.pl`,
  ])('refuses the email address "%s"', (bad) => {
    given([])
      .when(choose({ kind: 'email', email: bad }))
      .thenThrows('invalid_email');
  });

  it.each<[string, Partial<PostalAddress>]>([
    ['no recipient', { recipient: ' ' }],
    ['no street', { line1: '' }],
    ['no city', { city: ' ' }],
    ['a country that is no code', { country: 'Polska' }],
    ['a Polish postal code without its dash', { postalCode: '00950' }],
    ['a German postal code of four digits', { country: 'DE', postalCode: '1011' }],
    ['a British postal code without its inward part', { country: 'GB', postalCode: 'SW1A' }],
    ['a postal code of one character elsewhere', { country: 'FR', postalCode: '7' }],
  ])('refuses an address with %s', (_, change) => {
    given([])
      .when(choose({ kind: 'courier', address: { ...address, ...change } }))
      .thenThrows('invalid_address');
  });

  it.each<[string, Partial<PostalAddress>]>([
    ['Germany', { country: 'DE', postalCode: '10115', city: 'Berlin' }],
    ['Czechia', { country: 'CZ', postalCode: '110 00', city: 'Praha' }],
    ['Lithuania', { country: 'LT', postalCode: 'LT-01100', city: 'Vilnius' }],
    ['the United Kingdom', { country: 'GB', postalCode: 'SW1A 1AA', city: 'London' }],
    ['the United States', { country: 'US', postalCode: '10001-1234', city: 'New York' }],
    ['France', { country: 'FR', postalCode: '75001', city: 'Paris' }],
  ])('accepts an address in %s', (_, change) => {
    const method: DeliveryMethod = { kind: 'courier', address: { ...address, ...change } };
    given([])
      .when(choose(method))
      .then([chosen(method)]);
  });

  it('refuses a change once the ticket is delivered', () => {
    given([chosen(printed), wasPrinted('a1')])
      .when(choose(byEmail))
      .thenThrows('already_delivered');
  });

  it('refuses a change for a voided ticket', () => {
    given([cancelled]).when(choose(printed)).thenThrows('delivery_cancelled');
  });

  it('refuses another ticket in this delivery', () => {
    given([chosen(printed)])
      .when(choose(printed, 't2'))
      .thenThrows('wrong_ticket');
  });
});

describe('printing at the desk', () => {
  it('prints a ticket that is to be printed', () => {
    given([chosen(printed)])
      .when(print('a1'))
      .then([wasPrinted('a1')]);
  });

  it('records a failed print, and a retry prints it', () => {
    given([chosen(printed)])
      .when(printFails('a1'))
      .then([printFailed('a1')]);
    given([chosen(printed), printFailed('a1')])
      .when(print('a2'))
      .then([wasPrinted('a2')]);
  });

  it('prints once: a second print is refused', () => {
    given([chosen(printed), wasPrinted('a1')])
      .when(print('a2'))
      .thenThrows('already_delivered');
    given([chosen(printed), wasPrinted('a1')])
      .when(printFails('a2'))
      .thenThrows('already_delivered');
  });

  it('changes nothing for an attempt it has recorded', () => {
    given([chosen(printed), wasPrinted('a1')])
      .when(print('a1'))
      .then([]);
    given([chosen(printed), printFailed('a1')])
      .when(printFails('a1'))
      .then([]);
  });

  it('refuses before a method is chosen', () => {
    given([]).when(print('a1')).thenThrows('method_not_chosen');
    given([]).when(printFails('a1')).thenThrows('method_not_chosen');
  });

  it('refuses a ticket that is to be emailed or shipped', () => {
    given([chosen(byEmail)])
      .when(print('a1'))
      .thenThrows('wrong_method');
    given([chosen(byCourier)])
      .when(printFails('a1'))
      .thenThrows('wrong_method');
  });

  it('refuses another ticket', () => {
    given([chosen(printed)])
      .when(print('a1', 't2'))
      .thenThrows('wrong_ticket');
  });
});

describe('emailing', () => {
  it('emails the ticket to the chosen address', () => {
    given([chosen(byEmail)])
      .when(send('a1'))
      .then([emailed('a1')]);
  });

  it('takes the address in any case', () => {
    given([chosen(byEmail)])
      .when(send('a1', 'Anna.Nowak@Example.PL'))
      .then([emailed('a1', 'Anna.Nowak@Example.PL')]);
  });

  it('records a failure, and a retry sends it', () => {
    given([chosen(byEmail)])
      .when(sendFails('a1'))
      .then([emailFailed('a1')]);
    given([chosen(byEmail), emailFailed('a1'), emailFailed('a2')])
      .when(send('a3'))
      .then([emailed('a3')]);
  });

  it('refuses another address than the chosen one', () => {
    given([chosen(byEmail)])
      .when(send('a1', 'someone@example.pl'))
      .thenThrows('address_mismatch');
    given([chosen(byEmail)])
      .when(sendFails('a1', 'someone@example.pl'))
      .thenThrows('address_mismatch');
  });

  it('emails once: a second email is refused', () => {
    given([chosen(byEmail), emailed('a1')])
      .when(send('a2'))
      .thenThrows('already_delivered');
  });

  it('refuses a ticket that is to be printed', () => {
    given([chosen(printed)])
      .when(send('a1'))
      .thenThrows('wrong_method');
    given([chosen(printed)])
      .when(sendFails('a1'))
      .thenThrows('wrong_method');
  });
});

describe('shipping by courier', () => {
  it('ships with a carrier and a tracking number, to the chosen address', () => {
    given([chosen(byCourier)])
      .when(ship('a1'))
      .then([shipped('a1')]);
  });

  it('records a failed shipment, and a retry ships it', () => {
    given([chosen(byCourier)])
      .when(shipFails('a1'))
      .then([shipmentFailed('a1')]);
    given([chosen(byCourier), shipmentFailed('a1')])
      .when(ship('a2'))
      .then([shipped('a2')]);
  });

  it('needs the carrier', () => {
    given([chosen(byCourier)])
      .when(ship('a1', ' '))
      .thenThrows('missing_carrier');
    given([chosen(byCourier)])
      .when(shipFails('a1', ''))
      .thenThrows('missing_carrier');
  });

  it.each(['', 'ab1', 'JJD 0003', '-123456', 'x'.repeat(61)])(
    'refuses the tracking number "%s"',
    (tracking) => {
      given([chosen(byCourier)])
        .when(ship('a1', 'DPD', tracking))
        .thenThrows('invalid_tracking');
    },
  );

  it('ships once: a second shipment is refused', () => {
    given([chosen(byCourier), shipped('a1')])
      .when(ship('a2'))
      .thenThrows('already_delivered');
  });

  it('refuses a ticket that is to be emailed', () => {
    given([chosen(byEmail)])
      .when(ship('a1'))
      .thenThrows('wrong_method');
    given([chosen(byEmail)])
      .when(shipFails('a1'))
      .thenThrows('wrong_method');
  });

  it('changes nothing for an attempt it has recorded', () => {
    given([chosen(byCourier), shipped('a1')])
      .when(ship('a1'))
      .then([]);
    given([chosen(byCourier), shipmentFailed('a1')])
      .when(shipFails('a1'))
      .then([]);
    given([chosen(byEmail), emailed('a1')])
      .when(send('a1'))
      .then([]);
    given([chosen(byEmail), emailFailed('a1')])
      .when(sendFails('a1'))
      .then([]);
  });
});

describe('a voided ticket', () => {
  it('cancels its delivery, chosen or not', () => {
    given([]).when(cancel()).then([cancelled]);
    given([chosen(byEmail), emailFailed('a1')])
      .when(cancel())
      .then([cancelled]);
  });

  it('cancels once: cancelling again changes nothing', () => {
    given([cancelled]).when(cancel()).then([]);
  });

  it('is never delivered', () => {
    given([chosen(printed), cancelled])
      .when(print('a1'))
      .thenThrows('delivery_cancelled');
    given([chosen(byEmail), cancelled])
      .when(send('a1'))
      .thenThrows('delivery_cancelled');
  });

  it('changes nothing for an attempt recorded before the cancellation', () => {
    given([chosen(byEmail), emailFailed('a1'), cancelled])
      .when(sendFails('a1'))
      .then([]);
  });

  it('can’t recall a ticket delivered already', () => {
    given([chosen(printed), wasPrinted('a1')])
      .when(cancel())
      .thenThrows('already_delivered');
  });

  it('refuses another ticket', () => {
    given([cancelled]).when(cancel('t2')).thenThrows('wrong_ticket');
  });
});

describe('folding a history', () => {
  it('keeps the receipt of the delivery', () => {
    const state = fold(evolveDelivery, initialDeliveryState(), [
      chosen(byCourier),
      shipmentFailed('a1'),
      shipped('a2'),
    ]);
    expect(state).toMatchObject({
      status: 'delivered',
      failures: 1,
      attempts: ['a1', 'a2'],
      receipt: { kind: 'courier', trackingNumber: 'JJD000390007123456789' },
    });
  });

  it('ignores deliveries and failures without a method chosen', () => {
    for (const event of [
      wasPrinted('a1'),
      emailed('a1'),
      shipped('a1'),
      printFailed('a1'),
      emailFailed('a1'),
    ])
      expect(evolveDelivery(initialDeliveryState(), event)).toEqual({ status: 'unplanned' });
  });
});

describe('for any sequence of attempts, failures and changes of method', () => {
  const step = fc.record({
    kind: fc.constantFrom(
      'choose',
      'print',
      'printFails',
      'send',
      'sendFails',
      'ship',
      'shipFails',
      'cancel',
    ),
    method: fc.constantFrom(printed, byEmail, byCourier),
    attempt: fc.integer({ min: 1, max: 20 }).map((n) => `a${n}`),
  });

  it('a ticket is delivered at most once, by the method chosen at the time', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40, size: 'medium' }), (steps) => {
        let state = initialDeliveryState();
        let method: DeliveryMethod | null = null;
        let deliveries = 0;
        for (const { kind, method: m, attempt } of steps) {
          const command = {
            choose: choose(m),
            print: print(attempt),
            printFails: printFails(attempt),
            send: send(attempt),
            sendFails: sendFails(attempt),
            ship: ship(attempt),
            shipFails: shipFails(attempt),
            cancel: cancel(),
          }[kind];
          let events: DeliveryEvent[];
          try {
            events = decideDelivery(command, state);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            continue;
          }
          for (const e of events) {
            if (e.type === 'DeliveryMethodChosen') method = e.data.method;
            const by = {
              TicketPrinted: 'printed',
              TicketEmailed: 'email',
              TicketShipped: 'courier',
            } as const;
            if (e.type === 'TicketPrinted' || e.type === 'TicketEmailed' || e.type === 'TicketShipped') {
              deliveries += 1;
              expect(method?.kind).toBe(by[e.type]);
            }
          }
          state = fold(evolveDelivery, state, events);
        }
        expect(deliveries).toBeLessThanOrEqual(1);
        expect(deliveries === 1).toBe(state.status === 'delivered');
      }),
      { numRuns: 300 },
    );
  });
});
