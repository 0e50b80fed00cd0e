// The desk's read model: the box office as one device knows it, folded from the events it holds. Pure and total:
// any set of documents in any order gives a view, and the same set gives the same view, so it can be rebuilt at will.
import { evolveStream, initialStreamState, isStreamDecision } from '../authority/concert-authority';
import type { StreamDecisionType } from '../authority/concert-authority';
import type { ExistingConcert } from '../concert/concert';
import type { AnyEventDoc, ConcertFactType, DecisionDoc, FactDoc } from '../events/catalogue';
import { isConcertFact } from '../events/catalogue';
import { emptyChain, followChain } from '../log/stream';

/** `requested`: asked for, not decided yet; `rejected`: the authority refused to create it. */
export type ConcertStatus = 'requested' | 'draft' | 'published' | 'cancelled' | 'rejected';

export type LevelView = {
  name: string;
  capacity: number;
  price: number;
  /** Seats the authority has taken, as far as this device has heard: sold, and held or confirmed for orders. */
  allocated: number;
  left: number;
  /** Seats this desk sold that the authority has not decided yet. */
  pendingHere: number;
  /** What this desk may expect to still be free: left minus its own pending sales. */
  believedLeft: number;
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
  currency: string;
  levels: LevelView[];
  /** The authority's reason when it refused to create the concert. */
  reason: string | null;
  /** The authority's clock at its last decision about this concert: how fresh the figures are at the source. */
  decidedAt: string | null;
};

export type SaleStatus = 'pending' | 'confirmed' | 'rejected';

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
  recordedAt: string;
  status: SaleStatus;
  /** The authority's sentence when rejected (or why the fact was quarantined). */
  reason: string | null;
};

export type RequestStatus = 'pending' | 'accepted' | 'rejected';

export type RequestView = {
  requestId: string;
  concertId: string;
  type: Exclude<ConcertFactType, 'SaleRecorded'>;
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
};

type Outcome = { decision: DecisionDoc<StreamDecisionType> } | { quarantined: string };

export function projectDesk(docs: Iterable<AnyEventDoc>, deviceId: string): DeskView {
  const facts = new Map<string, FactDoc<ConcertFactType>>();
  const streams = new Map<string, DecisionDoc<StreamDecisionType>[]>();
  const quarantined = new Map<string, string>();
  for (const doc of docs) {
    if (isConcertFact(doc)) facts.set(doc._id, doc);
    else if (isStreamDecision(doc)) {
      const stream = streams.get(doc.stream);
      if (stream) stream.push(doc);
      else streams.set(doc.stream, [doc]);
    } else if (doc.type === 'FactQuarantined') quarantined.set(doc.data.docId, doc.data.reason);
  }

  // Devices fold a stream through its chain like the authority does: an orphaned decision never happened. Seats
  // held and confirmed for orders count against a level like the seats sold, exactly as the authority counts them.
  const states = new Map<string, { state: ExistingConcert; decidedAt: string | null }>();
  const outcomes = new Map<string, Outcome>();
  for (const decisions of streams.values()) {
    const links = decisions.map((doc) => ({ ...doc.meta, doc }));
    const stream = initialStreamState();
    let decidedAt: string | null = null;
    for (const { doc } of followChain(emptyChain(), links).accepted) {
      stream.concert = evolveStream(stream, doc);
      decidedAt = doc.meta.recordedAt;
      outcomes.set(doc.meta.causationId, { decision: doc });
    }
    const state = stream.concert;
    if (state.status !== 'none') states.set(state.concertId, { state, decidedAt });
  }
  for (const [docId, reason] of quarantined)
    if (!outcomes.has(docId)) outcomes.set(docId, { quarantined: reason });

  const own = [...facts.values()].filter((fact) => fact.meta.deviceId === deviceId).sort(byIdDescending);
  const sales = own.flatMap((fact) =>
    fact.type === 'SaleRecorded' ? [saleView(fact, outcomes.get(fact._id))] : [],
  );
  const requests = own.flatMap((fact) =>
    fact.type === 'SaleRecorded' ? [] : [requestView(fact, outcomes.get(fact._id))],
  );

  const pending = new Map<string, number>();
  for (const sale of sales)
    if (sale.status === 'pending')
      pending.set(
        levelKey(sale.concertId, sale.level),
        (pending.get(levelKey(sale.concertId, sale.level)) ?? 0) + sale.quantity,
      );

  const creations = new Map<string, FactDoc<'ConcertCreationRequested'>>();
  for (const fact of [...facts.values()].sort(byIdDescending).reverse())
    if (fact.type === 'ConcertCreationRequested' && !creations.has(fact.data.concertId))
      creations.set(fact.data.concertId, fact);

  const concerts: ConcertView[] = [];
  for (const concertId of new Set([...states.keys(), ...creations.keys()])) {
    const known = states.get(concertId);
    const view = known
      ? concertFromState(known.state, known.decidedAt)
      : concertFromRequest(creations.get(concertId) as FactDoc<'ConcertCreationRequested'>, outcomes);
    view.levels = view.levels.map((level) => {
      const pendingHere = pending.get(levelKey(concertId, level.name)) ?? 0;
      return { ...level, pendingHere, believedLeft: Math.max(0, level.left - pendingHere) };
    });
    concerts.push(view);
  }
  concerts.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.concertId.localeCompare(b.concertId));

  return {
    concerts,
    sales,
    requests,
    undecided: own.filter((fact) => !outcomes.has(fact._id)).map((fact) => fact._id),
  };
}

const levelKey = (concertId: string, level: string) => `${concertId}\u0000${level}`;

const byIdDescending = (a: { _id: string }, b: { _id: string }) =>
  a._id < b._id ? 1 : a._id > b._id ? -1 : 0;

function concertFromState(state: ExistingConcert, decidedAt: string | null): ConcertView {
  const { details } = state;
  return {
    concertId: state.concertId,
    status: state.status,
    ...details,
    currency: state.currency,
    levels: state.levels.map((l) => ({
      ...l,
      left: l.capacity - l.allocated,
      pendingHere: 0,
      believedLeft: 0,
    })),
    reason: null,
    decidedAt,
  };
}

function concertFromRequest(
  request: FactDoc<'ConcertCreationRequested'>,
  outcomes: Map<string, Outcome>,
): ConcertView {
  const { concertId, levels, currency, ...details } = request.data;
  const outcome = outcomes.get(request._id);
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
  if (decision.type === 'SaleRejected' || decision.type === 'ConcertChangeRejected')
    return decision.data.message;
  return null;
}

function saleView(fact: FactDoc<'SaleRecorded'>, outcome: Outcome | undefined): SaleView {
  const { data } = fact;
  const reason = outcome ? rejectionOf(outcome) : null;
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
    status: !outcome ? 'pending' : reason === null ? 'confirmed' : 'rejected',
    reason,
  };
}

function requestView(
  fact: Exclude<FactDoc<ConcertFactType>, FactDoc<'SaleRecorded'>>,
  outcome: Outcome | undefined,
): RequestView {
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
