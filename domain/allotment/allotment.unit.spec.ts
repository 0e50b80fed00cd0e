// Allotments by example: grants, policies, returns and lapses decided once; where a sale's seats come from; what a
// desk may promise.
import { describe, expect, it } from 'vitest';
import { evolveConcert, initialConcertState } from '../concert/concert';
import type { ConcertState } from '../concert/concert';
import type { ConcertDecision } from '../concert/events';
import { evolveInventory } from '../inventory/inventory';
import { fold } from '../shared/decider';
import {
  allocateSale,
  decideAllotment,
  decideLapse,
  deskPromise,
  evolveAllotment,
  freeSeats,
  guaranteeLeftMs,
  guaranteeMarginMs,
  initialAllotmentBook,
  lapseCauseId,
  lapsesDue,
  outstanding,
  remaining,
  returnable,
} from './allotment';
import type { AllotmentBook, DeskKnowledge } from './allotment';
import { allotmentDecisionSchemas, allotmentFactSchemas } from './events';
import type { AllocatedSale, AllotmentDecision, AllotmentFact, AllotmentFactData } from './events';

const concertId = 'kwiat-jabloni-torwar-2026';
const startsAt = '2026-11-21T20:00:00.000Z';
const now = '2026-11-21T12:00:00.000Z';

const created: ConcertDecision = {
  type: 'ConcertCreated',
  data: {
    concertId,
    artist: 'Kwiat Jabłoni',
    title: 'Mamy Czas Tour',
    venue: 'Torwar',
    city: 'Warsaw',
    startsAt,
    timezone: 'Europe/Warsaw',
    currency: 'PLN',
    levels: [
      { name: 'Regular', capacity: 10, price: 15_000 },
      { name: 'Golden Circle', capacity: 4, price: 30_000 },
    ],
  },
};
const published: ConcertDecision = { type: 'ConcertPublished', data: { concertId } };

/** The concert on sale, with `sold` seats allocated per level. */
function concertWith(sold: Record<string, number> = {}, history: ConcertDecision[] = [created, published]) {
  const concert = fold(evolveConcert, initialConcertState(), history);
  return Object.entries(sold).reduce<ConcertState>(
    (state, [level, quantity]) =>
      evolveInventory(state, {
        type: 'SeatsAllocated',
        data: { saleId: `s-${level}`, concertId, level, quantity },
      }),
    concert,
  );
}

const level = (concert: ConcertState, name: string) => {
  const found = concert.status === 'none' ? undefined : concert.levels.find((l) => l.name === name);
  if (!found) throw new Error(`no level ${name}`);
  return found;
};

const book = (...events: (AllotmentDecision | AllocatedSale)[]): AllotmentBook =>
  fold(evolveAllotment, initialAllotmentBook(), events);

const grantRequested = (
  allotmentId: string,
  deviceId: string,
  levelName: string,
  quantity: number,
): AllotmentFact => ({
  type: 'AllotmentGrantRequested',
  data: { allotmentId, concertId, deviceId, level: levelName, quantity },
});
const granted = (
  allotmentId: string,
  deviceId: string,
  levelName: string,
  quantity: number,
  lapsesAt = startsAt,
): AllotmentDecision => ({
  type: 'AllotmentGranted',
  data: { allotmentId, concertId, deviceId, level: levelName, quantity, lapsesAt },
});
const policySet = (
  policyId: string,
  perLevel: Record<string, number>,
  deviceIds: string[],
  lapsesAt?: string,
): AllotmentFact => ({
  type: 'AllotmentPolicySet',
  data: { policyId, concertId, perLevel, deviceIds, ...(lapsesAt ? { lapsesAt } : {}) },
});
const returnRequested = (
  returnId: string,
  deviceId: string,
  levelName: string,
  quantity: AllotmentFactData<'AllotmentReturnRequested'>['quantity'],
): AllotmentFact => ({
  type: 'AllotmentReturnRequested',
  data: { returnId, concertId, deviceId, level: levelName, quantity },
});
const soldFrom = (
  saleId: string,
  deviceId: string,
  levelName: string,
  quantity: number,
  from: 'allotment' | 'pool',
): AllocatedSale => ({
  type: 'SeatsAllocated',
  data: { saleId, deviceId, level: levelName, quantity, from },
});

/** Decides with the authority's clock at `at`, and checks the decision passes its schema. */
function decide(fact: AllotmentFact, state: AllotmentBook, concert = concertWith(), at = now) {
  expect(allotmentFactSchemas[fact.type].safeParse(fact.data).success).toBe(true);
  const decision = decideAllotment(fact, state, { concert, now: at });
  if (decision) expect(allotmentDecisionSchemas[decision.type].safeParse(decision.data).success).toBe(true);
  return decision;
}

const refusal = (requestId: string, requestType: AllotmentFact['type'], code: string, message: string) => ({
  type: 'AllotmentRefused',
  data: { requestId, requestType, concertId, code, message },
});

describe('granting a desk a block', () => {
  it('sets seats aside from the free ones, until the concert starts', () => {
    expect(decide(grantRequested('a1', 'desk-4', 'Regular', 4), book())).toEqual(
      granted('a1', 'desk-4', 'Regular', 4),
    );
  });

  it('is refused beyond the free seats, counting seats sold or held and seats set aside for other desks', () => {
    const state = book(granted('a1', 'desk-1', 'Golden Circle', 2));
    expect(
      decide(grantRequested('a2', 'desk-2', 'Golden Circle', 2), state, concertWith({ 'Golden Circle': 1 })),
    ).toEqual(
      refusal(
        'a2',
        'AllotmentGrantRequested',
        'not_enough_free_seats',
        '"Golden Circle" has 1 free seat (capacity 4, 1 sold or held, 2 set aside for desks): 2 can\'t be set aside for desk-2. Ask for 1 or fewer.',
      ),
    );
  });

  it('is refused for a level the concert does not have, naming the levels it has', () => {
    expect(decide(grantRequested('a1', 'desk-1', 'Balcony', 2), book())).toEqual(
      refusal(
        'a1',
        'AllotmentGrantRequested',
        'unknown_level',
        'The concert has no level "Balcony": use one of "Regular", "Golden Circle".',
      ),
    );
  });

  it('is refused for a concert that is not on sale, cancelled or unknown', () => {
    const draft = concertWith({}, [created]);
    const cancelled = concertWith({}, [
      created,
      published,
      { type: 'ConcertCancelled', data: { concertId, reason: 'Ill.' } },
    ]);
    const fact = grantRequested('a1', 'desk-1', 'Regular', 2);
    expect(decide(fact, book(), draft)).toMatchObject({
      data: {
        code: 'not_published',
        message: 'The concert is not on sale yet: publish it before giving desks seats.',
      },
    });
    expect(decide(fact, book(), cancelled)).toMatchObject({ data: { code: 'concert_cancelled' } });
    expect(decide(fact, book(), initialConcertState())).toMatchObject({ data: { code: 'unknown_concert' } });
  });

  it("is refused once the concert's allotments have lapsed on the authority's clock", () => {
    expect(decide(grantRequested('a1', 'desk-1', 'Regular', 2), book(), concertWith(), startsAt)).toEqual(
      refusal(
        'a1',
        'AllotmentGrantRequested',
        'lapsed',
        `Allotments for this concert lapse at ${startsAt}, which has passed: set a later lapse time in the policy to give desks seats.`,
      ),
    );
  });

  it('is decided once: a grant or a refusal seen again is a no-op', () => {
    const fact = grantRequested('a1', 'desk-1', 'Regular', 20);
    const refused = decide(fact, book());
    expect(refused).toMatchObject({ type: 'AllotmentRefused' });
    if (!refused) throw new Error('no decision');
    expect(decide(fact, book(refused))).toBeUndefined();
    expect(
      decide(grantRequested('a2', 'desk-1', 'Regular', 2), book(granted('a2', 'desk-1', 'Regular', 2))),
    ).toBeUndefined();
  });
});

describe('an allotment policy', () => {
  it('tops every listed desk up to the seats per level, once', () => {
    const state = book(granted('a1', 'desk-1', 'Regular', 2));
    const decision = decide(
      policySet('p1', { Regular: 3, 'Golden Circle': 0 }, ['desk-1', 'desk-2', 'desk-1']),
      state,
    );
    expect(decision).toEqual({
      type: 'AllotmentPolicyApplied',
      data: {
        policyId: 'p1',
        concertId,
        lapsesAt: startsAt,
        grants: [
          { deviceId: 'desk-1', level: 'Regular', asked: 1, quantity: 1 },
          { deviceId: 'desk-2', level: 'Regular', asked: 3, quantity: 3 },
        ],
        message: 'Every desk holds the seats the policy asks for.',
      },
    });
    if (!decision) throw new Error('no decision');
    const after = evolveAllotment(state, decision);
    expect([remaining(after, 'desk-1', 'Regular'), remaining(after, 'desk-2', 'Regular')]).toEqual([3, 3]);
    expect(decide(policySet('p1', { Regular: 3 }, ['desk-1']), after)).toBeUndefined();
  });

  it('grants what is free and says which desks got less', () => {
    const decision = decide(policySet('p1', { 'Golden Circle': 3 }, ['desk-1', 'desk-2', 'desk-3']), book());
    expect(decision).toMatchObject({
      data: {
        grants: [
          { deviceId: 'desk-1', asked: 3, quantity: 3 },
          { deviceId: 'desk-2', asked: 3, quantity: 1 },
          { deviceId: 'desk-3', asked: 3, quantity: 0 },
        ],
        message:
          '"Golden Circle" had 4 free seats (capacity 4, 0 sold or held, 0 set aside for desks): desk-2 got 1 of 3, desk-3 got 0 of 3. Free seats in those levels, or lower the policy, to top the desks up.',
      },
    });
    if (!decision) throw new Error('no decision');
    expect(outstanding(evolveAllotment(book(), decision), 'Golden Circle')).toBe(4);
  });

  it('grants nothing when every desk holds enough, and never takes seats back', () => {
    const state = book(granted('a1', 'desk-1', 'Regular', 5));
    const decision = decide(policySet('p1', { Regular: 2 }, ['desk-1']), state);
    expect(decision).toMatchObject({
      data: {
        grants: [],
        message: 'Every desk held the seats the policy asks for already: nothing was granted.',
      },
    });
    if (!decision) throw new Error('no decision');
    expect(remaining(evolveAllotment(state, decision), 'desk-1', 'Regular')).toBe(5);
  });

  it('sets the lapse time of its grants and of later ones', () => {
    const lapsesAt = '2026-11-21T18:00:00.000Z';
    const decision = decide(policySet('p1', { Regular: 1 }, ['desk-1'], lapsesAt), book());
    expect(decision).toMatchObject({ data: { lapsesAt, concertLapsesAt: lapsesAt } });
    if (!decision) throw new Error('no decision');
    const after = evolveAllotment(book(), decision);
    expect(decide(grantRequested('a2', 'desk-2', 'Regular', 1), after)).toEqual(
      granted('a2', 'desk-2', 'Regular', 1, lapsesAt),
    );
    expect(
      decide(grantRequested('a3', 'desk-2', 'Regular', 1), after, concertWith(), lapsesAt),
    ).toMatchObject({
      data: { code: 'lapsed' },
    });
  });

  it('is refused whole for a level the concert does not have, or a lapse time that has passed', () => {
    expect(decide(policySet('p1', { Regular: 1, Parter: 2 }, ['desk-1']), book())).toEqual(
      refusal(
        'p1',
        'AllotmentPolicySet',
        'unknown_level',
        'The concert has no level "Parter": use one of "Regular", "Golden Circle".',
      ),
    );
    expect(decide(policySet('p2', { Regular: 1 }, ['desk-1'], now), book())).toMatchObject({
      data: { requestId: 'p2', code: 'lapsed' },
    });
  });
});

describe('a desk giving seats back', () => {
  const state = book(
    granted('a1', 'desk-1', 'Regular', 5),
    soldFrom('s1', 'desk-1', 'Regular', 1, 'allotment'),
  );

  it('returns the number asked, as far as its block has unsold seats', () => {
    expect(decide(returnRequested('r1', 'desk-1', 'Regular', 2), state)).toEqual({
      type: 'AllotmentReturned',
      data: { returnId: 'r1', concertId, deviceId: 'desk-1', level: 'Regular', quantity: 2 },
    });
    expect(decide(returnRequested('r1', 'desk-1', 'Regular', 9), state)).toMatchObject({
      data: { quantity: 4 },
    });
  });

  it("returns all it did not sell for 'unsold', and the seats are free again", () => {
    const decision = decide(returnRequested('r1', 'desk-1', 'Regular', 'unsold'), state);
    expect(decision).toMatchObject({ type: 'AllotmentReturned', data: { quantity: 4 } });
    if (!decision) throw new Error('no decision');
    const after = evolveAllotment(state, decision);
    expect(remaining(after, 'desk-1', 'Regular')).toBe(0);
    expect(freeSeats(after, level(concertWith({ Regular: 1 }), 'Regular'))).toBe(9);
    expect(decide(returnRequested('r1', 'desk-1', 'Regular', 'unsold'), after)).toBeUndefined();
  });

  it('is refused when there is nothing to give back, saying why', () => {
    const message = (s: AllotmentBook) =>
      decide(returnRequested('r9', 'desk-1', 'Regular', 1), s)?.data as { code: string; message: string };
    expect(message(book())).toEqual(
      expect.objectContaining({
        code: 'nothing_to_return',
        message: 'desk-1 holds no "Regular" seats: there is nothing to give back.',
      }),
    );
    expect(
      message(
        book(granted('a1', 'desk-1', 'Regular', 1), soldFrom('s1', 'desk-1', 'Regular', 1, 'allotment')),
      ).message,
    ).toBe('desk-1 has sold or given back all its "Regular" seats: there is nothing to give back.');
    const lapsed: AllotmentDecision = {
      type: 'AllotmentLapsed',
      data: { concertId, deviceId: 'desk-1', level: 'Regular', quantity: 1, lapsedAt: startsAt },
    };
    expect(message(book(granted('a1', 'desk-1', 'Regular', 1), lapsed)).message).toBe(
      `desk-1's "Regular" seats lapsed at ${startsAt}: there is nothing to give back.`,
    );
  });
});

describe('a block lapsing', () => {
  const state = book(
    granted('a1', 'desk-1', 'Regular', 3),
    granted('a2', 'desk-2', 'Regular', 1),
    soldFrom('s1', 'desk-2', 'Regular', 1, 'allotment'),
  );

  it("is due at its lapse time on the authority's clock, for blocks with unsold seats only", () => {
    expect(lapsesDue(state, '2026-11-21T19:59:59.999Z')).toEqual([]);
    expect(lapsesDue(state, startsAt)).toEqual([{ deviceId: 'desk-1', level: 'Regular' }]);
    expect(decideLapse(state, concertId, { deviceId: 'desk-1', level: 'Regular' }, now)).toBeUndefined();
    expect(decideLapse(state, concertId, { deviceId: 'desk-2', level: 'Regular' }, startsAt)).toBeUndefined();
    expect(decideLapse(state, concertId, { deviceId: 'desk-9', level: 'Regular' }, startsAt)).toBeUndefined();
  });

  it('returns the unsold seats to the pool, once', () => {
    const lapse = decideLapse(state, concertId, { deviceId: 'desk-1', level: 'Regular' }, startsAt);
    expect(lapse).toEqual({
      causeId: lapseCauseId('desk-1', 'Regular', 3),
      decision: {
        type: 'AllotmentLapsed',
        data: { concertId, deviceId: 'desk-1', level: 'Regular', quantity: 3, lapsedAt: startsAt },
      },
    });
    if (!lapse) throw new Error('no lapse');
    expect(allotmentDecisionSchemas.AllotmentLapsed.safeParse(lapse.decision.data).success).toBe(true);
    const after = evolveAllotment(state, lapse.decision);
    expect(outstanding(after, 'Regular')).toBe(0);
    expect(after.decided.has(lapse.causeId)).toBe(true);
    expect(lapsesDue(after, startsAt)).toEqual([]);
  });

  it('is due again for seats granted later, with a cause of its own', () => {
    const later = '2026-11-21T21:00:00.000Z';
    const lapse = decideLapse(state, concertId, { deviceId: 'desk-1', level: 'Regular' }, startsAt);
    if (!lapse) throw new Error('no lapse');
    const regranted = book(
      granted('a1', 'desk-1', 'Regular', 3),
      lapse.decision,
      granted('a3', 'desk-1', 'Regular', 2, later),
    );
    expect(lapsesDue(regranted, later)).toEqual([{ deviceId: 'desk-1', level: 'Regular' }]);
    expect(decideLapse(regranted, concertId, { deviceId: 'desk-1', level: 'Regular' }, later)?.causeId).toBe(
      lapseCauseId('desk-1', 'Regular', 5),
    );
  });

  it('is never brought forward by a top-up with an earlier lapse time', () => {
    const early = '2026-11-21T18:00:00.000Z';
    const topped = book(granted('a1', 'desk-1', 'Regular', 3), granted('a2', 'desk-1', 'Regular', 1, early));
    expect(lapsesDue(topped, early)).toEqual([]);
  });
});

describe("where a sale's seats come from", () => {
  const state = book(granted('a1', 'desk-1', 'Golden Circle', 2));

  it('a claim its block covers comes from the block, even with no free seat left', () => {
    expect(
      allocateSale(state, { deviceId: 'desk-1', level: 'Golden Circle', quantity: 2, claim: 'allotment' }, 0),
    ).toEqual({ from: 'allotment' });
  });

  it("a pool sale needs free seats and never takes the desk's block", () => {
    const sale = { deviceId: 'desk-1', level: 'Golden Circle', quantity: 2, claim: 'pool' as const };
    expect(allocateSale(state, sale, 2)).toEqual({ from: 'pool' });
    expect(allocateSale(state, sale, 1)).toEqual({
      refused: 'sold_out',
      message: '"Golden Circle" has only 1 free for the 2 sold: refund the buyer or offer another level.',
    });
  });

  it('a claim the block no longer covers falls back to the pool', () => {
    expect(
      allocateSale(state, { deviceId: 'desk-1', level: 'Golden Circle', quantity: 3, claim: 'allotment' }, 3),
    ).toEqual({ from: 'pool' });
  });

  it('is refused, saying why, only when neither the block nor the pool covers it', () => {
    const lapsed = evolveAllotment(state, {
      type: 'AllotmentLapsed',
      data: { concertId, deviceId: 'desk-1', level: 'Golden Circle', quantity: 2, lapsedAt: startsAt },
    });
    const claim = { deviceId: 'desk-1', level: 'Golden Circle', quantity: 1, claim: 'allotment' as const };
    expect(allocateSale(lapsed, claim, 0)).toEqual({
      refused: 'allotment_lapsed',
      message: `This desk's "Golden Circle" seats lapsed at ${startsAt}, before the sale reached the box office, and "Golden Circle" has no free seats: refund the buyer or offer another level.`,
    });
    const returned = evolveAllotment(state, {
      type: 'AllotmentReturned',
      data: { returnId: 'r1', concertId, deviceId: 'desk-1', level: 'Golden Circle', quantity: 2 },
    });
    expect(allocateSale(returned, claim, 0)).toEqual({
      refused: 'allotment_exhausted',
      message:
        'This desk\'s "Golden Circle" seats cover 0 of the 1 sold (the rest were sold or given back), and "Golden Circle" has no free seats: refund the buyer or offer another level.',
    });
    expect(allocateSale(book(), claim, 0)).toMatchObject({
      refused: 'allotment_exhausted',
      message:
        'This desk holds no "Golden Circle" seats, and "Golden Circle" has no free seats: refund the buyer or offer another level.',
    });
  });

  it('a sale from the block moves seats from outstanding to allocated; a pool sale leaves the blocks', () => {
    const after = evolveAllotment(state, soldFrom('s1', 'desk-1', 'Golden Circle', 1, 'allotment'));
    expect([remaining(after, 'desk-1', 'Golden Circle'), outstanding(after, 'Golden Circle')]).toEqual([
      1, 1,
    ]);
    expect(evolveAllotment(after, soldFrom('s2', 'desk-1', 'Golden Circle', 1, 'pool'))).toEqual(after);
  });
});

describe('what a desk may promise', () => {
  const view = book(granted('a1', 'desk-1', 'Regular', 3));
  const heard = (over: Partial<DeskKnowledge> = {}): DeskKnowledge => ({
    pendingSeats: 0,
    returningUnsold: false,
    lastAuthorityTime: now,
    monotonicElapsedMs: 0,
    ...over,
  });
  const sale = (quantity: number, deviceId = 'desk-1') => ({ deviceId, level: 'Regular', quantity });

  it('guarantees a sale its block covers, minus its own claims not decided yet', () => {
    expect(deskPromise(view, sale(3), heard())).toBe('guaranteed');
    expect(deskPromise(view, sale(2), heard({ pendingSeats: 1 }))).toBe('guaranteed');
    expect(deskPromise(view, sale(2), heard({ pendingSeats: 2 }))).toBe('pending');
    expect(deskPromise(view, sale(1, 'desk-2'), heard())).toBe('pending');
    expect(deskPromise(view, sale(1), heard({ returningUnsold: true }))).toBe('pending');
  });

  it("stops before the lapse, measured on the authority's time as last heard plus monotonic time", () => {
    const eightHours = Date.parse(startsAt) - Date.parse(now);
    expect(guaranteeLeftMs(startsAt, now, 0)).toBe(eightHours - guaranteeMarginMs);
    const justBefore = eightHours - guaranteeMarginMs - 1;
    expect(deskPromise(view, sale(1), heard({ monotonicElapsedMs: justBefore }))).toBe('guaranteed');
    expect(deskPromise(view, sale(1), heard({ monotonicElapsedMs: justBefore + 1 }))).toBe('pending');
    // A decision heard later moves the estimate, whatever the desk's own wall clock says.
    expect(deskPromise(view, sale(1), heard({ lastAuthorityTime: startsAt }))).toBe('pending');
  });

  it('gives back only what no promise is waiting on', () => {
    expect(returnable(view, 'desk-1', 'Regular', 1)).toBe(2);
    expect(returnable(view, 'desk-1', 'Regular', 5)).toBe(0);
  });
});
