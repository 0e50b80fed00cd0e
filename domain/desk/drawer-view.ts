// The desk's read model of its own cash drawer: this desk's drawer facts (stream `drawer-<deskId>`), folded with the
// drawer's own rules (domain/finance/cash-drawer.ts) in the order the desk wrote them (monotonic ULIDs). The open
// shift with what it should hold, each cash movement of it, and the closed shifts with their count and variance.
// Pure and total: any set of documents in any order gives a view, and the same set gives the same view.
import { expectedCash, evolveCashDrawer, initialCashDrawerState } from '../finance/cash-drawer';
import type { CashDrawerState, Shift, ShiftClosed } from '../finance/cash-drawer';
import type { CashDrawerEvent } from '../finance/events';
import type { AnyEventDoc, FactDoc } from '../events/catalogue';
import { drawerStream } from './databases';

export const drawerEventTypes = [
  'DrawerShiftOpened',
  'DrawerCashSaleRecorded',
  'DrawerCashRefundRecorded',
  'DrawerCashPaidIn',
  'DrawerCashPaidOut',
  'DrawerShiftClosed',
] as const satisfies readonly CashDrawerEvent['type'][];

type DrawerFactDoc = FactDoc<(typeof drawerEventTypes)[number]>;

export type DrawerMovement = {
  id: string;
  kind: 'sale' | 'refund' | 'in' | 'out';
  amount: number;
  reason: string | null;
  at: string;
};

export type OpenShiftView = Shift & {
  /** What the drawer should hold now: float + sales − refunds + paid in − paid out. */
  expected: number;
  /** Oldest first. */
  movements: DrawerMovement[];
};

export type DrawerView = {
  deskId: string;
  /** The drawer as its decider sees it: what the desk decides its next drawer fact against. */
  state: CashDrawerState;
  open: OpenShiftView | null;
  /** Newest first. */
  closed: ShiftClosed[];
};

const isDrawerFact = (doc: AnyEventDoc, stream: string): doc is DrawerFactDoc =>
  doc.stream === stream && (drawerEventTypes as readonly string[]).includes(doc.type);

export function projectDrawer(docs: Iterable<AnyEventDoc>, deskId: string): DrawerView {
  const stream = drawerStream(deskId);
  const facts: DrawerFactDoc[] = [];
  const seen = new Set<string>();
  for (const doc of docs)
    if (isDrawerFact(doc, stream) && !seen.has(doc._id)) {
      seen.add(doc._id);
      facts.push(doc);
    }
  facts.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));

  let state = initialCashDrawerState();
  let movements: DrawerMovement[] = [];
  const closed: ShiftClosed[] = [];
  for (const doc of facts) {
    const event = { type: doc.type, data: doc.data } as CashDrawerEvent;
    const movement = movementOf(event, state);
    state = evolveCashDrawer(state, event);
    if (event.type === 'DrawerShiftOpened') movements = [];
    else if (event.type === 'DrawerShiftClosed') closed.unshift(event.data);
    else if (movement) movements.push(movement);
  }
  const open =
    state.status === 'open' ? { ...state.shift, expected: expectedCash(state.shift), movements } : null;
  return { deskId, state, open, closed };
}

/** The movement a fact adds to the open shift; null when there is none it belongs to (a stray after a close). */
function movementOf(event: CashDrawerEvent, state: CashDrawerState): DrawerMovement | null {
  if (state.status !== 'open') return null;
  switch (event.type) {
    case 'DrawerCashSaleRecorded':
      return {
        id: event.data.saleId,
        kind: 'sale',
        amount: event.data.amount,
        reason: null,
        at: event.data.at,
      };
    case 'DrawerCashRefundRecorded':
      return {
        id: event.data.refundId,
        kind: 'refund',
        amount: event.data.amount,
        reason: null,
        at: event.data.at,
      };
    case 'DrawerCashPaidIn':
    case 'DrawerCashPaidOut':
      return {
        id: event.data.movementId,
        kind: event.type === 'DrawerCashPaidIn' ? 'in' : 'out',
        amount: event.data.amount,
        reason: event.data.reason,
        at: event.data.at,
      };
    default:
      return null;
  }
}
