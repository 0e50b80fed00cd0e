// The desk decides its cash drawer itself (the drawer is this desk's device facts, like its cart): a command is
// decided with the drawer's rules against the drawer as the log says it is, and what it decides is recorded as facts,
// in order. A rule broken throws the drawer's DomainError, whose sentence the screen shows. Cash the desk takes or
// hands back (a sale, an order's payment, a rejected sale's refund) goes into the open shift on its own; with no shift
// open the money still moves (a sale is never blocked) and the screen says the cash is in no drawer count.
import { projectDrawer } from '../../domain/desk/drawer-view';
import type { DrawerView } from '../../domain/desk/drawer-view';
import { CashDrawerRuleBroken, decideCashDrawer, evolveCashDrawer } from '../../domain/finance/cash-drawer';
import type { CashDrawerCommand, CashDrawerState, Shift } from '../../domain/finance/cash-drawer';
import { DomainError } from '../../domain/shared/decider';
import { ulid } from 'ulid';
import { signedIn } from '../session/session';
import type { DeskStore } from '../store/desk-store';

/** What the drawer needs of the desk's store: who it is, the facts it holds, and recording one. */
export type DrawerStore = Pick<DeskStore, 'device' | 'orderDocs' | 'record'>;

/** This desk's drawer, from the facts it holds. */
export const drawerOf = (store: DrawerStore): DrawerView =>
  projectDrawer(store.orderDocs(), store.device.deviceId);

/** Decides the command on the drawer and records what it decided; returns the drawer as it is then. */
export async function runDrawer(
  store: DrawerStore,
  state: CashDrawerState,
  command: CashDrawerCommand,
): Promise<CashDrawerState> {
  let next = state;
  for (const event of decideCashDrawer(command, state)) {
    await store.record(event.type, () => event.data);
    next = evolveCashDrawer(next, event);
  }
  return next;
}

export type CashEntry = { kind: 'sale' | 'refund'; id: string; amount: number; currency: string; at: string };

/**
 * The drawer's command for cash taken (a sale) or handed back (a refund), or why it goes in no count: no shift open,
 * or the shift refuses it (another currency, not that much cash in the drawer). Pure: the drawer decides, nobody waits.
 */
export function cashEntryCommand(
  state: CashDrawerState,
  deskId: string,
  entry: CashEntry,
): { command: CashDrawerCommand } | { outside: string } {
  if (state.status !== 'open') return { outside: 'no_shift' };
  const movement = {
    deskId,
    shiftId: state.shift.shiftId,
    amount: entry.amount,
    currency: entry.currency,
    at: entry.at,
  };
  const command: CashDrawerCommand =
    entry.kind === 'sale'
      ? { type: 'RecordCashSale', data: { ...movement, saleId: entry.id } }
      : { type: 'RecordCashRefund', data: { ...movement, refundId: entry.id } };
  try {
    decideCashDrawer(command, state);
  } catch (error) {
    if (error instanceof DomainError) return { outside: error.message };
    throw error;
  }
  return { command };
}

/**
 * Records cash taken or handed back in the open shift. Returns null when it is in the drawer's count, else why not
 * ('no_shift', or the drawer's sentence): the sale or refund itself is recorded either way, so this never throws.
 */
export async function recordDrawerCash(store: DrawerStore, entry: CashEntry): Promise<string | null> {
  const drawer = drawerOf(store);
  const decided = cashEntryCommand(drawer.state, store.device.deviceId, entry);
  if ('outside' in decided) return decided.outside;
  try {
    await runDrawer(store, drawer.state, decided.command);
  } catch (failure) {
    return failure instanceof Error ? failure.message : String(failure);
  }
  return null;
}

/** Opens a shift with its float. */
export async function openShift(store: DrawerStore, float: number, currency: string): Promise<string> {
  const shiftId = ulid();
  await runDrawer(store, drawerOf(store).state, {
    type: 'OpenShift',
    data: {
      deskId: store.device.deviceId,
      shiftId,
      userId: signedIn().userId,
      float,
      currency,
      openedAt: new Date().toISOString(),
    },
  });
  return shiftId;
}

function openShiftOf(state: CashDrawerState): Shift {
  if (state.status !== 'open')
    throw new CashDrawerRuleBroken('no_open_shift', 'No shift is open on this desk: open a shift first.');
  return state.shift;
}

/** Cash put into (change top-up) or taken out of (banking) the open shift's drawer, with its reason. */
export async function moveCash(
  store: DrawerStore,
  direction: 'in' | 'out',
  amount: number,
  reason: string,
): Promise<void> {
  const { state } = drawerOf(store);
  const shift = openShiftOf(state);
  const data = {
    deskId: store.device.deviceId,
    shiftId: shift.shiftId,
    movementId: ulid(),
    amount,
    currency: shift.currency,
    reason,
    at: new Date().toISOString(),
  };
  await runDrawer(store, state, { type: direction === 'in' ? 'PayCashIn' : 'PayCashOut', data });
}

/** Closes the open shift with the cash counted in the drawer. */
export async function closeShift(store: DrawerStore, counted: number): Promise<void> {
  const { state } = drawerOf(store);
  await runDrawer(store, state, {
    type: 'CloseShift',
    data: {
      deskId: store.device.deviceId,
      shiftId: openShiftOf(state).shiftId,
      userId: signedIn().userId,
      counted,
      closedAt: new Date().toISOString(),
    },
  });
}
