// Inventory: seats per concert and level. The one rule that matters most: allocated ≤ capacity, always.
// A sale is decided exactly once, against the concert as the authority knows it, never against a device's view.
import { assertNever, DomainError } from '../shared/decider';
import type { ConcertState, LevelState } from '../concert/concert';
import { allocateSale, freeSeats } from '../allotment/allotment';
import type { AllotmentBook } from '../allotment/allotment';
import type { InventoryDecision, SaleRecorded, SaleRejectionCode } from './events';

export class SaleRefused extends DomainError<SaleRejectionCode> {}

const refused = (code: SaleRejectionCode, message: string) => new SaleRefused(code, message);

/** The desks' blocks of seats (domain/allotment) and the desk that sold: without them, every seat is free. */
export type SaleSupply = { allotments: AllotmentBook; deviceId: string };

export function decideSale(
  sale: SaleRecorded,
  concert: ConcertState,
  supply?: SaleSupply,
): InventoryDecision[] {
  const { saleId, concertId, level: levelName, quantity } = sale;
  const decided = { saleId, concertId, level: levelName, quantity };
  try {
    const level = checkSale(sale, concert);
    if (!supply) {
      checkFree(sale, level, level.capacity - level.allocated);
      return [{ type: 'SeatsAllocated', data: decided }];
    }
    const { allotments, deviceId } = supply;
    const claim = { deviceId, level: level.name, quantity, claim: sale.claim ?? 'pool' };
    const free = freeSeats(allotments, level);
    const allocation = allocateSale(allotments, claim, free);
    if ('refused' in allocation) {
      // A pool sale beyond the free seats is refused in the words every sale has always been refused in.
      if (allocation.refused === 'sold_out') checkFree(sale, level, free);
      throw refused(allocation.refused, allocation.message);
    }
    return [{ type: 'SeatsAllocated', data: { ...decided, from: allocation.from, deviceId } }];
  } catch (error) {
    if (!(error instanceof SaleRefused)) throw error;
    const rejected = { ...decided, code: error.code, message: error.message };
    return [{ type: 'SaleRejected', data: supply ? { ...rejected, deviceId: supply.deviceId } : rejected }];
  }
}

function checkFree(sale: SaleRecorded, level: LevelState, left: number): void {
  if (sale.quantity > left)
    throw refused(
      'sold_out',
      left <= 0
        ? `${level.name} is sold out.`
        : `${level.name} is sold out: only ${left} left, ${sale.quantity} asked.`,
    );
}

/** Everything but the seats: the concert is on sale, the level exists, the price is the level's. */
function checkSale(sale: SaleRecorded, concert: ConcertState): LevelState {
  // A sale names its concert: it never takes seats of another one.
  if (concert.status === 'none' || concert.concertId !== sale.concertId)
    throw refused('unknown_concert', 'This concert is not known to the box office.');
  if (concert.status === 'cancelled') throw refused('concert_cancelled', 'The concert is cancelled.');
  if (concert.status !== 'published')
    throw refused('not_published', 'The concert is not on sale (not published).');
  const level = concert.levels.find((l) => l.name === sale.level);
  if (!level) throw refused('unknown_level', `The concert has no level "${sale.level}".`);
  const price = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency}`;
  if (sale.currency !== concert.currency || sale.unitPrice !== level.price)
    throw refused(
      'price_mismatch',
      `"${level.name}" costs ${price(level.price, concert.currency)}, the sale charged ${price(sale.unitPrice, sale.currency)}.`,
    );
  if (sale.total !== sale.unitPrice * sale.quantity)
    throw refused(
      'price_mismatch',
      `${sale.quantity} × ${price(sale.unitPrice, sale.currency)} is ${price(sale.unitPrice * sale.quantity, sale.currency)}, the sale's total was ${price(sale.total, sale.currency)}.`,
    );
  return level;
}

/** Which decisions are the inventory's (the rest of a concert's stream is the concert's own or the allotments'). */
export const isInventoryDecision = (event: { type: string }): event is InventoryDecision =>
  event.type === 'SeatsAllocated' ||
  event.type === 'SaleRejected' ||
  event.type === 'SaleSettled' ||
  event.type === 'SaleSettlementRefused';

export function evolveInventory(concert: ConcertState, event: InventoryDecision): ConcertState {
  switch (event.type) {
    case 'SeatsAllocated': {
      if (concert.status === 'none') return concert;
      const levels = concert.levels.map((l) =>
        l.name === event.data.level ? { ...l, allocated: l.allocated + event.data.quantity } : l,
      );
      return { ...concert, levels };
    }
    case 'SaleRejected':
    case 'SaleSettled':
    case 'SaleSettlementRefused':
      return concert;
    default:
      return assertNever(event);
  }
}

/** Seats left per level, as this state knows them. */
export function availability(
  concert: ConcertState,
): { level: string; capacity: number; allocated: number; left: number }[] {
  if (concert.status === 'none') return [];
  return concert.levels.map((l) => ({
    level: l.name,
    capacity: l.capacity,
    allocated: l.allocated,
    left: l.capacity - l.allocated,
  }));
}
