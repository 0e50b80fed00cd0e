// The manager's conflict report: for one concert, every sale the authority rejected, every block that lapsed unsold
// and every order's hold that ran out unpaid, across all devices, with who, both clocks, why, and how the rejected
// sale was made good.
import { describe, expect, it } from 'vitest';
import type { AnyEventDoc, FactDoc } from '../events/catalogue';
import { cartStream } from '../events/order-flow';
import { ConcertLogBuilder, price } from './concert-log.fixtures';
import { projectConflicts } from './conflicts-view';
import type { RejectedSaleConflict } from './conflicts-view';

const concertId = 'conflicts-view-arena';
const authorityNow = '2027-04-30T12:00:00.000Z';
/** Desk B's clock is a day behind: its times are shown, never trusted. */
const deskBClock = '2027-04-29T11:58:00.000Z';

/**
 * Issue 6's schedule: a level of 10, desk A holds 4, desk B 3, desk C none; offline, A sells 4, B sells 3 then 2
 * pending, C 2 pending; they reconnect C, B, A. B's second pending sale is the one rejected: sold out.
 */
function reconnectStorm() {
  const log = new ConcertLogBuilder(
    concertId,
    [{ name: 'Floor', capacity: 10 }],
    undefined,
    authorityNow,
  ).publish();
  log.decide(log.grant('desk-a', 'Floor', 4));
  log.decide(log.grant('desk-b', 'Floor', 3));
  const a = [1, 2, 3, 4].map(() => log.sale('desk-a', 'Floor', 1, 'allotment'));
  const bGuaranteed = [1, 2, 3].map(() =>
    log.sale('desk-b', 'Floor', 1, 'allotment', { userId: 'anna', recordedAt: deskBClock }),
  );
  const bPending = [1, 2].map(() =>
    log.sale('desk-b', 'Floor', 1, 'pool', { userId: 'anna', recordedAt: deskBClock }),
  );
  const c = [1, 2].map(() => log.sale('desk-c', 'Floor', 1, 'pool'));
  for (const sale of [...c, ...bGuaranteed, ...bPending, ...a]) log.decide(sale);
  const rejected = bPending[1];
  if (!rejected) throw new Error('no second pending sale');
  return { log, rejected };
}

describe('conflict report', () => {
  it('lists the rejected sale with device, staff, both clocks and the reason; nothing else conflicts', () => {
    const { log, rejected } = reconnectStorm();
    expect(projectConflicts(log.docs, concertId)).toEqual([
      {
        kind: 'rejected_sale',
        id: rejected._id,
        concertId,
        deviceId: 'desk-b',
        userId: 'anna',
        level: 'Floor',
        quantity: 1,
        claim: 'pool',
        deviceTime: deskBClock,
        authorityTime: authorityNow,
        code: 'sold_out',
        reason: 'Floor is sold out.',
        outcome: { status: 'unsettled' },
      },
    ]);
  });

  it('follows the outcome: settling once the desk records a cash refund, then refunded when the authority settles', () => {
    const { log, rejected } = reconnectStorm();
    const refund = log.settle(rejected._id, 'desk-b', 'cash_refund');
    const outcome = () => (projectConflicts(log.docs, concertId)[0] as RejectedSaleConflict).outcome;
    expect(outcome()).toEqual({ status: 'settling', kind: 'cash_refund' });
    log.now = '2027-04-30T12:05:00.000Z';
    log.decide(refund);
    expect(outcome()).toEqual({
      status: 'cash_refund',
      amount: price,
      currency: 'PLN',
      settledAt: '2027-04-30T12:05:00.000Z',
    });
  });

  it('a refused settlement (another desk tried) leaves the sale unsettled', () => {
    const { log, rejected } = reconnectStorm();
    const refusal = log.decide(log.settle(rejected._id, 'desk-a', 'cash_refund'));
    expect(refusal.type).toBe('SaleSettlementRefused');
    expect((projectConflicts(log.docs, concertId)[0] as RejectedSaleConflict).outcome).toEqual({
      status: 'unsettled',
    });
  });

  it('shows an exchange with its new sale, of this concert or another, and what the authority made of it', () => {
    const { log, rejected } = reconnectStorm();
    const elsewhere = new ConcertLogBuilder(
      'another-night',
      [{ name: 'Balcony', capacity: 5 }],
      undefined,
      authorityNow,
    );
    elsewhere.publish();
    const newSale = elsewhere.sale('desk-b', 'Balcony', 1, 'pool');
    log.decide(log.settle(rejected._id, 'desk-b', 'exchange', newSale._id));
    const exchange = (docs: AnyEventDoc[]) => {
      const [first] = projectConflicts(docs, concertId);
      return first?.kind === 'rejected_sale' && first.outcome.status === 'exchange'
        ? first.outcome
        : undefined;
    };

    expect(exchange(log.docs)).toMatchObject({
      amount: 0,
      exchange: { saleId: newSale._id, concertId: null, level: null, quantity: null, status: 'unknown' },
    });
    expect(exchange([...log.docs, ...elsewhere.docs])?.exchange).toEqual({
      saleId: newSale._id,
      concertId: 'another-night',
      level: 'Balcony',
      quantity: 1,
      status: 'pending',
    });
    elsewhere.decide(newSale);
    expect(exchange([...log.docs, ...elsewhere.docs])?.exchange?.status).toBe('confirmed');
  });

  it('an exchange into a sale rejected or quarantined in turn says so; an exchange naming no sale names none', () => {
    const log = new ConcertLogBuilder(
      concertId,
      [{ name: 'Floor', capacity: 1 }],
      undefined,
      authorityNow,
    ).publish();
    const [sold, refused, swappedRefused, swappedQuarantined] = [1, 2, 3, 4].map(() =>
      log.sale('desk-a', 'Floor', 1, 'pool'),
    );
    if (!sold || !refused || !swappedRefused || !swappedQuarantined) throw new Error('four sales');
    for (const sale of [sold, refused, swappedRefused]) log.decide(sale);
    const quarantined: AnyEventDoc = {
      _id: `quarantine:${swappedQuarantined._id}`,
      type: 'FactQuarantined',
      v: 1,
      stream: 'quarantine',
      data: { docId: swappedQuarantined._id, database: 'x', reason: 'bad', docType: 'SaleRecorded' },
      meta: { ...swappedQuarantined.meta, deviceId: 'authority' },
    };
    const exchanges = () =>
      projectConflicts([...log.docs, quarantined], concertId).map((c) =>
        c.kind === 'rejected_sale' && c.outcome.status === 'exchange'
          ? (c.outcome.exchange?.status ?? 'none')
          : '-',
      );
    log.decide(log.settle(refused._id, 'desk-a', 'exchange', swappedRefused._id));
    log.decide(log.settle(swappedRefused._id, 'desk-a', 'exchange'));
    expect(exchanges()).toEqual(['rejected', 'none']);

    const other = new ConcertLogBuilder('c-two', [{ name: 'Floor', capacity: 1 }], undefined, authorityNow);
    other.publish();
    const [first, second] = [1, 2].map(() => other.sale('desk-a', 'Floor', 1, 'pool'));
    if (!first || !second) throw new Error('two sales');
    other.decide(first);
    other.decide(second);
    other.decide(other.settle(second._id, 'desk-a', 'exchange', swappedQuarantined._id));
    const [conflict] = projectConflicts([...other.docs, ...log.docs, quarantined], 'c-two');
    expect(conflict?.kind === 'rejected_sale' && conflict.outcome).toMatchObject({
      status: 'exchange',
      exchange: { saleId: swappedQuarantined._id, concertId, status: 'rejected' },
    });
  });

  it('lists a block that lapsed with seats unsold, on the authority clock, and none that lapsed sold out', () => {
    const lapsesAt = '2027-04-30T18:00:00.000Z';
    const log = new ConcertLogBuilder(
      concertId,
      [{ name: 'Floor', capacity: 10 }],
      undefined,
      authorityNow,
    ).publish();
    log.decide(log.policy({ Floor: 2 }, ['desk-a', 'desk-b'], lapsesAt));
    log.decide(log.sale('desk-b', 'Floor', 2, 'allotment'));
    log.now = '2027-04-30T18:00:30.000Z';
    const lapse = log.lapse('desk-a', 'Floor');
    expect(() => log.lapse('desk-b', 'Floor')).toThrow('not due');
    expect(projectConflicts(log.docs, concertId)).toEqual([
      {
        kind: 'lapsed_block',
        id: lapse.meta.causationId,
        concertId,
        deviceId: 'desk-a',
        level: 'Floor',
        quantity: 2,
        deviceTime: null,
        authorityTime: '2027-04-30T18:00:30.000Z',
      },
    ]);
  });

  it("sorts by the authority's clock, or by the devices' (a lapse by the authority's): a wrong device clock shows", () => {
    const log = new ConcertLogBuilder(
      concertId,
      [{ name: 'Floor', capacity: 1 }],
      undefined,
      authorityNow,
    ).publish();
    log.decide(log.grant('desk-a', 'Floor', 1));
    const fast = log.sale('desk-fast', 'Floor', 1, 'pool', { recordedAt: '2027-05-02T10:00:00.000Z' });
    const slow = log.sale('desk-slow', 'Floor', 1, 'pool', { recordedAt: '2027-04-29T10:00:00.000Z' });
    log.now = '2027-04-30T13:00:00.000Z';
    log.decide(fast);
    log.now = '2027-04-30T14:00:00.000Z';
    log.decide(slow);
    log.now = log.startsAt;
    log.lapse('desk-a', 'Floor');
    const byAuthority = projectConflicts(log.docs, concertId).map((c) => c.deviceId);
    const byDevice = projectConflicts(log.docs, concertId, 'device').map((c) => c.deviceId);
    expect(byAuthority).toEqual(['desk-fast', 'desk-slow', 'desk-a']);
    expect(byDevice).toEqual(['desk-slow', 'desk-a', 'desk-fast']);
  });

  it("names the rejection's desk even without the sale's fact, and leaves staff and device time unknown", () => {
    const { log, rejected } = reconnectStorm();
    const withoutFact = log.docs.filter((doc) => doc._id !== rejected._id);
    expect(projectConflicts(withoutFact, concertId)[0]).toMatchObject({
      deviceId: 'desk-b',
      userId: null,
      deviceTime: null,
      claim: 'pool',
    });
    // A rejection from before allotments names no desk: without the sale's fact, nobody knows which one sold.
    const older = withoutFact.map((doc) =>
      doc.type === 'SaleRejected' ? { ...doc, data: { ...doc.data, deviceId: undefined } } : doc,
    );
    expect(projectConflicts(older, concertId)[0]).toMatchObject({ kind: 'rejected_sale', deviceId: null });
  });

  it('lists each level of an order’s hold that ran out, with the desk and staff that confirmed it and both clocks', () => {
    const log = new ConcertLogBuilder(
      concertId,
      [
        { name: 'Floor', capacity: 10 },
        { name: 'Balcony', capacity: 5 },
      ],
      undefined,
      authorityNow,
    ).publish();
    const held = log.hold('7KQ2-M9XD', [
      { level: 'Floor', quantity: 2 },
      { level: 'Balcony', quantity: 1 },
    ]);
    const paid = log.hold('PAID-0001', [{ level: 'Floor', quantity: 1 }]);
    expect([held.type, paid.type]).toEqual(['ReservationPlaced', 'ReservationPlaced']);
    log.now = '2027-04-30T12:15:00.000Z';
    const expiry = log.expire('7KQ2-M9XD:conflicts-view-arena');
    expect(expiry.type).toBe('ReservationExpired');
    const cart = cartConfirmed('7KQ2-M9XD', 'desk-b', 'anna', deskBClock);

    const common = {
      kind: 'expired_hold',
      reservationId: '7KQ2-M9XD:conflicts-view-arena',
      orderId: '7KQ2-M9XD',
      concertId,
      deviceId: 'desk-b',
      userId: 'anna',
      deviceTime: deskBClock,
      authorityTime: '2027-04-30T12:15:00.000Z',
      heldUntil: '2027-04-30T12:15:00.000Z',
    };
    expect(projectConflicts([...log.docs, cart], concertId)).toEqual([
      { ...common, id: '7KQ2-M9XD:conflicts-view-arena:Floor', level: 'Floor', quantity: 2 },
      { ...common, id: '7KQ2-M9XD:conflicts-view-arena:Balcony', level: 'Balcony', quantity: 1 },
    ]);
    // Without the order's CartConfirmed (the orders database not read yet): the staff the hold names, no desk.
    expect(projectConflicts(log.docs, concertId)[0]).toMatchObject({
      deviceId: null,
      userId: 'desk-user',
      deviceTime: null,
    });
  });

  it('sorts an expired hold among the other conflicts by either clock', () => {
    const log = new ConcertLogBuilder(
      concertId,
      [{ name: 'Floor', capacity: 1 }],
      undefined,
      authorityNow,
    ).publish();
    log.hold('ORDR-0001', [{ level: 'Floor', quantity: 1 }]);
    const refused = log.sale('desk-a', 'Floor', 1, 'pool', { recordedAt: '2027-04-30T12:10:00.000Z' });
    log.now = '2027-04-30T12:10:00.000Z';
    log.decide(refused);
    log.now = '2027-04-30T12:15:00.000Z';
    log.expire('ORDR-0001:conflicts-view-arena');
    const docs = [...log.docs, cartConfirmed('ORDR-0001', 'desk-b', 'anna', '2027-04-30T11:59:00.000Z')];
    expect(projectConflicts(docs, concertId).map((c) => c.kind)).toEqual(['rejected_sale', 'expired_hold']);
    expect(projectConflicts(docs, concertId, 'device').map((c) => c.kind)).toEqual([
      'expired_hold',
      'rejected_sale',
    ]);
  });

  it('is empty for a concert without conflicts, or one this device does not know', () => {
    const log = new ConcertLogBuilder(concertId, [{ name: 'Floor', capacity: 2 }]).publish();
    log.decide(log.sale('desk-a', 'Floor', 2, 'pool'));
    expect(projectConflicts(log.docs, concertId)).toEqual([]);
    expect(projectConflicts([], 'nowhere')).toEqual([]);
  });
});

/** The desk's confirmation of an order (in the orders database): who confirmed it, where, on the desk's clock. */
function cartConfirmed(orderId: string, deviceId: string, userId: string, recordedAt: string): AnyEventDoc {
  const id = `01KCART${orderId.replace(/\W/g, '')}`;
  const doc: FactDoc<'CartConfirmed'> = {
    _id: id,
    type: 'CartConfirmed',
    v: 1,
    stream: cartStream(`cart-${orderId}`),
    data: {
      cartId: `cart-${orderId}`,
      orderId,
      deskSessionId: 'shift-1',
      staff: { userId, role: 'desk' },
      lines: [{ concertId, level: 'Floor', quantity: 2, unitPrice: 10_000, currency: 'PLN' }],
      totals: [{ amount: 20_000, currency: 'PLN' }],
      delivery: { kind: 'printed' },
      confirmedAt: recordedAt,
    },
    meta: { deviceId, userId, recordedAt, correlationId: id, causationId: id },
  };
  return doc;
}
