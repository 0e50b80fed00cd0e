// The authority's view of one concert: the concert's decision stream folded into state, and the rule that turns
// each device fact into exactly one decision. Pure: the sync server brings the I/O, ids and the clock.
import { decideConcert, evolveConcert, initialConcertState, ConcertRuleBroken } from '../concert/concert';
import type { ConcertCommand, ConcertState } from '../concert/concert';
import type { ConcertDecision } from '../concert/events';
import { decideSale, evolveInventory } from '../inventory/inventory';
import type { InventoryDecision } from '../inventory/events';
import { assertNever } from '../shared/decider';
import { decisionDocId, emptyChain } from '../log/stream';
import type { ChainHead } from '../log/stream';
import type { ConcertDecisionType, ConcertFactType, DecisionDoc, FactDoc } from '../events/catalogue';

export type Decision = ConcertDecision | InventoryDecision;

/** The ids of facts decided so far. A Set fits; the sync server layers a batch's tentative ids over it. */
export type DecidedSet = { has(id: string): boolean; add(id: string): unknown };

export type ConcertAuthorityState = {
  concert: ConcertState;
  /** Grows in place: one authority owns its state, and copying a set per event would be quadratic. */
  decided: DecidedSet;
  head: ChainHead;
};

export const concertStream = (concertId: string): string => `concert-${concertId}`;
/** Every concert's events live in their own database, named from its id. */
export const concertDatabasePrefix = 'stagedoor-concert-';
export const concertDatabase = (concertId: string): string => `${concertDatabasePrefix}${concertId}`;

export const initialAuthorityState = (): ConcertAuthorityState => ({
  concert: initialConcertState(),
  decided: new Set(),
  head: emptyChain(),
});

/** Applies one accepted decision of the stream. */
export function evolveAuthority(
  state: ConcertAuthorityState,
  doc: DecisionDoc<ConcertDecisionType>,
): ConcertAuthorityState {
  state.decided.add(doc.meta.causationId);
  const head = {
    decisionId: doc.meta.decisionId,
    nextPosition: Math.max(state.head.nextPosition, doc.meta.position + 1),
  };
  return { concert: evolveDecision(state.concert, doc), decided: state.decided, head };
}

export function evolveDecision(concert: ConcertState, event: Decision): ConcertState {
  switch (event.type) {
    case 'SeatsAllocated':
    case 'SaleRejected':
      return evolveInventory(concert, event);
    default:
      return evolveConcert(concert, event);
  }
}

/** The decision for a fact, or undefined when the fact was decided before (replays are no-ops). */
export function decideFact(
  fact: FactDoc<ConcertFactType>,
  state: ConcertAuthorityState,
): Decision | undefined {
  if (state.decided.has(fact._id)) return undefined;
  if (fact.type === 'SaleRecorded')
    return only(decideSale({ ...fact.data, saleId: fact._id }, state.concert));
  const command = toConcertCommand(fact);
  try {
    return only(decideConcert(command, state.concert));
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

function toConcertCommand(fact: Exclude<FactDoc<ConcertFactType>, { type: 'SaleRecorded' }>): ConcertCommand {
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
function only(decisions: Decision[]): Decision {
  const [first, ...rest] = decisions;
  if (!first || rest.length > 0) throw new Error(`expected exactly one decision, got ${decisions.length}`);
  return first;
}

export type DecisionContext = { decisionId: string; authorityId: string; now: string };

/** Wraps a decision into its stream document at the head, caused by `fact`. */
export function decisionDoc(
  concertId: string,
  head: ChainHead,
  decision: Decision,
  fact: Pick<FactDoc, '_id' | 'meta'>,
  context: DecisionContext,
): DecisionDoc<ConcertDecisionType> {
  const stream = concertStream(concertId);
  return {
    _id: decisionDocId(stream, head.nextPosition),
    type: decision.type,
    v: 1,
    stream,
    data: decision.data,
    meta: {
      deviceId: 'authority',
      userId: 'authority',
      recordedAt: context.now,
      correlationId: fact.meta.correlationId,
      causationId: fact._id,
      position: head.nextPosition,
      prev: head.decisionId,
      decisionId: context.decisionId,
      authorityId: context.authorityId,
    },
  } as DecisionDoc<ConcertDecisionType>;
}
