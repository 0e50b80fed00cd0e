// The organizer's read model of one concert's allotments: every desk's block of every level as the authority's
// stream decided it, the free seats left for grants and pool sales, the allotment requests with the authority's
// answers, and the desks this device has seen in the log. Pure and total, like desk-view.ts: the stream is read
// through its chain, so any set of documents in any order gives a view, and the same set gives the same view.
import { freeSeats, outstanding, returnable } from '../allotment/allotment';
import type { AllotmentBook } from '../allotment/allotment';
import { allotmentFactSchemas } from '../allotment/events';
import type { AllotmentFact } from '../allotment/events';
import {
  concertStream,
  evolveStream,
  initialStreamState,
  isStreamDecision,
} from '../authority/concert-authority';
import type { ConcertStreamState, StreamDecisionType } from '../authority/concert-authority';
import type { AnyEventDoc, ConcertFactType, DecisionDoc, FactDoc } from '../events/catalogue';
import { isConcertFact } from '../events/catalogue';
import { isGateFact } from '../authority/concert-gate';
import { emptyChain, followChain } from '../log/stream';

/** One concert's log as a device holds it: the decisions its chain accepts, in order, and the facts about it. */
export type ConcertLog = {
  /** The stream folded: the concert, its reservations, its rejected sales and its allotment book. */
  state: ConcertStreamState;
  decisions: DecisionDoc<StreamDecisionType>[];
  /** Every device's facts about the concert, by id. */
  facts: Map<string, FactDoc<ConcertFactType>>;
  /** The decision each decided fact (or other cause) got, by the cause's id. */
  outcomes: Map<string, DecisionDoc<StreamDecisionType>>;
  /** Facts the authority could not accept, with its reason, by the fact's id. */
  quarantined: Map<string, string>;
};

/** Reads one concert's stream through its chain (an orphaned decision never happened) and gathers its facts. */
export function readConcertLog(docs: Iterable<AnyEventDoc>, concertId: string): ConcertLog {
  const stream = concertStream(concertId);
  const facts = new Map<string, FactDoc<ConcertFactType>>();
  const links: (DecisionDoc<StreamDecisionType>['meta'] & { doc: DecisionDoc<StreamDecisionType> })[] = [];
  const quarantined = new Map<string, string>();
  for (const doc of docs) {
    if (isConcertFact(doc)) {
      if (doc.data.concertId === concertId) facts.set(doc._id, doc);
    } else if (isStreamDecision(doc)) {
      if (doc.stream === stream) links.push({ ...doc.meta, doc });
    } else if (doc.type === 'FactQuarantined') quarantined.set(doc.data.docId, doc.data.reason);
  }
  const state = initialStreamState();
  const decisions: DecisionDoc<StreamDecisionType>[] = [];
  const outcomes = new Map<string, DecisionDoc<StreamDecisionType>>();
  for (const { doc } of followChain(emptyChain(), links).accepted) {
    state.concert = evolveStream(state, doc);
    decisions.push(doc);
    outcomes.set(doc.meta.causationId, doc);
  }
  return { state, decisions, facts, outcomes, quarantined };
}

export type BlockView = {
  deviceId: string;
  level: string;
  granted: number;
  /** Seats sold from the block (sales the desk claimed on it, as the authority allocated them). */
  sold: number;
  returned: number;
  lapsed: number;
  /** Neither sold, given back nor lapsed: still set aside for the desk. */
  remaining: number;
  /** When the unsold seats go back to the pool, on the authority's clock. */
  lapsesAt: string;
  /** The block is this device's own: only it may give seats back. */
  own: boolean;
  /**
   * For this device's own block: seats it can give back without breaking a promise it made (`returnable`: the
   * remaining seats minus its own sales claimed on the block and numbered returns not decided yet; 0 while an
   * "all unsold" return is on its way). 0 for another desk's block.
   */
  returnable: number;
};

export type AllotmentLevelView = {
  name: string;
  capacity: number;
  /** Sold, held and confirmed, as the authority counts them. */
  allocated: number;
  /** Set aside for desks and not sold from their blocks yet. */
  outstanding: number;
  /** What a grant or a pool sale may take: capacity − allocated − outstanding. */
  free: number;
};

export type AllotmentRequestType = AllotmentFact['type'];

/** `pending`: not decided yet; `done`: granted, applied or given back; `refused`: the authority said no. */
export type AllotmentRequestStatus = 'pending' | 'done' | 'refused';

export type AllotmentRequestView = {
  requestId: string;
  type: AllotmentRequestType;
  /** The device that wrote the request. */
  writtenBy: string;
  recordedAt: string;
  /** The desk the request is about (a grant's or a return's); null for a policy, which names several. */
  deviceId: string | null;
  /** The request's level, or null for a policy. */
  level: string | null;
  /** Seats asked (a number, or `unsold` for a return of all of them); null for a policy. */
  quantity: number | 'unsold' | null;
  status: AllotmentRequestStatus;
  /** Seats the authority granted or took back (null while pending or when refused). */
  decidedSeats: number | null;
  /** The authority's sentence: why it refused, or what a policy did; the quarantine reason; null otherwise. */
  message: string | null;
};

export type AllotmentsView = {
  concertId: string;
  /** The concert is on sale: grants and policies can be honoured. */
  onSale: boolean;
  /** When a grant made now lapses: the time a policy set for the concert, else its start. Null when unknown. */
  lapsesAt: string | null;
  levels: AllotmentLevelView[];
  /** Every desk's block, this device's first, then by desk and level. */
  blocks: BlockView[];
  /** The allotment requests about this concert from every device, newest first. */
  requests: AllotmentRequestView[];
  /** Every desk this device has seen in the log (of any concert), itself first, then in id order. */
  desks: string[];
};

const allotmentFactTypes: readonly string[] = Object.keys(allotmentFactSchemas);
const isAllotmentFact = (fact: FactDoc<ConcertFactType>): fact is FactDoc<AllotmentRequestType> =>
  allotmentFactTypes.includes(fact.type);

/** Not a desk: who writes decisions and their derived causes. */
const authorityDevice = 'authority';

/**
 * The allotments of `concertId` as this device (`deviceId`) knows them from the documents it holds (any database:
 * the desks it offers are gathered from every concert).
 */
export function projectAllotments(
  docs: Iterable<AnyEventDoc>,
  concertId: string,
  deviceId: string,
): AllotmentsView {
  const all = [...docs];
  const log = readConcertLog(all, concertId);
  const { state, facts, outcomes, quarantined } = log;
  const book = state.allotments;
  const concert =
    state.concert.status !== 'none' && state.concert.concertId === concertId ? state.concert : null;

  const undecided = [...facts.values()].filter(
    (fact) => fact.meta.deviceId === deviceId && !outcomes.has(fact._id) && !quarantined.has(fact._id),
  );
  const blocks = [...book.blocks.values()]
    .map((block): BlockView => {
      const own = block.deviceId === deviceId;
      const { pendingSeats, returningUnsold } = ownPending(undecided, block.level);
      const remaining = block.granted - block.sold - block.returned - block.lapsed;
      return {
        ...block,
        remaining,
        own,
        returnable: own && !returningUnsold ? returnable(book, deviceId, block.level, pendingSeats) : 0,
      };
    })
    .sort(
      (a, b) =>
        Number(b.own) - Number(a.own) || byCodeUnit(a.deviceId, b.deviceId) || byCodeUnit(a.level, b.level),
    );

  const levels = (concert?.levels ?? []).map((level): AllotmentLevelView => ({
    name: level.name,
    capacity: level.capacity,
    allocated: level.allocated,
    outstanding: outstanding(book, level.name),
    free: Math.max(0, freeSeats(book, level)),
  }));

  const requests = [...facts.values()]
    .filter(isAllotmentFact)
    .sort((a, b) => byCodeUnit(b._id, a._id))
    .map((fact) => requestView(fact, outcomes.get(fact._id), quarantined.get(fact._id)));

  return {
    concertId,
    onSale: concert?.status === 'published',
    lapsesAt: concert ? (book.lapsesAt ?? concert.details.startsAt) : null,
    levels,
    blocks,
    requests,
    desks: desksSeen(all, book, deviceId),
  };
}

/** This device's own seats of the level not decided yet: sales claimed on its block, and returns it asked for. */
function ownPending(
  undecided: FactDoc<ConcertFactType>[],
  level: string,
): { pendingSeats: number; returningUnsold: boolean } {
  let pendingSeats = 0;
  let returningUnsold = false;
  for (const fact of undecided) {
    if (fact.type === 'SaleRecorded' && fact.data.level === level && fact.data.claim === 'allotment')
      pendingSeats += fact.data.quantity;
    if (fact.type === 'AllotmentReturnRequested' && fact.data.level === level) {
      if (fact.data.quantity === 'unsold') returningUnsold = true;
      else pendingSeats += fact.data.quantity;
    }
  }
  return { pendingSeats, returningUnsold };
}

function requestView(
  fact: FactDoc<AllotmentRequestType>,
  outcome: DecisionDoc<StreamDecisionType> | undefined,
  quarantine: string | undefined,
): AllotmentRequestView {
  const base = {
    requestId: fact._id,
    type: fact.type,
    writtenBy: fact.meta.deviceId,
    recordedAt: fact.meta.recordedAt,
    ...(fact.type === 'AllotmentPolicySet'
      ? { deviceId: null, level: null, quantity: null }
      : { deviceId: fact.data.deviceId, level: fact.data.level, quantity: fact.data.quantity }),
  };
  if (!outcome)
    return quarantine === undefined
      ? { ...base, status: 'pending', decidedSeats: null, message: null }
      : { ...base, status: 'refused', decidedSeats: null, message: quarantine };
  switch (outcome.type) {
    case 'AllotmentGranted':
    case 'AllotmentReturned':
      return { ...base, status: 'done', decidedSeats: outcome.data.quantity, message: null };
    case 'AllotmentPolicyApplied': {
      const seats = outcome.data.grants.reduce((sum, g) => sum + g.quantity, 0);
      return { ...base, status: 'done', decidedSeats: seats, message: outcome.data.message };
    }
    case 'AllotmentRefused':
      return { ...base, status: 'refused', decidedSeats: null, message: outcome.data.message };
    default:
      // An allotment fact is only ever answered by an allotment decision; anything else is not an answer to it.
      return { ...base, status: 'pending', decidedSeats: null, message: null };
  }
}

/** The desks named in the log: writers of facts, and the desks that requests and blocks name. */
function desksSeen(docs: AnyEventDoc[], book: AllotmentBook, deviceId: string): string[] {
  const seen = new Set<string>();
  for (const doc of docs) {
    // A scanner's scans name a gate device, not a desk that sells.
    if (!isConcertFact(doc) || isGateFact(doc)) continue;
    seen.add(doc.meta.deviceId);
    if (doc.type === 'AllotmentGrantRequested' || doc.type === 'AllotmentReturnRequested')
      seen.add(doc.data.deviceId);
    if (doc.type === 'AllotmentPolicySet') for (const id of doc.data.deviceIds) seen.add(id);
  }
  for (const block of book.blocks.values()) seen.add(block.deviceId);
  seen.delete(authorityDevice);
  seen.delete(deviceId);
  return [deviceId, ...[...seen].sort(byCodeUnit)];
}

// Code-unit order, not localeCompare: the same documents give the same view in every locale.
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
