// Allotments inside the concert's authority: one capacity shared by sales, holds and desks' blocks. The allotment
// rules themselves are specified in domain/allotment; this spec checks how the concert's stream applies them.
import { describe, expect, it } from 'vitest';
import type { ConcertFactType, DataOf, DecisionDoc, FactDoc, RequestDoc } from '../events/catalogue';
import { parseEventDoc } from '../events/catalogue';
import { requestId } from '../events/order-flow';
import { remaining, outstanding } from '../allotment/allotment';
import { availability } from '../inventory/inventory';
import {
  blocksDue,
  concertStream,
  decideBlockLapse,
  decideFact,
  decideRequest,
  decisionDoc,
  evolveAuthority,
  initialAuthorityState,
  tentativeView,
} from './concert-authority';
import type { Cause, ConcertAuthorityState, StreamDecision, StreamDecisionType } from './concert-authority';

const concertId = 'allotment-arena-2027';
const stream = concertStream(concertId);
const startsAt = '2027-05-01T19:00:00.000Z';
const now = '2027-04-30T12:00:00.000Z';
const ulid = (n: number): string => `01K${String(n).padStart(23, '0')}`;
const price = 10_000;

const meta = (id: string, deviceId: string) => ({
  deviceId,
  userId: `${deviceId}-user`,
  recordedAt: now,
  correlationId: id,
  causationId: id,
});

let counter = 100;
const fact = <T extends ConcertFactType>(
  type: T,
  data: (id: string) => DataOf<T>,
  deviceId = 'office',
): FactDoc<T> => {
  const id = ulid(counter++);
  return { _id: id, type, v: 1, stream, data: data(id), meta: meta(id, deviceId) };
};

const grant = (deviceId: string, quantity: number, level = 'Regular') =>
  fact('AllotmentGrantRequested', (allotmentId) => ({ allotmentId, concertId, deviceId, level, quantity }));
const giveBack = (deviceId: string, quantity: number | 'unsold', writer = deviceId) =>
  fact(
    'AllotmentReturnRequested',
    (returnId) => ({ returnId, concertId, deviceId, level: 'Regular', quantity }),
    writer,
  );
const sale = (deviceId: string, quantity: number, claim?: 'allotment' | 'pool') =>
  fact(
    'SaleRecorded',
    (saleId) => ({
      saleId,
      concertId,
      level: 'Regular',
      quantity,
      unitPrice: price,
      total: price * quantity,
      currency: 'PLN',
      payment: { method: 'cash' as const, tendered: price * quantity, change: 0 },
      ...(claim ? { claim } : {}),
    }),
    deviceId,
  );

/** An authority in memory: decides, appends at the head, and keeps what it wrote. */
class Concert {
  state: ConcertAuthorityState = initialAuthorityState();
  written: DecisionDoc<StreamDecisionType>[] = [];

  constructor(capacity: number) {
    this.deliver(
      fact('ConcertCreationRequested', () => ({
        concertId,
        artist: 'Brodka',
        title: 'Wiosna',
        city: 'Warsaw',
        venue: 'Arena',
        startsAt,
        timezone: 'Europe/Warsaw',
        currency: 'PLN',
        levels: [{ name: 'Regular', capacity, price }],
      })),
    );
    this.deliver(fact('ConcertPublicationRequested', () => ({ concertId })));
  }

  append(decision: StreamDecision, cause: Cause, at = now): DecisionDoc<StreamDecisionType> {
    const context = { decisionId: ulid(900_000 + this.written.length), authorityId: 'test', now: at };
    const doc = decisionDoc(concertId, this.state.head, decision, cause, context);
    expect(parseEventDoc(doc).ok).toBe(true);
    this.state = evolveAuthority(this.state, doc);
    this.written.push(doc);
    return doc;
  }

  deliver(f: FactDoc<ConcertFactType>, at = now): DecisionDoc<StreamDecisionType> {
    const decision = decideFact(f, this.state, at);
    if (!decision) throw new Error(`${f.type} was decided before`);
    return this.append(decision, f, at);
  }

  get regular() {
    const level = availability(this.state.concert)[0];
    if (!level) throw new Error('no level');
    return { ...level, outstanding: outstanding(this.state.allotments, 'Regular') };
  }
}

describe('allotments in the concert stream', () => {
  it('grants a block from free seats, and sets the seats aside: allocated + outstanding never pass capacity', () => {
    const concert = new Concert(10);
    expect(concert.deliver(grant('desk-a', 4))).toMatchObject({
      type: 'AllotmentGranted',
      data: { deviceId: 'desk-a', level: 'Regular', quantity: 4, lapsesAt: startsAt },
    });
    concert.deliver(sale('desk-c', 6));
    expect(concert.regular).toMatchObject({ allocated: 6, outstanding: 4 });
    // Every free seat is taken or set aside: a pool sale, a second block and a hold are all refused.
    expect(concert.deliver(sale('desk-c', 1))).toMatchObject({
      type: 'SaleRejected',
      data: { code: 'sold_out' },
    });
    expect(concert.deliver(grant('desk-b', 1))).toMatchObject({
      type: 'AllotmentRefused',
      data: { code: 'not_enough_free_seats' },
    });
    const hold: RequestDoc<'SeatsReservationRequested'> = {
      _id: requestId('o1:seats', 'reserve'),
      type: 'SeatsReservationRequested',
      v: 1,
      stream,
      data: {
        reservationId: 'o1:seats',
        orderId: 'o1',
        concertId,
        lines: [{ level: 'Regular', quantity: 1 }],
        staff: { userId: 'u', role: 'desk' },
      },
      meta: meta('hold', 'authority'),
    };
    expect(decideRequest(hold, concert.state, { now })).toMatchObject({ type: 'ReservationRefused' });
  });

  it('allocates a guaranteed sale from the desk’s block even when no seat is free, and counts it sold', () => {
    const concert = new Concert(5);
    concert.deliver(grant('desk-a', 3));
    concert.deliver(sale('desk-b', 2));
    expect(concert.deliver(sale('desk-a', 3, 'allotment'))).toMatchObject({
      type: 'SeatsAllocated',
      data: { quantity: 3, from: 'allotment', deviceId: 'desk-a' },
    });
    expect(concert.regular).toMatchObject({ allocated: 5, outstanding: 0, left: 0 });
    expect(remaining(concert.state.allotments, 'desk-a', 'Regular')).toBe(0);
    // Beyond its block, the desk's claim falls back to the free seats, and there are none.
    expect(concert.deliver(sale('desk-a', 1, 'allotment'))).toMatchObject({
      type: 'SaleRejected',
      data: { code: 'allotment_exhausted' },
    });
  });

  it('takes a pending sale of a desk with a block from the free seats, never from its block', () => {
    const concert = new Concert(4);
    concert.deliver(grant('desk-a', 2));
    expect(concert.deliver(sale('desk-a', 2))).toMatchObject({ data: { from: 'pool' } });
    expect(concert.deliver(sale('desk-a', 1))).toMatchObject({
      type: 'SaleRejected',
      data: { code: 'sold_out' },
    });
    expect(remaining(concert.state.allotments, 'desk-a', 'Regular')).toBe(2);
  });

  it('gives back only the desk’s own block; what it gives back is free again', () => {
    const concert = new Concert(4);
    concert.deliver(grant('desk-a', 4));
    expect(concert.deliver(giveBack('desk-a', 2, 'desk-b'))).toMatchObject({
      type: 'AllotmentRefused',
      data: { code: 'not_permitted' },
    });
    expect(concert.deliver(giveBack('desk-a', 3))).toMatchObject({
      type: 'AllotmentReturned',
      data: { quantity: 3 },
    });
    expect(concert.deliver(sale('desk-b', 3))).toMatchObject({ type: 'SeatsAllocated' });
  });

  it('lapses a block on the authority’s clock, once, and its unsold seats return to the pool', () => {
    const concert = new Concert(6);
    concert.deliver(grant('desk-a', 4));
    concert.deliver(sale('desk-a', 1, 'allotment'));
    expect(blocksDue(concert.state, now)).toEqual([]);
    const [due] = blocksDue(concert.state, startsAt);
    expect(due).toEqual({ deviceId: 'desk-a', level: 'Regular' });
    const lapse = due && decideBlockLapse(due, concert.state, startsAt);
    if (!lapse) throw new Error('no lapse');
    expect(lapse.decision).toMatchObject({ type: 'AllotmentLapsed', data: { quantity: 3 } });
    concert.append(lapse.decision, lapse.cause, startsAt);
    expect(blocksDue(concert.state, startsAt)).toEqual([]);
    expect(
      decideBlockLapse({ deviceId: 'desk-a', level: 'Regular' }, concert.state, startsAt),
    ).toBeUndefined();
    expect(concert.regular).toMatchObject({ allocated: 1, outstanding: 0 });
    // A claim that reaches the authority after the lapse is sold from the free seats (there are).
    expect(concert.deliver(sale('desk-a', 1, 'allotment'), startsAt)).toMatchObject({
      data: { from: 'pool' },
    });
  });

  it('keeps a level’s capacity at or above what is sold and set aside', () => {
    const concert = new Concert(10);
    concert.deliver(grant('desk-a', 4));
    concert.deliver(sale('desk-b', 3));
    const shrink = (capacity: number) =>
      fact('TicketLevelsChangeRequested', () => ({
        concertId,
        levels: [{ name: 'Regular', capacity, price }],
      }));
    expect(concert.deliver(shrink(6))).toMatchObject({
      type: 'ConcertChangeRejected',
      data: { code: 'capacity_below_allocated' },
    });
    expect(concert.deliver(shrink(7))).toMatchObject({ type: 'TicketLevelsUpdated' });
  });

  it('has a rejected sale made good once, by the desk that sold it; a confirmed sale has nothing to make good', () => {
    const concert = new Concert(1);
    const sold = sale('desk-a', 1);
    concert.deliver(sold);
    const beyond = sale('desk-b', 1);
    expect(concert.deliver(beyond)).toMatchObject({ type: 'SaleRejected', data: { deviceId: 'desk-b' } });
    const settle = (saleId: string, deviceId: string) =>
      fact(
        'SaleSettlementRecorded',
        (settlementId) => ({
          settlementId,
          saleId,
          concertId,
          kind: 'cash_refund' as const,
          amount: price,
          currency: 'PLN',
        }),
        deviceId,
      );
    const code = (doc: DecisionDoc<StreamDecisionType>) => (doc.data as { code?: string }).code;
    expect(code(concert.deliver(settle(sold._id, 'desk-a')))).toBe('not_rejected');
    expect(code(concert.deliver(settle(beyond._id, 'desk-a')))).toBe('not_permitted');
    expect(code(concert.deliver(settle(ulid(1), 'desk-a')))).toBe('unknown_sale');
    expect(concert.deliver(settle(beyond._id, 'desk-b'))).toMatchObject({
      type: 'SaleSettled',
      data: { saleId: beyond._id, kind: 'cash_refund', amount: price, deviceId: 'desk-b' },
    });
    expect(code(concert.deliver(settle(beyond._id, 'desk-b')))).toBe('already_settled');
  });

  it('keeps a batch’s tentative allotments out of the state until they are written', () => {
    const concert = new Concert(10);
    const view = tentativeView(concert.state);
    const f = grant('desk-a', 4);
    const decision = decideFact(f, view, now);
    if (!decision) throw new Error('no decision');
    const doc = decisionDoc(concertId, view.head, decision, f, { decisionId: 'x', authorityId: 't', now });
    const after = evolveAuthority(view, doc);
    expect(remaining(after.allotments, 'desk-a', 'Regular')).toBe(4);
    expect(remaining(concert.state.allotments, 'desk-a', 'Regular')).toBe(0);
  });
});
