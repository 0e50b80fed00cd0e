// The desk deciding its drawer: cash a sale or a refund moves goes into the open shift, or says why it is in no count
// (never stopping the sale); shifts open, take cash in and out and close with their variance. The store here keeps
// the facts in memory, made and checked as the desk store makes and checks them (its IndexedDB runs in the e2e).
import { describe, expect, it } from 'vitest';
import { projectDrawer } from '../../domain/desk/drawer-view';
import type { AnyEventDoc } from '../../domain/events/catalogue';
import { parseEventDoc } from '../../domain/events/catalogue';
import { initialCashDrawerState } from '../../domain/finance/cash-drawer';
import { startSession } from '../session/session';
import { newFact, newFactId } from '../store/facts';
import {
  cashEntryCommand,
  closeShift,
  drawerOf,
  moveCash,
  openShift,
  recordDrawerCash,
} from './drawer-actions';
import type { DrawerStore } from './drawer-actions';

const device = {
  deviceId: 'DESK-A',
  role: 'desk',
  name: 'Box office 1',
  server: 'http://localhost',
  secret: 'not-a-real-secret',
} as const;
// The person at the desk, whom every fact and shift names.
startSession({ userId: 'user-ada', name: 'Ada', role: 'desk' });
const at = '2026-11-21T18:00:00.000Z';

function memoryStore(): DrawerStore & { docs: AnyEventDoc[] } {
  const docs: AnyEventDoc[] = [];
  return {
    device,
    docs,
    orderDocs: () => docs,
    async record(type, data) {
      const id = newFactId();
      const fact = newFact(id, type, data(id), device);
      const parsed = parseEventDoc(fact);
      if (!parsed.ok) throw new Error(parsed.reason);
      docs.push(parsed.doc);
      return Promise.resolve(fact);
    },
  };
}

const sale = (id: string, amount: number, currency = 'PLN') => ({
  kind: 'sale' as const,
  id,
  amount,
  currency,
  at,
});

describe('cashEntryCommand', () => {
  it('puts cash in no count while no shift is open', () => {
    expect(cashEntryCommand(initialCashDrawerState(), 'DESK-A', sale('s1', 5_000))).toEqual({
      outside: 'no_shift',
    });
  });

  it('records a sale, or a refund, against the open shift', async () => {
    const store = memoryStore();
    const shiftId = await openShift(store, 20_000, 'PLN');
    const { state } = drawerOf(store);
    expect(cashEntryCommand(state, 'DESK-A', sale('s1', 5_000))).toEqual({
      command: {
        type: 'RecordCashSale',
        data: { deskId: 'DESK-A', shiftId, amount: 5_000, currency: 'PLN', at, saleId: 's1' },
      },
    });
    expect(cashEntryCommand(state, 'DESK-A', { ...sale('r1', 1_000), kind: 'refund' })).toMatchObject({
      command: { type: 'RecordCashRefund', data: { shiftId, refundId: 'r1', amount: 1_000 } },
    });
  });

  it('says in the drawer’s words why cash it refuses is in no count', async () => {
    const store = memoryStore();
    await openShift(store, 20_000, 'PLN');
    const { state } = drawerOf(store);
    expect(cashEntryCommand(state, 'DESK-A', sale('s1', 5_000, 'EUR'))).toEqual({
      outside: 'This drawer holds PLN, not EUR.',
    });
    const refund = cashEntryCommand(state, 'DESK-A', { ...sale('r1', 30_000), kind: 'refund' });
    expect('outside' in refund && refund.outside).toMatch(/should hold .*200\.00/);
  });
});

describe('the drawer at the desk', () => {
  it('records nothing for cash taken with no shift open, and says so', async () => {
    const store = memoryStore();
    await expect(recordDrawerCash(store, sale('s1', 5_000))).resolves.toBe('no_shift');
    expect(store.docs).toEqual([]);
  });

  it('opens a shift, counts its cash in and out, and closes it with the variance', async () => {
    const store = memoryStore();
    await openShift(store, 20_000, 'PLN');
    await expect(recordDrawerCash(store, sale('s1', 5_000))).resolves.toBeNull();
    // The same sale twice is counted once.
    await expect(recordDrawerCash(store, sale('s1', 5_000))).resolves.toBeNull();
    await expect(recordDrawerCash(store, { ...sale('r1', 2_000), kind: 'refund' })).resolves.toBeNull();
    await moveCash(store, 'in', 3_000, 'change top-up');
    await moveCash(store, 'out', 1_000, 'banking');
    expect(drawerOf(store).open?.expected).toBe(25_000);

    await closeShift(store, 26_000);
    const view = projectDrawer(store.docs, 'DESK-A');
    expect(view.open).toBeNull();
    expect(view.closed[0]).toMatchObject({ expected: 25_000, counted: 26_000, variance: 1_000 });
    expect(store.docs.map((d) => d.type)).toEqual([
      'DrawerShiftOpened',
      'DrawerCashSaleRecorded',
      'DrawerCashRefundRecorded',
      'DrawerCashPaidIn',
      'DrawerCashPaidOut',
      'DrawerShiftClosed',
    ]);
  });

  it('refuses to pay out or close without an open shift, and a second shift while one is open', async () => {
    const store = memoryStore();
    await expect(moveCash(store, 'out', 1_000, 'banking')).rejects.toThrow('open a shift first');
    await expect(closeShift(store, 0)).rejects.toThrow('open a shift first');
    await openShift(store, 0, 'PLN');
    await expect(openShift(store, 0, 'PLN')).rejects.toThrow('close it first');
    await expect(moveCash(store, 'out', 1, 'banking')).rejects.toThrow('should hold');
  });
});
