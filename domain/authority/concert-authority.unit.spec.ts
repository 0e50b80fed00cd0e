// The authority's loop step, deciding one fact at a time against the concert's decision stream. The properties run
// a whole box office in memory: many desks, sales delivered late, twice and out of order, and a restart.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseEventDoc } from '../events/catalogue';
import type { ConcertFactType, DecisionDoc, FactDoc } from '../events/catalogue';
import { availability } from '../inventory/inventory';
import { emptyChain, followChain } from '../log/stream';
import {
  concertStream,
  decideFact,
  decisionDoc,
  evolveAuthority,
  initialAuthorityState,
} from './concert-authority';
import type { ConcertAuthorityState, Decision, StreamDecisionType } from './concert-authority';

const concertId = 'kwiat-jabloni-torwar-2026';
const stream = concertStream(concertId);
const now = '2026-11-21T20:00:00.000Z';

/** A valid ULID made from a counter: '01K' and the counter in 23 digits (digits are Crockford base32). */
const ulid = (n: number): string => `01K${String(n).padStart(23, '0')}`;

const levelNames = ['Regular', 'Golden Circle'] as const;
type LevelName = (typeof levelNames)[number];
const prices: Record<LevelName, number> = { Regular: 15_000, 'Golden Circle': 30_000 };

const details = {
  concertId,
  artist: 'Kwiat Jabłoni',
  title: 'Mamy Czas Tour',
  venue: 'Torwar',
  city: 'Warsaw',
  startsAt: '2026-11-21T20:00:00.000Z',
  timezone: 'Europe/Warsaw',
};

const factMeta = (id: string, deviceId: string, userId: string, recordedAt = now) => ({
  deviceId,
  userId,
  recordedAt,
  correlationId: id,
  causationId: id,
});

const organizerFact = <T extends FactDoc['type']>(
  id: string,
  type: T,
  data: Extract<FactDoc, { type: T }>['data'],
) =>
  ({
    _id: id,
    type,
    v: 1,
    stream: 'catalogue',
    data,
    meta: factMeta(id, 'office-1', 'organizer-ola'),
  }) as Extract<FactDoc, { type: T }>;

const creationRequested = (id: string, capacities: readonly [number, number] = [100, 20]) =>
  organizerFact(id, 'ConcertCreationRequested', {
    ...details,
    currency: 'PLN',
    levels: levelNames.map((name, i) => ({ name, capacity: capacities[i] ?? 0, price: prices[name] })),
  });

const saleRecorded = (
  id: string,
  desk: number,
  level: LevelName,
  quantity: number,
  second = 0,
): FactDoc<'SaleRecorded'> => {
  const total = prices[level] * quantity;
  return {
    _id: id,
    type: 'SaleRecorded',
    v: 1,
    stream,
    data: {
      saleId: id,
      concertId,
      level,
      quantity,
      unitPrice: prices[level],
      total,
      currency: 'PLN',
      payment: { method: 'cash', tendered: total, change: 0 },
    },
    meta: factMeta(
      id,
      `desk-${desk}`,
      `cashier-${desk}`,
      new Date(Date.parse(now) - 3_600_000 + second * 1000).toISOString(),
    ),
  };
};

/** One authority in memory: its state and the decision documents it has written, in order. */
type Authority = {
  state: ConcertAuthorityState;
  written: DecisionDoc<StreamDecisionType>[];
  nextDecision: number;
};

function append(authority: Authority, decision: Decision, fact: Pick<FactDoc, '_id' | 'meta'>): DecisionDoc {
  const context = { decisionId: ulid(1_000_000 + authority.nextDecision++), authorityId: 'authority-1', now };
  const doc = decisionDoc(concertId, authority.state.head, decision, fact, context);
  authority.state = evolveAuthority(authority.state, doc);
  authority.written.push(doc);
  return doc;
}

/** The loop step: decide the fact; if there is a decision, append it at the head. */
function deliver(authority: Authority, fact: FactDoc<ConcertFactType>): DecisionDoc | undefined {
  const decision = decideFact(fact, authority.state);
  return decision && append(authority, decision, fact);
}

/** A created and published concert with two levels of the given capacities. */
function openConcert(capacities: readonly [number, number]): Authority {
  const authority: Authority = { state: initialAuthorityState(), written: [], nextDecision: 0 };
  const creation = creationRequested(ulid(1), capacities);
  append(authority, { type: 'ConcertCreated', data: creation.data }, creation);
  const publication = organizerFact(ulid(2), 'ConcertPublicationRequested', { concertId });
  append(authority, { type: 'ConcertPublished', data: { concertId } }, publication);
  return authority;
}

const levelOf = (state: ConcertAuthorityState, name: string) => {
  const level = availability(state.concert).find((l) => l.level === name);
  if (!level) throw new Error(`no level ${name}`);
  return level;
};

/** Rebuilds the authority's state from stored decisions, as on a restart: the chain rule, then evolve. */
function rebuild(stored: readonly DecisionDoc<StreamDecisionType>[]) {
  const links = stored.map((doc) => ({ ...doc.meta, doc }));
  const { accepted, orphans } = followChain(emptyChain(), links);
  return {
    orphans,
    state: accepted.reduce((state, link) => evolveAuthority(state, link.doc), initialAuthorityState()),
  };
}

// A box office day: capacities, desks, and sales each delivered 1–3 times (one sort key per delivery).
const saleArb = fc.record({
  desk: fc.nat({ max: 9 }),
  level: fc.constantFrom(...levelNames),
  quantity: fc.integer({ min: 1, max: 5 }),
  deliveries: fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 3 }),
});
const dayArb = fc.record({
  desks: fc.integer({ min: 1, max: 10 }),
  capacities: fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })),
  sales: fc.array(saleArb, { maxLength: 40 }),
});
type Day = typeof dayArb extends fc.Arbitrary<infer T> ? T : never;

const firstSale = 100;

/** Every delivery of every sale, in the order the sort keys give: any interleaving, reordering and duplicates. */
function deliveriesOf(day: Day): FactDoc<'SaleRecorded'>[] {
  const facts = day.sales.map((sale, i) =>
    saleRecorded(ulid(firstSale + i), sale.desk % day.desks, sale.level, sale.quantity, i),
  );
  return day.sales
    .flatMap((sale, i) => sale.deliveries.map((key) => ({ key, fact: facts[i]! })))
    .sort((a, b) => a.key - b.key)
    .map((delivery) => delivery.fact);
}

const isSaleDecision = (doc: DecisionDoc): doc is DecisionDoc<'SeatsAllocated' | 'SaleRejected'> =>
  doc.type === 'SeatsAllocated' || doc.type === 'SaleRejected';

const runs = { numRuns: 200 };

describe('the concert authority, property by property', () => {
  it('keeps allocated ≤ capacity at every step, and decides every sale exactly once', () => {
    fc.assert(
      fc.property(dayArb, (day) => {
        const authority = openConcert(day.capacities);
        const seen = new Set<string>();
        for (const fact of deliveriesOf(day)) {
          const doc = deliver(authority, fact);
          if (seen.has(fact._id)) expect(doc).toBeUndefined();
          else expect(doc?.meta.causationId).toBe(fact._id);
          seen.add(fact._id);
          for (const level of availability(authority.state.concert))
            expect(level.allocated).toBeLessThanOrEqual(level.capacity);
        }

        const decisions = authority.written.filter(isSaleDecision);
        expect(decisions.map((d) => d.meta.causationId).sort()).toEqual([...seen].sort());
        expect(decisions.every((d) => d.data.saleId === d.meta.causationId)).toBe(true);
        for (const name of levelNames) {
          const allocated = decisions
            .filter((d) => d.type === 'SeatsAllocated' && d.data.level === name)
            .reduce((sum, d) => sum + d.data.quantity, 0);
          expect(levelOf(authority.state, name).allocated).toBe(allocated);
        }
      }),
      runs,
    );
  });

  it('allocates only the seats left at the moment of deciding, and rejects as sold out only beyond them', () => {
    fc.assert(
      fc.property(dayArb, (day) => {
        const authority = openConcert(day.capacities);
        for (const fact of deliveriesOf(day)) {
          const left = levelOf(authority.state, fact.data.level).left;
          const doc = deliver(authority, fact);
          if (!doc) continue;
          if (fact.data.quantity <= left) expect(doc.type).toBe('SeatsAllocated');
          else expect(doc).toMatchObject({ type: 'SaleRejected', data: { code: 'sold_out' } });
        }
      }),
      runs,
    );
  });

  it('rebuilds the same state from its stored decisions, read in any order and with copies (restart)', () => {
    const readArb = fc.array(fc.nat({ max: 1000 }), { minLength: 64, maxLength: 64 });
    fc.assert(
      fc.property(dayArb, readArb, (day, readKeys) => {
        const authority = openConcert(day.capacities);
        const deliveries = deliveriesOf(day);
        for (const fact of deliveries) deliver(authority, fact);

        const copies = authority.written.filter((_, i) => (readKeys[i] ?? 0) % 3 === 0);
        const stored = [...authority.written, ...copies]
          .map((doc, i) => ({ doc, key: readKeys[i % readKeys.length] ?? 0 }))
          .sort((a, b) => a.key - b.key)
          .map((read) => read.doc);
        const { orphans, state } = rebuild(stored);

        expect(orphans).toEqual([]);
        expect(state.concert).toEqual(authority.state.concert);
        expect(state.decided).toEqual(authority.state.decided);
        expect(state.head).toEqual(authority.state.head);

        // After the restart, facts delivered again are still no-ops.
        const restarted: Authority = { state, written: [], nextDecision: authority.nextDecision };
        for (const fact of deliveries) expect(deliver(restarted, fact)).toBeUndefined();
        expect(restarted.written).toEqual([]);
      }),
      runs,
    );
  });
});

describe('the concert authority, case by case', () => {
  it("turns an organizer's request into the concert's decision", () => {
    const fact = creationRequested(ulid(1));
    expect(decideFact(fact, initialAuthorityState())).toEqual({ type: 'ConcertCreated', data: fact.data });
  });

  it('turns a broken rule into a rejection that names the request', () => {
    const authority = openConcert([10, 10]);
    const fact = organizerFact(ulid(3), 'ConcertPublicationRequested', { concertId });
    expect(decideFact(fact, authority.state)).toEqual({
      type: 'ConcertChangeRejected',
      data: {
        concertId,
        requestId: ulid(3),
        requestType: 'ConcertPublicationRequested',
        code: 'already_published',
        message: 'This concert is published already.',
      },
    });
  });

  it('rejects a sale for a concert it does not know yet', () => {
    const fact = saleRecorded(ulid(100), 1, 'Regular', 2);
    expect(decideFact(fact, initialAuthorityState())).toMatchObject({
      type: 'SaleRejected',
      data: { saleId: ulid(100), code: 'unknown_concert' },
    });
  });

  it('takes the sale id from the fact id, whatever the data says', () => {
    const fact = saleRecorded(ulid(100), 1, 'Regular', 2);
    const decision = decideFact(
      { ...fact, data: { ...fact.data, saleId: 'something-else' } },
      openConcert([10, 10]).state,
    );
    expect(decision).toEqual({
      type: 'SeatsAllocated',
      data: {
        saleId: ulid(100),
        concertId,
        level: 'Regular',
        quantity: 2,
        from: 'pool',
        deviceId: fact.meta.deviceId,
      },
    });
  });

  it('decides nothing for a fact it has decided before', () => {
    const authority = openConcert([10, 10]);
    const fact = saleRecorded(ulid(100), 1, 'Regular', 2);
    expect(deliver(authority, fact)?.type).toBe('SeatsAllocated');
    expect(decideFact(fact, authority.state)).toBeUndefined();
    expect(decideFact(creationRequested(ulid(1)), authority.state)).toBeUndefined();
  });

  it('writes a decision at the head of the stream, naming its cause, as a valid catalogue document', () => {
    const authority = openConcert([10, 10]);
    const fact = saleRecorded(ulid(100), 4, 'Golden Circle', 2);
    const head = authority.state.head;
    const decision = decideFact(fact, authority.state)!;
    const doc = decisionDoc(concertId, head, decision, fact, {
      decisionId: ulid(2_000_000),
      authorityId: 'authority-1',
      now,
    });
    expect(doc).toEqual({
      _id: `${stream}:0000000002`,
      type: 'SeatsAllocated',
      v: 1,
      stream,
      data: decision.data,
      meta: {
        deviceId: 'authority',
        userId: 'authority',
        recordedAt: now,
        correlationId: fact.meta.correlationId,
        causationId: ulid(100),
        position: 2,
        prev: head.decisionId,
        decisionId: ulid(2_000_000),
        authorityId: 'authority-1',
      },
    });
    expect(parseEventDoc(doc)).toEqual({ ok: true, doc });
  });

  it('records the cause as decided and moves the head when it applies a decision', () => {
    const authority = openConcert([10, 10]);
    const doc = deliver(authority, saleRecorded(ulid(100), 1, 'Regular', 3))!;
    expect(authority.state.decided.has(ulid(100))).toBe(true);
    expect(authority.state.head).toEqual({ decisionId: doc.meta.decisionId, nextPosition: 3 });
    expect(levelOf(authority.state, 'Regular')).toMatchObject({ allocated: 3, left: 7 });
  });
});
