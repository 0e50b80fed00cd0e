// Delivery events at the edge: every event is valid against its schema, and each type has one writer.
import { describe, expect, it } from 'vitest';
import { fold } from '../shared/decider';
import { deliveryDecider } from './delivery';
import type { DeliveryCommand } from './delivery';
import type { DeliveryMethod } from './address';
import type { DeliveryEvent } from './events';
import { deliveryEventSchemas, deliveryEventWriters } from './events';

const at = '2026-11-21T18:50:00.000+01:00';
const address = {
  recipient: 'Anna Nowak',
  line1: 'ul. Marszałkowska 1',
  line2: '',
  postalCode: '00-950',
  city: 'Warszawa',
  country: 'PL',
};

/** One ticket's delivery by `method`: a failed attempt, then a successful one. */
function deliveredBy(ticketId: string, method: DeliveryMethod): DeliveryEvent[] {
  const attempt = { ticketId, attemptId: 'a1' };
  const retry = { ticketId, attemptId: 'a2' };
  const tries: Record<DeliveryMethod['kind'], DeliveryCommand[]> = {
    printed: [
      {
        type: 'RecordPrintFailure',
        data: { ...attempt, deskId: 'desk-4', reason: 'Paper jam.', failedAt: at },
      },
      { type: 'PrintTicket', data: { ...retry, deskId: 'desk-4', printedAt: at } },
    ],
    email: [
      {
        type: 'RecordEmailFailure',
        data: { ...attempt, email: 'anna@example.pl', reason: 'Timeout.', failedAt: at },
      },
      {
        type: 'EmailTicket',
        data: { ...retry, email: 'anna@example.pl', messageId: '<1@mail>', sentAt: at },
      },
    ],
    courier: [
      {
        type: 'RecordShipmentFailure',
        data: { ...attempt, carrier: 'DPD', reason: 'Missed.', failedAt: at },
      },
      {
        type: 'ShipTicket',
        data: { ...retry, carrier: 'DPD', trackingNumber: '1Z999AA10123456784', shippedAt: at },
      },
    ],
  };
  const commands: DeliveryCommand[] = [
    { type: 'ChooseDeliveryMethod', data: { ticketId, orderId: 'order-1', method, chosenAt: at } },
    ...tries[method.kind],
  ];
  let state = deliveryDecider.initialState();
  return commands.flatMap((command) => {
    const events = deliveryDecider.decide(command, state);
    state = fold(deliveryDecider.evolve, state, events);
    return events;
  });
}

describe('delivery events', () => {
  const decided: DeliveryEvent[] = [
    ...deliveredBy('t1', { kind: 'printed' }),
    ...deliveredBy('t2', { kind: 'email', email: 'anna@example.pl' }),
    ...deliveredBy('t3', { kind: 'courier', address }),
    ...deliveryDecider.decide(
      { type: 'CancelDelivery', data: { ticketId: 't4', reason: 'Refunded.', cancelledAt: at } },
      deliveryDecider.initialState(),
    ),
  ];

  it('are decided of every type', () => {
    expect(new Set(decided.map((e) => e.type))).toEqual(new Set(Object.keys(deliveryEventSchemas)));
  });

  it('match their schemas exactly, with no field left out or added', () => {
    for (const event of decided)
      expect(deliveryEventSchemas[event.type].parse(event.data)).toEqual(event.data);
  });

  it('name one writer per type: the order process chooses, the desk prints, the sync server emails and ships', () => {
    expect(Object.keys(deliveryEventWriters).sort()).toEqual(Object.keys(deliveryEventSchemas).sort());
    expect(deliveryEventWriters.DeliveryMethodChosen).toBe('authority');
    expect(deliveryEventWriters.TicketPrinted).toBe('device');
    expect(deliveryEventWriters.TicketEmailed).toBe('authority');
    for (const writer of Object.values(deliveryEventWriters))
      expect(['device', 'authority']).toContain(writer);
  });

  it('refuse a method the schema does not know', () => {
    expect(
      deliveryEventSchemas.DeliveryMethodChosen.safeParse({
        ticketId: 't1',
        orderId: 'o',
        method: { kind: 'pigeon' },
        chosenAt: at,
      }).success,
    ).toBe(false);
  });
});

describe('a command of a type the delivery decider does not know', () => {
  // Commands arrive from untyped edges too: an unknown type fails loudly instead of being ignored.
  it('is refused, and so are an unknown method and an unknown event in a history', () => {
    const unknown = { type: 'Unknown', data: { ticketId: 't1' } } as never;
    expect(() => deliveryDecider.decide(unknown, deliveryDecider.initialState())).toThrow(/Unhandled case/);
    expect(() => deliveryDecider.evolve(deliveryDecider.initialState(), unknown)).toThrow(/Unhandled case/);
    const pigeon = { kind: 'pigeon' } as unknown as DeliveryMethod;
    const choose: DeliveryCommand = {
      type: 'ChooseDeliveryMethod',
      data: { ticketId: 't1', orderId: 'o', method: pigeon, chosenAt: at },
    };
    expect(() => deliveryDecider.decide(choose, deliveryDecider.initialState())).toThrow(/Unhandled case/);
  });
});
