// The authority for one concert: folds the concert's decision stream into state, decides every new device fact
// with the domain, and appends the decisions at the next stream positions with create-only writes. A conflict means
// another writer appended first: reload the stream and decide again. Bad documents are quarantined, never dropped.
import type { DocumentScope } from 'nano';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import {
  concertStream,
  decideFact,
  decisionDoc,
  evolveAuthority,
  initialAuthorityState,
} from '../../domain/authority/concert-authority';
import type { ConcertAuthorityState } from '../../domain/authority/concert-authority';
import type { ConcertState } from '../../domain/concert/concert';
import { isConcertDecision, isConcertFact, parseEventDoc } from '../../domain/events/catalogue';
import type {
  ConcertDecisionType,
  ConcertFactType,
  DecisionDoc,
  FactDoc,
} from '../../domain/events/catalogue';
import type { UpcastContext } from '../../domain/events/upcasters';
import { followChain, parseDecisionDocId, streamRange } from '../../domain/log/stream';
import { createAll, readRange } from '../store/couch';
import type { Couch, Doc } from '../store/couch';
import type { BatchHandler, Change } from './follower';
import type { Metrics } from './metrics';
import { quarantineDoc } from './quarantine';

export type ConcertHandler = BatchHandler & { readonly state: ConcertAuthorityState };

export function concertHandler(options: {
  couch: Couch;
  dbName: string;
  concertId: string;
  authorityId: string;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
}): ConcertHandler {
  const { concertId, authorityId, logger, metrics } = options;
  const now = options.now ?? (() => new Date());
  const db: DocumentScope<Doc> = options.couch.server.use<Doc>(options.dbName);
  const stream = concertStream(concertId);
  let state = initialAuthorityState();
  /** decisionId at each accepted position: a different document showing up there means history was rewritten. */
  let acceptedAt = new Map<number, string>();
  /** Facts whose decision was orphaned: if any is still undecided, the feed must be read again from the start. */
  let orphanedCauses = new Set<string>();

  type Bad = { id: string; reason: string; type: string | null };

  /**
   * Reads a device document as a fact of this concert, or says why it is not one. Parsed at decision time, against
   * the state it is decided on: an old version is read as the current one with what the authority knows then
   * (e.g. the concert's currency, for a sale recorded right after the concert was created).
   */
  const classify = (doc: Doc, concert: ConcertState): { fact: FactDoc<ConcertFactType> } | { bad: Bad } => {
    const context: UpcastContext = {
      currencyOf: (id) => (concert.status !== 'none' && id === concertId ? concert.currency : undefined),
    };
    const parsed = parseEventDoc(doc, context);
    if (!parsed.ok) return { bad: { id: doc._id, reason: parsed.reason, type: parsed.type } };
    const { type } = parsed.doc;
    if (!isConcertFact(parsed.doc))
      return {
        bad: { id: doc._id, reason: `${type} is written by the authority only, in its stream`, type },
      };
    if (parsed.doc.data.concertId !== concertId)
      return {
        bad: {
          id: doc._id,
          reason: `a fact for concert ${parsed.doc.data.concertId} in ${options.dbName}`,
          type,
        },
      };
    return { fact: parsed.doc };
  };

  const accept = (doc: DecisionDoc<ConcertDecisionType>): void => {
    state = evolveAuthority(state, doc);
    acceptedAt.set(doc.meta.position, doc.meta.decisionId);
  };
  const labels = { concert: concertId };

  /** Reads the stream from the head on and applies the decisions that extend the chain. */
  const catchUp = async (): Promise<void> => {
    const { startkey, endkey } = streamRange(stream, state.head.nextPosition);
    for await (const page of readRange(db, startkey, endkey)) {
      const decisions: DecisionDoc<ConcertDecisionType>[] = [];
      for (const raw of page) {
        const parsed = parseEventDoc(raw);
        if (parsed.ok && isConcertDecision(parsed.doc) && parsed.doc.stream === stream)
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

  const quarantine = async (entries: Bad[]): Promise<void> => {
    if (entries.length === 0) return;
    const at = now().toISOString();
    await createAll(
      db,
      entries.map((e) => quarantineDoc(options.dbName, e, at)),
    );
    metrics.quarantined.inc(labels, entries.length);
    for (const e of entries) logger.warn({ id: e.id, reason: e.reason }, 'quarantined');
  };

  /** Decides facts in order and writes the decisions; returns the facts still undecided after a conflict. */
  const decideAndAppend = async (candidates: Doc[]): Promise<Doc[]> => {
    const tentative = new Set<string>();
    let view: ConcertAuthorityState = {
      ...state,
      decided: { has: (id) => state.decided.has(id) || tentative.has(id), add: (id) => tentative.add(id) },
    };
    const docs: DecisionDoc<ConcertDecisionType>[] = [];
    const bad: Bad[] = [];
    const at = now().toISOString();
    for (const candidate of candidates) {
      const read = classify(candidate, view.concert);
      if ('bad' in read) {
        bad.push(read.bad);
        continue;
      }
      const { fact } = read;
      const decision = decideFact(fact, view);
      if (!decision) continue;
      const doc = decisionDoc(concertId, view.head, decision, fact, {
        decisionId: randomUUID(),
        authorityId,
        now: at,
      });
      docs.push(doc);
      view = evolveAuthority(view, doc);
    }
    await quarantine(bad);
    if (docs.length === 0) return [];
    const results = await createAll(db, docs);
    // Apply the written prefix; at the first failure stop: what follows was decided on a history that lost.
    for (const [i, result] of results.entries()) {
      const doc = docs[i];
      if (!result.ok || !doc) break;
      accept(doc);
      metrics.decisions.inc({ ...labels, outcome: doc.type });
    }
    const failed = results.find((r) => !r.ok);
    if (!failed) return [];
    if (!failed.conflict) throw new Error(`append failed: ${failed.error ?? 'unknown'}`);
    metrics.appendConflicts.inc(labels);
    logger.info({ at: failed.id }, 'another writer appended first: reloading the stream');
    await catchUp();
    const quarantined = new Set(bad.map((b) => b.id));
    return candidates.filter((c) => !state.decided.has(c._id) && !quarantined.has(c._id));
  };

  return {
    get state() {
      return state;
    },
    async load() {
      state = initialAuthorityState();
      acceptedAt = new Map();
      orphanedCauses = new Set();
      await catchUp();
      logger.info({ position: state.head.nextPosition, status: state.concert.status }, 'stream loaded');
      const rewind = [...orphanedCauses].some((cause) => !state.decided.has(cause));
      return rewind ? 'rewind' : 'continue';
    },
    async handle(changes: Change[], signal: AbortSignal) {
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
          else if (
            acceptedAt.has(position.position) &&
            decisionIdOf(doc) !== acceptedAt.get(position.position)
          )
            rewritten = true;
          continue;
        }
        candidates.push(doc);
      }
      metrics.factsSeen.inc(labels, candidates.length);
      if (rewritten) {
        // The deterministic winner stands; what we decided after it is orphaned and its facts are decided again.
        metrics.appendConflicts.inc(labels);
        logger.warn(
          'a stream position was won by another writer (cluster conflict): reloading and re-reading',
        );
        return this.load();
      }
      if (foreignDecisions) await catchUp();
      // _changes is only partially ordered: one _bulk_docs may come back in any order (the embedded store writes a
      // batch in parallel). Fact ids are ULIDs from monotonic factories, so id order is each device's write order:
      // an organizer's "publish" is never decided before the "create" it wrote first in the same upload.
      candidates.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
      let pending = candidates;
      while (pending.length > 0 && !signal.aborted) pending = await decideAndAppend(pending);
      metrics.streamPosition.set(labels, state.head.nextPosition);
      return 'continue';
    },
  };
}

function decisionIdOf(doc: Doc): unknown {
  const meta = doc.meta;
  return typeof meta === 'object' && meta !== null && 'decisionId' in meta ? meta.decisionId : undefined;
}
