// The gate in a concert's stream: every gate's scans put in one order, so the first valid entry wins and a ticket used
// at two gates offline is caught (refused `already_used`, naming where and when it went in); a scanner's own mistaken
// scan annulled within two minutes; a confirmed sale refunded, its tickets voided and its seats back to the pool; and
// an order's refunded tickets voided the same way, at the orders authority's request.
// Pure: the concert authority brings the clock; its ledgers grow in place (see concert-authority.ts).
import type { ConcertState } from '../concert/concert';
import type { DataOf, DecisionType, FactDoc } from '../events/catalogue';
import { saleOrderIdFor, saleReservationIdFor, ticketIdsFor } from '../order/order';
import { assertNever } from '../shared/decider';
import type { GateEntry, ScanRefusal } from '../ticket/events';
import { scanRefusals } from '../ticket/events';
import { gateDecisionTypes, gateFactTypes } from '../ticket/gate-events';
import { judgeScan } from '../ticket/gate';
import { annulWindowMs } from '../ticket/gate-events';
import type { AnnulRefusal, RefundRefusal } from '../ticket/gate-events';
import type { VoidRefusal } from '../events/order-flow';

/** A map the authority owns, or a batch's tentative layer over it. */
export type Ledger<V> = { get(key: string): V | undefined; set(key: string, value: V): unknown };

/** A ticket as the gate knows it: from a sale allocated or an order's tickets issued. */
export type GateTicket = {
  ticketId: string;
  concertId: string;
  level: string;
  orderId: string;
  status: 'valid' | 'voided';
};

/** One scan the gate decided, with what an annulment needs to undo it. */
export type Passage = {
  scanId: string;
  ticketId: string;
  /** The scanner that made it (the only one that may annul it). */
  deviceId: string | undefined;
  gate: string;
  /** The scanner's clock at the scan. */
  at: string;
  outcome: 'entered' | 'exited' | 'refused';
  /** Where the ticket was before this scan, and the scan that put it there. */
  before: GateEntry | null;
  previous: string | undefined;
  annulled: boolean;
};

export type GateBook = {
  tickets: Ledger<GateTicket>;
  /** Each ticket's entry since its last exit (null: outside), also for a ticket sold offline not heard of yet. */
  inside: Ledger<GateEntry | null>;
  /** Each ticket's latest passage in or out (scan id). */
  latest: Ledger<string | undefined>;
  passages: Ledger<Passage>;
};

/**
 * The gate's tickets. A sale's tickets are kept as the sale (its level and how many), and made when one is asked
 * for: a concert of 100,000 tickets sold at desks is 25,000 entries, not 100,000 objects and keys built at every
 * start of a scanner. Any other ticket, and any change to one (a void), is kept one by one and wins over the sale's.
 * It answers exactly as a Map holding every ticket issued would.
 */
export class TicketLedger implements Ledger<GateTicket> {
  readonly #tickets = new Map<string, GateTicket>();
  readonly #sales = new Map<string, { concertId: string; level: string; quantity: number }>();
  /** The tickets of each sale kept one by one (their numbers), so none is counted twice. */
  readonly #apart = new Map<string, Set<number>>();
  #size = 0;

  /** How many distinct tickets it holds. */
  get size(): number {
    return this.#size;
  }

  get(ticketId: string): GateTicket | undefined {
    const kept = this.#tickets.get(ticketId);
    if (kept) return kept;
    const of = saleTicketOf(ticketId);
    const sale = of && this.#sales.get(of.saleId);
    if (!of || !sale || of.number > sale.quantity) return undefined;
    const { concertId, level } = sale;
    return { ticketId, concertId, level, orderId: saleOrderIdFor(of.saleId), status: 'valid' };
  }

  set(ticketId: string, ticket: GateTicket): void {
    if (!this.get(ticketId)) this.#size += 1;
    this.#tickets.set(ticketId, ticket);
    const of = saleTicketOf(ticketId);
    if (!of) return;
    const apart = this.#apart.get(of.saleId) ?? new Set<number>();
    apart.add(of.number);
    this.#apart.set(of.saleId, apart);
  }

  /** Issues a sale's tickets 1…quantity; those it holds already keep their state (as `issue` does one by one). */
  allocate(saleId: string, concertId: string, level: string, quantity: number): void {
    const before = this.#sales.get(saleId);
    if (before) {
      // Seats allocated to the same sale again: only tickets it did not have yet are new, each on its own.
      const orderId = saleOrderIdFor(saleId);
      for (const ticketId of ticketIdsFor(saleReservationIdFor(saleId), quantity).slice(before.quantity))
        if (!this.get(ticketId)) this.set(ticketId, { ticketId, concertId, level, orderId, status: 'valid' });
      return;
    }
    this.#sales.set(saleId, { concertId, level, quantity });
    let apart = 0;
    for (const number of this.#apart.get(saleId) ?? []) if (number <= quantity) apart += 1;
    this.#size += quantity - apart;
  }
}

const salePrefix = saleReservationIdFor('');

/** The sale and the number of a ticket id made by ticketIdsFor(saleReservationIdFor(saleId), …), in its one spelling. */
function saleTicketOf(ticketId: string): { saleId: string; number: number } | undefined {
  if (!ticketId.startsWith(salePrefix)) return undefined;
  const at = ticketId.lastIndexOf(':t');
  if (at <= salePrefix.length) return undefined;
  const digits = ticketId.slice(at + 2);
  const number = Number(digits);
  if (!Number.isSafeInteger(number) || number < 1 || String(number) !== digits) return undefined;
  return { saleId: ticketId.slice(salePrefix.length, at), number };
}

export const initialGateBook = (): GateBook => ({
  tickets: new TicketLedger(),
  inside: new Map(),
  latest: new Map(),
  passages: new Map(),
});

function layered<V>(base: Ledger<V>): Ledger<V> {
  const changed = new Map<string, V>();
  return {
    get: (key) => (changed.has(key) ? changed.get(key) : base.get(key)),
    set: (key, value) => changed.set(key, value),
  };
}

/** The book with a batch's changes kept apart from the base's (an append that loses leaves the base as written). */
export const tentativeGateBook = (base: GateBook): GateBook => ({
  tickets: layered(base.tickets),
  inside: layered(base.inside),
  latest: layered(base.latest),
  passages: layered(base.passages),
});

export type GateFactType = (typeof gateFactTypes)[number];
export type GateDecisionType = (typeof gateDecisionTypes)[number];
export type GateDecision = { [K in GateDecisionType]: { type: K; data: DataOf<K> } }[GateDecisionType];

export const isGateFact = (fact: { type: string }): fact is FactDoc<GateFactType> =>
  (gateFactTypes as readonly string[]).includes(fact.type);
export const isGateDecision = <D extends { type: string }>(
  doc: D,
): doc is Extract<D, { type: GateDecisionType }> =>
  (gateDecisionTypes as readonly string[]).includes(doc.type);

/** The gate's decision for a fact; `now` is the authority's clock (a refund's time). */
export function decideGateFact(fact: FactDoc<GateFactType>, gate: GateBook, now: string): GateDecision {
  switch (fact.type) {
    case 'TicketScanned':
      return decideScan(fact, gate);
    case 'TicketScanAnnulled':
      return decideAnnulment(fact, gate);
    case 'SaleRefundRequested':
      return decideRefund(fact, gate, now);
    default:
      return assertNever(fact);
  }
}

const isRefusal = (verdict: string): verdict is ScanRefusal =>
  (scanRefusals as readonly string[]).includes(verdict);

/**
 * A scan the scanner let through is judged again against every gate's scans, in the authority's order. A scan the
 * scanner turned away stays a refusal (nobody went in or out). A signed code the scanner verified vouches for a
 * ticket the authority has not heard of yet: it was sold offline, and its sale comes later.
 */
function decideScan(fact: FactDoc<'TicketScanned'>, gate: GateBook): GateDecision {
  const { verdict, code, kind: _kind, ...scan } = fact.data;
  const deviceId = fact.meta.deviceId;
  if (isRefusal(verdict)) {
    const { scanId, ticketId, concertId, direction, scannedAt: at } = scan;
    const data = { scanId, ticketId, concertId, gate: scan.gate, deviceId, direction, at, reason: verdict };
    return { type: 'TicketScanRefused', data: { ...data, ticketConcertId: null, firstEntry: null } };
  }
  const known = gate.tickets.get(scan.ticketId);
  const ticket =
    known ?? (code === undefined ? undefined : { concertId: scan.concertId, status: 'valid' as const });
  return judgeScan(
    { ...scan, deviceId },
    {
      tickets: {
        get: (ticketId) => (ticket ? { ...ticket, inside: gate.inside.get(ticketId) ?? null } : undefined),
      },
    },
  );
}

const annulMessages: Record<AnnulRefusal, string> = {
  unknown_scan: 'This scan is not known: it was not recorded, or not for this ticket.',
  not_own_scan: 'Only the scanner that made a scan can annul it.',
  too_late: 'A scan can be annulled within two minutes only.',
  superseded: 'The ticket was scanned again since: annul the latest scan first.',
  already_annulled: 'This scan was annulled already.',
};

function decideAnnulment(fact: FactDoc<'TicketScanAnnulled'>, gate: GateBook): GateDecision {
  const { annulledAt, ...annul } = fact.data;
  const passage = gate.passages.get(annul.scanId);
  const refuse = (code: AnnulRefusal): GateDecision => ({
    type: 'TicketScanAnnulmentRefused',
    data: { ...annul, code, message: annulMessages[code] },
  });
  if (!passage || passage.ticketId !== annul.ticketId) return refuse('unknown_scan');
  if (passage.deviceId !== fact.meta.deviceId) return refuse('not_own_scan');
  if (passage.annulled) return refuse('already_annulled');
  if (Date.parse(annulledAt) - Date.parse(passage.at) > annulWindowMs) return refuse('too_late');
  const moved = passage.outcome !== 'refused';
  if (moved && gate.latest.get(passage.ticketId) !== passage.scanId) return refuse('superseded');
  const inside = moved ? passage.before : (gate.inside.get(passage.ticketId) ?? null);
  const data = { ...annul, gate: passage.gate, deviceId: fact.meta.deviceId, inside };
  return { type: 'TicketScanAnnulmentAccepted', data };
}

const refundMessages: Record<RefundRefusal, string> = {
  unknown_sale: 'This concert has no confirmed sale with these tickets.',
  not_of_sale: 'Some of these tickets are not this sale’s, or are named twice.',
  already_refunded: 'Some of these tickets are refunded or voided already.',
};

function decideRefund(fact: FactDoc<'SaleRefundRequested'>, gate: GateBook, now: string): GateDecision {
  const { refundId, saleId, concertId, ticketIds, amount, currency } = fact.data;
  const refuse = (code: RefundRefusal): GateDecision => ({
    type: 'SaleRefundRefused',
    data: { refundId, saleId, concertId, code, message: refundMessages[code] },
  });
  const orderId = saleOrderIdFor(saleId);
  const tickets = ticketIds.map((id) => gate.tickets.get(id));
  const [first] = tickets;
  if (!tickets.some((t) => t?.orderId === orderId)) return refuse('unknown_sale');
  if (!first || new Set(ticketIds).size !== ticketIds.length || tickets.some((t) => t?.orderId !== orderId))
    return refuse('not_of_sale');
  if (tickets.some((t) => t?.status === 'voided')) return refuse('already_refunded');
  const deviceId = fact.meta.deviceId;
  const data = { refundId, saleId, concertId, level: first.level, ticketIds, amount, currency, deviceId };
  return { type: 'SaleRefunded', data: { ...data, refundedAt: now } };
}

/** What the concert decides when the orders authority asks it to void an order's refunded tickets. */
export type VoidDecision =
  | { type: 'TicketsVoided'; data: DataOf<'TicketsVoided'> }
  | { type: 'TicketsVoidRefused'; data: DataOf<'TicketsVoidRefused'> };
export const voidDecisionTypes = [
  'TicketsVoided',
  'TicketsVoidRefused',
] as const satisfies readonly DecisionType[];
export const isVoidDecision = <D extends { type: string }>(
  doc: D,
): doc is Extract<D, { type: VoidDecision['type'] }> =>
  (voidDecisionTypes as readonly string[]).includes(doc.type);

/** At most two ids named in a sentence: a refusal's message holds 500 characters, an id up to 200. */
const list = (ticketIds: readonly string[]): string =>
  ticketIds.length > 2
    ? `${ticketIds.slice(0, 2).join(', ')} and ${ticketIds.length - 2} more`
    : ticketIds.join(', ');

/**
 * An order's refund reaches the gate: its tickets still valid are voided and their seats go back. A ticket voided
 * before (the desk refunded the cash sale it came from) stays voided and is named apart: it gave its seat back then.
 * Nothing is voided when a ticket is not this concert's or not this order's (the request is wrong, not half right), or
 * when every ticket was voided already. `now` is the authority's clock.
 */
export function decideVoid(
  request: DataOf<'TicketsVoidRequested'>,
  gate: GateBook,
  now: string,
): VoidDecision {
  const { refundId, orderId, concertId } = request;
  const ticketIds = [...new Set(request.ticketIds)];
  const refuse = (code: VoidRefusal, about: string[], message: string): VoidDecision => ({
    type: 'TicketsVoidRefused',
    data: { refundId, orderId, concertId, code, ticketIds: about, message },
  });
  const unknown = ticketIds.filter((id) => !gate.tickets.get(id));
  if (unknown.length > 0)
    return refuse(
      'unknown_ticket',
      unknown,
      `This concert issued no ticket ${list(unknown)}: nothing was voided.`,
    );
  const tickets = ticketIds.flatMap((id) => {
    const ticket = gate.tickets.get(id);
    return ticket ? [ticket] : [];
  });
  const foreign = tickets.filter((t) => t.orderId !== orderId).map((t) => t.ticketId);
  if (foreign.length > 0) {
    const which = foreign.length > 1 ? `Tickets ${list(foreign)} are` : `Ticket ${list(foreign)} is`;
    return refuse('not_of_order', foreign, `${which} another order's: nothing was voided.`);
  }
  const valid = tickets.filter((t) => t.status === 'valid');
  const alreadyVoided = tickets.filter((t) => t.status === 'voided').map((t) => t.ticketId);
  if (valid.length === 0)
    return refuse(
      'already_voided',
      alreadyVoided,
      'These tickets were voided already (refunded at a desk): their seats were given back then.',
    );
  const voided = valid.map(({ ticketId, level }) => ({ ticketId, level }));
  return {
    type: 'TicketsVoided',
    data: { refundId, orderId, concertId, tickets: voided, alreadyVoided, voidedAt: now },
  };
}

/** A decision as the gate folds it: a stream's document, or one a scanner made up locally. */
export type AnyDecision = { [K in DecisionType]: { type: K; data: DataOf<K> } }[DecisionType];

export function evolveGate(gate: GateBook, doc: AnyDecision): void {
  switch (doc.type) {
    case 'SeatsAllocated': {
      const { saleId, concertId, level, quantity } = doc.data;
      if (gate.tickets instanceof TicketLedger) {
        gate.tickets.allocate(saleId, concertId, level, quantity);
        return;
      }
      const orderId = saleOrderIdFor(saleId);
      for (const ticketId of ticketIdsFor(saleReservationIdFor(saleId), quantity))
        issue(gate, { ticketId, concertId, level, orderId, status: 'valid' });
      return;
    }
    case 'TicketsIssued':
      for (const { ticketId, concertId, level, orderId } of doc.data.tickets)
        issue(gate, { ticketId, concertId, level, orderId, status: 'valid' });
      return;
    case 'TicketEntered':
    case 'TicketExited':
    case 'TicketScanRefused': {
      const { scanId, ticketId, gate: at, deviceId } = doc.data;
      const before = gate.inside.get(ticketId) ?? null;
      const outcome =
        doc.type === 'TicketEntered' ? 'entered' : doc.type === 'TicketExited' ? 'exited' : 'refused';
      const previous = gate.latest.get(ticketId);
      gate.passages.set(scanId, {
        scanId,
        ticketId,
        deviceId,
        gate: at,
        at: doc.data.at,
        outcome,
        before,
        previous,
        annulled: false,
      });
      if (outcome === 'refused') return;
      gate.latest.set(ticketId, scanId);
      gate.inside.set(ticketId, outcome === 'entered' ? { gate: at, at: doc.data.at } : null);
      return;
    }
    case 'TicketScanAnnulmentAccepted': {
      const passage = gate.passages.get(doc.data.scanId);
      if (!passage) return;
      gate.passages.set(passage.scanId, { ...passage, annulled: true });
      if (passage.outcome === 'refused') return;
      gate.inside.set(passage.ticketId, doc.data.inside);
      gate.latest.set(passage.ticketId, passage.previous);
      return;
    }
    case 'SaleRefunded':
      voidAll(gate, doc.data.ticketIds);
      return;
    case 'TicketsVoided':
      voidAll(
        gate,
        doc.data.tickets.map((t) => t.ticketId),
      );
      return;
    default:
      return;
  }
}

function voidAll(gate: GateBook, ticketIds: readonly string[]): void {
  for (const ticketId of ticketIds) {
    const ticket = gate.tickets.get(ticketId);
    if (ticket) gate.tickets.set(ticketId, { ...ticket, status: 'voided' });
  }
}

/** Issued once: a sale's tickets come again with its order's TicketsIssued, and keep their state. */
function issue(gate: GateBook, ticket: GateTicket): void {
  if (!gate.tickets.get(ticket.ticketId)) gate.tickets.set(ticket.ticketId, ticket);
}

/**
 * The concert after a gate decision: a refund gives its seats back to the level's free seats, a sale's and an order's
 * alike (both count in the level's `allocated`: a sale when allocated, an order's when its hold was confirmed).
 */
export function evolveGateSeats(concert: ConcertState, decision: GateDecision | VoidDecision): ConcertState {
  if (concert.status === 'none') return concert;
  const back = new Map<string, number>();
  if (decision.type === 'SaleRefunded') back.set(decision.data.level, decision.data.ticketIds.length);
  else if (decision.type === 'TicketsVoided')
    for (const { level } of decision.data.tickets) back.set(level, (back.get(level) ?? 0) + 1);
  if (back.size === 0) return concert;
  const levels = concert.levels.map((l) => {
    const seats = back.get(l.name) ?? 0;
    return seats === 0 ? l : { ...l, allocated: Math.max(0, l.allocated - seats) };
  });
  return { ...concert, levels };
}
