// The desk's view of its own cash drawer, given the events a device holds: the open shift with what it should hold
// and each cash movement, the closed shifts with their count and variance. Order of arrival never matters, another
// desk's drawer is not this one's, and the facts go where the desk routes them (the orders database).
import { describe, expect, it } from 'vitest';
import type { AnyEventDoc, FactDoc } from '../events/catalogue';
import { parseEventDoc } from '../events/catalogue';
import { ordersDatabase } from '../events/order-flow';
import { decideCashDrawer, evolveCashDrawer, initialCashDrawerState } from '../finance/cash-drawer';
import type { CashDrawerCommand, CashDrawerState } from '../finance/cash-drawer';
import { drawerStream, factDatabase, factStream } from './databases';
import { projectDrawer } from './drawer-view';

const at = '2026-11-21T18:00:00.000Z';
let next = 0;
const ulid = (): string => `01K${String((next += 1)).padStart(23, '0')}`;

/** A desk deciding its drawer as the desk does: each command against the drawer so far, each event a fact doc. */
function drawerLog(deskId: string) {
  let state: CashDrawerState = initialCashDrawerState();
  const docs: AnyEventDoc[] = [];
  return {
    docs,
    run(command: CashDrawerCommand) {
      for (const event of decideCashDrawer(command, state)) {
        const id = ulid();
        const parsed = parseEventDoc({
          _id: id,
          type: event.type,
          v: 1,
          stream: factStream(event.type, event.data),
          data: event.data,
          meta: { deviceId: deskId, userId: 'desk-user', recordedAt: at, correlationId: id, causationId: id },
        });
        if (!parsed.ok) throw new Error(parsed.reason);
        docs.push(parsed.doc);
        state = evolveCashDrawer(state, event);
      }
    },
  };
}

const move = (deskId: string, shiftId: string, amount: number) => ({
  deskId,
  shiftId,
  amount,
  currency: 'PLN',
  at,
});

function shiftWithEveryMovement(deskId = 'DESK-A') {
  const log = drawerLog(deskId);
  log.run({
    type: 'OpenShift',
    data: { deskId, shiftId: 'S1', userId: 'anna', float: 20_000, currency: 'PLN', openedAt: at },
  });
  log.run({ type: 'RecordCashSale', data: { ...move(deskId, 'S1', 5_000), saleId: 'sale-1' } });
  log.run({ type: 'RecordCashRefund', data: { ...move(deskId, 'S1', 2_000), refundId: 'refund-1' } });
  log.run({
    type: 'PayCashIn',
    data: { ...move(deskId, 'S1', 3_000), movementId: 'm-1', reason: 'change top-up' },
  });
  log.run({
    type: 'PayCashOut',
    data: { ...move(deskId, 'S1', 1_000), movementId: 'm-2', reason: 'banking' },
  });
  return log;
}

describe('projectDrawer', () => {
  it('shows no shift and no report for a desk that never opened one', () => {
    const view = projectDrawer([], 'DESK-A');
    expect(view.open).toBeNull();
    expect(view.closed).toEqual([]);
    expect(view.state.status).toBe('idle');
  });

  it('routes the drawer facts to the orders database, in the desk’s own stream', () => {
    const { docs } = shiftWithEveryMovement();
    for (const doc of docs) {
      expect(doc.stream).toBe(drawerStream('DESK-A'));
      expect(factDatabase(doc as FactDoc)).toBe(ordersDatabase);
    }
  });

  it('shows the open shift: float, each movement in order, and what the drawer should hold', () => {
    const view = projectDrawer(shiftWithEveryMovement().docs, 'DESK-A');
    expect(view.open).toMatchObject({
      shiftId: 'S1',
      userId: 'anna',
      float: 20_000,
      cashSales: 5_000,
      cashRefunds: 2_000,
      paidIn: 3_000,
      paidOut: 1_000,
      // 200 + 50 − 20 + 30 − 10
      expected: 25_000,
    });
    expect(view.open?.movements.map(({ kind, amount, reason }) => [kind, amount, reason])).toEqual([
      ['sale', 5_000, null],
      ['refund', 2_000, null],
      ['in', 3_000, 'change top-up'],
      ['out', 1_000, 'banking'],
    ]);
  });

  it('reports a closed shift with expected, counted and the variance, and starts the next one empty', () => {
    const log = shiftWithEveryMovement();
    log.run({
      type: 'CloseShift',
      data: { deskId: 'DESK-A', shiftId: 'S1', userId: 'anna', counted: 24_500, closedAt: at },
    });
    const closed = projectDrawer(log.docs, 'DESK-A');
    expect(closed.open).toBeNull();
    expect(closed.closed).toHaveLength(1);
    expect(closed.closed[0]).toMatchObject({ expected: 25_000, counted: 24_500, variance: -500 });

    log.run({
      type: 'OpenShift',
      data: {
        deskId: 'DESK-A',
        shiftId: 'S2',
        userId: 'bartek',
        float: 10_000,
        currency: 'PLN',
        openedAt: at,
      },
    });
    const reopened = projectDrawer(log.docs, 'DESK-A');
    expect(reopened.open).toMatchObject({ shiftId: 'S2', expected: 10_000, movements: [] });
    expect(reopened.closed.map((s) => s.shiftId)).toEqual(['S1']);
  });

  it('gives the same view whatever order the facts arrive in, each fact counted once', () => {
    const { docs } = shiftWithEveryMovement();
    const inOrder = projectDrawer(docs, 'DESK-A');
    const shuffled = projectDrawer([...docs].reverse().concat(docs), 'DESK-A');
    expect(shuffled.open).toEqual(inOrder.open);
  });

  it('leaves another desk’s drawer out', () => {
    const other = shiftWithEveryMovement('DESK-B');
    const view = projectDrawer(other.docs, 'DESK-A');
    expect(view.open).toBeNull();
    expect(projectDrawer(other.docs, 'DESK-B').open?.expected).toBe(25_000);
  });
});
