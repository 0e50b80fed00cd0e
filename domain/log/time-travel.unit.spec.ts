// A read model as of a point in the log: the availability of a concert after its first sales, by position and by time.
import { describe, expect, it } from 'vitest';
import { decisionDoc, evolveDecision, initialAuthorityState } from '../authority/concert-authority';
import type { Decision } from '../authority/concert-authority';
import { initialConcertState } from '../concert/concert';
import type { DecisionDoc } from '../events/catalogue';
import { availability } from '../inventory/inventory';
import { emptyChain } from './stream';
import type { ChainHead } from './stream';
import { foldAsOf, upTo } from './time-travel';

const concertId = 'time-travel';
const created: Decision = {
  type: 'ConcertCreated',
  data: {
    concertId,
    artist: 'Artist',
    title: '',
    venue: 'Venue',
    city: '',
    startsAt: '2027-01-01T20:00:00+01:00',
    timezone: 'Europe/Warsaw',
    currency: 'PLN',
    levels: [{ name: 'Regular', capacity: 10, price: 100 }],
  },
};
const sold = (n: number): Decision => ({
  type: 'SeatsAllocated',
  data: { saleId: `sale-${n}`, concertId, level: 'Regular', quantity: n },
});

/** The stream: created, published, then sales of 1, 2 and 3 seats, one minute apart on the authority's clock. */
function stream(): DecisionDoc[] {
  const decisions: Decision[] = [
    created,
    { type: 'ConcertPublished', data: { concertId } },
    sold(1),
    sold(2),
    sold(3),
  ];
  let head: ChainHead = emptyChain();
  return decisions.map((decision, i) => {
    const doc = decisionDoc(
      concertId,
      head,
      decision,
      { _id: `fact-${i}`, meta: meta(i) },
      {
        decisionId: `d${i}`,
        authorityId: 'a',
        now: `2026-11-21T20:0${i}:00.000Z`,
      },
    );
    head = { decisionId: `d${i}`, nextPosition: i + 1 };
    return doc;
  });
}
const meta = (i: number) => ({
  deviceId: 'desk',
  userId: 'u',
  recordedAt: '2026-11-21T19:00:00.000Z',
  correlationId: `fact-${i}`,
  causationId: `fact-${i}`,
});

const leftAsOf = (point: Parameters<typeof upTo>[1]) =>
  availability(
    foldAsOf(
      stream(),
      point,
      (s, e) => evolveDecision(s, e as Parameters<typeof evolveDecision>[1]),
      initialConcertState(),
    ),
  )[0]?.left;

describe('a read model as of a point in the log', () => {
  it('by position: availability after each sale', () => {
    expect(leftAsOf({ position: 1 })).toBe(10);
    expect(leftAsOf({ position: 2 })).toBe(9);
    expect(leftAsOf({ position: 3 })).toBe(7);
    expect(leftAsOf({ position: 4 })).toBe(4);
  });

  it("by instant, on the authority's clock, whatever the offset it is written with", () => {
    expect(leftAsOf({ at: '2026-11-21T20:03:30.000Z' })).toBe(7);
    expect(leftAsOf({ at: '2026-11-21T21:03:30+01:00' })).toBe(7);
    expect(leftAsOf({ at: '2026-11-21T20:00:00.000Z' })).toBe(10); // just created
    expect(leftAsOf({ at: '2026-11-21T19:59:59.999Z' })).toBeUndefined(); // no concert yet
  });

  it('before the first event, the initial state', () => {
    expect(foldAsOf(stream(), { position: -1 }, (s) => s, initialAuthorityState()).head).toEqual(
      emptyChain(),
    );
  });

  it('refuses an instant that is not one', () => {
    expect(() => upTo(stream(), { at: 'yesterday' })).toThrow('"yesterday" is not an instant');
  });
});
