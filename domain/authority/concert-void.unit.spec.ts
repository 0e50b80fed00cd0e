// An order's refunded tickets at the concert: the orders authority asks the concert to void them, and the concert
// answers each request once — the tickets still valid voided and their seats back on sale, or a refusal that says
// what was wrong — whether it hears the request once, twice, or again after a restart.
import { describe, expect, it } from 'vitest';
import { ConcertLogBuilder } from '../desk/concert-log.fixtures';
import { parseEventDoc } from '../events/catalogue';
import type { DecisionDoc } from '../events/catalogue';
import { availability } from '../inventory/inventory';
import { emptyChain, followChain } from '../log/stream';
import { saleOrderIdFor } from '../order/order';
import { decideRequest, evolveAuthority, initialAuthorityState, isStreamDecision } from './concert-authority';
import type { ConcertAuthorityState } from './concert-authority';
import { evolveGateSeats } from './concert-gate';

const concertId = 'void-arena-2027';

class Box extends ConcertLogBuilder {
  constructor() {
    super(concertId, [
      { name: 'Floor', capacity: 10 },
      { name: 'Balcony', capacity: 4 },
    ]);
    this.publish();
  }

  left(state: ConcertAuthorityState = this.state): Record<string, number> {
    return Object.fromEntries(availability(state.concert).map((l) => [l.level, l.left]));
  }

  status(ticketId: string): string | undefined {
    return this.state.gate.tickets.get(ticketId)?.status;
  }
}

/** The stream as a restarted authority reads it back from the store. */
function rebuilt(log: ConcertLogBuilder): ConcertAuthorityState {
  const decisions = log.docs.flatMap((d) => (isStreamDecision(d) ? [d] : []));
  const links = decisions.map((doc) => ({ ...doc.meta, doc }));
  return followChain(emptyChain(), links).accepted.reduce(
    (state, { doc }) => evolveAuthority(state, doc),
    initialAuthorityState(),
  );
}

describe('voiding an order’s refunded tickets', () => {
  it('voids the tickets and gives their seats back to their levels; heard again, it decides nothing', () => {
    const log = new Box();
    const [f1, f2, b1] = log.ticketed('o-1', [
      { level: 'Floor', quantity: 2 },
      { level: 'Balcony', quantity: 1 },
    ]);
    if (!f1 || !f2 || !b1) throw new Error('no tickets');
    expect(log.left()).toEqual({ Floor: 8, Balcony: 3 });

    const request = log.voidRequest('r-1', 'o-1', [f1, b1]);
    const voided = log.answer(request);
    expect(voided).toMatchObject({
      type: 'TicketsVoided',
      stream: `concert-${concertId}`,
      data: {
        refundId: 'r-1',
        orderId: 'o-1',
        concertId,
        tickets: [
          { ticketId: f1, level: 'Floor' },
          { ticketId: b1, level: 'Balcony' },
        ],
        alreadyVoided: [],
        voidedAt: log.now,
      },
      meta: { causationId: request._id, correlationId: 'o-1' },
    });
    expect(parseEventDoc(request)).toMatchObject({ ok: true });
    expect(parseEventDoc(voided)).toMatchObject({ ok: true });
    expect(log.left()).toEqual({ Floor: 9, Balcony: 4 });
    expect([log.status(f1), log.status(f2), log.status(b1)]).toEqual(['voided', 'valid', 'voided']);

    // The same request again (a restart of the orders authority writes it again): no second decision.
    expect(decideRequest(request, log.state, { now: log.now })).toBeUndefined();
    const restarted = rebuilt(log);
    expect(decideRequest(request, restarted, { now: log.now })).toBeUndefined();
    expect(log.left(restarted)).toEqual({ Floor: 9, Balcony: 4 });
    expect(restarted.gate.tickets.get(f1)?.status).toBe('voided');
  });

  it('refuses tickets it did not issue or issued for another order, naming them, and voids nothing', () => {
    const log = new Box();
    const [mine] = log.ticketed('o-1', [{ level: 'Floor', quantity: 1 }]);
    const [theirs] = log.ticketed('o-2', [{ level: 'Floor', quantity: 1 }]);
    if (!mine || !theirs) throw new Error('no tickets');
    const before = log.left();

    const unknown = log.answer(log.voidRequest('r-1', 'o-1', [mine, 'o-1:nowhere:t9']));
    expect(unknown).toMatchObject({
      type: 'TicketsVoidRefused',
      data: { refundId: 'r-1', code: 'unknown_ticket', ticketIds: ['o-1:nowhere:t9'] },
    });
    expect(unknown.type === 'TicketsVoidRefused' && unknown.data.message).toContain('o-1:nowhere:t9');

    const foreign = log.answer(log.voidRequest('r-2', 'o-1', [mine, theirs]));
    expect(foreign).toMatchObject({
      type: 'TicketsVoidRefused',
      data: { code: 'not_of_order', ticketIds: [theirs] },
    });
    expect(foreign.type === 'TicketsVoidRefused' && foreign.data.message).toBe(
      `Ticket ${theirs} is another order's: nothing was voided.`,
    );
    expect(parseEventDoc(foreign)).toMatchObject({ ok: true });

    expect(log.left()).toEqual(before);
    expect([log.status(mine), log.status(theirs)]).toEqual(['valid', 'valid']);
  });

  it('voids what a desk’s refund of the sale left valid, giving back each seat once, and refuses when nothing is', () => {
    const log = new Box();
    const sale = log.sale('desk-a', 'Floor', 3, 'pool');
    log.decide(sale);
    const [t1, t2, t3] = [1, 2, 3].map((n) => `sale:${sale._id}:t${n}`);
    if (!t1 || !t2 || !t3) throw new Error('no tickets');
    expect(log.left()).toEqual({ Floor: 7, Balcony: 4 });
    // The desk refunds one ticket of the sale at the concert; the sale's order refunds two, one of them the same.
    log.decide(
      log.fact('SaleRefundRequested', (refundId) => ({
        refundId,
        saleId: sale._id,
        concertId,
        ticketIds: [t1],
        amount: 10_000,
        currency: 'PLN',
      })),
    );
    expect(log.left()).toEqual({ Floor: 8, Balcony: 4 });

    const orderId = saleOrderIdFor(sale._id);
    const voided = log.answer(log.voidRequest('r-1', orderId, [t1, t2]));
    expect(voided).toMatchObject({
      type: 'TicketsVoided',
      data: { tickets: [{ ticketId: t2, level: 'Floor' }], alreadyVoided: [t1] },
    });
    expect(log.left()).toEqual({ Floor: 9, Balcony: 4 });

    const again = log.answer(log.voidRequest('r-2', orderId, [t1, t2]));
    expect(again).toMatchObject({
      type: 'TicketsVoidRefused',
      data: { code: 'already_voided', ticketIds: [t1, t2] },
    });
    expect(log.left()).toEqual({ Floor: 9, Balcony: 4 });
    expect(log.status(t3)).toBe('valid');
  });

  it('never takes a level’s seats below none', () => {
    const log = new Box();
    const { concert } = log.state;
    const voided: DecisionDoc<'TicketsVoided'>['data'] = {
      refundId: 'r-1',
      orderId: 'o-1',
      concertId,
      tickets: [
        { ticketId: 'o-1:t1', level: 'Floor' },
        { ticketId: 'o-1:t2', level: 'Floor' },
      ],
      alreadyVoided: [],
      voidedAt: log.now,
    };
    const after = evolveGateSeats(concert, { type: 'TicketsVoided', data: voided });
    expect(after.status !== 'none' && after.levels.map((l) => l.allocated)).toEqual([0, 0]);
  });
});
