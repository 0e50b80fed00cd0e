// The concert's answers to the order flow, copied into the orders database for the orders authority: one relay per
// reservation or ticket decision, id `relay:<decision id>`, in the order's stream. Create-only, so relaying twice is a
// no-op; and a concert that crashed between appending a decision and relaying it relays it when it loads its stream.
import type { DocumentScope } from 'nano';
import type { Logger } from 'pino';
import type { OrderFlowDecisionType } from '../../domain/authority/concert-authority';
import type { DecisionDoc, RelayDoc } from '../../domain/events/catalogue';
import { orderStream, ordersDatabase, relayId } from '../../domain/events/order-flow';
import type { RelayedDecision } from '../../domain/events/order-flow';
import { createAll, ensureEventDatabase } from '../store/couch';
import type { Couch, Doc } from '../store/couch';

/** The relay of one decision: everything in it comes from the decision, so every copy is the same document. */
export function relayDoc(concertId: string, decision: DecisionDoc<OrderFlowDecisionType>): RelayDoc {
  return {
    _id: relayId(decision._id),
    type: 'ConcertDecisionRelayed',
    v: 1,
    stream: orderStream(decision.data.orderId),
    data: {
      concertId,
      decisionDocId: decision._id,
      event: { type: decision.type, data: decision.data } as RelayedDecision,
    },
    meta: {
      deviceId: 'authority',
      userId: 'authority',
      recordedAt: decision.meta.recordedAt,
      correlationId: decision.meta.correlationId,
      causationId: decision._id,
    },
  };
}

export type ConcertRelay = {
  /** Writes the relays of these decisions (those already there are left as they are). */
  send: (decisions: readonly DecisionDoc<OrderFlowDecisionType>[]) => Promise<void>;
  /** Writes the relays of these decisions that are missing, checking first which exist (a restart's repair). */
  repair: (decisions: readonly DecisionDoc<OrderFlowDecisionType>[]) => Promise<number>;
};

const keysPerRead = 500;

export function concertRelay(options: {
  couch: Couch;
  concertId: string;
  logger: Logger;
  database?: string;
}): ConcertRelay {
  const { couch, concertId, logger } = options;
  const database = options.database ?? ordersDatabase;
  const db: DocumentScope<Doc> = couch.server.use<Doc>(database);
  let ready = false;

  /** The orders database may not exist yet (no order was ever placed): create it once, idempotently. */
  const ensure = async (): Promise<void> => {
    if (ready) return;
    await ensureEventDatabase(couch, database);
    ready = true;
  };

  const write = async (docs: readonly RelayDoc[]): Promise<void> => {
    if (docs.length === 0) return;
    await ensure();
    const results = await createAll(db, docs);
    const failed = results.find((r) => !r.ok && !r.conflict);
    if (failed) throw new Error(`relay to ${database} failed: ${failed.id}: ${failed.error ?? 'unknown'}`);
  };

  return {
    send: (decisions) => write(decisions.map((d) => relayDoc(concertId, d))),
    async repair(decisions) {
      if (decisions.length === 0) return 0;
      await ensure();
      let written = 0;
      for (let i = 0; i < decisions.length; i += keysPerRead) {
        const docs = decisions.slice(i, i + keysPerRead).map((d) => relayDoc(concertId, d));
        const { rows } = await db.fetchRevs({ keys: docs.map((d) => d._id) });
        const present = new Set(rows.flatMap((row) => ('error' in row && row.error ? [] : [row.key])));
        const missing = docs.filter((d) => !present.has(d._id));
        await write(missing);
        written += missing.length;
      }
      if (written > 0) logger.info({ written }, 'relayed decisions the orders database was missing');
      return written;
    },
  };
}
