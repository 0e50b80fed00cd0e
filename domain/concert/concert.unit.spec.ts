// The Concert aggregate's rules, one specification each: what an organizer may ask for and what is refused.
import { describe, it } from 'vitest';
import { specification } from '../testing/given-when-then';
import { evolveInventory, isInventoryDecision } from '../inventory/inventory';
import type { InventoryDecision } from '../inventory/events';
import { decideConcert, evolveConcert, initialConcertState } from './concert';
import type { ConcertCommand, ConcertState } from './concert';
import type { ConcertDecision, TicketLevel } from './events';

type History = ConcertDecision | InventoryDecision;

/** A concert's history holds seat allocations too: they are what "allocated" is made of. */
const evolveHistory = (state: ConcertState, event: History): ConcertState =>
  isInventoryDecision(event) ? evolveInventory(state, event) : evolveConcert(state, event);

const given = specification({
  decide: decideConcert,
  evolve: evolveHistory,
  initialState: initialConcertState,
});

const concertId = 'kwiat-jabloni-torwar-2026';
const details = {
  artist: 'Kwiat Jabłoni',
  title: 'Mamy Czas Tour',
  venue: 'Torwar',
  city: 'Warsaw',
  startsAt: '2026-11-21T20:00:00.000Z',
  timezone: 'Europe/Warsaw',
};
const regular: TicketLevel = { name: 'Regular', capacity: 100, price: 15_000 };
const golden: TicketLevel = { name: 'Golden Circle', capacity: 20, price: 30_000 };

const creation = (overrides: Partial<typeof details & { levels: TicketLevel[] }> = {}) => ({
  concertId,
  ...details,
  currency: 'PLN',
  levels: [regular, golden],
  ...overrides,
});

// Commands
const create = (overrides?: Parameters<typeof creation>[0]): ConcertCommand => ({
  type: 'CreateConcert',
  data: creation(overrides),
});
const updateDetails = (overrides: Partial<typeof details> = {}): ConcertCommand => ({
  type: 'UpdateConcertDetails',
  data: { concertId, ...details, ...overrides },
});
const updateLevels = (...levels: TicketLevel[]): ConcertCommand => ({
  type: 'UpdateTicketLevels',
  data: { concertId, levels },
});
const publish: ConcertCommand = { type: 'PublishConcert', data: { concertId } };
const unpublish: ConcertCommand = { type: 'UnpublishConcert', data: { concertId } };
const cancel: ConcertCommand = { type: 'CancelConcert', data: { concertId, reason: 'The artist is ill.' } };

// Events
const created: History = { type: 'ConcertCreated', data: creation() };
const published: ConcertDecision = { type: 'ConcertPublished', data: { concertId } };
const unpublished: ConcertDecision = { type: 'ConcertUnpublished', data: { concertId } };
const cancelled: ConcertDecision = {
  type: 'ConcertCancelled',
  data: { concertId, reason: 'The artist is ill.' },
};
const levelsUpdated = (...levels: TicketLevel[]): ConcertDecision => ({
  type: 'TicketLevelsUpdated',
  data: { concertId, levels },
});
const seatsAllocated = (level: string, quantity: number, saleId: string): History => ({
  type: 'SeatsAllocated',
  data: { saleId, concertId, level, quantity },
});

describe('creating a concert', () => {
  it('creates a draft with an artist, a venue and its ticket levels', () => {
    given([])
      .when(create())
      .then([{ type: 'ConcertCreated', data: creation() }]);
  });

  it('allows a free level (price 0)', () => {
    const free = { name: 'Guest list', capacity: 10, price: 0 };
    given([])
      .when(create({ levels: [free] }))
      .then([{ type: 'ConcertCreated', data: creation({ levels: [free] }) }]);
  });

  it('refuses a concert without an artist', () => {
    given([])
      .when(create({ artist: '' }))
      .thenThrows('missing_artist');
    given([])
      .when(create({ artist: '   ' }))
      .thenThrows('missing_artist');
  });

  it('refuses a concert without a venue', () => {
    given([])
      .when(create({ venue: ' ' }))
      .thenThrows('missing_venue');
  });

  it('refuses a concert without ticket levels', () => {
    given([])
      .when(create({ levels: [] }))
      .thenThrows('no_levels');
  });

  it('refuses a level without a name', () => {
    given([])
      .when(create({ levels: [regular, { ...golden, name: '  ' }] }))
      .thenThrows('invalid_level');
  });

  it('refuses two levels with the same name', () => {
    given([])
      .when(create({ levels: [regular, { ...golden, name: 'Regular' }] }))
      .thenThrows('duplicate_level');
  });

  it('refuses two levels whose names differ only in case or spacing', () => {
    given([])
      .when(create({ levels: [regular, { ...golden, name: ' regular ' }] }))
      .thenThrows('duplicate_level');
  });

  it.each([0, -5])('refuses a level with capacity %i', (capacity) => {
    given([])
      .when(create({ levels: [regular, { ...golden, capacity }] }))
      .thenThrows('invalid_level');
  });

  it('refuses a level with a negative price', () => {
    given([])
      .when(create({ levels: [{ ...regular, price: -1 }] }))
      .thenThrows('invalid_level');
  });

  it('refuses to create a concert that exists already', () => {
    given([created]).when(create()).thenThrows('concert_exists');
    given([created, published]).when(create()).thenThrows('concert_exists');
  });
});

describe('updating the details', () => {
  const moved = { venue: 'Tauron Arena', city: 'Kraków' };

  it('updates a draft', () => {
    given([created])
      .when(updateDetails(moved))
      .then([{ type: 'ConcertDetailsUpdated', data: { concertId, ...details, ...moved } }]);
  });

  it('updates a published concert', () => {
    given([created, published])
      .when(updateDetails(moved))
      .then([{ type: 'ConcertDetailsUpdated', data: { concertId, ...details, ...moved } }]);
  });

  it('refuses to remove the artist or the venue', () => {
    given([created])
      .when(updateDetails({ artist: ' ' }))
      .thenThrows('missing_artist');
    given([created])
      .when(updateDetails({ venue: '' }))
      .thenThrows('missing_venue');
  });

  it('refuses a concert that does not exist', () => {
    given([]).when(updateDetails()).thenThrows('unknown_concert');
  });
});

describe('updating the ticket levels', () => {
  it('changes capacity and prices of a concert without sales', () => {
    given([created])
      .when(updateLevels({ ...regular, capacity: 1 }, { ...golden, price: 35_000 }))
      .then([levelsUpdated({ ...regular, capacity: 1 }, { ...golden, price: 35_000 })]);
  });

  it('applies the same rules as creation', () => {
    given([created]).when(updateLevels()).thenThrows('no_levels');
    given([created])
      .when(updateLevels(regular, { ...golden, name: 'REGULAR' }))
      .thenThrows('duplicate_level');
    given([created])
      .when(updateLevels(regular, { ...golden, capacity: 0 }))
      .thenThrows('invalid_level');
    given([created])
      .when(updateLevels(regular, { ...golden, price: -100 }))
      .thenThrows('invalid_level');
  });

  it('lowers a capacity down to exactly the seats allocated', () => {
    given([created, published, seatsAllocated('Golden Circle', 15, 's1')])
      .when(updateLevels(regular, { ...golden, capacity: 15 }))
      .then([levelsUpdated(regular, { ...golden, capacity: 15 })]);
  });

  it('refuses a capacity below the seats allocated', () => {
    given([
      created,
      published,
      seatsAllocated('Golden Circle', 10, 's1'),
      seatsAllocated('Golden Circle', 5, 's2'),
    ])
      .when(updateLevels(regular, { ...golden, capacity: 14 }))
      .thenThrows('capacity_below_allocated');
  });

  it('keeps the seats allocated through an earlier level change', () => {
    given([
      created,
      published,
      seatsAllocated('Golden Circle', 15, 's1'),
      levelsUpdated(regular, { ...golden, capacity: 30 }),
    ])
      .when(updateLevels(regular, { ...golden, capacity: 10 }))
      .thenThrows('capacity_below_allocated');
  });

  it('refuses to remove a level with sales', () => {
    given([created, published, seatsAllocated('Golden Circle', 1, 's1')])
      .when(updateLevels(regular))
      .thenThrows('level_has_sales');
  });

  it('counts renaming a level with sales as removing it', () => {
    given([created, published, seatsAllocated('Golden Circle', 1, 's1')])
      .when(updateLevels(regular, { ...golden, name: 'Golden circle' }))
      .thenThrows('level_has_sales');
  });

  it('removes a level without sales', () => {
    given([created, published, seatsAllocated('Regular', 40, 's1')])
      .when(updateLevels(regular))
      .then([levelsUpdated(regular)]);
  });

  it('refuses a concert that does not exist', () => {
    given([]).when(updateLevels(regular)).thenThrows('unknown_concert');
  });
});

describe('publishing and unpublishing', () => {
  it('publishes a draft', () => {
    given([created]).when(publish).then([published]);
  });

  it('refuses to publish a concert twice', () => {
    given([created, published]).when(publish).thenThrows('already_published');
  });

  it('unpublishes a published concert', () => {
    given([created, published]).when(unpublish).then([unpublished]);
  });

  it('refuses to unpublish a draft', () => {
    given([created]).when(unpublish).thenThrows('not_published');
    given([created, published, unpublished]).when(unpublish).thenThrows('not_published');
  });

  it('publishes again after unpublishing', () => {
    given([created, published, unpublished]).when(publish).then([published]);
  });

  it('ignores a refused change when folding the history', () => {
    const refused: History = {
      type: 'ConcertChangeRejected',
      data: {
        concertId,
        requestId: '01K00000000000000000000001',
        requestType: 'ConcertPublicationRequested',
        code: 'already_published',
        message: 'This concert is published already.',
      },
    };
    given([created, refused]).when(publish).then([published]);
  });

  it('refuses a concert that does not exist', () => {
    given([]).when(publish).thenThrows('unknown_concert');
    given([]).when(unpublish).thenThrows('unknown_concert');
  });
});

describe('cancelling', () => {
  it('cancels a draft', () => {
    given([created]).when(cancel).then([cancelled]);
  });

  it('cancels a published concert with sales', () => {
    given([created, published, seatsAllocated('Regular', 2, 's1')])
      .when(cancel)
      .then([cancelled]);
  });

  it('refuses a concert that does not exist', () => {
    given([]).when(cancel).thenThrows('unknown_concert');
  });

  describe('nothing changes on a cancelled concert', () => {
    const afterPublication = [created, published, cancelled];
    const asDraft = [created, cancelled];

    it.each<[string, ConcertCommand]>([
      ['cancel again', cancel],
      ['update the details', updateDetails({ venue: 'Stadion Narodowy' })],
      ['update the levels', updateLevels(regular, { ...golden, capacity: 30 })],
      ['publish', publish],
      ['unpublish', unpublish],
    ])('refuses to %s', (_, command) => {
      given(afterPublication).when(command).thenThrows('concert_cancelled');
      given(asDraft).when(command).thenThrows('concert_cancelled');
    });

    it('refuses to create it again', () => {
      given(afterPublication).when(create()).thenThrows('concert_exists');
    });
  });
});

describe('a command for another concert', () => {
  const other = 'other-concert';

  it.each<[string, ConcertCommand]>([
    ['update the details', { type: 'UpdateConcertDetails', data: { concertId: other, ...details } }],
    ['update the levels', { type: 'UpdateTicketLevels', data: { concertId: other, levels: [regular] } }],
    ['publish', { type: 'PublishConcert', data: { concertId: other } }],
    ['unpublish', { type: 'UnpublishConcert', data: { concertId: other } }],
    ['cancel', { type: 'CancelConcert', data: { concertId: other, reason: 'Wrong concert.' } }],
  ])('refuses to %s this one', (_, command) => {
    given([created, published]).when(command).thenThrows('unknown_concert');
  });
});
