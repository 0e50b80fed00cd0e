// The manager's conflict report for one concert: every place where the authority decided differently from what a
// desk assumed, across all devices. A sale the authority rejected (with who sold it, both clocks, the reason and how
// it was made good), and a desk's block that lapsed with seats unsold. Pure and total, like desk-view.ts: read from
// the documents a device holds, through each stream's chain.
import type { AnyEventDoc, DecisionDoc, FactDoc } from '../events/catalogue';
import type { SaleRejectionCode } from '../inventory/events';
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

export type Conflict = RejectedSaleConflict | LapsedBlockConflict;

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
    }
  }
  const time = (c: Conflict) =>
    Date.parse(order === 'device' ? (c.deviceTime ?? c.authorityTime) : c.authorityTime);
  // Array.prototype.sort is stable: conflicts at one instant stay in the stream's order.
  return conflicts.sort((a, b) => time(a) - time(b));
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
