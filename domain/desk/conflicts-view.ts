// The manager's conflict report for one concert: every place where the authority decided differently from what a
// desk assumed, across all devices. A sale the authority rejected (with who sold it, both clocks, the reason and how
// it was made good), a desk's block that lapsed with seats unsold, and an order's hold that ran out unpaid. Pure and
// total, like desk-view.ts: read from the documents a device holds (the concert's, and for a hold's desk and staff
// the orders' CartConfirmed), through each stream's chain.
import type { AnyEventDoc, DecisionDoc, FactDoc } from '../events/catalogue';
import type { SaleRejectionCode } from '../inventory/events';
import type { GateEntry, ScanRefusal } from '../ticket/events';
import { readConcertLog } from './allotments-view';
import type { ConcertLog } from './allotments-view';

/** What became of the new sale of an exchange, as far as this device has heard. */
export type ExchangeSaleView = {
  saleId: string;
  /** Null while this device does not hold the new sale's fact. */
  concertId: string | null;
  level: string | null;
  quantity: number | null;
  status: 'unknown' | 'pending' | 'confirmed' | 'rejected';
};

/**
 * How a rejected sale was made good. `unsettled`: nobody has recorded anything yet; `settling`: the selling desk
 * recorded a refund or an exchange and the authority has not decided it yet; `cash_refund` / `exchange`: settled.
 */
export type ConflictOutcome =
  | { status: 'unsettled' }
  | { status: 'settling'; kind: 'cash_refund' | 'exchange' }
  | { status: 'cash_refund'; amount: number; currency: string; settledAt: string }
  | {
      status: 'exchange';
      amount: number;
      currency: string;
      settledAt: string;
      /** The new sale; null when the settlement did not name one. */
      exchange: ExchangeSaleView | null;
    };

export type RejectedSaleConflict = {
  kind: 'rejected_sale';
  /** The sale's id: the fact's, which the decision's cause names. */
  id: string;
  concertId: string;
  /** The desk that sold; null for a rejection from before allotments whose sale this device does not hold. */
  deviceId: string | null;
  /** The staff member who sold (the fact's userId); null when this device does not hold the sale's fact. */
  userId: string | null;
  level: string;
  quantity: number;
  /** What the desk told the buyer: guaranteed from its block, or pending. */
  claim: 'allotment' | 'pool';
  /** The device's clock when it sold: informational, it may be wrong by a day. Null without the fact. */
  deviceTime: string | null;
  /** The authority's clock when it decided. */
  authorityTime: string;
  code: SaleRejectionCode;
  reason: string;
  outcome: ConflictOutcome;
};

export type LapsedBlockConflict = {
  kind: 'lapsed_block';
  /** The lapse's cause id: one per block and grant total. */
  id: string;
  concertId: string;
  deviceId: string;
  level: string;
  /** Unsold seats that went back to the pool. */
  quantity: number;
  /** No device decided anything: a lapse has no device time. */
  deviceTime: null;
  /** When the block lapsed, on the authority's clock. */
  authorityTime: string;
};

/**
 * One level of an order's hold that the authority expired on its clock before the order was paid: the seats went
 * back on sale and the order was cancelled. One per reservation and level.
 */
export type ExpiredHoldConflict = {
  kind: 'expired_hold';
  /** `<reservationId>:<level>`. */
  id: string;
  reservationId: string;
  orderId: string;
  concertId: string;
  /** The desk that confirmed the order; null when this device does not hold the order's CartConfirmed. */
  deviceId: string | null;
  /** Who confirmed the order at the desk, else whom the hold names. */
  userId: string;
  level: string;
  quantity: number;
  /** The desk's clock when it confirmed the order (informational); null without the CartConfirmed. */
  deviceTime: string | null;
  /** When the hold ran out, on the authority's clock. */
  authorityTime: string;
  /** Until when the authority had held the seats (its clock). */
  heldUntil: string;
};

/**
 * A scan a gate let through that the authority, with every gate's scans in one order, refused: above all a ticket
 * used twice (two scanners offline could not know), naming both gates and times; also a ticket the scanner could not
 * know was refunded. One per scan.
 */
export type GateRefusalConflict = {
  kind: 'gate_refusal';
  /** The refused scan's id. */
  id: string;
  concertId: string;
  ticketId: string;
  /** The scanner that let the ticket through. */
  deviceId: string | null;
  userId: string | null;
  /** The ticket's level, when this device knows the ticket. */
  level: string;
  quantity: 1;
  gate: string;
  reason: ScanRefusal;
  /** For a ticket used twice: the entry that counted (its gate and scanner time). */
  firstEntry: GateEntry | null;
  /** The scanner's clock at the second scan. */
  deviceTime: string;
  authorityTime: string;
};

export type Conflict = RejectedSaleConflict | LapsedBlockConflict | ExpiredHoldConflict | GateRefusalConflict;

export type ConflictOrder = 'authority' | 'device';

/**
 * Every conflict of the concert, oldest first by `order`'s clock: the authority's (the default), or the devices'
 * (a lapse, which has none, sorts by the authority's). Ties keep the stream's order.
 */
export function projectConflicts(
  docs: Iterable<AnyEventDoc>,
  concertId: string,
  order: ConflictOrder = 'authority',
): Conflict[] {
  const all = [...docs];
  const logs = new Map<string, ConcertLog>();
  const logOf = (id: string): ConcertLog => {
    const known = logs.get(id);
    if (known) return known;
    const read = readConcertLog(all, id);
    logs.set(id, read);
    return read;
  };
  const log = logOf(concertId);
  const settlements = settlementsOf(log);
  const carts = new Map<string, FactDoc<'CartConfirmed'>>();
  for (const doc of all) if (doc.type === 'CartConfirmed') carts.set(doc.data.orderId, doc);
  const holds = new Map<string, DecisionDoc<'ReservationPlaced'>>();
  const levels = ticketLevels();
  const conflicts: Conflict[] = [];
  for (const decision of log.decisions) {
    if (decision.type === 'SaleRejected') {
      const fact = saleFact(log.facts.get(decision.meta.causationId));
      const settlement = settlements.get(decision.data.saleId);
      conflicts.push(rejectedSale(decision, fact, outcomeOf(settlement, all, logOf)));
    } else if (decision.type === 'AllotmentLapsed') {
      const { deviceId, level, quantity, lapsedAt } = decision.data;
      conflicts.push({
        kind: 'lapsed_block',
        id: decision.meta.causationId,
        concertId,
        deviceId,
        level,
        quantity,
        deviceTime: null,
        authorityTime: lapsedAt,
      });
    } else if (decision.type === 'ReservationPlaced') holds.set(decision.data.reservationId, decision);
    else if (decision.type === 'ReservationExpired') {
      const { reservationId, orderId } = decision.data;
      conflicts.push(...expiredHold(decision, holds.get(reservationId), carts.get(orderId)));
    } else if (decision.type === 'SeatsAllocated' || decision.type === 'TicketsIssued') levels.add(decision);
    else if (decision.type === 'TicketScanRefused') {
      const refusal = gateRefusal(decision, log.facts.get(decision.meta.causationId), levels);
      if (refusal) conflicts.push(refusal);
    }
  }
  const time = (c: Conflict) =>
    Date.parse(order === 'device' ? (c.deviceTime ?? c.authorityTime) : c.authorityTime);
  // Array.prototype.sort is stable: conflicts at one instant stay in the stream's order.
  return conflicts.sort((a, b) => time(a) - time(b));
}

/** One conflict per level the hold had. */
function expiredHold(
  expiry: DecisionDoc<'ReservationExpired'>,
  hold: DecisionDoc<'ReservationPlaced'> | undefined,
  cart: FactDoc<'CartConfirmed'> | undefined,
): ExpiredHoldConflict[] {
  // The chain is read from its start: an expiry it reached comes after the hold it ends, in the same stream.
  if (!hold) return [];
  const { reservationId, orderId, concertId, expiredAt } = expiry.data;
  // An empty userId is a desk nobody was signed in at: the hold names the staff the order asked for.
  const staff = cart?.data.staff.userId ?? '';
  return hold.data.lines.map(({ level, quantity }) => ({
    kind: 'expired_hold',
    id: `${reservationId}:${level}`,
    reservationId,
    orderId,
    concertId,
    deviceId: cart?.meta.deviceId ?? null,
    userId: staff === '' ? hold.data.heldBy : staff,
    level,
    quantity,
    deviceTime: cart?.meta.recordedAt ?? null,
    authorityTime: expiredAt,
    heldUntil: hold.data.expiresAt,
  }));
}

/** The level of each ticket the stream sold or issued, by ticket id. */
function ticketLevels() {
  const bySale = new Map<string, string>();
  const byTicket = new Map<string, string>();
  return {
    add(decision: DecisionDoc<'SeatsAllocated' | 'TicketsIssued'>): void {
      if (decision.type === 'SeatsAllocated') bySale.set(decision.data.saleId, decision.data.level);
      else for (const ticket of decision.data.tickets) byTicket.set(ticket.ticketId, ticket.level);
    },
    /** A sale's tickets are `sale:<saleId>:t<n>`. */
    of(ticketId: string): string | undefined {
      const sale = /^sale:(.+):t\d+$/.exec(ticketId)?.[1];
      return byTicket.get(ticketId) ?? (sale === undefined ? undefined : bySale.get(sale));
    },
  };
}

/** A refusal of a scan its scanner let through (a scanner's own refusal is no conflict: nobody went in). */
function gateRefusal(
  decision: DecisionDoc<'TicketScanRefused'>,
  fact: AnyEventDoc | undefined,
  levels: ReturnType<typeof ticketLevels>,
): GateRefusalConflict | undefined {
  const scanned = fact?.type === 'TicketScanned' ? fact : undefined;
  const letThrough = scanned
    ? scanned.data.verdict === 'valid' || scanned.data.verdict === 'exited'
    : decision.data.firstEntry !== null;
  if (!letThrough) return undefined;
  const { scanId, concertId, ticketId, gate, reason, firstEntry, at } = decision.data;
  return {
    kind: 'gate_refusal',
    id: scanId,
    concertId,
    ticketId,
    deviceId: decision.data.deviceId ?? scanned?.meta.deviceId ?? null,
    userId: scanned?.meta.userId ?? null,
    level: levels.of(ticketId) ?? '',
    quantity: 1,
    gate,
    reason,
    firstEntry,
    deviceTime: at,
    authorityTime: decision.meta.recordedAt,
  };
}

const saleFact = (doc: AnyEventDoc | undefined): FactDoc<'SaleRecorded'> | undefined =>
  doc?.type === 'SaleRecorded' ? doc : undefined;

function rejectedSale(
  decision: DecisionDoc<'SaleRejected'>,
  fact: FactDoc<'SaleRecorded'> | undefined,
  outcome: ConflictOutcome,
): RejectedSaleConflict {
  const { saleId, concertId, level, quantity, code, message } = decision.data;
  return {
    kind: 'rejected_sale',
    id: saleId,
    concertId,
    deviceId: decision.data.deviceId ?? fact?.meta.deviceId ?? null,
    userId: fact?.meta.userId ?? null,
    level,
    quantity,
    claim: fact?.data.claim ?? 'pool',
    deviceTime: fact?.meta.recordedAt ?? null,
    authorityTime: decision.meta.recordedAt,
    code,
    reason: message,
    outcome,
  };
}

/** A rejected sale's settlement: the one the authority decided, else one the desk recorded and awaits. */
type Settlement = { decided: DecisionDoc<'SaleSettled'> } | { recorded: FactDoc<'SaleSettlementRecorded'> };

function settlementsOf(log: ConcertLog): Map<string, Settlement> {
  const settlements = new Map<string, Settlement>();
  for (const decision of log.decisions)
    if (decision.type === 'SaleSettled') settlements.set(decision.data.saleId, { decided: decision });
  for (const fact of log.facts.values())
    if (
      fact.type === 'SaleSettlementRecorded' &&
      !settlements.has(fact.data.saleId) &&
      !log.outcomes.has(fact._id) &&
      !log.quarantined.has(fact._id)
    )
      settlements.set(fact.data.saleId, { recorded: fact });
  return settlements;
}

function outcomeOf(
  settlement: Settlement | undefined,
  docs: AnyEventDoc[],
  logOf: (concertId: string) => ConcertLog,
): ConflictOutcome {
  if (!settlement) return { status: 'unsettled' };
  if ('recorded' in settlement) return { status: 'settling', kind: settlement.recorded.data.kind };
  const { kind, amount, currency, exchangeSaleId } = settlement.decided.data;
  const settledAt = settlement.decided.meta.recordedAt;
  if (kind === 'cash_refund') return { status: 'cash_refund', amount, currency, settledAt };
  return {
    status: 'exchange',
    amount,
    currency,
    settledAt,
    exchange: exchangeSaleId === undefined ? null : exchangeSale(exchangeSaleId, docs, logOf),
  };
}

/** The exchange's new sale (of this concert or another) and the authority's answer to it, as this device knows. */
function exchangeSale(
  saleId: string,
  docs: AnyEventDoc[],
  logOf: (concertId: string) => ConcertLog,
): ExchangeSaleView {
  const fact = saleFact(docs.find((doc) => doc._id === saleId && doc.type === 'SaleRecorded'));
  if (!fact) return { saleId, concertId: null, level: null, quantity: null, status: 'unknown' };
  const { concertId, level, quantity } = fact.data;
  const log = logOf(concertId);
  const decision = log.outcomes.get(saleId);
  // A quarantined sale is never allocated: for the buyer it is as good as rejected.
  const status =
    decision?.type === 'SeatsAllocated'
      ? 'confirmed'
      : decision?.type === 'SaleRejected' || log.quarantined.has(saleId)
        ? 'rejected'
        : 'pending';
  return { saleId, concertId, level, quantity, status };
}
