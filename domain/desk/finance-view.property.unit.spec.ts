// The manager's totals are the sum of the facts, whatever happened: for any sequence of sales (allocated or rejected by
// the real concert authority), refunds (decided by it) and drawer operations on any desks, in any order of arrival,
// the view's net revenue by payment method, by desk and by member of staff is what the decisions say was taken less
// what they say was given back, and every shift's expected cash is its float + cash in − cash out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyEventDoc, FactDoc } from '../events/catalogue';
import { parseEventDoc } from '../events/catalogue';
import { DomainError } from '../shared/decider';
import { decideCashDrawer, evolveCashDrawer, initialCashDrawerState } from '../finance/cash-drawer';
import type { CashDrawerCommand, CashDrawerState } from '../finance/cash-drawer';
import { saleReservationIdFor, ticketIdsFor } from '../order/order';
import { ConcertLogBuilder, nextId } from './concert-log.fixtures';
import { factStream } from './databases';
import { projectFinance } from './finance-view';
import type { Figure } from './finance-view';

const desks = ['desk-a', 'desk-b', 'desk-c'] as const;
const people = ['anna', 'bartek'] as const;
const at = '2027-04-30T12:00:00.000Z';

type Op =
  | { kind: 'sale'; desk: number; person: number; level: 'Front' | 'Back'; quantity: number }
  | { kind: 'refund'; sale: number; tickets: number; share: number; desk: number; person: number }
  | {
      kind: 'drawer';
      desk: number;
      what: 'open' | 'sale' | 'refund' | 'in' | 'out' | 'close';
      amount: number;
    };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('sale' as const),
    desk: fc.nat(2),
    person: fc.nat(1),
    level: fc.constantFrom('Front' as const, 'Back' as const),
    quantity: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('refund' as const),
    sale: fc.nat(),
    tickets: fc.integer({ min: 1, max: 3 }),
    share: fc.integer({ min: 0, max: 100 }),
    desk: fc.nat(2),
    person: fc.nat(1),
  }),
  fc.record({
    kind: fc.constant('drawer' as const),
    desk: fc.nat(2),
    what: fc.constantFrom(
      'open' as const,
      'sale' as const,
      'refund' as const,
      'in' as const,
      'out' as const,
      'close' as const,
    ),
    amount: fc.integer({ min: 1, max: 50_000 }),
  }),
);

type ShiftSums = { float: number; cashIn: number; cashOut: number };

/** Runs the operations: the concert's authority decides sales and refunds, each desk's drawer decides its commands. */
function run(ops: Op[]) {
  const log = new ConcertLogBuilder('prop-gig', [
    { name: 'Front', capacity: 4 },
    { name: 'Back', capacity: 6 },
  ]).publish();
  const sales: FactDoc<'SaleRecorded'>[] = [];
  const drawerDocs: AnyEventDoc[] = [];
  const drawers = new Map<string, CashDrawerState>();
  const shifts = new Map<string, ShiftSums>();
  let shiftCount = 0;
  for (const o of ops) {
    const deskId = desks[o.desk] ?? 'desk-a';
    const userId = people[o.kind === 'drawer' ? 0 : o.person] ?? 'anna';
    if (o.kind === 'sale') {
      const sale = log.sale(deskId, o.level, o.quantity, 'pool', { userId });
      log.decide(sale);
      sales.push(sale);
    } else if (o.kind === 'refund') {
      const sale = sales.length > 0 ? sales[o.sale % sales.length] : undefined;
      if (!sale) continue;
      const tickets = Math.min(o.tickets, sale.data.quantity);
      log.decide(
        log.fact(
          'SaleRefundRequested',
          (refundId) => ({
            refundId,
            saleId: sale._id,
            concertId: sale.data.concertId,
            ticketIds: ticketIdsFor(saleReservationIdFor(sale._id), sale.data.quantity).slice(0, tickets),
            amount: Math.floor((sale.data.total * o.share) / 100),
            currency: 'PLN',
          }),
          { deviceId: deskId, userId },
        ),
      );
    } else {
      const state = drawers.get(deskId) ?? initialCashDrawerState();
      const shiftId = state.status === 'open' ? state.shift.shiftId : `shift-${(shiftCount += 1)}`;
      const movement = { deskId, shiftId, amount: o.amount, currency: 'PLN', at };
      const command: CashDrawerCommand = {
        open: {
          type: 'OpenShift' as const,
          data: { deskId, shiftId, userId, float: o.amount, currency: 'PLN', openedAt: at },
        },
        sale: { type: 'RecordCashSale' as const, data: { ...movement, saleId: nextId() } },
        refund: { type: 'RecordCashRefund' as const, data: { ...movement, refundId: nextId() } },
        in: { type: 'PayCashIn' as const, data: { ...movement, movementId: nextId(), reason: 'top-up' } },
        out: { type: 'PayCashOut' as const, data: { ...movement, movementId: nextId(), reason: 'bank' } },
        close: {
          type: 'CloseShift' as const,
          data: { deskId, shiftId, userId, counted: o.amount, closedAt: at },
        },
      }[o.what];
      let events;
      try {
        events = decideCashDrawer(command, state);
      } catch (error) {
        if (error instanceof DomainError) continue; // the desk refuses it: nothing recorded
        throw error;
      }
      let next = state;
      for (const event of events) {
        const id = nextId();
        const parsed = parseEventDoc({
          _id: id,
          type: event.type,
          v: 1,
          stream: factStream(event.type, event.data),
          data: event.data,
          meta: { deviceId: deskId, userId, recordedAt: at, correlationId: id, causationId: id },
        });
        if (!parsed.ok) throw new Error(parsed.reason);
        drawerDocs.push(parsed.doc);
        next = evolveCashDrawer(next, event);
        const sums = shifts.get(shiftId) ?? { float: 0, cashIn: 0, cashOut: 0 };
        if (event.type === 'DrawerShiftOpened') sums.float = event.data.float;
        if (event.type === 'DrawerCashSaleRecorded' || event.type === 'DrawerCashPaidIn')
          sums.cashIn += event.data.amount;
        if (event.type === 'DrawerCashRefundRecorded' || event.type === 'DrawerCashPaidOut')
          sums.cashOut += event.data.amount;
        shifts.set(shiftId, sums);
      }
      drawers.set(deskId, next);
    }
  }
  return { docs: [...log.docs, ...drawerDocs], shifts };
}

/** What the log's decisions say each key took less what it gave back: the sum of the underlying facts. */
function expectedNet(docs: readonly AnyEventDoc[], keyOf: (fact: FactDoc, deskOfRefund: string) => string) {
  const facts = new Map(docs.map((doc) => [doc._id, doc]));
  const net = new Map<string, number>();
  const add = (key: string, amount: number) => net.set(key, (net.get(key) ?? 0) + amount);
  for (const doc of docs) {
    const cause = facts.get(doc.meta.causationId) as FactDoc | undefined;
    if (!cause || cause._id === doc._id) continue;
    if (doc.type === 'SeatsAllocated' && cause.type === 'SaleRecorded')
      add(keyOf(cause, ''), cause.data.total);
    if (doc.type === 'SaleRefunded') add(keyOf(cause, doc.data.deviceId), -doc.data.amount);
  }
  return net;
}

const netOf = (figures: readonly Figure[]) =>
  new Map(figures.filter((f) => f.net !== 0 || f.lines.length > 0).map((f) => [f.key, f.net]));
const withoutZeros = (map: Map<string, number>) => new Map([...map].filter(([, n]) => n !== 0));

describe('the manager’s totals are the sum of the underlying facts', () => {
  it('by payment method, desk and staff, with refunds subtracted; each shift expects float + in − out', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.nat(), (ops, seed) => {
        const { docs, shifts } = run(ops);
        // Arrival order never matters.
        const shuffled = [...docs].sort(
          (a, b) => ((hash(a._id) ^ seed) >>> 0) - ((hash(b._id) ^ seed) >>> 0),
        );
        const view = projectFinance(shuffled);

        const byMethod = expectedNet(docs, () => 'cash');
        const byDesk = expectedNet(docs, (fact, refundDesk) => refundDesk || fact.meta.deviceId);
        const byStaff = expectedNet(docs, (fact) => fact.meta.userId);
        expect(withoutZeros(netOf(view.by.method))).toEqual(withoutZeros(byMethod));
        expect(withoutZeros(netOf(view.by.desk))).toEqual(withoutZeros(byDesk));
        expect(withoutZeros(netOf(view.by.staff))).toEqual(withoutZeros(byStaff));
        const total = [...byMethod.values()].reduce((a, b) => a + b, 0);
        expect(view.total.reduce((sum, f) => sum + f.net, 0)).toBe(total);
        // Every figure is the sum of the lines it names.
        const lines = new Map(view.lines.map((line) => [line.id, line]));
        for (const figure of [...view.by.concert, ...view.by.level, ...view.by.day, ...view.staffMethod])
          expect(
            figure.lines.reduce((sum, id) => {
              const line = lines.get(id);
              return sum + (line ? (line.kind === 'sale' ? line.amount : -line.amount) : Number.NaN);
            }, 0),
          ).toBe(figure.net);

        expect(view.shifts).toHaveLength(shifts.size);
        for (const shift of view.shifts) {
          const sums = shifts.get(shift.shiftId);
          expect(shift.expected).toBe((sums?.float ?? 0) + (sums?.cashIn ?? 0) - (sums?.cashOut ?? 0));
          if (shift.counted !== null) expect(shift.variance).toBe(shift.counted - shift.expected);
        }
      }),
      { numRuns: 150 },
    );
  });
});

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
