// The gate's ticket ledger keeps a sale's tickets as the sale and makes each when asked for: for any sequence of
// sales allocated (again, with more seats), tickets issued one by one (a sale's own, before or after its sale, an
// order's, odd spellings of a sale's) and tickets voided, it answers every ticket id and its count exactly as a Map
// holding every ticket issued does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { saleOrderIdFor, saleReservationIdFor, ticketIdsFor } from '../order/order';
import { TicketLedger } from './concert-gate';
import type { GateTicket, Ledger } from './concert-gate';

const sales = ['s1', 's2', 's3:t9'];
const levels = ['Floor', 'Balcony'];
/** Every id the operations can name: each sale's tickets up to 6, an order's, and spellings that are no sale's. */
const ticketIds = [
  ...sales.flatMap((saleId) => ticketIdsFor(saleReservationIdFor(saleId), 6)),
  'order-o1:t1',
  'order-o1:t2',
  'sale:s1:t01',
  'sale:s1:t0',
  'sale:s1:t-1',
  'sale:s1:t1.0',
  'sale::t1',
  'sale:s1',
];

type Op =
  | { kind: 'allocate'; saleId: string; level: string; quantity: number }
  | { kind: 'issue'; ticketId: string; level: string }
  | { kind: 'void'; ticketId: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('allocate' as const),
    saleId: fc.constantFrom(...sales),
    level: fc.constantFrom(...levels),
    quantity: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({
    kind: fc.constant('issue' as const),
    ticketId: fc.constantFrom(...ticketIds),
    level: fc.constantFrom(...levels),
  }),
  fc.record({ kind: fc.constant('void' as const), ticketId: fc.constantFrom(...ticketIds) }),
);

/** What evolveGate does with each operation, on any ledger (a sale one ticket at a time, as a Map needs). */
function apply(ledger: Ledger<GateTicket>, step: Op, bySale: boolean): void {
  const issue = (ticket: GateTicket) => {
    if (!ledger.get(ticket.ticketId)) ledger.set(ticket.ticketId, ticket);
  };
  if (step.kind === 'allocate') {
    const { saleId, level, quantity } = step;
    if (bySale && ledger instanceof TicketLedger) return ledger.allocate(saleId, 'hall', level, quantity);
    for (const ticketId of ticketIdsFor(saleReservationIdFor(saleId), quantity))
      issue({ ticketId, concertId: 'hall', level, orderId: saleOrderIdFor(saleId), status: 'valid' });
  } else if (step.kind === 'issue') {
    issue({ ticketId: step.ticketId, concertId: 'hall', level: step.level, orderId: 'o1', status: 'valid' });
  } else {
    const ticket = ledger.get(step.ticketId);
    if (ticket) ledger.set(step.ticketId, { ...ticket, status: 'voided' });
  }
}

describe('the gate’s ticket ledger', () => {
  it('answers every ticket and the count as a Map of every ticket issued', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const ledger = new TicketLedger();
        const reference = new Map<string, GateTicket>();
        for (const step of ops) {
          apply(ledger, step, true);
          apply(reference, step, false);
        }
        for (const ticketId of ticketIds) expect(ledger.get(ticketId)).toEqual(reference.get(ticketId));
        expect(ledger.size).toBe(reference.size);
      }),
      { numRuns: 500 },
    );
  });

  it('makes a sale’s tickets from the sale alone', () => {
    const ledger = new TicketLedger();
    ledger.allocate('01SALE', 'hall', 'Floor', 4);
    expect(ledger.size).toBe(4);
    expect(ledger.get('sale:01SALE:t4')).toEqual({
      ticketId: 'sale:01SALE:t4',
      concertId: 'hall',
      level: 'Floor',
      orderId: saleOrderIdFor('01SALE'),
      status: 'valid',
    });
    expect(ledger.get('sale:01SALE:t5')).toBeUndefined();
    expect(ledger.get('sale:01SALE:t04')).toBeUndefined();
  });
});
