// A desk's cash drawer, shift by shift: float, cash sales and refunds, cash in and out, and the count at the close.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError, fold } from '../shared/decider';
import { specification } from '../testing/given-when-then';
import type { CashDrawerEvent } from './events';
import {
  cashDrawerDecider,
  decideCashDrawer,
  evolveCashDrawer,
  expectedCash,
  initialCashDrawerState,
} from './cash-drawer';
import type { CashDrawerCommand, CashDrawerState } from './cash-drawer';

const given = specification(cashDrawerDecider);

const deskId = 'desk-4';
const userId = 'cashier-anna';
const at = '2026-11-21T18:00:00.000+01:00';
const shift = { deskId, shiftId: 's1' };

// Commands
const open = (float = 50_000, shiftId = 's1', currency = 'PLN', desk = deskId): CashDrawerCommand => ({
  type: 'OpenShift',
  data: { deskId: desk, shiftId, userId, float, currency, openedAt: at },
});
const sell = (saleId: string, amount: number, overrides: Partial<typeof shift & { currency: string }> = {}) =>
  ({
    type: 'RecordCashSale',
    data: { ...shift, saleId, amount, currency: 'PLN', at, ...overrides },
  }) satisfies CashDrawerCommand;
const refund = (
  refundId: string,
  amount: number,
  overrides: Partial<typeof shift & { currency: string }> = {},
) =>
  ({
    type: 'RecordCashRefund',
    data: { ...shift, refundId, amount, currency: 'PLN', at, ...overrides },
  }) satisfies CashDrawerCommand;
const payIn = (
  movementId: string,
  amount: number,
  overrides: Partial<typeof shift & { currency: string }> = {},
) =>
  ({
    type: 'PayCashIn',
    data: {
      ...shift,
      movementId,
      amount,
      currency: 'PLN',
      reason: 'Change from the safe.',
      at,
      ...overrides,
    },
  }) satisfies CashDrawerCommand;
const payOut = (
  movementId: string,
  amount: number,
  overrides: Partial<typeof shift & { currency: string }> = {},
) =>
  ({
    type: 'PayCashOut',
    data: { ...shift, movementId, amount, currency: 'PLN', reason: 'Banked.', at, ...overrides },
  }) satisfies CashDrawerCommand;
const close = (counted: number, shiftId = 's1', desk = deskId): CashDrawerCommand => ({
  type: 'CloseShift',
  data: { deskId: desk, shiftId, userId, counted, closedAt: '2026-11-21T23:00:00.000+01:00' },
});

// Events: the drawer records what the desk did, as it was given.
const opened = (float = 50_000, shiftId = 's1'): CashDrawerEvent => ({
  type: 'DrawerShiftOpened',
  data: { deskId, shiftId, userId, float, currency: 'PLN', openedAt: at },
});
const sold = (saleId: string, amount: number): CashDrawerEvent => ({
  type: 'DrawerCashSaleRecorded',
  data: sell(saleId, amount).data,
});
const refunded = (refundId: string, amount: number): CashDrawerEvent => ({
  type: 'DrawerCashRefundRecorded',
  data: refund(refundId, amount).data,
});
const paidIn = (movementId: string, amount: number): CashDrawerEvent => ({
  type: 'DrawerCashPaidIn',
  data: payIn(movementId, amount).data,
});
const paidOut = (movementId: string, amount: number): CashDrawerEvent => ({
  type: 'DrawerCashPaidOut',
  data: payOut(movementId, amount).data,
});
const closed = (
  totals: { float: number; cashSales: number; cashRefunds: number; paidIn: number; paidOut: number },
  expected: number,
  counted: number,
  shiftId = 's1',
): CashDrawerEvent => ({
  type: 'DrawerShiftClosed',
  data: {
    deskId,
    shiftId,
    userId,
    currency: 'PLN',
    ...totals,
    expected,
    counted,
    variance: counted - expected,
    closedAt: '2026-11-21T23:00:00.000+01:00',
  },
});

const busy = [opened(50_000), sold('sale-1', 30_000), sold('sale-2', 15_000), refunded('ref-1', 15_000)];
const stateOf = (events: CashDrawerEvent[]): CashDrawerState =>
  fold(evolveCashDrawer, initialCashDrawerState(), events);

describe('opening a shift', () => {
  it('opens with a float', () => {
    given([])
      .when(open(50_000))
      .then([opened(50_000)]);
  });

  it('opens with an empty drawer', () => {
    given([])
      .when(open(0))
      .then([opened(0)]);
  });

  it('opens a shift once: opening it again changes nothing, even after it closed', () => {
    given([opened()]).when(open()).then([]);
    given([
      opened(),
      closed({ float: 50_000, cashSales: 0, cashRefunds: 0, paidIn: 0, paidOut: 0 }, 50_000, 50_000),
    ])
      .when(open())
      .then([]);
  });

  it('refuses a second open shift on a desk', () => {
    given([opened()]).when(open(10_000, 's2')).thenThrows('shift_already_open');
  });

  it('opens the next shift once the last one is closed', () => {
    const first = closed(
      { float: 50_000, cashSales: 0, cashRefunds: 0, paidIn: 0, paidOut: 0 },
      50_000,
      50_000,
    );
    given([opened(), first])
      .when(open(20_000, 's2'))
      .then([opened(20_000, 's2')]);
  });

  it.each([-1, 0.5])('refuses a float of %d', (float) => {
    given([]).when(open(float)).thenThrows('invalid_amount');
  });

  it('refuses a currency that is not an ISO code', () => {
    given([])
      .when(open(100, 's1', 'zł'))
      .thenThrows('invalid_currency');
  });

  it('refuses a shift of another desk in this drawer', () => {
    given([opened()])
      .when(open(100, 's2', 'PLN', 'desk-5'))
      .thenThrows('wrong_desk');
  });
});

describe('cash during a shift', () => {
  it('records a cash sale', () => {
    given([opened()])
      .when(sell('sale-1', 30_000))
      .then([sold('sale-1', 30_000)]);
  });

  it('records a cash refund the drawer can pay', () => {
    given(busy)
      .when(refund('ref-2', 30_000))
      .then([refunded('ref-2', 30_000)]);
  });

  it('records cash paid in and out', () => {
    given(busy)
      .when(payIn('m1', 10_000))
      .then([paidIn('m1', 10_000)]);
    given(busy)
      .when(payOut('m1', 80_000))
      .then([paidOut('m1', 80_000)]);
  });

  it('records each fact once: the same sale, refund or movement again changes nothing', () => {
    given(busy).when(sell('sale-1', 30_000)).then([]);
    given(busy).when(refund('ref-1', 15_000)).then([]);
    given([...busy, paidIn('m1', 100)])
      .when(payIn('m1', 100))
      .then([]);
    given([...busy, paidOut('m2', 100)])
      .when(payOut('m2', 100))
      .then([]);
  });

  it('changes nothing for a repeat that arrives after the close', () => {
    const end = closed(
      { float: 50_000, cashSales: 45_000, cashRefunds: 15_000, paidIn: 0, paidOut: 0 },
      80_000,
      80_000,
    );
    given([...busy, end])
      .when(sell('sale-2', 15_000))
      .then([]);
  });

  it('never pays out more cash than the drawer should hold', () => {
    // 500 + 300 + 150 − 150 = 800.00 in the drawer
    given(busy).when(refund('ref-2', 80_001)).thenThrows('not_enough_cash');
    given(busy).when(payOut('m1', 80_001)).thenThrows('not_enough_cash');
  });

  it.each<[string, CashDrawerCommand]>([
    ['a sale', sell('sale-9', 0)],
    ['a refund', refund('ref-9', -100)],
    ['cash in', payIn('m9', 1.5)],
    ['cash out', payOut('m9', 0)],
  ])('refuses %s that is not a whole amount above zero', (_, command) => {
    given(busy).when(command).thenThrows('invalid_amount');
  });

  it.each<[string, CashDrawerCommand]>([
    ['a sale', sell('sale-9', 100, { currency: 'EUR' })],
    ['a refund', refund('ref-9', 100, { currency: 'EUR' })],
    ['cash in', payIn('m9', 100, { currency: 'EUR' })],
    ['cash out', payOut('m9', 100, { currency: 'EUR' })],
  ])('refuses %s in another currency than the drawer’s', (_, command) => {
    given(busy).when(command).thenThrows('currency_mismatch');
  });

  it.each<[string, CashDrawerCommand]>([
    ['a sale', sell('sale-9', 100, { shiftId: 's2' })],
    ['a refund', refund('ref-9', 100, { shiftId: 's2' })],
    ['cash in', payIn('m9', 100, { shiftId: 's2' })],
    ['cash out', payOut('m9', 100, { shiftId: 's2' })],
  ])('refuses %s on a shift that is not open', (_, command) => {
    given([]).when(command).thenThrows('no_open_shift');
    given(busy).when(command).thenThrows('no_open_shift');
  });

  it('records nothing on a closed shift', () => {
    const end = closed(
      { float: 50_000, cashSales: 45_000, cashRefunds: 15_000, paidIn: 0, paidOut: 0 },
      80_000,
      80_000,
    );
    given([...busy, end])
      .when(sell('sale-9', 100))
      .thenThrows('shift_closed');
    given([...busy, end, opened(0, 's2')])
      .when(refund('ref-9', 100))
      .thenThrows('shift_closed');
  });

  it('refuses cash of another desk', () => {
    given(busy)
      .when(sell('sale-9', 100, { deskId: 'desk-5' }))
      .thenThrows('wrong_desk');
  });
});

describe('closing a shift with a count', () => {
  const totals = { float: 50_000, cashSales: 45_000, cashRefunds: 15_000, paidIn: 10_000, paidOut: 20_000 };
  const day = [...busy, paidIn('m1', 10_000), paidOut('m2', 20_000)];

  it('states expected, counted and variance: exact', () => {
    // 500 + 450 − 150 + 100 − 200 = 700.00
    given(day)
      .when(close(70_000))
      .then([closed(totals, 70_000, 70_000)]);
  });

  it('states a short drawer as a negative variance', () => {
    given(day)
      .when(close(69_950))
      .then([closed(totals, 70_000, 69_950)]);
  });

  it('states an over drawer as a positive variance', () => {
    given(day)
      .when(close(70_120))
      .then([closed(totals, 70_000, 70_120)]);
  });

  it('closes a shift once: closing it again changes nothing', () => {
    given([...day, closed(totals, 70_000, 70_000)])
      .when(close(70_000))
      .then([]);
  });

  it('keeps the last close and opens no shift until asked', () => {
    const state = stateOf([...day, closed(totals, 70_000, 69_950)]);
    expect(state).toMatchObject({ status: 'idle', deskId, lastClosed: { variance: -50 } });
  });

  it('refuses to close a shift that is not open', () => {
    given([]).when(close(0)).thenThrows('no_open_shift');
    given(day).when(close(0, 's2')).thenThrows('no_open_shift');
    given(day)
      .when(close(0, 's1', 'desk-5'))
      .thenThrows('wrong_desk');
  });

  it.each([-1, 0.5])('refuses a count of %d', (counted) => {
    given(day).when(close(counted)).thenThrows('invalid_amount');
  });
});

describe('the drawer as folded', () => {
  it('knows what it should hold', () => {
    const state = stateOf([...busy, paidIn('m1', 1_000), paidOut('m2', 500)]);
    if (state.status !== 'open') throw new Error('no open shift');
    expect(expectedCash(state.shift)).toBe(80_500);
  });

  it('ignores cash events without an open shift', () => {
    const state = stateOf([sold('sale-1', 100), refunded('ref-1', 100), paidIn('m1', 1), paidOut('m2', 1)]);
    expect(state).toMatchObject({ status: 'idle', deskId: null });
  });
});

/** The cash a shift's own events say the drawer holds. */
const held = (t: { float: number; sales: number; refunds: number; in: number; out: number }) =>
  t.float + t.sales - t.refunds + t.in - t.out;

describe('for any sequence of shift commands', () => {
  const amount = fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 1, max: 100_000 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -5, 2.5) },
  );
  const mostly = <T>(usual: T, rare: T) =>
    fc.oneof({ weight: 12, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: fc.constant(rare) });
  /** What a desk does next; `usual: false` aims it at a shift that is not the one in play, or at another desk. */
  const intent = fc.record({
    kind: fc.oneof(
      { weight: 4, arbitrary: fc.constant('sale' as const) },
      { weight: 2, arbitrary: fc.constant('refund' as const) },
      { weight: 1, arbitrary: fc.constant('in' as const) },
      { weight: 1, arbitrary: fc.constant('out' as const) },
      { weight: 1, arbitrary: fc.constant('open' as const) },
      { weight: 1, arbitrary: fc.constant('close' as const) },
    ),
    usual: mostly(true, false),
    desk: mostly(deskId, 'desk-5'),
    currency: mostly('PLN', 'EUR'),
    id: fc.integer({ min: 1, max: 40 }).map(String),
    amount,
  });

  it('expected = float + cash sales − cash refunds + cash in − cash out, and variance = counted − expected', () => {
    fc.assert(
      fc.property(fc.array(intent, { maxLength: 80, size: 'medium' }), (later) => {
        const intents = [
          { kind: 'open' as const, usual: true, desk: deskId, currency: 'PLN', id: '0', amount: 50_000 },
          ...later,
        ];
        let state = initialCashDrawerState();
        let openShift: string | null = null;
        let shifts = 0;
        const cash = new Map<
          string,
          { float: number; sales: number; refunds: number; in: number; out: number }
        >();
        const commandFor = ({ kind, usual, desk, currency, id, amount }: (typeof intents)[number]) => {
          // The shift in play (the open one, else the last one, closed), a new one, or one never opened.
          const inPlay = openShift ?? `s${Math.max(shifts, 1)}`;
          const shiftId =
            kind === 'open' ? (usual ? `s${shifts + 1}` : inPlay) : usual ? inPlay : 's-unknown';
          const on = { shiftId, deskId: desk, currency };
          if (kind === 'open') return open(amount, shiftId, 'PLN', desk);
          if (kind === 'sale') return sell(`sale-${id}`, amount, on);
          if (kind === 'refund') return refund(`ref-${id}`, amount, on);
          if (kind === 'in') return payIn(`m-${id}`, amount, on);
          if (kind === 'out') return payOut(`m-${id}`, amount, on);
          return close(amount, shiftId, desk);
        };
        for (const i of intents) {
          const c: CashDrawerCommand = commandFor(i);
          let events: CashDrawerEvent[];
          try {
            events = decideCashDrawer(c, state);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            continue;
          }
          for (const e of events) {
            // Tally the events themselves, independently of the decider's state.
            if (e.type === 'DrawerShiftOpened') {
              expect(openShift).toBeNull(); // one open shift per desk
              openShift = e.data.shiftId;
              shifts += 1;
              cash.set(e.data.shiftId, { float: e.data.float, sales: 0, refunds: 0, in: 0, out: 0 });
              continue;
            }
            expect(e.data.shiftId).toBe(openShift); // nothing is recorded on a closed shift
            const t = cash.get(e.data.shiftId)!;
            if (e.type === 'DrawerCashSaleRecorded') t.sales += e.data.amount;
            if (e.type === 'DrawerCashRefundRecorded') t.refunds += e.data.amount;
            if (e.type === 'DrawerCashPaidIn') t.in += e.data.amount;
            if (e.type === 'DrawerCashPaidOut') t.out += e.data.amount;
            expect(held(t)).toBeGreaterThanOrEqual(0); // the drawer never pays out cash it does not hold
            if (e.type === 'DrawerShiftClosed') {
              expect(e.data.expected).toBe(held(t));
              expect(e.data.variance).toBe(e.data.counted - e.data.expected);
              expect([e.data.cashSales, e.data.cashRefunds, e.data.paidIn, e.data.paidOut]).toEqual([
                t.sales,
                t.refunds,
                t.in,
                t.out,
              ]);
              openShift = null;
            }
          }
          state = fold(evolveCashDrawer, state, events);
          if (state.status === 'open')
            expect(expectedCash(state.shift)).toBe(held(cash.get(state.shift.shiftId)!));
        }
      }),
      { numRuns: 300 },
    );
  });
});
