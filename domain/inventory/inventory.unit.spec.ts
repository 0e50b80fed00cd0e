// Seats for a sale: allocated while the level has them and the concert is on sale, rejected with a reason otherwise.
import { describe, it } from 'vitest';
import { specification } from '../testing/given-when-then';
import { evolveConcert, initialConcertState } from '../concert/concert';
import type { ConcertState } from '../concert/concert';
import type { ConcertDecision } from '../concert/events';
import { decideSale, evolveInventory, isInventoryDecision } from './inventory';
import type { InventoryDecision, SaleRecorded, SaleRejectionCode } from './events';

type History = ConcertDecision | InventoryDecision;

const evolveHistory = (state: ConcertState, event: History): ConcertState =>
  isInventoryDecision(event) ? evolveInventory(state, event) : evolveConcert(state, event);

const given = specification({ decide: decideSale, evolve: evolveHistory, initialState: initialConcertState });

const concertId = 'kwiat-jabloni-torwar-2026';
const levels = [
  { name: 'Regular', capacity: 100, price: 15_000 },
  { name: 'Golden Circle', capacity: 4, price: 30_000 },
];
const prices: Record<string, number> = { Regular: 15_000, 'Golden Circle': 30_000 };

const created: History = {
  type: 'ConcertCreated',
  data: {
    concertId,
    artist: 'Kwiat Jabłoni',
    title: 'Mamy Czas Tour',
    venue: 'Torwar',
    city: 'Warsaw',
    startsAt: '2026-11-21T20:00:00.000Z',
    timezone: 'Europe/Warsaw',
    currency: 'PLN',
    levels,
  },
};
const published: History = { type: 'ConcertPublished', data: { concertId } };
const unpublished: History = { type: 'ConcertUnpublished', data: { concertId } };
const cancelled: History = { type: 'ConcertCancelled', data: { concertId, reason: 'The artist is ill.' } };
const onSale = [created, published];

const sale = (
  saleId: string,
  level: string,
  quantity: number,
  overrides: Partial<SaleRecorded> = {},
): SaleRecorded => {
  const unitPrice = prices[level] ?? 10_000;
  return {
    saleId,
    concertId,
    level,
    quantity,
    unitPrice,
    total: unitPrice * quantity,
    currency: 'PLN',
    payment: { method: 'cash', tendered: unitPrice * quantity, change: 0 },
    ...overrides,
  };
};

const allocated = (saleId: string, level: string, quantity: number): InventoryDecision => ({
  type: 'SeatsAllocated',
  data: { saleId, concertId, level, quantity },
});
const rejected = (
  saleId: string,
  level: string,
  quantity: number,
  code: SaleRejectionCode,
  message: string,
  concert = concertId,
): InventoryDecision => ({
  type: 'SaleRejected',
  data: { saleId, concertId: concert, level, quantity, code, message },
});

describe('a sale within capacity', () => {
  it('allocates the seats', () => {
    given(onSale)
      .when(sale('s1', 'Regular', 2))
      .then([allocated('s1', 'Regular', 2)]);
  });

  it('allocates exactly the last seats of a level', () => {
    given(onSale)
      .when(sale('s1', 'Golden Circle', 4))
      .then([allocated('s1', 'Golden Circle', 4)]);
    given([...onSale, allocated('s1', 'Golden Circle', 3)])
      .when(sale('s2', 'Golden Circle', 1))
      .then([allocated('s2', 'Golden Circle', 1)]);
  });

  it('counts seats per level: a full level leaves the others on sale', () => {
    given([...onSale, allocated('s1', 'Golden Circle', 4)])
      .when(sale('s2', 'Regular', 5))
      .then([allocated('s2', 'Regular', 5)]);
  });

  it('takes no seats for a rejected sale', () => {
    const earlier = rejected('s1', 'Golden Circle', 2, 'price_mismatch', 'Wrong price.');
    given([...onSale, earlier])
      .when(sale('s2', 'Golden Circle', 4))
      .then([allocated('s2', 'Golden Circle', 4)]);
  });

  it('sells the seats a larger capacity adds', () => {
    const larger: History = {
      type: 'TicketLevelsUpdated',
      data: { concertId, levels: [levels[0]!, { name: 'Golden Circle', capacity: 6, price: 30_000 }] },
    };
    given([...onSale, allocated('s1', 'Golden Circle', 4), larger])
      .when(sale('s2', 'Golden Circle', 2))
      .then([allocated('s2', 'Golden Circle', 2)]);
  });
});

describe('a sold-out level', () => {
  it('rejects a sale when no seat is left', () => {
    given([...onSale, allocated('s1', 'Golden Circle', 4)])
      .when(sale('s2', 'Golden Circle', 1))
      .then([rejected('s2', 'Golden Circle', 1, 'sold_out', 'Golden Circle is sold out.')]);
  });

  it('rejects a sale for more seats than are left, saying how many are left', () => {
    given([...onSale, allocated('s1', 'Golden Circle', 1), allocated('s2', 'Golden Circle', 1)])
      .when(sale('s3', 'Golden Circle', 3))
      .then([
        rejected('s3', 'Golden Circle', 3, 'sold_out', 'Golden Circle is sold out: only 2 left, 3 asked.'),
      ]);
  });
});

describe('a concert not on sale', () => {
  it('rejects a sale for a cancelled concert', () => {
    given([...onSale, cancelled])
      .when(sale('s1', 'Regular', 1))
      .then([rejected('s1', 'Regular', 1, 'concert_cancelled', 'The concert is cancelled.')]);
    given([created, cancelled])
      .when(sale('s1', 'Regular', 1))
      .then([rejected('s1', 'Regular', 1, 'concert_cancelled', 'The concert is cancelled.')]);
  });

  it('rejects a sale for a draft', () => {
    given([created])
      .when(sale('s1', 'Regular', 1))
      .then([rejected('s1', 'Regular', 1, 'not_published', 'The concert is not on sale (not published).')]);
  });

  it('rejects a sale for a concert unpublished again', () => {
    given([...onSale, allocated('s1', 'Regular', 1), unpublished])
      .when(sale('s2', 'Regular', 1))
      .then([rejected('s2', 'Regular', 1, 'not_published', 'The concert is not on sale (not published).')]);
  });

  it('rejects a sale for an unknown concert', () => {
    given([])
      .when(sale('s1', 'Regular', 1))
      .then([
        rejected('s1', 'Regular', 1, 'unknown_concert', 'This concert is not known to the box office.'),
      ]);
  });

  it('rejects a sale naming another concert than the one it is decided against', () => {
    given(onSale)
      .when(sale('s1', 'Regular', 1, { concertId: 'other-concert' }))
      .then([
        rejected(
          's1',
          'Regular',
          1,
          'unknown_concert',
          'This concert is not known to the box office.',
          'other-concert',
        ),
      ]);
  });
});

describe('a level or price the concert does not have', () => {
  it('rejects a sale for an unknown level', () => {
    given(onSale)
      .when(sale('s1', 'VIP', 1))
      .then([rejected('s1', 'VIP', 1, 'unknown_level', 'The concert has no level "VIP".')]);
  });

  it('matches level names exactly', () => {
    given(onSale)
      .when(sale('s1', 'regular', 1, { unitPrice: 15_000, total: 15_000 }))
      .then([rejected('s1', 'regular', 1, 'unknown_level', 'The concert has no level "regular".')]);
  });

  it('rejects a wrong unit price', () => {
    given(onSale)
      .when(sale('s1', 'Regular', 2, { unitPrice: 12_000, total: 24_000 }))
      .then([
        rejected(
          's1',
          'Regular',
          2,
          'price_mismatch',
          '"Regular" costs 150.00 PLN, the sale charged 120.00 PLN.',
        ),
      ]);
  });

  it('rejects a total that is not quantity × unit price', () => {
    given(onSale)
      .when(sale('s1', 'Regular', 2, { total: 15_000 }))
      .then([
        rejected(
          's1',
          'Regular',
          2,
          'price_mismatch',
          "2 × 150.00 PLN is 300.00 PLN, the sale's total was 150.00 PLN.",
        ),
      ]);
  });

  it('rejects a sale in another currency', () => {
    given(onSale)
      .when(sale('s1', 'Regular', 1, { currency: 'EUR' }))
      .then([
        rejected(
          's1',
          'Regular',
          1,
          'price_mismatch',
          '"Regular" costs 150.00 PLN, the sale charged 150.00 EUR.',
        ),
      ]);
  });
});
