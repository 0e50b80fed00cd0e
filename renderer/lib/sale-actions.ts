// Recording a sale at the desk: one fact in the concert's database, with the promise the desk made (guaranteed from
// its block, or pending) as its claim. The sell screen and the exchange of a rejected sale both sell this way.
import type { DeskPromise } from '../../domain/allotment/allotment';
import type { ConcertView, LevelView } from '../../domain/desk/desk-view';
import type { FactDoc } from '../../domain/events/catalogue';
import type { DeskStore } from '../store/desk-store';
import { recordDrawerCash } from './drawer-actions';

export type SaleInput = {
  concert: ConcertView;
  level: LevelView;
  quantity: number;
  /** The cash handed over (at least the total). */
  tendered: number;
  promise: DeskPromise;
  /** The cash that goes into the drawer: the total unless told (an exchange brings in only what the buyer adds). */
  drawerCash?: number;
};

/**
 * The sale recorded, and its cash in the open shift of the drawer: `drawer` is null when the cash is in the drawer's
 * count, else why not ('no_shift', or the drawer's sentence). The sale goes through either way.
 */
export type RecordedSale = FactDoc<'SaleRecorded'> & { drawer: string | null };

export async function recordSale(store: DeskStore, sale: SaleInput): Promise<RecordedSale> {
  const { concert, level, quantity, tendered, promise } = sale;
  const total = level.price * quantity;
  const fact = await store.record('SaleRecorded', (saleId) => ({
    saleId,
    concertId: concert.concertId,
    level: level.name,
    quantity,
    unitPrice: level.price,
    total,
    currency: concert.currency,
    payment: { method: 'cash', tendered, change: tendered - total },
    claim: promise === 'guaranteed' ? 'allotment' : 'pool',
  }));
  const cash = sale.drawerCash ?? total;
  const drawer =
    cash > 0
      ? await recordDrawerCash(store, {
          kind: 'sale',
          id: fact.data.saleId,
          amount: cash,
          currency: concert.currency,
          at: new Date().toISOString(),
        })
      : null;
  return { ...fact, drawer };
}
