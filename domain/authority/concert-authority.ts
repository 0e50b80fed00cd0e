// The authority's view of one concert: the concert's decision stream folded into state, and the rule that turns
// each device fact, each request of the orders authority and each hold whose time has come into exactly one decision.
// Direct sales and reservations share one capacity: a level's `allocated` counts the seats sold, held and confirmed.
// Pure: the sync server brings the I/O, ids and the clock.
import { decideConcert, evolveConcert, initialConcertState, ConcertRuleBroken } from '../concert/concert';
import type { ConcertCommand, ConcertState } from '../concert/concert';
import type { ConcertDecision } from '../concert/events';
import { availability, decideSale, evolveInventory, isInventoryDecision } from '../inventory/inventory';
import type { InventoryDecision } from '../inventory/events';
import { ticketIdsFor } from '../order/order';
import { issueTicketsFor, reservationCommandFor, reserveSeatsFor } from '../order/routing';
import {
  decideReservation,
  evolveReservation,
  initialReservationState,
  reserveOrRefuse,
  ReservationRuleBroken,
  seatsTaken,
} from '../reservation/reservation';
import type { ReservationState } from '../reservation/reservation';
import type { ReservationDecision, ReservationRejectionCode, ReservedLine } from '../reservation/events';
import { concertForTickets, decideTicket, initialTicketBook, TicketRuleBroken } from '../ticket/ticket';
import type { TicketRuleCode } from '../ticket/ticket';
import { assertNever } from '../shared/decider';
import { emptyChain, streamDecisionDoc } from '../log/stream';
import type { ChainHead, DecisionContext } from '../log/stream';
import type {
  AnyEventDoc,
  ConcertDecisionType,
  ConcertFactType,
  DataOf,
  DecisionDoc,
  DecisionType,
  FactDoc,
  RequestDoc,
} from '../events/catalogue';
import { isConcertDecision } from '../events/catalogue';
import {
  blockOf,
  decideAllotment,
  decideLapse,
  evolveAllotment,
  initialAllotmentBook,
  lapseCauseId,
  lapsesDue,
  outstanding,
} from '../allotment/allotment';
import type { AllotmentBook } from '../allotment/allotment';
import { allotmentDecisionSchemas, allotmentFactSchemas } from '../allotment/events';
import {
  decideGateFact,
  decideVoid,
  evolveGate,
  evolveGateSeats,
  initialGateBook,
  isGateDecision,
  isGateFact,
  isVoidDecision,
  tentativeGateBook,
} from './concert-gate';
import type { GateBook, GateDecision, GateFactType, VoidDecision } from './concert-gate';
import type { AllotmentDecision, AllotmentFact } from '../allotment/events';

/** What the concert decides about itself, its direct sales and the desks' blocks of seats. */
export type Decision = ConcertDecision | InventoryDecision | AllotmentDecision | GateDecision;

const allotmentFactTypes: readonly string[] = Object.keys(allotmentFactSchemas);
const allotmentDecisionTypes: readonly string[] = Object.keys(allotmentDecisionSchemas);
const isAllotmentFact = (fact: FactDoc<ConcertFactType>): fact is FactDoc<AllotmentFact['type']> =>
  allotmentFactTypes.includes(fact.type);
const isAllotmentDecision = (
  doc: DecisionDoc<StreamDecisionType>,
): doc is DecisionDoc<AllotmentDecision['type']> => allotmentDecisionTypes.includes(doc.type);

/** What the concert decides about the order flow's reservations and tickets; each is relayed to the order. */
export const orderFlowDecisionTypes = [
  'ReservationPlaced',
  'ReservationRefused',
  'ReservationConfirmed',
  'ReservationExpired',
  'ReservationReleased',
  'TicketsIssued',
] as const satisfies readonly DecisionType[];
export type OrderFlowDecisionType = (typeof orderFlowDecisionTypes)[number];
export type OrderFlowDecision =
  | Extract<ReservationDecision, { type: Exclude<OrderFlowDecisionType, 'TicketsIssued'> }>
  | { type: 'TicketsIssued'; data: DataOf<'TicketsIssued'> };

/** Every decision a concert's stream holds. */
export type StreamDecisionType = ConcertDecisionType | OrderFlowDecisionType;
export type StreamDecision = Decision | OrderFlowDecision | VoidDecision;

export const isOrderFlowDecision = (doc: AnyEventDoc): doc is DecisionDoc<OrderFlowDecisionType> =>
  (orderFlowDecisionTypes as readonly string[]).includes(doc.type);
export const isStreamDecision = (doc: AnyEventDoc): doc is DecisionDoc<StreamDecisionType> =>
  isConcertDecision(doc) || isOrderFlowDecision(doc);

/** The ids of facts decided so far. A Set fits; the sync server layers a batch's tentative ids over it. */
export type DecidedSet = { has(id: string): boolean; add(id: string): unknown };

/** One reservation as the concert holds it, with the correlation its decisions carry and whether it is ticketed. */
export type ReservationEntry = { reservation: ReservationState; correlationId: string; ticketed: boolean };

/** A rejected sale: the desk that sold it, and whether it was settled. */
export type Rejection = { deviceId: string | undefined; settled: boolean };
/** The rejected sales by sale id. A Map fits; a tentative view layers a batch's changes over it. */
export type RejectionBook = {
  get(saleId: string): Rejection | undefined;
  set(saleId: string, rejection: Rejection): unknown;
};

/** The concert's reservations by id. A Map fits; the sync server layers a batch's tentative changes over it. */
export type ReservationBook = {
  get(reservationId: string): ReservationEntry | undefined;
  set(reservationId: string, entry: ReservationEntry): unknown;
  values(): Iterable<ReservationEntry>;
};

/**
 * What a concert's stream folds into: the concert (its levels count sold, held and confirmed seats), its holds, and
 * the desks' blocks of seats (allotments: outstanding seats are set aside, not allocated).
 */
export type ConcertStreamState = {
  concert: ConcertState;
  reservations: ReservationBook;
  /** The sales this concert rejected, by sale id: whether each was made good (refund or exchange) yet. */
  rejections: RejectionBook;
  /** Replaced, never changed in place: a tentative view holds its own. */
  allotments: AllotmentBook;
};

export type ConcertAuthorityState = ConcertStreamState & {
  /** Grows in place: one authority owns its state, and copying a set per event would be quadratic. */
  decided: DecidedSet;
  head: ChainHead;
  /** The tickets, where each is, and every scan decided (concert-gate.ts). Grows in place like `decided`. */
  gate: GateBook;
};

export const concertStream = (concertId: string): string => `concert-${concertId}`;
/** Every concert's events live in their own database, named from its id. */
export const concertDatabasePrefix = 'stagedoor-concert-';
export const concertDatabase = (concertId: string): string => `${concertDatabasePrefix}${concertId}`;

export const initialStreamState = (): ConcertStreamState => ({
  concert: initialConcertState(),
  reservations: new Map(),
  rejections: new Map(),
  allotments: initialAllotmentBook(),
});

export const initialAuthorityState = (): ConcertAuthorityState => ({
  ...initialStreamState(),
  decided: new Set(),
  head: emptyChain(),
  gate: initialGateBook(),
});

/**
 * A view of the state whose decided set and reservations take a batch's tentative changes without touching the
 * state's own: if the batch's append loses a race, the state is still the stream as written.
 */
export function tentativeView(state: ConcertAuthorityState): ConcertAuthorityState {
  const decided = new Set<string>();
  const rejections = new Map<string, Rejection>();
  const changed = new Map<string, ReservationEntry>();
  const base = state.reservations;
  return {
    ...state,
    decided: { has: (id) => state.decided.has(id) || decided.has(id), add: (id) => decided.add(id) },
    gate: tentativeGateBook(state.gate),
    rejections: {
      get: (id) => rejections.get(id) ?? state.rejections.get(id),
      set: (id, rejection) => rejections.set(id, rejection),
    },
    reservations: {
      get: (id) => changed.get(id) ?? base.get(id),
      set: (id, entry) => changed.set(id, entry),
      *values() {
        for (const entry of base.values()) if (!changed.has(reservationIdOf(entry))) yield entry;
        yield* changed.values();
      },
    },
  };
}

const reservationIdOf = (entry: ReservationEntry): string =>
  entry.reservation.status === 'none' ? '' : entry.reservation.reservationId;

/** Applies one accepted decision of the stream. */
export function evolveAuthority(
  state: ConcertAuthorityState,
  doc: DecisionDoc<StreamDecisionType>,
): ConcertAuthorityState {
  state.decided.add(doc.meta.causationId);
  evolveGate(state.gate, doc);
  const head = {
    decisionId: doc.meta.decisionId,
    nextPosition: Math.max(state.head.nextPosition, doc.meta.position + 1),
  };
  // evolveStream first: it replaces the state's allotment book, which the copy must carry.
  const concert = evolveStream(state, doc);
  return { ...state, concert, head };
}

/**
 * The concert after one decision of its stream; a reservation's decision also updates its entry in place, and an
 * allotment's decision (or a sale from a desk's block) replaces the allotment book.
 */
export function evolveStream(state: ConcertStreamState, doc: DecisionDoc<StreamDecisionType>): ConcertState {
  if (isAllotmentDecision(doc)) {
    state.allotments = evolveAllotment(state.allotments, doc);
    return state.concert;
  }
  if (doc.type === 'SeatsAllocated' && doc.data.from === 'allotment' && doc.data.deviceId) {
    const { saleId, deviceId, level, quantity } = doc.data;
    const sold = { saleId, deviceId, level, quantity, from: 'allotment' as const };
    state.allotments = evolveAllotment(state.allotments, { type: 'SeatsAllocated', data: sold });
  }
  if (doc.type === 'SaleRejected')
    state.rejections.set(doc.data.saleId, { deviceId: doc.data.deviceId, settled: false });
  if (doc.type === 'SaleSettled') {
    const rejection = state.rejections.get(doc.data.saleId);
    state.rejections.set(doc.data.saleId, { deviceId: rejection?.deviceId, settled: true });
  }
  if (isGateDecision(doc) || isVoidDecision(doc)) return evolveGateSeats(state.concert, doc);
  if (!isOrderFlowDecision(doc)) return evolveDecision(state.concert, doc);
  const { reservationId } = doc.data;
  const entry = state.reservations.get(reservationId);
  const before = entry?.reservation ?? initialReservationState();
  switch (doc.type) {
    case 'TicketsIssued':
      if (entry) state.reservations.set(reservationId, { ...entry, ticketed: true });
      return state.concert;
    case 'ReservationPlaced':
    case 'ReservationRefused':
      // A refusal of a later request (confirm, tickets, a second reserve) leaves the reservation as it was.
      if (before.status !== 'none') return state.concert;
      break;
    case 'ReservationConfirmed':
    case 'ReservationExpired':
    case 'ReservationReleased':
      break;
    default:
      return assertNever(doc);
  }
  const after = evolveReservation(before, doc);
  if (after.status === 'none') return state.concert;
  state.reservations.set(reservationId, {
    reservation: after,
    correlationId: entry?.correlationId ?? doc.meta.correlationId,
    ticketed: entry?.ticketed ?? false,
  });
  return takeSeats(state.concert, seatsTaken(after), seatsTaken(before));
}

/** Moves a level's taken seats by what a reservation takes now minus what it took before. */
function takeSeats(concert: ConcertState, now: ReservedLine[], before: ReservedLine[]): ConcertState {
  if (concert.status === 'none' || (now.length === 0 && before.length === 0)) return concert;
  const delta = new Map<string, number>();
  for (const line of now) delta.set(line.level, (delta.get(line.level) ?? 0) + line.quantity);
  for (const line of before) delta.set(line.level, (delta.get(line.level) ?? 0) - line.quantity);
  const levels = concert.levels.map((l) => {
    const change = delta.get(l.name) ?? 0;
    return change === 0 ? l : { ...l, allocated: l.allocated + change };
  });
  return { ...concert, levels };
}

export function evolveDecision(
  concert: ConcertState,
  event: Exclude<Decision, AllotmentDecision | GateDecision>,
): ConcertState {
  return isInventoryDecision(event) ? evolveInventory(concert, event) : evolveConcert(concert, event);
}

/**
 * The decision for a fact, or undefined when the fact was decided before (replays are no-ops). `now` is the
 * authority's clock (an allotment's lapse time and whether it has come are measured on it).
 */
export function decideFact(
  fact: FactDoc<ConcertFactType>,
  state: ConcertAuthorityState,
  now: string = new Date(0).toISOString(),
): Decision | undefined {
  if (state.decided.has(fact._id)) return undefined;
  const { concert, allotments } = state;
  if (fact.type === 'SaleRecorded') {
    const supply = { allotments, deviceId: fact.meta.deviceId };
    return only(decideSale({ ...fact.data, saleId: fact._id }, concert, supply));
  }
  if (fact.type === 'SaleSettlementRecorded') return settle(fact, state);
  if (isGateFact(fact)) return decideGateFact(fact, state.gate, now);
  // A print of a sale's tickets is the desk's record: nothing to decide.
  if (fact.type === 'TicketsPrinted') return undefined;
  if (isAllotmentFact(fact)) {
    if (fact.type === 'AllotmentReturnRequested' && fact.data.deviceId !== fact.meta.deviceId) {
      const { returnId: requestId, concertId } = fact.data;
      const message = `Only desk ${fact.data.deviceId} can give back its own seats; ${fact.meta.deviceId} asked.`;
      const data = { requestId, requestType: fact.type, concertId, code: 'not_permitted' as const, message };
      return { type: 'AllotmentRefused', data };
    }
    return decideAllotment(fact, allotments, { concert, now });
  }
  const command = toConcertCommand(fact);
  try {
    // Seats set aside for desks are as taken as seats sold: a level's capacity can't go below both.
    const taken =
      command.type === 'UpdateTicketLevels' && concert.status !== 'none'
        ? {
            ...concert,
            levels: concert.levels.map((l) => ({
              ...l,
              allocated: l.allocated + outstanding(allotments, l.name),
            })),
          }
        : concert;
    return only(decideConcert(command, taken));
  } catch (error) {
    if (!(error instanceof ConcertRuleBroken)) throw error;
    return {
      type: 'ConcertChangeRejected',
      data: {
        concertId: fact.data.concertId,
        requestId: fact._id,
        requestType: fact.type,
        code: error.code,
        message: error.message,
      },
    };
  }
}

/** A rejected sale made good once, by the desk that sold it. */
function settle(fact: FactDoc<'SaleSettlementRecorded'>, state: ConcertAuthorityState): Decision {
  const { settlementId, saleId, concertId } = fact.data;
  const rejection = state.rejections.get(saleId);
  const refuse = (code: DataOf<'SaleSettlementRefused'>['code'], message: string): Decision => ({
    type: 'SaleSettlementRefused',
    data: { settlementId, saleId, concertId, code, message },
  });
  if (!rejection)
    return state.decided.has(saleId)
      ? refuse('not_rejected', 'This sale was confirmed: there is nothing to make good.')
      : refuse('unknown_sale', 'This concert has not decided such a sale.');
  if (rejection.settled) return refuse('already_settled', 'This rejected sale was made good already.');
  if (rejection.deviceId !== undefined && rejection.deviceId !== fact.meta.deviceId)
    return refuse(
      'not_permitted',
      `Only desk ${rejection.deviceId}, which sold it, can make this sale good.`,
    );
  const { kind, amount, currency, exchangeSaleId } = fact.data;
  const data = { settlementId, saleId, concertId, kind, amount, currency, deviceId: fact.meta.deviceId };
  return { type: 'SaleSettled', data: exchangeSaleId ? { ...data, exchangeSaleId } : data };
}

function toConcertCommand(
  fact: Exclude<
    FactDoc<ConcertFactType>,
    {
      type:
        'SaleRecorded' | 'SaleSettlementRecorded' | 'TicketsPrinted' | GateFactType | AllotmentFact['type'];
    }
  >,
): ConcertCommand {
  switch (fact.type) {
    case 'ConcertCreationRequested':
      return { type: 'CreateConcert', data: fact.data };
    case 'ConcertDetailsChangeRequested':
      return { type: 'UpdateConcertDetails', data: fact.data };
    case 'TicketLevelsChangeRequested':
      return { type: 'UpdateTicketLevels', data: fact.data };
    case 'ConcertPublicationRequested':
      return { type: 'PublishConcert', data: fact.data };
    case 'ConcertUnpublicationRequested':
      return { type: 'UnpublishConcert', data: fact.data };
    case 'ConcertCancellationRequested':
      return { type: 'CancelConcert', data: fact.data };
    default:
      return assertNever(fact);
  }
}

/** Every fact of this slice yields one decision; the stream format relies on it (see docs/architecture.md). */
function only<D>(decisions: D[]): D {
  const [first, ...rest] = decisions;
  if (!first || rest.length > 0) throw new Error(`expected exactly one decision, got ${decisions.length}`);
  return first;
}

export type { DecisionContext };

/** What a decision answers: its id is the decision's causationId, its correlationId the decision's. */
export type Cause = Pick<FactDoc, '_id' | 'meta'>;

/** Wraps a decision into its stream document at the head, caused by `fact`. */
export function decisionDoc(
  concertId: string,
  head: ChainHead,
  decision: StreamDecision,
  fact: Cause,
  context: DecisionContext,
): DecisionDoc<StreamDecisionType> {
  const cause = { id: fact._id, correlationId: fact.meta.correlationId };
  return streamDecisionDoc(
    concertStream(concertId),
    head,
    decision,
    cause,
    context,
  ) as DecisionDoc<StreamDecisionType>;
}

// ---------------------------------------------------------------------------------------------------------------
// The order flow: requests of the orders authority, and holds whose time has come.
//
// Every request gets exactly one decision, so a request seen twice, or again after a restart, is a no-op, and the
// order always hears an answer. The rule for a request the reservation can't honour (confirming a hold that expired
// or was given back, tickets for seats not confirmed, a second reserve of one reservation): the answer is a
// ReservationRefused with the reservation rule's code and sentence, and the reservation stays as it was. It is
// relayed like every answer; the order acts on a refusal only while it still waits for its seats, so for a hold that
// has ended it changes nothing: the ReservationExpired or the release the order asked for told it already.
// Giving back seats that are given back already (expired, released, refused) answers ReservationReleased again;
// seats whose tickets are issued are never given back by a release (the tickets would outlive their seats).

/** The authority's clock and the concert's hold time, for the decisions that need them. */
export type AuthorityClock = { now: string; holdMinutes?: number };

/** The cause of a hold's expiry: one per reservation, so it is decided once. */
export const expiryCauseId = (reservationId: string): string => `expiry:${reservationId}`;

/** The decision for a request of the orders authority, or undefined when it was decided before. */
export function decideRequest(
  request: RequestDoc,
  state: ConcertAuthorityState,
  clock: AuthorityClock,
): OrderFlowDecision | VoidDecision | undefined {
  if (state.decided.has(request._id)) return undefined;
  // A refund's tickets are the gate's business: no reservation changes (its seats go back with the tickets).
  if (request.type === 'TicketsVoidRequested') return decideVoid(request.data, state.gate, clock.now);
  const entry = state.reservations.get(request.data.reservationId);
  const current = entry?.reservation ?? initialReservationState();
  switch (request.type) {
    case 'SeatsReservationRequested': {
      if (current.status !== 'none')
        return refusal(
          request.data,
          'reservation_exists',
          `Reservation ${request.data.reservationId} was asked for before.`,
        );
      const { concert } = state;
      const onSale = concert.status === 'published' && concert.concertId === request.data.concertId;
      // Seats set aside for desks are not free: a hold takes only what neither a sale nor a desk's block has.
      const available = Object.fromEntries(
        availability(concert).map((l) => [l.level, l.left - outstanding(state.allotments, l.level)]),
      );
      const command = reserveSeatsFor(
        { type: 'ReserveSeats', data: request.data },
        {
          now: clock.now,
          onSale,
          available,
          // The concert's own hold time, else the box office's.
          holdMinutes: (concert.status !== 'none' && concert.details.holdMinutes) || clock.holdMinutes,
        },
      );
      return only(reserveOrRefuse(command, current) as OrderFlowDecision[]);
    }
    case 'ReservationConfirmationRequested':
      return answer(request.data, current, 'ConfirmReservation', {
        type: 'ReservationConfirmed',
        data: ids(request.data),
      });
    case 'ReservationReleaseRequested':
      if (entry?.ticketed)
        return refusal(
          request.data,
          'already_confirmed',
          'Tickets are issued for these seats: refund the tickets to give the seats back.',
        );
      return answer(request.data, current, 'ReleaseReservation', {
        type: 'ReservationReleased',
        data: ids(request.data),
      });
    case 'TicketsIssueRequested':
      return issueTickets(request.data, entry, state.concert, clock.now);
    default:
      return assertNever(request);
  }
}

type Ids = { reservationId: string; orderId: string; concertId: string };
const ids = ({ reservationId, orderId, concertId }: Ids): Ids => ({ reservationId, orderId, concertId });

function refusal(
  request: Ids,
  code: ReservationRejectionCode,
  message: string,
  lines: ReservedLine[] = [],
): OrderFlowDecision {
  return { type: 'ReservationRefused', data: { ...ids(request), lines, code, message } };
}

const linesOf = (reservation: ReservationState): ReservedLine[] =>
  reservation.status === 'none' ? [] : reservation.lines;

/** The reservation decider's answer to confirm or release; `done` when it has nothing to add (done before). */
function answer(
  request: Ids,
  current: ReservationState,
  type: 'ConfirmReservation' | 'ReleaseReservation',
  done: OrderFlowDecision,
): OrderFlowDecision {
  try {
    const command = reservationCommandFor({ type, data: ids(request) });
    const [decision] = decideReservation(command, current) as OrderFlowDecision[];
    return decision ?? done;
  } catch (error) {
    if (!(error instanceof ReservationRuleBroken)) throw error;
    return refusal(request, error.code, error.message, linesOf(current));
  }
}

/** One ticket per confirmed seat, in one decision; refused unless the reservation is confirmed and not ticketed. */
function issueTickets(
  request: DataOf<'TicketsIssueRequested'>,
  entry: ReservationEntry | undefined,
  concert: ConcertState,
  now: string,
): OrderFlowDecision {
  const reservation = entry?.reservation ?? initialReservationState();
  if (reservation.status !== 'confirmed') {
    const [code, message] = notConfirmed(reservation);
    return refusal(request, code, message, linesOf(reservation));
  }
  const lines = reservation.lines;
  if (entry?.ticketed)
    return refusal(request, 'already_confirmed', 'Tickets for this reservation are issued already.', lines);
  const asked = request.lines.filter((l) => l.concertId === request.concertId);
  const mismatch = seatsDiffer(asked, lines);
  if (mismatch) return refusal(request, 'invalid_quantity', mismatch, lines);
  const forTickets = concertForTickets(concert);
  if (!forTickets)
    return refusal(request, 'not_on_sale', 'This concert is not known: no tickets are issued.', lines);
  const seats = lines.reduce((sum, l) => sum + l.quantity, 0);
  try {
    const command = issueTicketsFor(
      { type: 'IssueTickets', data: { ...ids(request), lines: asked } },
      {
        customerId: request.customerId,
        issuedAt: now,
        ticketIds: ticketIdsFor(request.reservationId, seats),
        concert: forTickets,
      },
    );
    const tickets = decideTicket(command, initialTicketBook()).flatMap((e) =>
      e.type === 'TicketIssued' ? [e.data] : [],
    );
    return { type: 'TicketsIssued', data: { ...ids(request), tickets } };
  } catch (error) {
    if (!(error instanceof TicketRuleBroken)) throw error;
    return refusal(request, ticketRefusal[error.code], error.message, lines);
  }
}

/** A ticket rule broken, as the reservation's refusal the order hears. */
const ticketRefusal: Record<TicketRuleCode, ReservationRejectionCode> = {
  no_lines: 'no_lines',
  unknown_concert: 'not_on_sale',
  concert_cancelled: 'not_on_sale',
  unknown_level: 'unknown_level',
  invalid_quantity: 'invalid_quantity',
  ticket_count_mismatch: 'invalid_quantity',
  invalid_ticket_id: 'invalid_quantity',
  duplicate_ticket_id: 'already_confirmed',
  unknown_ticket: 'unknown_reservation',
};

function notConfirmed(reservation: ReservationState): [ReservationRejectionCode, string] {
  switch (reservation.status) {
    case 'none':
      return ['unknown_reservation', 'There is no such reservation.'];
    case 'refused':
      return ['not_held', 'This reservation was refused: it holds no seats to issue tickets for.'];
    case 'held':
      return [
        'not_held',
        'These seats are held, not paid for: tickets are issued once the hold is confirmed.',
      ];
    case 'cancelled':
      return ['already_cancelled', 'This hold was cancelled: no tickets are issued for it.'];
    case 'expired':
      return ['already_expired', 'This hold has expired: no tickets are issued for it.'];
    case 'released':
      return ['already_released', 'This hold was given back by its order: no tickets are issued for it.'];
    case 'confirmed':
      return ['already_confirmed', 'This hold is confirmed.'];
    default:
      return assertNever(reservation);
  }
}

/** Why the tickets asked for are not the seats confirmed, or null when they are the same per level. */
function seatsDiffer(asked: readonly ReservedLine[], held: readonly ReservedLine[]): string | null {
  const count = (lines: readonly ReservedLine[]) => {
    const perLevel = new Map<string, number>();
    for (const l of lines) perLevel.set(l.level, (perLevel.get(l.level) ?? 0) + l.quantity);
    return perLevel;
  };
  const want = count(asked);
  const have = count(held);
  for (const level of new Set([...want.keys(), ...have.keys()])) {
    const w = want.get(level) ?? 0;
    const h = have.get(level) ?? 0;
    if (w !== h)
      return `Tickets for ${w} "${level}" seats are asked, but ${h} are confirmed: ask for the seats confirmed.`;
  }
  return null;
}

/** Desks' blocks whose lapse time has come on the authority's clock, with unsold seats still set aside. */
export const blocksDue = (state: ConcertAuthorityState, now: string): { deviceId: string; level: string }[] =>
  lapsesDue(state.allotments, now);

/** The cause id of a block's lapse as the book stands (one per block and grant total). */
export const blockLapseCauseId = (state: ConcertStreamState, deviceId: string, level: string): string =>
  lapseCauseId(deviceId, level, blockOf(state.allotments, deviceId, level)?.granted ?? 0);

/** The lapse of a desk's block whose time has come, with its cause; undefined when not due or decided. */
export function decideBlockLapse(
  block: { deviceId: string; level: string },
  state: ConcertAuthorityState,
  now: string,
): { cause: Cause; decision: AllotmentDecision } | undefined {
  if (state.concert.status === 'none') return undefined;
  const lapse = decideLapse(state.allotments, state.concert.concertId, block, now);
  if (!lapse || state.decided.has(lapse.causeId)) return undefined;
  const { causeId } = lapse;
  const meta = {
    deviceId: 'authority',
    userId: 'authority',
    recordedAt: now,
    correlationId: causeId,
    causationId: causeId,
  };
  return { cause: { _id: causeId, meta }, decision: lapse.decision };
}

/** Holds whose time has come on the authority's clock and that the stream has not expired yet. */
export function holdsDue(state: ConcertAuthorityState, now: string): string[] {
  const at = Date.parse(now);
  const due: string[] = [];
  for (const { reservation } of state.reservations.values())
    if (reservation.status === 'held' && Date.parse(reservation.expiresAt) <= at)
      if (!state.decided.has(expiryCauseId(reservation.reservationId))) due.push(reservation.reservationId);
  return due;
}

/** The expiry of a hold whose time has come, with its cause; undefined when it is not held, not due or decided. */
export function decideExpiry(
  reservationId: string,
  state: ConcertAuthorityState,
  now: string,
): { cause: Cause; decision: OrderFlowDecision } | undefined {
  const causeId = expiryCauseId(reservationId);
  const entry = state.reservations.get(reservationId);
  if (!entry || state.decided.has(causeId)) return undefined;
  const { reservation } = entry;
  if (reservation.status !== 'held' || Date.parse(reservation.expiresAt) > Date.parse(now)) return undefined;
  const [decision] = decideReservation(
    { type: 'ExpireReservation', data: { reservationId, now } },
    reservation,
  ) as OrderFlowDecision[];
  if (!decision) return undefined;
  const meta = {
    deviceId: 'authority',
    userId: 'authority',
    recordedAt: now,
    correlationId: entry.correlationId,
    causationId: causeId,
  };
  return { cause: { _id: causeId, meta }, decision };
}
