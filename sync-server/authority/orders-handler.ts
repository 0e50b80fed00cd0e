// The orders authority: runs the order process over the orders database. It folds every order's decision stream
// (and the invoice numbering streams) into state, decides each desk fact, relayed concert decision, step and timeout
// once, appends the decision create-only at its stream's next position, and then sends what the decision asks for:
// requests into the concerts' databases (create-only, deterministic ids: a 409 means sent before) and local steps,
// decided in the next round. On every load the outbox of the whole log is replayed, so a crash between a decision and
// its requests loses nothing. A conflict means another writer appended first: that stream is read again.
// Card refunds a decision asks for are sent to the payment gateway the same way (idempotent by refund id), and asked
// again at every load and sweep until the gateway's webhook is decided.
import type { DocumentScope } from 'nano';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import {
  causeOf,
  decideCause,
  defaultOrderSettings,
  dueTimeouts,
  evolveOrders,
  forgetStream,
  headOf,
  initialOrdersState,
  isOrdersDecision,
  isOrdersStream,
  mergeOutboxes,
  numberingStreamPrefix,
  ordersDecisionDoc,
  setHead,
  stillWanted,
} from '../../domain/authority/order-authority';
import type {
  Cause,
  ConcertRequest,
  GatewayRefund,
  OrderSettings,
  OrdersAuthorityState,
  OrdersDecisionDoc,
  Outbox,
} from '../../domain/authority/order-authority';
import {
  isConcertFact,
  isDecision,
  isFact,
  isRelay,
  isRequest,
  parseEventDoc,
} from '../../domain/events/catalogue';
import type { AnyEventDoc } from '../../domain/events/catalogue';
import { orderStream, ordersDatabase } from '../../domain/events/order-flow';
import { followChain, parseDecisionDocId, streamRange } from '../../domain/log/stream';
import { createAll, ensureEventDatabase, readRange, statusOf } from '../store/couch';
import type { Couch, Doc } from '../store/couch';
import { decisionIdOf, quarantineAll } from './decision-log';
import type { Unacceptable } from './decision-log';
import { sleep } from './follower';
import type { BatchHandler, Change, Outcome } from './follower';
import type { Metrics } from './metrics';

export type OrdersHandler = BatchHandler & {
  readonly state: OrdersAuthorityState;
  /** Times out the unpaid orders past their deadline on the authority's clock. */
  tick: () => Promise<void>;
};

const scope = 'orders';
const defaultSaleGatherMs = 2_000;
/** Causes decided in one write (with the steps they ask for, several documents each). */
const causesPerWrite = 50;
const isSaleAllocation = (cause: Cause): boolean => cause.step.type === 'sale';
/** A wait that ends early at the session's end, and lets go of the session's signal when it is over. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  ms <= 0 ? Promise.resolve() : sleep(ms, signal);
/** How many steps deep one write decides: a chain longer than that goes on in the next write. */
const stepsPerWrite = 8;
const nothing = (): Outbox => ({ requests: [], steps: [], gateway: [] });

/** Where card refunds go: the payment gateway (sync-server/payments), when card payments are on. */
export type RefundGateway = { refund: (refund: GatewayRefund) => Promise<void> };

export function ordersHandler(options: {
  couch: Couch;
  authorityId: string;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
  settings?: OrderSettings;
  /** How often unpaid orders are checked against their deadline while the lease is held; 0 turns the sweep off. */
  sweepMs?: number;
  /**
   * How long a batch of nothing but allocated sales waits before it is decided, so that the sales of a busy desk
   * become their orders together (one write for many) instead of competing with every next sale; 0 = at once.
   */
  saleGatherMs?: number;
  /** Test hook: the process kills itself right after appending a decision of this type, before its outbox is sent. */
  crashAfter?: string;
  /** The card gateway; without it, card refunds wait (and are asked for once it is configured). */
  gateway?: RefundGateway;
}): OrdersHandler {
  const { couch, authorityId, logger, metrics } = options;
  const now = options.now ?? (() => new Date());
  const settings = options.settings ?? defaultOrderSettings;
  const db: DocumentScope<Doc> = couch.server.use<Doc>(ordersDatabase);
  const labels = { concert: scope };
  let state = initialOrdersState();
  /** decisionId of every accepted decision, by document id: another document there means history was rewritten. */
  let acceptedAt = new Map<string, string>();
  /** Causes whose decision was orphaned: if one is still undecided, the feed must be read again from the start. */
  let orphanedCauses = new Set<string>();

  // load, handle and tick share the state: one at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  const accept = (doc: OrdersDecisionDoc): Outbox => {
    acceptedAt.set(doc._id, doc.meta.decisionId);
    return evolveOrders(state, doc, settings);
  };

  /** Reads the decisions in an id range and folds each stream's chain from its head; returns what they asked for. */
  const catchUp = async (startkey: string, endkey: string): Promise<Outbox> => {
    const byStream = new Map<string, OrdersDecisionDoc[]>();
    for await (const page of readRange(db, startkey, endkey))
      for (const raw of page) {
        const parsed = parseEventDoc(raw);
        const at = parseDecisionDocId(raw._id);
        if (
          parsed.ok &&
          isDecision(parsed.doc) &&
          isOrdersDecision(parsed.doc) &&
          at?.stream === parsed.doc.stream
        )
          byStream
            .set(at.stream, byStream.get(at.stream) ?? [])
            .get(at.stream)
            ?.push(parsed.doc);
        else
          logger.warn(
            { id: raw._id, reason: parsed.ok ? 'not a decision of its stream' : parsed.reason },
            'ignored a squatter in a stream',
          );
      }
    const outboxes: Outbox[] = [];
    for (const [stream, docs] of byStream) {
      const links = docs.map((doc) => ({ ...doc.meta, doc }));
      const { accepted, orphans, head } = followChain(headOf(state, stream), links);
      for (const link of accepted) outboxes.push(accept(link.doc));
      setHead(state, stream, head);
      for (const orphan of orphans) orphanedCauses.add(orphan.doc.meta.causationId);
      if (orphans.length > 0)
        logger.warn({ orphans: orphans.map((o) => o.doc._id) }, 'orphaned decisions skipped');
    }
    return mergeOutboxes(outboxes);
  };

  /** Reads one stream again from its start: after a lost append, or decisions another instance wrote. */
  const reloadStream = async (stream: string): Promise<Outbox> => {
    forgetStream(state, stream);
    const { startkey, endkey } = streamRange(stream);
    return catchUp(startkey, endkey);
  };

  const reload = async (): Promise<Outcome> => {
    await ensureEventDatabase(couch, ordersDatabase);
    state = initialOrdersState();
    acceptedAt = new Map();
    orphanedCauses = new Set();
    const orders = orderStream('');
    const outbox = mergeOutboxes([
      await catchUp(orders, `${orders}\uffff`),
      await catchUp(numberingStreamPrefix, `${numberingStreamPrefix}\uffff`),
    ]);
    logger.info({ orders: state.orders.size }, 'order streams loaded');
    // What the log asked for and may not have been sent or decided before a crash.
    await run([], stillWanted(state, outbox));
    const rewind = [...orphanedCauses].some((cause) => !state.decided.has(cause));
    return rewind ? 'rewind' : 'continue';
  };

  /** Card refunds the gateway refused or missed, by refund id: asked again at the next sweep. */
  const refundsToRetry = new Map<string, GatewayRefund>();

  /** Asks the gateway for card refunds (idempotent by refund id: asking twice refunds once). */
  const refund = async (refunds: readonly GatewayRefund[]): Promise<void> => {
    for (const wanted of refunds) {
      if (!options.gateway) {
        logger.warn({ refundId: wanted.refundId }, 'a card refund waits: card payments are not configured');
        continue;
      }
      try {
        await options.gateway.refund(wanted);
        refundsToRetry.delete(wanted.refundId);
      } catch (error) {
        refundsToRetry.set(wanted.refundId, wanted);
        logger.warn(
          { err: error, refundId: wanted.refundId },
          'the gateway refused or missed a refund: asked again at the next sweep',
        );
      }
    }
  };

  /** Writes requests into their concerts' databases; one that exists already was sent before. */
  const send = async (requests: readonly ConcertRequest[]): Promise<void> => {
    const byDatabase = new Map<string, Doc[]>();
    for (const { database, doc } of requests)
      byDatabase
        .set(database, byDatabase.get(database) ?? [])
        .get(database)
        ?.push(doc);
    await Promise.all(
      [...byDatabase].map(async ([database, docs]) => {
        try {
          const results = await createAll(couch.server.use<Doc>(database), docs);
          const failed = results.find((r) => !r.ok && !r.conflict);
          if (failed) throw new Error(`request ${failed.id} to ${database}: ${failed.error ?? 'unknown'}`);
        } catch (error) {
          // No such concert: nobody can answer; the order times out and is cancelled.
          if (statusOf(error) !== 404) throw error;
          logger.warn(
            { database, requests: docs.map((d) => d._id) },
            'requests to a concert that does not exist',
          );
        }
      }),
    );
  };

  type Tentative = { cause: Cause; doc: OrdersDecisionDoc; outbox: Outbox };

  /**
   * Decides each cause against the state (a cause's decision is applied before the next is decided), and the local
   * steps those decisions ask for, step after step (a cash sale's order: its delivery, invoice and number), then
   * writes them all with one _bulk_docs and keeps what was written. A stream whose append lost is read again; its
   * causes come back. The requests to concerts are sent only once the decisions asking for them are written.
   */
  const round = async (causes: readonly Cause[]): Promise<{ outbox: Outbox; retry: Cause[] }> => {
    const at = now().toISOString();
    const tentative: Tentative[] = [];
    let todo: readonly Cause[] = causes;
    for (let depth = 0; todo.length > 0 && depth < stepsPerWrite; depth++) {
      const steps: Cause[] = [];
      for (const cause of todo) {
        const decided = decideCause(cause, state, at, settings);
        if (!decided) continue;
        const context = { decisionId: randomUUID(), authorityId, now: at };
        const doc = ordersDecisionDoc(decided, headOf(state, decided.stream), cause, context);
        const outbox = accept(doc);
        tentative.push({ cause, doc, outbox });
        steps.push(...outbox.steps);
      }
      todo = stillWanted(state, { ...nothing(), steps }).steps;
    }
    if (tentative.length === 0) return { outbox: nothing(), retry: [] };
    const results = await createAll(
      db,
      tentative.map((t) => t.doc),
    );
    const lost = new Set<string>();
    const outboxes: Outbox[] = [];
    const retry: Cause[] = [];
    for (const [i, { cause, doc, outbox }] of tentative.entries()) {
      const result = results[i];
      if (result?.ok && !lost.has(doc.stream)) {
        metrics.decisions.inc({ ...labels, outcome: doc.type });
        outboxes.push(outbox);
        if (doc.type === options.crashAfter) crash(doc);
        continue;
      }
      if (result && !result.ok && !result.conflict)
        throw new Error(`append failed: ${result.error ?? 'unknown'}`);
      // Lost, or written after a loss in its stream (an orphan): decided again on the stream as it really is.
      lost.add(doc.stream);
      state.decided.delete(cause.id);
      retry.push(cause);
    }
    for (const stream of lost) {
      metrics.appendConflicts.inc(labels);
      logger.info({ stream }, 'another writer appended first: reloading the stream');
      outboxes.push(await reloadStream(stream));
    }
    return { outbox: mergeOutboxes(outboxes), retry };
  };

  /**
   * Decides causes and everything their decisions ask for, round after round, until nothing is left; at most
   * `causesPerWrite` causes a round. Between rounds of allocated sales it lets the store breathe: a reconnecting desk's
   * thousand sales become orders without holding up the reads of the sales' own decisions.
   */
  const run = async (causes: readonly Cause[], outbox: Outbox, signal?: AbortSignal): Promise<void> => {
    let pending = [...causes, ...outbox.steps];
    let requests = outbox.requests;
    let refunds = outbox.gateway;
    for (;;) {
      await send(requests);
      await refund(refunds);
      refunds = [];
      if (pending.length === 0 || signal?.aborted) return;
      const chunk = pending.slice(0, causesPerWrite);
      const started = performance.now();
      const next = await round(chunk);
      const took = performance.now() - started;
      const wanted = stillWanted(state, next.outbox);
      pending = [...pending.slice(chunk.length), ...next.retry, ...wanted.steps];
      requests = wanted.requests;
      refunds = wanted.gateway;
      // Allocated sales' bookkeeping takes at most a ninth of the time: the store serves the desks in between.
      if (pending.length > 0 && chunk.every(isSaleAllocation) && signal)
        await pause(Math.max(options.saleGatherMs ?? defaultSaleGatherMs, 8 * took), signal);
    }
  };

  const crash = (doc: OrdersDecisionDoc): void => {
    logger.warn({ id: doc._id }, `crashing after ${doc.type}, as CRASH_AFTER_DECISION asks`);
    process.kill(process.pid, 'SIGKILL');
  };

  const tick = () =>
    serially(async () => {
      const due = dueTimeouts(state, now().toISOString());
      const unconfirmed = stillWanted(state, { ...nothing(), gateway: [...refundsToRetry.values()] }).gateway;
      if (due.length > 0 || unconfirmed.length > 0) await run(due, { ...nothing(), gateway: unconfirmed });
    });

  /** The order's deadline runs on the authority's clock, swept only while this instance holds the lease. */
  const sweepDuring = (session: AbortSignal): void => {
    const every = options.sweepMs ?? 1_000;
    if (every <= 0 || session.aborted) return;
    const timer = setInterval(() => {
      tick().catch((error: unknown) => logger.warn({ err: error }, 'timing out orders failed'));
    }, every);
    session.addEventListener('abort', () => clearInterval(timer), { once: true });
  };

  /** Why a document that parsed has no place in the orders database. */
  const misplaced = (doc: AnyEventDoc): string => {
    if (isConcertFact(doc)) return `${doc.type} belongs in its concert's database`;
    if (isRequest(doc))
      return `${doc.type} is a request for a concert's authority, in the concert's database`;
    return `${doc.type} is written by the authority only, in its stream`;
  };

  return {
    get state() {
      return state;
    },
    load: (session?: AbortSignal) =>
      serially(async () => {
        const outcome = await reload();
        if (session) sweepDuring(session);
        return outcome;
      }),
    handle: (changes: Change[], signal: AbortSignal) =>
      serially(async () => {
        const causes: Cause[] = [];
        const bad: Unacceptable[] = [];
        const foreign = new Set<string>();
        let rewritten = false;
        for (const { id, doc, deleted } of changes) {
          if (deleted || !doc || id.startsWith('_design/') || id.startsWith('quarantine:')) continue;
          const position = parseDecisionDocId(id);
          if (position && isOrdersStream(position.stream)) {
            // Decisions we did not write ourselves: another authority was active, read that stream again.
            if (position.position >= headOf(state, position.stream).nextPosition)
              foreign.add(position.stream);
            // Another document winning at a position we accepted: a cluster conflict that our write lost.
            else if (acceptedAt.has(id) && decisionIdOf(doc) !== acceptedAt.get(id)) rewritten = true;
            continue;
          }
          const parsed = parseEventDoc(doc);
          if (!parsed.ok) {
            bad.push({ id, reason: parsed.reason, type: parsed.type });
            continue;
          }
          const read = parsed.doc;
          if (isRelay(read) || (isFact(read) && !isConcertFact(read))) {
            const cause = causeOf(read);
            if (cause) causes.push(cause);
          } else bad.push({ id, reason: misplaced(read), type: read.type });
        }
        metrics.factsSeen.inc(labels, causes.length);
        // Nothing a desk waits for: the next batch brings the sales allocated meanwhile.
        if (causes.length > 0 && causes.every(isSaleAllocation) && !rewritten && foreign.size === 0)
          await pause(options.saleGatherMs ?? defaultSaleGatherMs, signal);
        if (rewritten) {
          metrics.appendConflicts.inc(labels);
          logger.warn(
            'a stream position was won by another writer (cluster conflict): reloading and re-reading',
          );
          return reload();
        }
        await quarantineAll(db, ordersDatabase, bad, { at: now().toISOString(), metrics, scope, logger });
        const outboxes: Outbox[] = [];
        for (const stream of foreign) outboxes.push(await reloadStream(stream));
        // A desk's facts in the order it wrote them (ULIDs), before the relays (relay:…) about what they caused.
        causes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        await run(causes, stillWanted(state, mergeOutboxes(outboxes)), signal);
        return 'continue';
      }),
    tick,
  };
}
