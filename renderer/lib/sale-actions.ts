// Recording a sale at the desk: one fact in the concert's database, with the promise the desk made (guaranteed from
// its block, or pending) as its claim. The sell screen and the exchange of a rejected sale both sell this way.
import type { DeskPromise } from '../../domain/allotment/allotment';
import type { ConcertView, LevelView } from '../../domain/desk/desk-view';
import type { FactDoc } from '../../domain/events/catalogue';
import type { DeskStore } from '../store/desk-store';

export type SaleInput = {
  concert: ConcertView;
  level: LevelView;
  quantity: number;
  /** The cash handed over (at least the total). */
  tendered: number;
  promise: DeskPromise;
};

export function recordSale(store: DeskStore, sale: SaleInput): Promise<FactDoc<'SaleRecorded'>> {
  const { concert, level, quantity, tendered, promise } = sale;
  const total = level.price * quantity;
  return store.record('SaleRecorded', (saleId) => ({
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
}
