// The desk's read model, given the events a device holds: concerts with their status and seats, this desk's sales
// with the authority's answers, and what still waits for a decision. Order of arrival never matters.
import { describe, expect, it } from 'vitest';
import { concertStream } from '../authority/concert-authority';
import type { AnyEventDoc, DecisionDoc, FactDoc } from '../events/catalogue';
import { decisionDocId } from '../log/stream';
import { factDatabase } from './databases';
import { deskConflicts, projectDesk, unhandledRejections } from './desk-view';

const concertId = 'golden-band-warsaw-20270627-abcde';
const stream = concertStream(concertId);
const desk = 'DESK-A';
const ulid = (n: number): string => `01K${String(n).padStart(23, '0')}`;

const fact = <T extends FactDoc['type']>(
  n: number,
  type: T,
  data: Extract<FactDoc, { type: T }>['data'],
  deviceId = desk,
) => {
  const id = ulid(n);
  const meta = {
    deviceId,
    userId: 'desk-user',
    recordedAt: '2026-11-21T20:00:00.000Z',
    correlationId: id,
    causationId: id,
  };
  return { _id: id, type, v: 1, stream, data, meta } as Extract<FactDoc, { type: T }>;
};

/** The authority's stream, chained in order: decision i links to decision i-1. */
function decided(...entries: Entry[]): DecisionDoc[] {
  return entries.map(([cause, decision], position) => ({
    _id: decisionDocId(stream, position),
    v: 1,
    stream,
    ...decision,
    meta: {
      deviceId: 'authority',
      userId: 'authority',
      recordedAt: `2026-11-21T20:00:0${position}.000Z`,
      correlationId: cause.meta.correlationId,
      causationId: cause._id,
      position,
      prev: position === 0 ? null : `D${position - 1}`,
      decisionId: `D${position}`,
      authorityId: 'test',
    },
  })) as DecisionDoc[];
}

const details = {
  concertId,
  artist: 'Golden Band',
  title: 'Tour',
  venue: 'Torwar',
  city: 'Warsaw',
  startsAt: '2027-06-27T20:00:00+02:00',
  timezone: 'Europe/Warsaw',
};
const created = fact(1, 'ConcertCreationRequested', {
  ...details,
  currency: 'PLN',
  levels: [{ name: 'Golden Circle', capacity: 3, price: 120_000 }],
});
const published = fact(2, 'ConcertPublicationRequested', { concertId });
const sale = (n: number, quantity: number, deviceId = desk) =>
  fact(
    n,
    'SaleRecorded',
    {
      saleId: ulid(n),
      concertId,
      level: 'Golden Circle',
      quantity,
      unitPrice: 120_000,
      total: 120_000 * quantity,
      currency: 'PLN',
      payment: { method: 'cash', tendered: 120_000 * quantity, change: 0 },
    },
    deviceId,
  );
const allocated = (s: FactDoc<'SaleRecorded'>) =>
  ({
    type: 'SeatsAllocated',
    data: { saleId: s._id, concertId, level: s.data.level, quantity: s.data.quantity },
  }) as const;

type Entry = [cause: FactDoc, decision: Pick<DecisionDoc, 'type' | 'data'>];
/** The authority created and published the concert: the first two links of its stream. */
const opening: Entry[] = [
  [created, { type: 'ConcertCreated', data: created.data }],
  [published, { type: 'ConcertPublished', data: { concertId } }],
];
const openConcert = decided(...opening);

const view = (docs: AnyEventDoc[]) => projectDesk(docs, desk);

describe('the desk view', () => {
  it('counts seats held and confirmed for orders against a level like sales, and gives back an expired hold', () => {
    // The order flow's requests and a hold's expiry are causes like facts: only their id and meta reach the stream.
    const cause = (id: string) => ({ ...published, _id: id }) as FactDoc;
    const seats = { reservationId: 'o1:seats', orderId: 'o1', concertId };
    const held: Entry = [
      cause('request:o1:seats:reserve'),
      {
        type: 'ReservationPlaced',
        data: {
          ...seats,
          lines: [{ level: 'Golden Circle', quantity: 2 }],
          heldBy: 'cashier',
          placedAt: '2026-11-21T20:00:00.000Z',
          expiresAt: '2026-11-21T20:15:00.000Z',
        },
      },
    ];
    const expired: Entry = [
      cause('expiry:o1:seats'),
      { type: 'ReservationExpired', data: { ...seats, expiredAt: '2026-11-21T20:15:00.000Z' } },
    ];
    const s = sale(10, 1);
    const holding = view([created, published, s, ...decided(...opening, held, [s, allocated(s)])]);
    expect(holding.concerts[0]?.levels[0]).toMatchObject({ allocated: 3, left: 0 });
    expect(holding.sales[0]).toMatchObject({ status: 'confirmed' });

    const after = view([created, published, s, ...decided(...opening, held, [s, allocated(s)], expired)]);
    expect(after.concerts[0]?.levels[0]).toMatchObject({ allocated: 1, left: 2 });
  });

  it('lists a hold of this desk’s order that expired unpaid as a conflict, on both clocks; another desk’s not', () => {
    const cause = (id: string) => ({ ...published, _id: id }) as FactDoc;
    const hold = (orderId: string, levels: [string, number][], expiredAt: string): Entry[] => {
      const seats = { reservationId: `${orderId}:seats`, orderId, concertId };
      return [
        [
          cause(`request:${orderId}:seats:reserve`),
          {
            type: 'ReservationPlaced',
            data: {
              ...seats,
              lines: levels.map(([level, quantity]) => ({ level, quantity })),
              heldBy: 'cashier',
              placedAt: '2026-11-21T20:00:00.000Z',
              expiresAt: '2026-11-21T20:00:04.000Z',
            },
          },
        ],
        [cause(`expiry:${orderId}:seats`), { type: 'ReservationExpired', data: { ...seats, expiredAt } }],
      ];
    };
    const [mineHeld, mineExpired] = hold('MINE-0001', [['Golden Circle', 2]], '2026-11-21T20:00:04.000Z');
    const [theirsHeld, theirsExpired] = hold('THRS-0001', [['Golden Circle', 1]], '2026-11-21T20:00:05.000Z');
    if (!mineHeld || !mineExpired || !theirsHeld || !theirsExpired) throw new Error('two holds');
    const result = view([...decided(...opening, mineHeld, theirsHeld, mineExpired, theirsExpired)]);
    // Newest first.
    expect(result.expiries).toEqual([
      {
        reservationId: 'THRS-0001:seats',
        orderId: 'THRS-0001',
        concertId,
        lines: [{ level: 'Golden Circle', quantity: 1 }],
        expiredAt: '2026-11-21T20:00:05.000Z',
      },
      {
        reservationId: 'MINE-0001:seats',
        orderId: 'MINE-0001',
        concertId,
        lines: [{ level: 'Golden Circle', quantity: 2 }],
        expiredAt: '2026-11-21T20:00:04.000Z',
      },
    ]);

    // The concert's stream does not say whose order it is: this desk's orders do (the ones it confirmed).
    expect(deskConflicts(result)).toEqual([]);
    const orders = [
      { orderId: 'MINE-0001', mine: true, confirmedAt: '2026-11-20T19:59:00.000Z' },
      { orderId: 'THRS-0001', mine: false, confirmedAt: null },
    ];
    expect(deskConflicts(result, orders)).toEqual([
      {
        kind: 'expired',
        id: 'MINE-0001:seats:Golden Circle',
        orderId: 'MINE-0001',
        concertId,
        level: 'Golden Circle',
        quantity: 2,
        reason:
          'The hold on 2 "Golden Circle" seats for order MINE-0001 ran out at 2026-11-21T20:00:04.000Z before it was paid: the seats went back on sale and the order was cancelled.',
        deviceTime: '2026-11-20T19:59:00.000Z',
        authorityTime: '2026-11-21T20:00:04.000Z',
        settlement: null,
      },
    ]);
  });

  it('shows a concert asked for but not decided as requested, then as the authority decides it', () => {
    expect(view([created]).concerts[0]).toMatchObject({ concertId, status: 'requested', decidedAt: null });
    expect(view([created, ...openConcert]).concerts[0]).toMatchObject({
      status: 'published',
      decidedAt: '2026-11-21T20:00:01.000Z',
    });
  });

  it('shows a refused creation as rejected, with the authority’s sentence', () => {
    const refusal = decided([
      created,
      {
        type: 'ConcertChangeRejected',
        data: {
          concertId,
          requestId: created._id,
          requestType: created.type,
          code: 'missing_venue',
          message: 'Give the concert a venue.',
        },
      },
    ]);
    expect(view([created, ...refusal]).concerts[0]).toMatchObject({
      status: 'rejected',
      reason: 'Give the concert a venue.',
    });
    expect(view([created, ...refusal]).requests[0]).toMatchObject({
      status: 'rejected',
      reason: 'Give the concert a venue.',
    });
  });

  it('follows a sale from pending to confirmed, and counts its seats as pending here until then', () => {
    const s = sale(10, 2);
    const before = view([created, ...openConcert, s]);
    expect(before.sales[0]).toMatchObject({ saleId: s._id, status: 'pending', reason: null });
    expect(before.concerts[0]?.levels[0]).toMatchObject({ left: 3, pendingHere: 2, believedLeft: 1 });
    expect(before.undecided).toEqual([s._id]);

    const after = view([created, published, s, ...decided(...opening, [s, allocated(s)])]);
    expect(after.sales[0]).toMatchObject({ status: 'confirmed' });
    expect(after.concerts[0]?.levels[0]).toMatchObject({
      allocated: 2,
      left: 1,
      pendingHere: 0,
      believedLeft: 1,
    });
    expect(after.undecided).toEqual([]);
  });

  it('shows a rejected sale with the authority’s reason', () => {
    const s = sale(10, 4);
    const rejected = {
      type: 'SaleRejected',
      data: {
        saleId: s._id,
        concertId,
        level: 'Golden Circle',
        quantity: 4,
        code: 'sold_out',
        message: 'Golden Circle is sold out: only 3 left, 4 asked.',
      },
    } as const;
    const docs = [created, published, s, ...decided(...opening, [s, rejected])];
    expect(view(docs).sales[0]).toMatchObject({
      status: 'rejected',
      reason: 'Golden Circle is sold out: only 3 left, 4 asked.',
    });
  });

  it('counts other desks’ sales in the seats left but lists only this desk’s sales', () => {
    const theirs = sale(11, 1, 'DESK-B');
    const docs = [created, published, theirs, ...decided(...opening, [theirs, allocated(theirs)])];
    const result = view(docs);
    expect(result.sales).toEqual([]);
    expect(result.concerts[0]?.levels[0]).toMatchObject({ left: 2 });
  });

  it('ignores an orphaned decision, as the authority does', () => {
    const s = sale(10, 1);
    const [first, second, third] = decided(...opening, [s, allocated(s)]);
    const orphan = { ...third!, meta: { ...third!.meta, prev: 'someone-else' } } as DecisionDoc;
    const result = view([created, published, s, first!, second!, orphan]);
    expect(result.sales[0]).toMatchObject({ status: 'pending' });
    expect(result.concerts[0]?.levels[0]).toMatchObject({ allocated: 0 });
  });

  it('gives the same view whatever order the events arrive in', () => {
    const s = sale(10, 1);
    const docs: AnyEventDoc[] = [created, published, s, ...decided(...opening, [s, allocated(s)])];
    expect(view([...docs].reverse())).toEqual(view(docs));
  });

  it('reports a quarantined fact of this desk as rejected with the reason', () => {
    const s = sale(10, 1);
    const record = {
      _id: `quarantine:${s._id}`,
      type: 'FactQuarantined',
      v: 1,
      stream: 'quarantine',
      data: { docId: s._id, database: 'x', reason: 'bad meta', docType: 'SaleRecorded' },
      meta: {
        deviceId: 'authority',
        userId: 'authority',
        recordedAt: '2026-11-21T20:00:00.000Z',
        correlationId: s._id,
        causationId: s._id,
      },
    } as AnyEventDoc;
    expect(view([created, ...openConcert, s, record]).sales[0]).toMatchObject({
      status: 'rejected',
      reason: 'bad meta',
    });
  });
});

describe('the desk view with allotments', () => {
  // Ten seats; this desk holds 4 of them, desk B 3: 3 are free for pool sales.
  const tenSeats = fact(1, 'ConcertCreationRequested', {
    ...details,
    currency: 'PLN',
    levels: [{ name: 'Golden Circle', capacity: 10, price: 120_000 }],
  });
  const lapsesAt = '2027-06-27T18:00:00.000Z';
  const grant = (n: number, deviceId: string, quantity: number): Entry => {
    const asked = fact(n, 'AllotmentGrantRequested', {
      allotmentId: ulid(n),
      concertId,
      deviceId,
      level: 'Golden Circle',
      quantity,
    });
    return [asked, { type: 'AllotmentGranted', data: { ...asked.data, lapsesAt } }];
  };
  const opened: Entry[] = [
    [tenSeats, { type: 'ConcertCreated', data: tenSeats.data }],
    [published, { type: 'ConcertPublished', data: { concertId } }],
    grant(3, desk, 4),
    grant(4, 'DESK-B', 3),
  ];
  const claimed = (n: number, claim: 'allotment' | 'pool') => {
    const s = sale(n, 1);
    return { ...s, data: { ...s.data, claim } };
  };
  const fromBlock = (s: FactDoc<'SaleRecorded'>) =>
    ({
      type: 'SeatsAllocated',
      data: { ...allocated(s).data, from: s.data.claim ?? 'pool', deviceId: desk },
    }) as const;
  const noSeats = '"Golden Circle" has no free seats: refund the buyer or offer another level.';
  const soldOut = (s: FactDoc<'SaleRecorded'>) =>
    ({
      type: 'SaleRejected',
      data: {
        saleId: s._id,
        concertId,
        level: 'Golden Circle',
        quantity: 1,
        code: 'sold_out',
        message: noSeats,
        deviceId: desk,
      },
    }) as const;
  const level = (docs: AnyEventDoc[]) => view(docs).concerts[0]?.levels[0];

  it('counts the seats set aside for desks out of the seats left, and shows this desk its own block', () => {
    expect(level([...decided(...opened)])).toMatchObject({
      allocated: 0,
      left: 3,
      believedLeft: 3,
      block: { granted: 4, sold: 0, lapsesAt, pendingSeats: 0, blockLeft: 4 },
    });
    expect(view([...decided(...opened)]).concerts[0]?.allotments).toBeDefined();
  });

  it('tells a guaranteed sale from a pending one, and takes each from its own count until decided', () => {
    const guaranteed = claimed(10, 'allotment');
    const pending = claimed(11, 'pool');
    const before = view([guaranteed, pending, ...decided(...opened)]);
    expect(before.sales.map((s) => s.status)).toEqual(['pending', 'guaranteed']);
    expect(before.concerts[0]?.levels[0]).toMatchObject({
      left: 3,
      pendingHere: 2,
      believedLeft: 2,
      block: { pendingSeats: 1, blockLeft: 3 },
    });

    const after = view([
      guaranteed,
      pending,
      ...decided(...opened, [guaranteed, fromBlock(guaranteed)], [pending, fromBlock(pending)]),
    ]);
    expect(after.sales.map((s) => s.status)).toEqual(['confirmed', 'confirmed']);
    expect(after.concerts[0]?.levels[0]).toMatchObject({
      allocated: 2,
      left: 2,
      believedLeft: 2,
      block: { sold: 1, pendingSeats: 0, blockLeft: 3 },
    });
  });

  it('promises nothing from a block the desk asked back whole until the authority decides the return', () => {
    const giveBack = fact(12, 'AllotmentReturnRequested', {
      returnId: ulid(12),
      concertId,
      deviceId: desk,
      level: 'Golden Circle',
      quantity: 'unsold',
    });
    expect(level([giveBack, ...decided(...opened)])?.block).toMatchObject({
      returningUnsold: true,
      blockLeft: 0,
    });
  });

  it('follows a rejected sale through its settlement, and lists it as a conflict with both clocks', () => {
    const s = claimed(10, 'pool');
    const refund = fact(20, 'SaleSettlementRecorded', {
      settlementId: ulid(20),
      saleId: s._id,
      concertId,
      kind: 'cash_refund',
      amount: s.data.total,
      currency: 'PLN',
    });
    const rejected = [s, ...decided(...opened, [s, soldOut(s)])];
    const unsettled = view(rejected);
    expect(unsettled.sales[0]).toMatchObject({
      status: 'rejected',
      reason: noSeats,
      decidedAt: '2026-11-21T20:00:04.000Z',
      settlement: { status: 'none' },
    });
    expect(unhandledRejections(unsettled).map((sale) => sale.saleId)).toEqual([s._id]);
    expect(deskConflicts(unsettled)).toEqual([
      {
        kind: 'rejected',
        id: s._id,
        concertId,
        level: 'Golden Circle',
        quantity: 1,
        reason: noSeats,
        deviceTime: '2026-11-21T20:00:00.000Z',
        authorityTime: '2026-11-21T20:00:04.000Z',
        settlement: 'none',
      },
    ]);

    const recorded = view([...rejected, refund]);
    expect(recorded.sales[0]?.settlement).toMatchObject({
      status: 'recorded',
      kind: 'cash_refund',
      amount: 120_000,
    });
    expect(unhandledRejections(recorded)).toEqual([]);
    expect(recorded.requests).toEqual([]);

    const settled = view([
      s,
      refund,
      ...decided(
        ...opened,
        [s, soldOut(s)],
        [
          refund,
          {
            type: 'SaleSettled',
            data: { ...refund.data, deviceId: desk },
          },
        ],
      ),
    ]);
    expect(settled.sales[0]?.settlement).toMatchObject({ status: 'settled' });
    expect(deskConflicts(settled)[0]).toMatchObject({ settlement: 'settled' });
  });

  it('gives the same view, blocks and settlements included, whatever order the events arrive in', () => {
    const guaranteed = claimed(10, 'allotment');
    const s = claimed(11, 'pool');
    const refund = fact(20, 'SaleSettlementRecorded', {
      settlementId: ulid(20),
      saleId: s._id,
      concertId,
      kind: 'cash_refund',
      amount: s.data.total,
      currency: 'PLN',
    });
    const docs: AnyEventDoc[] = [
      guaranteed,
      s,
      refund,
      ...decided(...opened, [guaranteed, fromBlock(guaranteed)], [s, soldOut(s)]),
    ];
    expect(view([...docs].reverse())).toEqual(view(docs));
  });

  it('asks again for a settlement the authority refused', () => {
    const s = claimed(10, 'pool');
    const refund = fact(20, 'SaleSettlementRecorded', {
      settlementId: ulid(20),
      saleId: s._id,
      concertId,
      kind: 'cash_refund',
      amount: 1,
      currency: 'PLN',
    });
    const refused = {
      type: 'SaleSettlementRefused',
      data: {
        settlementId: refund._id,
        saleId: s._id,
        concertId,
        code: 'not_permitted',
        message: 'Only the desk that sold it makes it good.',
      },
    } as const;
    const result = view([s, refund, ...decided(...opened, [s, soldOut(s)], [refund, refused])]);
    expect(result.sales[0]?.settlement).toMatchObject({
      status: 'refused',
      reason: 'Only the desk that sold it makes it good.',
    });
    expect(unhandledRejections(result)).toHaveLength(1);
  });

  it('lists seats of this desk’s block that lapsed unsold as a conflict on the authority’s clock', () => {
    const cause = { ...published, _id: 'allotment-lapse:x' } as FactDoc;
    const lapse: Entry = [
      cause,
      {
        type: 'AllotmentLapsed',
        data: { concertId, deviceId: desk, level: 'Golden Circle', quantity: 4, lapsedAt: lapsesAt },
      },
    ];
    const result = view([...decided(...opened, lapse)]);
    expect(result.concerts[0]?.levels[0]).toMatchObject({ left: 7, block: { lapsed: 4, blockLeft: 0 } });
    expect(deskConflicts(result)).toEqual([
      expect.objectContaining({
        kind: 'lapsed',
        quantity: 4,
        deviceTime: null,
        authorityTime: lapsesAt,
      }),
    ]);
  });

  it('knows the authority’s clock at the newest decision it holds', () => {
    expect(view([]).lastAuthorityTime).toBeUndefined();
    expect(view([...decided(...opened)]).lastAuthorityTime).toBe('2026-11-21T20:00:03.000Z');
  });
});

describe('where a fact goes', () => {
  it('sends concert creation to the catalogue and everything else to the concert’s database', () => {
    expect(factDatabase(created)).toBe('stagedoor-catalogue');
    expect(factDatabase(published)).toBe(`stagedoor-concert-${concertId}`);
    expect(factDatabase(sale(3, 1))).toBe(`stagedoor-concert-${concertId}`);
  });
});
