// The cash drawer of one desk, shift by shift. Business rules:
// - a shift opens with a float (the change the drawer starts with); a desk has at most one open shift;
// - while it is open the desk records cash sales, cash refunds and cash paid in or out (change top-ups, banking),
//   all in the shift's currency; the drawer never pays out more cash than it should hold;
// - the shift closes with a count: expected = float + cash sales − cash refunds + paid in − paid out, and
//   variance = counted − expected (negative: short; positive: over);
// - nothing is recorded on a closed shift; every fact carries its own id, and a repeat of a handled id is a no-op.
import { assertNever, DomainError } from '../shared/decider';
import { formatAmount } from './amount';
import type { CashDrawerEvent, FinanceEventData } from './events';

type Movement = { deskId: string; shiftId: string; amount: number; currency: string; at: string };

export type CashDrawerCommand =
  | {
      type: 'OpenShift';
      data: {
        deskId: string;
        shiftId: string;
        userId: string;
        float: number;
        currency: string;
        openedAt: string;
      };
    }
  | { type: 'RecordCashSale'; data: Movement & { saleId: string } }
  | { type: 'RecordCashRefund'; data: Movement & { refundId: string } }
  | { type: 'PayCashIn'; data: Movement & { movementId: string; reason: string } }
  | { type: 'PayCashOut'; data: Movement & { movementId: string; reason: string } }
  | {
      type: 'CloseShift';
      data: { deskId: string; shiftId: string; userId: string; counted: number; closedAt: string };
    };

export type Shift = {
  shiftId: string;
  userId: string;
  currency: string;
  float: number;
  cashSales: number;
  cashRefunds: number;
  paidIn: number;
  paidOut: number;
  openedAt: string;
};

export type ShiftClosed = FinanceEventData<'DrawerShiftClosed'>;

type Drawer = {
  /** null until the desk's first shift opens. */
  deskId: string | null;
  /**
   * Ids of the shifts, sales, refunds and movements handled on this desk, and of its closed shifts. It grows in
   * place: the desk owns its drawer stream, and copying a season of ids per event would be quadratic.
   */
  handled: Set<string>;
  lastClosed: ShiftClosed | null;
};

export type CashDrawerState =
  (Drawer & { status: 'idle' }) | (Drawer & { status: 'open'; deskId: string; shift: Shift });

export const initialCashDrawerState = (): CashDrawerState => ({
  status: 'idle',
  deskId: null,
  handled: new Set(),
  lastClosed: null,
});

export const cashDrawerRuleCodes = [
  'wrong_desk',
  'shift_already_open',
  'no_open_shift',
  'shift_closed',
  'invalid_amount',
  'invalid_currency',
  'currency_mismatch',
  'not_enough_cash',
] as const;
export type CashDrawerRuleCode = (typeof cashDrawerRuleCodes)[number];

export class CashDrawerRuleBroken extends DomainError<CashDrawerRuleCode> {}

const broken = (code: CashDrawerRuleCode, message: string) => new CashDrawerRuleBroken(code, message);

/** What the drawer should hold now. */
export const expectedCash = (shift: Shift): number =>
  shift.float + shift.cashSales - shift.cashRefunds + shift.paidIn - shift.paidOut;

const key = {
  shift: (id: string) => `shift:${id}`,
  closed: (id: string) => `closed:${id}`,
  sale: (id: string) => `sale:${id}`,
  refund: (id: string) => `refund:${id}`,
  movement: (id: string) => `movement:${id}`,
};

export function decideCashDrawer(command: CashDrawerCommand, state: CashDrawerState): CashDrawerEvent[] {
  switch (command.type) {
    case 'OpenShift': {
      const data = command.data;
      checkDesk(state, data.deskId);
      if (state.handled.has(key.shift(data.shiftId))) return [];
      if (state.status === 'open')
        throw broken(
          'shift_already_open',
          `Shift ${state.shift.shiftId} of ${state.shift.userId} is still open on this desk: close it first.`,
        );
      if (!/^[A-Z]{3}$/.test(data.currency))
        throw broken('invalid_currency', `"${data.currency}" is not an ISO 4217 currency code such as PLN.`);
      if (!Number.isInteger(data.float) || data.float < 0)
        throw broken('invalid_amount', 'The float must be a whole number of minor units, 0 or more.');
      return [{ type: 'DrawerShiftOpened', data }];
    }
    case 'RecordCashSale': {
      const data = command.data;
      if (state.handled.has(key.sale(data.saleId))) return [];
      checkMovement(openShift(state, data), data);
      return [{ type: 'DrawerCashSaleRecorded', data }];
    }
    case 'RecordCashRefund': {
      const data = command.data;
      if (state.handled.has(key.refund(data.refundId))) return [];
      checkCashOut(checkMovement(openShift(state, data), data), data.amount, 'refund');
      return [{ type: 'DrawerCashRefundRecorded', data }];
    }
    case 'PayCashIn': {
      const data = command.data;
      if (state.handled.has(key.movement(data.movementId))) return [];
      checkMovement(openShift(state, data), data);
      return [{ type: 'DrawerCashPaidIn', data }];
    }
    case 'PayCashOut': {
      const data = command.data;
      if (state.handled.has(key.movement(data.movementId))) return [];
      checkCashOut(checkMovement(openShift(state, data), data), data.amount, 'pay out');
      return [{ type: 'DrawerCashPaidOut', data }];
    }
    case 'CloseShift': {
      const data = command.data;
      if (state.handled.has(key.closed(data.shiftId))) return [];
      const shift = openShift(state, data);
      if (!Number.isInteger(data.counted) || data.counted < 0)
        throw broken('invalid_amount', 'The count must be a whole number of minor units, 0 or more.');
      const expected = expectedCash(shift);
      const { currency, float, cashSales, cashRefunds, paidIn, paidOut } = shift;
      return [
        {
          type: 'DrawerShiftClosed',
          data: {
            ...data,
            currency,
            float,
            cashSales,
            cashRefunds,
            paidIn,
            paidOut,
            expected,
            variance: data.counted - expected,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

function checkDesk(state: CashDrawerState, deskId: string): void {
  if (state.deskId !== null && state.deskId !== deskId)
    throw broken('wrong_desk', `This is the drawer of desk ${state.deskId}, not of desk ${deskId}.`);
}

function openShift(state: CashDrawerState, data: { deskId: string; shiftId: string }): Shift {
  checkDesk(state, data.deskId);
  if (state.handled.has(key.closed(data.shiftId)))
    throw broken('shift_closed', `Shift ${data.shiftId} is closed: record this on the desk’s open shift.`);
  if (state.status !== 'open' || state.shift.shiftId !== data.shiftId)
    throw broken('no_open_shift', `Shift ${data.shiftId} is not open on this desk: open a shift first.`);
  return state.shift;
}

function checkMovement(shift: Shift, data: { amount: number; currency: string }): Shift {
  if (!Number.isInteger(data.amount) || data.amount <= 0)
    throw broken('invalid_amount', 'A cash amount must be a whole number of minor units above zero.');
  if (data.currency !== shift.currency)
    throw broken('currency_mismatch', `This drawer holds ${shift.currency}, not ${data.currency}.`);
  return shift;
}

function checkCashOut(shift: Shift, amount: number, what: string): void {
  const held = expectedCash(shift);
  if (amount > held)
    throw broken(
      'not_enough_cash',
      `The drawer should hold ${formatAmount(held, shift.currency)}: it can’t ${what} ${formatAmount(amount, shift.currency)}.`,
    );
}

export function evolveCashDrawer(state: CashDrawerState, event: CashDrawerEvent): CashDrawerState {
  switch (event.type) {
    case 'DrawerShiftOpened': {
      const { deskId, shiftId, userId, float, currency, openedAt } = event.data;
      state.handled.add(key.shift(shiftId));
      const shift: Shift = {
        shiftId,
        userId,
        currency,
        float,
        openedAt,
        cashSales: 0,
        cashRefunds: 0,
        paidIn: 0,
        paidOut: 0,
      };
      return { status: 'open', deskId, shift, handled: state.handled, lastClosed: state.lastClosed };
    }
    case 'DrawerCashSaleRecorded':
      state.handled.add(key.sale(event.data.saleId));
      return withShift(state, (s) => ({ ...s, cashSales: s.cashSales + event.data.amount }));
    case 'DrawerCashRefundRecorded':
      state.handled.add(key.refund(event.data.refundId));
      return withShift(state, (s) => ({ ...s, cashRefunds: s.cashRefunds + event.data.amount }));
    case 'DrawerCashPaidIn':
      state.handled.add(key.movement(event.data.movementId));
      return withShift(state, (s) => ({ ...s, paidIn: s.paidIn + event.data.amount }));
    case 'DrawerCashPaidOut':
      state.handled.add(key.movement(event.data.movementId));
      return withShift(state, (s) => ({ ...s, paidOut: s.paidOut + event.data.amount }));
    case 'DrawerShiftClosed':
      state.handled.add(key.closed(event.data.shiftId));
      return { status: 'idle', deskId: event.data.deskId, handled: state.handled, lastClosed: event.data };
    default:
      return assertNever(event);
  }
}

function withShift(state: CashDrawerState, change: (shift: Shift) => Shift): CashDrawerState {
  return state.status === 'open' ? { ...state, shift: change(state.shift) } : state;
}

export const cashDrawerDecider = {
  decide: decideCashDrawer,
  evolve: evolveCashDrawer,
  initialState: initialCashDrawerState,
};
