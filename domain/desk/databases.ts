// Where a device's facts go: a concert is asked for in the catalogue (its database does not exist yet); every other
// fact about a concert goes to that concert's database, where its authority decides it; the order flow's facts go to
// the orders database; trust facts (a desk's key, a revocation) go to the catalogue, which every device holds.
import { concertDatabase, concertStream } from '../authority/concert-authority';
import { concertFactTypes } from '../events/catalogue';
import type { DataOf, FactDoc, FactType } from '../events/catalogue';
import { cartStream, orderStream, ordersDatabase } from '../events/order-flow';
import { isTrustFactType, trustStream } from '../ticket/trust-events';

export const catalogueDatabase = 'stagedoor-catalogue';

/** The order flow's facts (carts, cash taken, cancellations) and the desks' cash drawers go to the orders database. */
export function factDatabase(fact: Pick<FactDoc, 'type' | 'data'>): string {
  if (fact.type === 'ConcertCreationRequested' || isTrustFactType(fact.type)) return catalogueDatabase;
  const concertFact = fact as FactDoc;
  if ((concertFactTypes as readonly string[]).includes(concertFact.type) && 'concertId' in concertFact.data)
    return concertDatabase(concertFact.data.concertId);
  return ordersDatabase;
}

/** A desk's cash drawer, shift after shift: written by that desk alone. */
export const drawerStream = (deskId: string): string => `drawer-${deskId}`;

/** The stream a device's fact belongs to: its concert's, its cart's, its drawer's or its order's. */
export function factStream<T extends FactType>(type: T, data: DataOf<T>): string {
  if (isTrustFactType(type)) return trustStream;
  const fields = data as { cartId?: string; orderId?: string; concertId?: string; deskId?: string };
  if (type.startsWith('Cart') && fields.cartId) return cartStream(fields.cartId);
  if (type.startsWith('Drawer') && fields.deskId) return drawerStream(fields.deskId);
  if (fields.concertId) return concertStream(fields.concertId);
  if (fields.orderId) return orderStream(fields.orderId);
  throw new Error(`${type} names no concert, cart or order`);
}
