// The desk's read model: the box office as one device knows it, folded from the events it holds. Pure and total:
// any set of documents in any order gives a view, and the same set gives the same view, so it can be rebuilt at will.
import { blockOf, freeSeats, remaining } from '../allotment/allotment';
import type { AllotmentBook } from '../allotment/allotment';
import { evolveStream, initialStreamState, isStreamDecision } from '../authority/concert-authority';
import type { ConcertStreamState } from '../authority/concert-authority';
import { isGateFact } from '../authority/concert-gate';
import type { GateFactType } from '../authority/concert-gate';
import type { StreamDecisionType } from '../authority/concert-authority';
import type { ExistingConcert } from '../concert/concert';
import type { AnyEventDoc, ConcertFactType, DecisionDoc, FactDoc } from '../events/catalogue';
import { isConcertFact } from '../events/catalogue';
import { emptyChain, followChain } from '../log/stream';
import type { ReservedLine } from '../reservation/events';

/** `requested`: asked for, not decided yet; `rejected`: the authority refused to create it. */
export type ConcertStatus = 'requested' | 'draft' | 'published' | 'cancelled' | 'rejected';

export type LevelView = {
  name: string;
  capacity: number;
  price: number;
  /** Seats the authority has taken, as far as this device has heard: sold, and held or confirmed for orders. */
  allocated: number;
  /**
   * Seats free for a sale from the pool, as the authority counts them: capacity − allocated − the seats set aside in
   * desks' blocks and not sold from them yet (this desk's block included: a pool sale never takes it).
   */
  left: number;
  /** Seats this desk sold that the authority has not decided yet (guaranteed and pending). */
  pendingHere: number;
  /** What this desk may expect to still be free for a pool sale: left minus its own pending pool sales. */
  believedLeft: number;
  /** This desk's block of the level, when it was ever granted one. */
  block?: DeskBlock;
};

/** This desk's block of one level, as last replicated, with its own facts not decided yet taken into account. */
export type DeskBlock = {
  granted: number;
  /** Seats the authority counted sold from the block. */
  sold: number;
  returned: number;
  lapsed: number;
  /** When the unsold seats lapse, on the authority's clock. */
  lapsesAt: string;
  /** Seats of the block this desk claimed, or asked back by number, that the authority has not decided yet. */
  pendingSeats: number;
  /** The desk asked back every unsold seat and has not seen that decided. */
  returningUnsold: boolean;
  /** What the desk may still sell as guaranteed: the block's remaining seats minus its pending seats. */
  blockLeft: number;
};

export type ConcertView = {
  concertId: string;
  status: ConcertStatus;
  artist: string;
  title: string;
  venue: string;
  city: string;
  startsAt: string;
  timezone: string;
  /** Minutes a reservation holds this concert's seats, when the organizer set it (else the box office's default). */
  holdMinutes?: number;
  /** What the gates do with a provisional ticket, when the organizer set it (else admit with a warning). */
  provisionalAtGate?: 'admit' | 'refuse';
  currency: string;
  levels: LevelView[];
  /** The authority's reason when it refused to create the concert. */
  reason: string | null;
  /** The authority's clock at its last decision about this concert: how fresh the figures are at the source. */
  decidedAt: string | null;
  /** The desks' blocks as this device last heard (absent while the concert is only requested): for deskPromise. */
  allotments?: AllotmentBook;
};

/** What the authority made of a sale: not heard yet (pending), confirmed, or rejected. */
export type SaleStatus = 'pending' | 'confirmed' | 'rejected';
/**
 * A sale as the seller tells the buyer: an undecided sale this desk claimed on its block is guaranteed (the authority
 * confirms it unconditionally); an undecided pool sale is pending (it may be refused).
 */
export type SaleState = SaleStatus | 'guaranteed';

/** How a rejected sale was made good: not yet, recorded here, settled by the authority, or refused by it. */
export type SettlementView =
  | { status: 'none' }
  | {
      status: 'recorded' | 'settled' | 'refused';
      settlementId: string;
      kind: 'cash_refund' | 'exchange';
      amount: number;
      exchangeSaleId: string | null;
      recordedAt: string;
      /** The authority's sentence when it refused the settlement. */
      reason: string | null;
    };

export type SaleView = {
  saleId: string;
  concertId: string;
  level: string;
  quantity: number;
  unitPrice: number;
  total: number;
  currency: string;
  tendered: number;
  change: number;
  /** The device's clock when the sale was made. */
  recordedAt: string;
  /** What the desk promised: 'allotment' = guaranteed, 'pool' = pending (also for sales from before allotments). */
  claim: 'allotment' | 'pool';
  status: SaleState;
  /** The authority's sentence when rejected (or why the fact was quarantined). */
  reason: string | null;
  /** The authority's clock when it decided the sale; null while undecided (or quarantined). */
  decidedAt: string | null;
  /** For a rejected sale: how it was made good. */
  settlement: SettlementView;
  /** A confirmed sale's refund (by any desk): asked, done (its tickets voided) or refused with the reason. */
  refund?: RefundView;
};

export type RefundView = { status: 'none' | 'pending' | 'refunded' | 'refused'; reason: string | null };

/**
 * Something the authority decided differently from what this desk assumed: a sale it rejected, seats of this desk's
 * block that lapsed unsold, or seats held for an order of this desk that expired unpaid. Times on both clocks: the
 * device's when it acted, the authority's when it decided.
 */
export type DeskConflict = {
  kind: 'rejected' | 'lapsed' | 'expired';
  /** The sale's id, the lapsed block's `<concertId>:<level>`, or the expired hold's `<reservationId>:<level>`. */
  id: string;
  /** An expired hold's order. */
  orderId?: string;
  concertId: string;
  level: string;
  quantity: number;
  reason: string;
  /**
   * When the desk made the sale, or confirmed the order whose hold expired; null for a lapse (the desk did nothing:
   * its seats' time ran out).
   */
  deviceTime: string | null;
  authorityTime: string;
  /** A rejected sale: whether the desk made it good yet. */
  settlement: SettlementView['status'] | null;
};

export type RequestStatus = 'pending' | 'accepted' | 'rejected';

type RequestType = Exclude<
  ConcertFactType,
  'SaleRecorded' | 'SaleSettlementRecorded' | 'TicketsPrinted' | GateFactType
>;

export type RequestView = {
  requestId: string;
  concertId: string;
  type: RequestType;
  status: RequestStatus;
  reason: string | null;
  recordedAt: string;
};

export type DeskView = {
  concerts: ConcertView[];
  /** This device's sales, newest first. */
  sales: SaleView[];
  /** This device's requests about concerts, newest first. */
  requests: RequestView[];
  /** Ids of this device's facts that have no decision yet. */
  undecided: string[];
  /** The authority's clock at the newest decision this device holds (absent before it heard any). */
  lastAuthorityTime?: string;
  /** Seats of this desk's blocks that lapsed unsold, newest first (see deskConflicts). */
  lapses?: LapseView[];
  /**
   * Holds for orders that the authority expired, any desk's (the concert's stream does not say which desk's order
   * it is: deskConflicts picks this desk's by its orders), newest first.
   */
  expiries?: ExpiryView[];
};

export type LapseView = { concertId: string; level: string; quantity: number; lapsedAt: string };

export type ExpiryView = {
  reservationId: string;
  orderId: string;
  concertId: string;
  lines: ReservedLine[];
  /** The authority's clock when the hold ran out. */
  expiredAt: string;
};

type Outcome = { decision: DecisionDoc<StreamDecisionType> } | { quarantined: string };

type Known = { state: ExistingConcert; decidedAt: string | null; allotments: AllotmentBook };

/**
 * One concert stream folded through its chain, as the authority folds it (an orphaned decision never happened):
 * seats held and confirmed for orders count against a level like the seats sold, exactly as the authority counts them.
 */
export type StreamFold = {
  stream: ConcertStreamState;
  /** The authority's clock at the stream's last decision. */
  decidedAt: string | null;
  /** The seats of each hold of the stream: an expiry names only the reservation. */
  held: Map<string, ReservedLine[]>;
  lapses: LapseView[];
  expiries: ExpiryView[];
  /** Each decided fact (by id) and its decision. */
  outcomes: Map<string, DecisionDoc<StreamDecisionType>>;
};

export const emptyStreamFold = (): StreamFold => ({
  stream: initialStreamState(),
  decidedAt: null,
  held: new Map(),
  lapses: [],
  expiries: [],
  outcomes: new Map(),
});

/** The next decision of the stream's chain, folded in place. */
export function foldStreamDecision(
  fold: StreamFold,
  doc: DecisionDoc<StreamDecisionType>,
  deviceId: string,
): void {
  fold.stream.concert = evolveStream(fold.stream, doc);
  fold.decidedAt = doc.meta.recordedAt;
  fold.outcomes.set(doc.meta.causationId, doc);
  if (doc.type === 'AllotmentLapsed' && doc.data.deviceId === deviceId) {
    const { concertId, level, quantity, lapsedAt } = doc.data;
    fold.lapses.push({ concertId, level, quantity, lapsedAt });
  }
  if (doc.type === 'ReservationPlaced') fold.held.set(doc.data.reservationId, doc.data.lines);
  if (doc.type === 'ReservationExpired') {
    const { reservationId, orderId, concertId, expiredAt } = doc.data;
    fold.expiries.push({
      reservationId,
      orderId,
      concertId,
      lines: fold.held.get(reservationId) ?? [],
      expiredAt,
    });
  }
}

/** The concert facts the view reads, by id: this device's, every device's refund requests, each concert's creation. */
export type ViewFacts = {
  /** This device's concert facts other than its scans and prints. */
  own: Map<string, FactDoc<ConcertFactType>>;
  /** This device's scans and annulments: undecided until decided, and listed nowhere else. */
  ownGate: Map<string, FactDoc<GateFactType>>;
  /** Every device's refund requests: a sale's refund may be asked at any desk. */
  refunds: Map<string, FactDoc<'SaleRefundRequested'>>;
  /** Each concert's first creation request (the lowest id): a later one for the same concert is a repeat. */
  creations: Map<string, FactDoc<'ConcertCreationRequested'>>;
};

export const noViewFacts = (): ViewFacts => ({
  own: new Map(),
  ownGate: new Map(),
  refunds: new Map(),
  creations: new Map(),
});

/** Takes a concert fact into what the view reads; false if the view does not read it or holds it already. */
export function keepViewFact(facts: ViewFacts, fact: FactDoc<ConcertFactType>, deviceId: string): boolean {
  let kept = false;
  if (fact.type === 'ConcertCreationRequested') {
    const first = facts.creations.get(fact.data.concertId);
    kept = !first || fact._id < first._id;
    if (kept) facts.creations.set(fact.data.concertId, fact);
  }
  const keep = <F extends FactDoc<ConcertFactType>>(into: Map<string, F>, kept: F) => {
    if (into.has(kept._id)) return false;
    into.set(kept._id, kept);
    return true;
  };
  if (fact.type === 'SaleRefundRequested') kept = keep(facts.refunds, fact) || kept;
  // A print is a record, not a request: the authority decides nothing about it.
  if (fact.meta.deviceId !== deviceId || fact.type === 'TicketsPrinted') return kept;
  if (isGateFact(fact)) return keep(facts.ownGate, fact) || kept;
  return keep(facts.own, fact) || kept;
}

export function projectDesk(docs: Iterable<AnyEventDoc>, deviceId: string): DeskView {
  const facts = noViewFacts();
  const streams = new Map<string, DecisionDoc<StreamDecisionType>[]>();
  const quarantined = new Map<string, string>();
  for (const doc of docs) {
    if (isConcertFact(doc)) keepViewFact(facts, doc, deviceId);
    else if (isStreamDecision(doc)) {
      const stream = streams.get(doc.stream);
      if (stream) stream.push(doc);
      else streams.set(doc.stream, [doc]);
    } else if (doc.type === 'FactQuarantined') quarantined.set(doc.data.docId, doc.data.reason);
  }
  const folds = new Map<string, StreamFold>();
  for (const [name, decisions] of streams) {
    const fold = emptyStreamFold();
    const links = decisions.map((doc) => ({ ...doc.meta, doc }));
    for (const { doc } of followChain(emptyChain(), links).accepted) foldStreamDecision(fold, doc, deviceId);
    folds.set(name, fold);
  }
  return deskViewOf(folds, quarantined, facts, deviceId);
}

/**
 * The view of the streams folded, the quarantined facts (id → reason) and the facts it reads. `gateUndecided`: the ids
 * of this device's gate facts with no outcome yet, when the caller keeps them as they change (desk-log.ts: a gate's
 * scans are tens of thousands); without it they are looked up here.
 */
export function deskViewOf(
  folds: ReadonlyMap<string, StreamFold>,
  quarantined: ReadonlyMap<string, string>,
  facts: ViewFacts,
  deviceId: string,
  gateUndecided?: Iterable<string>,
): DeskView {
  const states = new Map<string, Known>();
  const lapses: LapseView[] = [];
  const expiries: ExpiryView[] = [];
  let lastAuthorityTime: string | undefined;
  for (const fold of folds.values()) {
    const { decidedAt } = fold;
    lapses.push(...fold.lapses);
    expiries.push(...fold.expiries);
    if (decidedAt !== null && (lastAuthorityTime === undefined || later(decidedAt, lastAuthorityTime)))
      lastAuthorityTime = decidedAt;
    const state = fold.stream.concert;
    if (state.status !== 'none')
      states.set(state.concertId, { state, decidedAt, allotments: fold.stream.allotments });
  }
  // A fact is decided in its own stream; any stream is looked at, as the authority would accept it anywhere.
  const outcomeOf = (fact: FactDoc<ConcertFactType>): Outcome | undefined => {
    let decision = folds.get(fact.stream)?.outcomes.get(fact._id);
    for (const fold of decision ? [] : folds.values()) decision ??= fold.outcomes.get(fact._id);
    if (decision) return { decision };
    const reason = quarantined.get(fact._id);
    return reason === undefined ? undefined : { quarantined: reason };
  };

  const own = [...facts.own.values()].sort(byIdDescending);
  const settlements = new Map<string, SettlementView[]>();
  for (const fact of own)
    if (fact.type === 'SaleSettlementRecorded') {
      const list = settlements.get(fact.data.saleId) ?? [];
      list.push(settlementView(fact, outcomeOf(fact)));
      settlements.set(fact.data.saleId, list);
    }
  // A sale's refund may be asked at any desk; one that went through stays the answer.
  const refunds = new Map<string, RefundView>();
  for (const fact of [...facts.refunds.values()].sort(byIdDescending).reverse())
    if (refunds.get(fact.data.saleId)?.status !== 'refunded')
      refunds.set(fact.data.saleId, refundView(outcomeOf(fact)));
  const sales = own.flatMap((fact) =>
    fact.type === 'SaleRecorded'
      ? [
          {
            ...saleView(fact, outcomeOf(fact), settlements.get(fact._id) ?? []),
            refund: refunds.get(fact._id) ?? { status: 'none' as const, reason: null },
          },
        ]
      : [],
  );
  const requests = own.flatMap((fact) =>
    fact.type === 'SaleRecorded' ||
    fact.type === 'SaleSettlementRecorded' ||
    fact.type === 'TicketsPrinted' ||
    isGateFact(fact)
      ? []
      : [requestView(fact, outcomeOf(fact))],
  );

  // This desk's seats not decided yet, per level: all its sales, its pool sales, and what it claimed on its blocks
  // or asked back from them (those seats are no longer the block's to promise).
  const pending = new Map<string, number>();
  const pendingPool = new Map<string, number>();
  const pendingBlock = new Map<string, number>();
  const returningUnsold = new Set<string>();
  const add = (counts: Map<string, number>, key: string, quantity: number) =>
    counts.set(key, (counts.get(key) ?? 0) + quantity);
  for (const sale of sales) {
    if (sale.status !== 'pending' && sale.status !== 'guaranteed') continue;
    const key = levelKey(sale.concertId, sale.level);
    add(pending, key, sale.quantity);
    add(sale.claim === 'allotment' ? pendingBlock : pendingPool, key, sale.quantity);
  }
  for (const fact of own)
    if (fact.type === 'AllotmentReturnRequested' && !outcomeOf(fact)) {
      const key = levelKey(fact.data.concertId, fact.data.level);
      if (fact.data.quantity === 'unsold') returningUnsold.add(key);
      else add(pendingBlock, key, fact.data.quantity);
    }

  const concerts: ConcertView[] = [];
  for (const concertId of new Set([...states.keys(), ...facts.creations.keys()])) {
    const known = states.get(concertId);
    const creation = facts.creations.get(concertId);
    if (!known && !creation) continue;
    const view = known
      ? concertFromState(known)
      : concertFromRequest(creation as FactDoc<'ConcertCreationRequested'>, outcomeOf);
    view.levels = view.levels.map((level) => {
      const key = levelKey(concertId, level.name);
      const pendingHere = pending.get(key) ?? 0;
      const believedLeft = Math.max(0, level.left - (pendingPool.get(key) ?? 0));
      const block =
        known &&
        deskBlock(
          known.allotments,
          deviceId,
          level.name,
          pendingBlock.get(key) ?? 0,
          returningUnsold.has(key),
        );
      return { ...level, pendingHere, believedLeft, ...(block ? { block } : {}) };
    });
    concerts.push(view);
  }
  concerts.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.concertId.localeCompare(b.concertId));
  lapses.sort((a, b) => Date.parse(b.lapsedAt) - Date.parse(a.lapsedAt));
  expiries.sort(
    (a, b) =>
      Date.parse(b.expiredAt) - Date.parse(a.expiredAt) || a.reservationId.localeCompare(b.reservationId),
  );
  // Every fact of this device the authority has not answered (its prints ask for nothing), newest first.
  const undecided = [
    ...own.filter((fact) => !outcomeOf(fact)).map((fact) => fact._id),
    ...(gateUndecided ??
      [...facts.ownGate.values()].filter((fact) => !outcomeOf(fact)).map((fact) => fact._id)),
  ].sort(descending);

  return {
    concerts,
    sales,
    requests,
    undecided,
    ...(lastAuthorityTime === undefined ? {} : { lastAuthorityTime }),
    lapses,
    expiries,
  };
}

/** What deskConflicts needs of the orders the desk knows (order-view's OrderView): which are this desk's. */
export type DeskOrder = { orderId: string; mine: boolean; confirmedAt: string | null };

/**
 * What the authority decided differently from what this desk assumed, newest first: its rejected sales (with how
 * each was made good), the seats of its blocks that lapsed unsold, and the holds of its orders (`orders`, those it
 * confirmed) that expired unpaid.
 */
export function deskConflicts(view: DeskView, orders: readonly DeskOrder[] = []): DeskConflict[] {
  const rejected: DeskConflict[] = view.sales.flatMap((sale) =>
    sale.status === 'rejected'
      ? [
          {
            kind: 'rejected' as const,
            id: sale.saleId,
            concertId: sale.concertId,
            level: sale.level,
            quantity: sale.quantity,
            reason: sale.reason ?? '',
            deviceTime: sale.recordedAt,
            // A quarantined sale has no decision in the stream: the device's time is all there is.
            authorityTime: sale.decidedAt ?? sale.recordedAt,
            settlement: sale.settlement.status,
          },
        ]
      : [],
  );
  const lapsed: DeskConflict[] = (view.lapses ?? []).map((lapse) => ({
    kind: 'lapsed',
    id: `${lapse.concertId}:${lapse.level}`,
    concertId: lapse.concertId,
    level: lapse.level,
    quantity: lapse.quantity,
    reason: `${lapse.quantity} unsold "${lapse.level}" ${lapse.quantity === 1 ? 'seat' : 'seats'} of this desk's block lapsed at ${lapse.lapsedAt} and went back to the pool.`,
    deviceTime: null,
    authorityTime: lapse.lapsedAt,
    settlement: null,
  }));
  const mine = new Map(orders.filter((order) => order.mine).map((order) => [order.orderId, order]));
  const expired: DeskConflict[] = (view.expiries ?? []).flatMap((expiry) => {
    const order = mine.get(expiry.orderId);
    if (!order) return [];
    return expiry.lines.map(({ level, quantity }) => ({
      kind: 'expired' as const,
      id: `${expiry.reservationId}:${level}`,
      orderId: expiry.orderId,
      concertId: expiry.concertId,
      level,
      quantity,
      reason: `The hold on ${quantity} "${level}" ${quantity === 1 ? 'seat' : 'seats'} for order ${expiry.orderId} ran out at ${expiry.expiredAt} before it was paid: the seats went back on sale and the order was cancelled.`,
      deviceTime: order.confirmedAt,
      authorityTime: expiry.expiredAt,
      settlement: null,
    }));
  });
  return [...rejected, ...lapsed, ...expired].sort(
    (a, b) => Date.parse(b.authorityTime) - Date.parse(a.authorityTime) || a.id.localeCompare(b.id),
  );
}

/** Rejected sales of this desk still to be made good: no settlement, or the authority refused the last one. */
export const unhandledRejections = (view: DeskView): SaleView[] =>
  view.sales.filter(
    (sale) =>
      sale.status === 'rejected' &&
      (sale.settlement.status === 'none' || sale.settlement.status === 'refused'),
  );

function deskBlock(
  book: AllotmentBook,
  deviceId: string,
  level: string,
  pendingSeats: number,
  returningUnsold: boolean,
): DeskBlock | undefined {
  const block = blockOf(book, deviceId, level);
  if (!block) return undefined;
  const { granted, sold, returned, lapsed, lapsesAt } = block;
  const blockLeft = returningUnsold ? 0 : Math.max(0, remaining(book, deviceId, level) - pendingSeats);
  return { granted, sold, returned, lapsed, lapsesAt, pendingSeats, returningUnsold, blockLeft };
}

const later = (a: string, b: string): boolean => Date.parse(a) > Date.parse(b);

const levelKey = (concertId: string, level: string) => `${concertId}\u0000${level}`;

const byIdDescending = (a: { _id: string }, b: { _id: string }) =>
  a._id < b._id ? 1 : a._id > b._id ? -1 : 0;
const descending = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

function concertFromState({ state, decidedAt, allotments }: Known): ConcertView {
  const { details } = state;
  return {
    concertId: state.concertId,
    status: state.status,
    ...details,
    currency: state.currency,
    levels: state.levels.map((l) => ({
      ...l,
      left: Math.max(0, freeSeats(allotments, l)),
      pendingHere: 0,
      believedLeft: 0,
    })),
    reason: null,
    decidedAt,
    allotments,
  };
}

function concertFromRequest(
  request: FactDoc<'ConcertCreationRequested'>,
  outcomeOf: (fact: FactDoc<ConcertFactType>) => Outcome | undefined,
): ConcertView {
  const { concertId, levels, currency, ...details } = request.data;
  const outcome = outcomeOf(request);
  const reason = outcome ? rejectionOf(outcome) : null;
  return {
    concertId,
    status: reason === null ? 'requested' : 'rejected',
    ...details,
    currency,
    levels: levels.map((l) => ({ ...l, allocated: 0, left: l.capacity, pendingHere: 0, believedLeft: 0 })),
    reason,
    decidedAt: null,
  };
}

/** The authority's reason when the outcome is a refusal, else null. */
function rejectionOf(outcome: Outcome): string | null {
  if ('quarantined' in outcome) return outcome.quarantined;
  const { decision } = outcome;
  switch (decision.type) {
    case 'SaleRejected':
    case 'ConcertChangeRejected':
    case 'AllotmentRefused':
    case 'SaleSettlementRefused':
    case 'SaleRefundRefused':
      return decision.data.message;
    default:
      return null;
  }
}

function refundView(outcome: Outcome | undefined): RefundView {
  if (!outcome) return { status: 'pending', reason: null };
  const reason = rejectionOf(outcome);
  return reason === null ? { status: 'refunded', reason } : { status: 'refused', reason };
}

function saleView(
  fact: FactDoc<'SaleRecorded'>,
  outcome: Outcome | undefined,
  settlements: SettlementView[],
): SaleView {
  const { data } = fact;
  const reason = outcome ? rejectionOf(outcome) : null;
  const claim = data.claim ?? 'pool';
  const status: SaleState = !outcome
    ? claim === 'allotment'
      ? 'guaranteed'
      : 'pending'
    : reason === null
      ? 'confirmed'
      : 'rejected';
  return {
    saleId: fact._id,
    concertId: data.concertId,
    level: data.level,
    quantity: data.quantity,
    unitPrice: data.unitPrice,
    total: data.total,
    currency: data.currency,
    tendered: data.payment.tendered,
    change: data.payment.change,
    recordedAt: fact.meta.recordedAt,
    claim,
    status,
    reason,
    decidedAt: outcome && 'decision' in outcome ? outcome.decision.meta.recordedAt : null,
    settlement: status === 'rejected' ? settlementOf(settlements) : { status: 'none' },
  };
}

/** The settlement that counts among a sale's (newest first): the settled one, else the newest not refused. */
function settlementOf(settlements: SettlementView[]): SettlementView {
  return (
    settlements.find((s) => s.status === 'settled') ??
    settlements.find((s) => s.status === 'recorded') ??
    settlements[0] ?? { status: 'none' }
  );
}

function settlementView(
  fact: FactDoc<'SaleSettlementRecorded'>,
  outcome: Outcome | undefined,
): SettlementView {
  const { settlementId, kind, amount, exchangeSaleId } = fact.data;
  const reason = outcome ? rejectionOf(outcome) : null;
  return {
    status: !outcome ? 'recorded' : reason === null ? 'settled' : 'refused',
    settlementId,
    kind,
    amount,
    exchangeSaleId: exchangeSaleId ?? null,
    recordedAt: fact.meta.recordedAt,
    reason,
  };
}

function requestView(fact: FactDoc<RequestType>, outcome: Outcome | undefined): RequestView {
  const reason = outcome ? rejectionOf(outcome) : null;
  return {
    requestId: fact._id,
    concertId: fact.data.concertId,
    type: fact.type,
    status: !outcome ? 'pending' : reason === null ? 'accepted' : 'rejected',
    reason,
    recordedAt: fact.meta.recordedAt,
  };
}
