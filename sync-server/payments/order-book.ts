// One order as the orders authority decided it, read from the store: its stream's accepted chain folded with the
// authority's own rules, so the amount and currency a card is charged come from the order, never from the desk.
import { evolveOrders, initialOrdersState, isOrdersDecision } from '../../domain/authority/order-authority';
import type { OrderBook } from '../../domain/authority/order-authority';
import { isDecision, parseEventDoc } from '../../domain/events/catalogue';
import { orderStream, ordersDatabase } from '../../domain/events/order-flow';
import { emptyChain, followChain, streamRange } from '../../domain/log/stream';
import { readRange } from '../store/couch';
import type { Couch, Doc } from '../store/couch';

export async function readOrderBook(couch: Couch, orderId: string): Promise<OrderBook | undefined> {
  const stream = orderStream(orderId);
  const { startkey, endkey } = streamRange(stream);
  const docs = [];
  for await (const page of readRange(couch.server.use<Doc>(ordersDatabase), startkey, endkey))
    for (const raw of page) {
      const parsed = parseEventDoc(raw);
      if (parsed.ok && isDecision(parsed.doc) && isOrdersDecision(parsed.doc) && parsed.doc.stream === stream)
        docs.push(parsed.doc);
    }
  const state = initialOrdersState();
  const { accepted } = followChain(
    emptyChain(),
    docs.map((doc) => ({ ...doc.meta, doc })),
  );
  for (const { doc } of accepted) evolveOrders(state, doc);
  return state.orders.get(orderId);
}
