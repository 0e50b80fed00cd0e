// The concert's answers to the order flow, copied into the orders database for the orders authority: one relay per
// reservation or ticket decision, and one per cash sale allocated (it becomes a one-line order), id
// `relay:<decision id>`, in the order's stream. Create-only, so relaying twice is a no-op; and a concert that crashed
// between appending a decision and relaying it relays it when it loads its stream.
import type { DocumentScope } from 'nano';
import type { OrderFlowDecisionType } from '../../domain/authority/concert-authority';
import type { DecisionDoc, FactDoc, RelayDoc } from '../../domain/events/catalogue';
import { orderStream, ordersDatabase, relayId } from '../../domain/events/order-flow';
import type { RelayedDecision } from '../../domain/events/order-flow';
import { saleOrderIdFor } from '../../domain/order/order';
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

/**
 * The relay of an allocated sale, with what its order needs of the sale the desk recorded (the price, the cash, who
 * sold): the fact is immutable, so every copy is the same document too.
 */
export function saleRelayDoc(
  concertId: string,
  decision: DecisionDoc<'SeatsAllocated'>,
  sale: FactDoc<'SaleRecorded'>,
): RelayDoc {
  const { unitPrice, currency, payment } = sale.data;
  const data = {
    ...decision.data,
    unitPrice,
    currency,
    tendered: payment.tendered,
    deviceId: sale.meta.deviceId,
    userId: sale.meta.userId,
  };
  return {
    _id: relayId(decision._id),
    type: 'ConcertDecisionRelayed',
    v: 1,
    stream: orderStream(saleOrderIdFor(decision.data.saleId)),
    data: { concertId, decisionDocId: decision._id, event: { type: 'SeatsAllocated', data } },
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
  /** Writes these relays (those already there are left as they are). */
  send: (docs: readonly RelayDoc[]) => Promise<void>;
  /** Which of these relay ids the orders database does not hold (a restart's repair writes those). */
  missing: (ids: readonly string[]) => Promise<Set<string>>;
};

const keysPerRead = 500;

export function concertRelay(options: { couch: Couch; database?: string }): ConcertRelay {
  const { couch } = options;
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
    send: write,
    async missing(ids) {
      const absent = new Set<string>();
      if (ids.length === 0) return absent;
      await ensure();
      for (let i = 0; i < ids.length; i += keysPerRead) {
        const keys = ids.slice(i, i + keysPerRead);
        const { rows } = await db.fetchRevs({ keys });
        const present = new Set(rows.flatMap((row) => ('error' in row && row.error ? [] : [row.key])));
        for (const id of keys) if (!present.has(id)) absent.add(id);
      }
      return absent;
    },
  };
}
