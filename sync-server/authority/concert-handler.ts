// The authority for one concert: folds the concert's decision stream into state, decides every new device fact and
// every request of the orders authority with the domain, expires holds on its own clock, and appends the decisions at
// the next stream positions with create-only writes. A conflict means another writer appended first: reload the
// stream and decide again. Bad documents are quarantined, never dropped. Reservation and ticket decisions, and every
// sale allocated (it becomes a one-line order), are relayed to the orders database (concert-relay.ts).
import type { DocumentScope } from 'nano';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import {
  concertStream,
  blockLapseCauseId,
  blocksDue,
  decideBlockLapse,
  decideExpiry,
  decideFact,
  decideRequest,
  decisionDoc,
  evolveAuthority,
  expiryCauseId,
  holdsDue,
  initialAuthorityState,
  isOrderFlowDecision,
  isStreamDecision,
  tentativeView,
} from '../../domain/authority/concert-authority';
import type {
  Cause,
  ConcertAuthorityState,
  StreamDecision,
  StreamDecisionType,
} from '../../domain/authority/concert-authority';
import { isVoidDecision } from '../../domain/authority/concert-gate';
import type { ConcertState } from '../../domain/concert/concert';
import { isConcertFact, isRequest, parseEventDoc } from '../../domain/events/catalogue';
import type {
  ConcertFactType,
  DecisionDoc,
  FactDoc,
  RelayDoc,
  RequestDoc,
} from '../../domain/events/catalogue';
import { relayId } from '../../domain/events/order-flow';
import type { UpcastContext } from '../../domain/events/upcasters';
import { followChain, parseDecisionDocId, streamRange } from '../../domain/log/stream';
import { defaultHoldMinutes } from '../../domain/reservation/reservation';
import { createAll, readRange } from '../store/couch';
import type { Couch, Doc } from '../store/couch';
import { concertRelay, relayDoc, saleRelayDoc } from './concert-relay';
import type { BatchHandler, Change } from './follower';
import type { Metrics } from './metrics';
import { decisionIdOf, quarantineAll } from './decision-log';
import type { Unacceptable } from './decision-log';

export type ConcertHandler = BatchHandler & {
  readonly state: ConcertAuthorityState;
  /** Expires the holds whose time has come (the clock does it every expiryCheckMs while the lease is held). */
  expireDue: (signal?: AbortSignal) => Promise<void>;
};

export function concertHandler(options: {
  couch: Couch;
  dbName: string;
  concertId: string;
  authorityId: string;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
  /** How long a hold lasts (the concert sets none yet). */
  holdMinutes?: number;
  /** How often holds are checked for expiry while this instance holds the lease; 0 turns the clock off. */
  expiryCheckMs?: number;
  /** Where reservation and ticket decisions are relayed (stagedoor-orders). */
  ordersDatabase?: string;
}): ConcertHandler {
  const { concertId, authorityId, logger, metrics } = options;
  const now = options.now ?? (() => new Date());
  const holdMinutes = options.holdMinutes ?? defaultHoldMinutes;
  const expiryCheckMs = options.expiryCheckMs ?? 1000;
  const db: DocumentScope<Doc> = options.couch.server.use<Doc>(options.dbName);
  const stream = concertStream(concertId);
  const relay = concertRelay({
    couch: options.couch,
    ...(options.ordersDatabase ? { database: options.ordersDatabase } : {}),
  });
  let state = initialAuthorityState();
  /**
   * Decisions accepted but not relayed yet: a relay ready to write, or a sale allocated whose fact is still to be read
   * (a decision read back from the stream rather than decided here).
   */
  let unrelayed: Unrelayed[] = [];
  /** Stops the expiry clock of the last load. */
  let stopClock = (): void => undefined;
  /** Batches, expiries and loads run one at a time: they share the state and the stream's head. */
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };
  /** decisionId at each accepted position: a different document showing up there means history was rewritten. */
  let acceptedAt = new Map<number, string>();
  /** Facts whose decision was orphaned: if any is still undecided, the feed must be read again from the start. */
  let orphanedCauses = new Set<string>();

  type Bad = Unacceptable;

  /**
   * Reads a document as a device fact or an orders request about this concert, or says why it is neither. Parsed at
   * decision time, against the state it is decided on: an old version is read as the current one with what the
   * authority knows then (e.g. the concert's currency, for a sale recorded right after the concert was created).
   */
  const classify = (
    doc: Doc,
    concert: ConcertState,
  ): { fact: FactDoc<ConcertFactType> } | { request: RequestDoc } | { bad: Bad } => {
    const context: UpcastContext = {
      currencyOf: (id) => (concert.status !== 'none' && id === concertId ? concert.currency : undefined),
    };
    const parsed = parseEventDoc(doc, context);
    if (!parsed.ok) return { bad: { id: doc._id, reason: parsed.reason, type: parsed.type } };
    const read = parsed.doc;
    const { type } = read;
    if (!isConcertFact(read) && !isRequest(read))
      return {
        bad: { id: doc._id, reason: `${type} is written by the authority only, in its stream`, type },
      };
    const kind = isConcertFact(read) ? 'fact' : 'request';
    if (read.data.concertId !== concertId)
      return {
        bad: {
          id: doc._id,
          reason: `a ${kind} for concert ${read.data.concertId} in ${options.dbName}`,
          type,
        },
      };
    return isConcertFact(read) ? { fact: read } : { request: read };
  };

  /** Accepts a decision of the stream; `sale` is the fact a SeatsAllocated answers, when it was decided here. */
  const accept = (doc: DecisionDoc<StreamDecisionType>, sale?: FactDoc<'SaleRecorded'>): void => {
    state = evolveAuthority(state, doc);
    acceptedAt.set(doc.meta.position, doc.meta.decisionId);
    if (isOrderFlowDecision(doc)) unrelayed.push({ relay: relayDoc(concertId, doc) });
    else if (doc.type === 'SeatsAllocated')
      unrelayed.push(sale ? { relay: saleRelayDoc(concertId, doc, sale) } : { allocated: doc });
  };

  /** The relays of these decisions; a sale's fact is read by the decision's cause (one read per page of them). */
  const relaysOf = async (items: readonly Unrelayed[]): Promise<RelayDoc[]> => {
    const allocated = items.flatMap((item) => ('allocated' in item ? [item.allocated] : []));
    const sales = new Map<string, FactDoc<'SaleRecorded'>>();
    for (let i = 0; i < allocated.length; i += factsPerRead) {
      const keys = allocated.slice(i, i + factsPerRead).map((d) => d.meta.causationId);
      const { rows } = await db.fetch({ keys });
      for (const row of rows) {
        if (!('doc' in row) || !row.doc) continue;
        const read = classify(row.doc, state.concert);
        if ('fact' in read && read.fact.type === 'SaleRecorded') sales.set(read.fact._id, read.fact);
      }
    }
    return items.flatMap((item) => {
      if ('relay' in item) return [item.relay];
      const sale = sales.get(item.allocated.meta.causationId);
      if (sale) return [saleRelayDoc(concertId, item.allocated, sale)];
      logger.error(
        { decision: item.allocated._id },
        'the sale of an allocation is unreadable: no order for it',
      );
      return [];
    });
  };

  /** Relays what was accepted since the last time; kept for the next try when the orders database fails. */
  const relayAccepted = async (): Promise<void> => {
    if (unrelayed.length === 0) return;
    const batch = unrelayed;
    unrelayed = [];
    try {
      await relay.send(await relaysOf(batch));
    } catch (error) {
      unrelayed = [...batch, ...unrelayed];
      logger.warn({ err: error, pending: unrelayed.length }, 'relaying decisions failed: retrying later');
    }
  };
  // An allocated sale's relay (its order is bookkeeping) waits until the concert has decided nothing for a moment, so
  // that a reconnecting desk's backlog is decided, and read back by the desk, before thousands of orders are made
  // (they share the store and the cores); it goes at the latest saleRelayMaxWaitMs after the oldest waiting one. A
  // reservation's relay (an order waits on it) goes at once. Both run inside `exclusive`.
  let relayLater: ReturnType<typeof setTimeout> | undefined;
  let waitingSince: number | undefined;
  const relaySoon = async (decided: boolean): Promise<void> => {
    if (unrelayed.length === 0) return;
    if (unrelayed.some((item) => !isSaleRelay(item))) {
      clearTimeout(relayLater);
      relayLater = undefined;
      waitingSince = undefined;
      return relayAccepted();
    }
    if (relayLater !== undefined && !decided) return;
    waitingSince ??= performance.now();
    clearTimeout(relayLater);
    const wait = Math.min(saleRelayQuietMs, waitingSince + saleRelayMaxWaitMs - performance.now());
    relayLater = setTimeout(
      () => {
        relayLater = undefined;
        waitingSince = undefined;
        exclusive(relayAccepted).catch((error: unknown) =>
          logger.warn({ err: error }, 'relaying decisions failed: retrying later'),
        );
      },
      Math.max(0, wait),
    );
  };
  const labels = { concert: concertId };

  /** Reads the stream from the head on and applies the decisions that extend the chain. */
  const catchUp = async (): Promise<void> => {
    const { startkey, endkey } = streamRange(stream, state.head.nextPosition);
    for await (const page of readRange(db, startkey, endkey)) {
      const decisions: DecisionDoc<StreamDecisionType>[] = [];
      for (const raw of page) {
        const parsed = parseEventDoc(raw);
        if (parsed.ok && isStreamDecision(parsed.doc) && parsed.doc.stream === stream)
          decisions.push(parsed.doc);
        else
          logger.warn(
            { id: raw._id, reason: parsed.ok ? 'not a decision' : parsed.reason },
            'ignored a squatter in the stream',
          );
      }
      const links = decisions.map((d) => ({ ...d.meta, doc: d }));
      const { accepted, orphans, head } = followChain(state.head, links);
      for (const link of accepted) accept(link.doc);
      state = { ...state, head };
      for (const orphan of orphans) orphanedCauses.add(orphan.doc.meta.causationId);
      if (orphans.length > 0)
        logger.warn({ orphans: orphans.map((o) => o.doc._id) }, 'orphaned decisions skipped');
    }
  };

  const quarantine = (entries: Bad[]): Promise<void> =>
    quarantineAll(db, options.dbName, entries, {
      at: now().toISOString(),
      metrics,
      scope: concertId,
      logger,
    });

  /** A document of the feed to decide, or a hold or a desk's block whose time has come. */
  type Candidate = { doc: Doc } | { expiry: string } | { lapse: { deviceId: string; level: string } };
  const causeIdOf = (c: Candidate): string =>
    'doc' in c
      ? c.doc._id
      : 'expiry' in c
        ? expiryCauseId(c.expiry)
        : blockLapseCauseId(state, c.lapse.deviceId, c.lapse.level);

  /** Decides in order and writes the decisions; returns what is still undecided after a conflict. */
  const decideAndAppend = async (candidates: Candidate[]): Promise<Candidate[]> => {
    let view = tentativeView(state);
    const docs: DecisionDoc<StreamDecisionType>[] = [];
    /** The sale each SeatsAllocated of the batch answers, by decision id: its relay carries the sale's price. */
    const sales = new Map<string, FactDoc<'SaleRecorded'>>();
    const bad: Bad[] = [];
    const at = now().toISOString();
    for (const candidate of candidates) {
      let decided:
        { cause: Cause; decision: StreamDecision | undefined; sale?: FactDoc<'SaleRecorded'> } | undefined;
      if ('expiry' in candidate) decided = decideExpiry(candidate.expiry, view, at);
      else if ('lapse' in candidate) decided = decideBlockLapse(candidate.lapse, view, at);
      else {
        const read = classify(candidate.doc, view.concert);
        if ('bad' in read) {
          bad.push(read.bad);
          continue;
        }
        decided =
          'fact' in read
            ? {
                cause: read.fact,
                decision: decideFact(read.fact, view, at),
                ...(read.fact.type === 'SaleRecorded' ? { sale: read.fact } : {}),
              }
            : { cause: read.request, decision: decideRequest(read.request, view, { now: at, holdMinutes }) };
      }
      const decision = decided?.decision;
      if (!decided || !decision) continue;
      const doc = decisionDoc(concertId, view.head, decision, decided.cause, {
        decisionId: randomUUID(),
        authorityId,
        now: at,
      });
      // A decision every reader must be able to read back, or the chain would break at it: the order flow's ids are
      // chosen elsewhere (a request id too long for a causationId), so check before writing.
      if (isOrderFlowDecision(doc) || isVoidDecision(doc)) {
        const check = parseEventDoc(doc);
        if (!check.ok) {
          const reason = `its decision could not be recorded: ${check.reason}`;
          if ('doc' in candidate) bad.push({ id: candidate.doc._id, reason, type: doc.type });
          else if ('expiry' in candidate)
            logger.error({ reservation: candidate.expiry, reason }, 'a hold could not be expired');
          continue;
        }
      }
      docs.push(doc);
      if (decided.sale) sales.set(doc._id, decided.sale);
      view = evolveAuthority(view, doc);
    }
    await quarantine(bad);
    if (docs.length === 0) return [];
    const results = await createAll(db, docs);
    // Apply the written prefix; at the first failure stop: what follows was decided on a history that lost.
    for (const [i, result] of results.entries()) {
      const doc = docs[i];
      if (!result.ok || !doc) break;
      accept(doc, sales.get(doc._id));
      metrics.decisions.inc({ ...labels, outcome: doc.type });
    }
    const failed = results.find((r) => !r.ok);
    if (!failed) return [];
    if (!failed.conflict) throw new Error(`append failed: ${failed.error ?? 'unknown'}`);
    metrics.appendConflicts.inc(labels);
    logger.info({ at: failed.id }, 'another writer appended first: reloading the stream');
    await catchUp();
    const quarantined = new Set(bad.map((b) => b.id));
    return candidates.filter((c) => !state.decided.has(causeIdOf(c)) && !quarantined.has(causeIdOf(c)));
  };

  /** Decides until everything is decided or the session ends, then relays what was accepted. */
  const decideAll = async (candidates: Candidate[], signal?: AbortSignal): Promise<void> => {
    let pending = candidates;
    while (pending.length > 0 && !signal?.aborted) pending = await decideAndAppend(pending);
    await relaySoon(candidates.length > 0);
    metrics.streamPosition.set(labels, state.head.nextPosition);
  };

  const dueNow = (): Candidate[] => {
    const at = now().toISOString();
    return [
      ...holdsDue(state, at).map((expiry) => ({ expiry })),
      ...blocksDue(state, at).map((lapse) => ({ lapse })),
    ];
  };

  const expireDue = async (signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return;
    await decideAll(dueNow(), signal);
  };

  const reload = async (): Promise<'continue' | 'rewind'> => {
    state = initialAuthorityState();
    acceptedAt = new Map();
    orphanedCauses = new Set();
    unrelayed = [];
    await catchUp();
    logger.info({ position: state.head.nextPosition, status: state.concert.status }, 'stream loaded');
    // A crash may have come between a decision and its relay: write the relays the orders database is missing.
    const accepted = unrelayed;
    unrelayed = [];
    const absent = await relay.missing(accepted.map(relayIdOf));
    const missing = await relaysOf(accepted.filter((item) => absent.has(relayIdOf(item))));
    await relay.send(missing);
    if (missing.length > 0)
      logger.info({ written: missing.length }, 'relayed decisions the orders database was missing');
    const rewind = [...orphanedCauses].some((cause) => !state.decided.has(cause));
    return rewind ? 'rewind' : 'continue';
  };

  /** Expires holds on the authority's clock while this session (its lease) lasts. */
  const startClock = (signal: AbortSignal | undefined): void => {
    stopClock();
    if (!signal || signal.aborted || expiryCheckMs <= 0) return;
    const timer = setInterval(() => {
      exclusive(() => expireDue(signal)).catch((error: unknown) => {
        if (!signal.aborted) logger.warn({ err: error }, 'expiring holds failed: trying again');
      });
    }, expiryCheckMs);
    const stop = () => clearInterval(timer);
    signal.addEventListener('abort', stop, { once: true });
    stopClock = () => {
      stop();
      signal.removeEventListener('abort', stop);
    };
  };

  return {
    get state() {
      return state;
    },
    expireDue: (signal) => exclusive(() => expireDue(signal)),
    async load(signal?: AbortSignal) {
      stopClock();
      const outcome = await exclusive(reload);
      startClock(signal);
      return outcome;
    },
    handle: (changes, signal) => exclusive(() => handle(changes, signal)),
  };

  async function handle(changes: Change[], signal: AbortSignal): Promise<'continue' | 'rewind'> {
    const candidates: Doc[] = [];
    let foreignDecisions = false;
    let rewritten = false;
    for (const change of changes) {
      const { id, doc } = change;
      if (change.deleted || !doc || id.startsWith('_design/') || id.startsWith('quarantine:')) continue;
      const position = parseDecisionDocId(id);
      if (position?.stream === stream) {
        // A decision we did not write ourselves means another authority was active: reload before deciding.
        if (position.position >= state.head.nextPosition) foreignDecisions = true;
        // Another document winning at a position we accepted: a cluster conflict that our write lost.
        else if (acceptedAt.has(position.position) && decisionIdOf(doc) !== acceptedAt.get(position.position))
          rewritten = true;
        continue;
      }
      candidates.push(doc);
    }
    metrics.factsSeen.inc(labels, candidates.length);
    if (rewritten) {
      // The deterministic winner stands; what we decided after it is orphaned and its facts are decided again.
      metrics.appendConflicts.inc(labels);
      logger.warn('a stream position was won by another writer (cluster conflict): reloading and re-reading');
      return reload();
    }
    if (foreignDecisions) await catchUp();
    // _changes is only partially ordered: one _bulk_docs may come back in any order (the embedded store writes a
    // batch in parallel). Fact ids are ULIDs from monotonic factories, so id order is each device's write order:
    // an organizer's "publish" is never decided before the "create" it wrote first in the same upload. A
    // reservation's requests sort in the order of its steps (reserve before confirm before tickets).
    const keys = new Map(candidates.map((doc) => [doc._id, orderKey(doc._id)]));
    candidates.sort((a, b) => compare(keys.get(a._id) ?? a._id, keys.get(b._id) ?? b._id));
    // Holds whose time has come are expired before the batch is decided: at the authority's moment of deciding,
    // their seats are free again (a payment that comes later finds the hold expired, as the order is told).
    await decideAll([...dueNow(), ...candidates.map((doc) => ({ doc }))], signal);
    return 'continue';
  }
}

/** A decision waiting for its relay: the relay itself, or an allocated sale whose fact is still to be read. */
type Unrelayed = { relay: RelayDoc } | { allocated: DecisionDoc<'SeatsAllocated'> };
const isSaleRelay = (item: Unrelayed): boolean =>
  'allocated' in item || item.relay.data.event.type === 'SeatsAllocated';
/** A sale's relay waits until the concert decided nothing for this long, and never longer than the maximum. */
const saleRelayQuietMs = 1_500;
const saleRelayMaxWaitMs = 10_000;
const relayIdOf = (item: Unrelayed): string =>
  'relay' in item ? item.relay._id : relayId(item.allocated._id);
const factsPerRead = 500;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const stepRank: Record<string, string> = { reserve: '0', confirm: '1', tickets: '2', release: '3' };

/** A request's sort key puts its step's rank in place of the step's name; any other id is its own key. */
function orderKey(id: string): string {
  const match = /^(request:.*):([a-z]+)$/.exec(id);
  const rank = match?.[2] ? stepRank[match[2]] : undefined;
  return match?.[1] && rank ? `${match[1]}:${rank}` : id;
}
