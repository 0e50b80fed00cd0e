// Demo data for an empty store: two concerts, published, so the box office shows something real at first start.
// Written as an organizer's facts (the authority decides them like any other), with fixed ids: seeding twice, or
// from two instances at once, changes nothing.
import { concertDatabase } from '../domain/authority/concert-authority';
import type { FactDoc } from '../domain/events/catalogue';
import { catalogueDb, createAll, ensureEventDatabase } from './store/couch';
import type { Couch, Doc } from './store/couch';

const meta = (id: string) => ({
  deviceId: 'demo-seed',
  userId: 'demo-organizer',
  recordedAt: '2026-01-01T00:00:00.000Z',
  correlationId: id,
  causationId: id,
});

type Demo = {
  concertId: string;
  created: FactDoc<'ConcertCreationRequested'>;
  published: FactDoc<'ConcertPublicationRequested'>;
};

function demo(n: number, data: FactDoc<'ConcertCreationRequested'>['data']): Demo {
  const createdId = `01KDEM0000000000000000000${n}`;
  const publishedId = `01KDEM0000000000000000001${n}`;
  return {
    concertId: data.concertId,
    created: {
      _id: createdId,
      type: 'ConcertCreationRequested',
      v: 1,
      stream: `concert-${data.concertId}`,
      data,
      meta: meta(createdId),
    },
    published: {
      _id: publishedId,
      type: 'ConcertPublicationRequested',
      v: 1,
      stream: `concert-${data.concertId}`,
      data: { concertId: data.concertId },
      meta: { ...meta(publishedId), causationId: createdId, correlationId: createdId },
    },
  };
}

export const demoConcerts: Demo[] = [
  demo(1, {
    concertId: 'beyonce-renaissance-warsaw',
    artist: 'Beyoncé',
    title: 'Renaissance World Tour',
    venue: 'PGE Narodowy',
    city: 'Warsaw',
    startsAt: '2027-06-27T20:00:00+02:00',
    timezone: 'Europe/Warsaw',
    currency: 'PLN',
    levels: [
      { name: 'Regular', capacity: 40000, price: 35000 },
      { name: 'Golden Circle', capacity: 2000, price: 120000 },
    ],
  }),
  demo(2, {
    concertId: 'dawid-podsiadlo-krakow',
    artist: 'Dawid Podsiadło',
    title: 'Lata Dwudzieste Tour',
    venue: 'Tauron Arena',
    city: 'Kraków',
    startsAt: '2027-03-14T19:00:00+01:00',
    timezone: 'Europe/Warsaw',
    currency: 'PLN',
    levels: [
      { name: 'Regular', capacity: 12000, price: 19900 },
      { name: 'Balcony', capacity: 3000, price: 14900 },
    ],
  }),
];

/** Seeds the demo concerts when the catalogue has no concert yet. Returns whether it seeded. */
export async function seedDemoData(couch: Couch): Promise<boolean> {
  const catalogue = couch.server.use<Doc>(catalogueDb);
  const existing = await catalogue.list({ limit: 50 });
  if (existing.rows.some((row) => !row.id.startsWith('_design/'))) return false;
  for (const concert of demoConcerts) {
    // The publication request goes straight to the concert's database, which the seed provisions itself.
    const dbName = concertDatabase(concert.concertId);
    await ensureEventDatabase(couch, dbName);
    await createAll(couch.server.use<Doc>(dbName), [concert.created, concert.published]);
    await createAll(catalogue, [concert.created]);
  }
  return true;
}
