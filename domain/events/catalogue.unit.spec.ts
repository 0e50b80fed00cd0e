// The event catalogue at the edge: what parses as a fact or a decision, and the reason given for what does not.
import { describe, expect, it } from 'vitest';
import { isDecision, isFact, parseEventDoc } from './catalogue';
import { upcast } from './upcasters';

const saleId = '01K00000000000000000000001';
const saleMeta = {
  deviceId: 'desk-4',
  userId: 'cashier-anna',
  recordedAt: '2026-11-21T18:45:12.345Z',
  correlationId: saleId,
  causationId: saleId,
};
const saleRecorded = {
  _id: saleId,
  type: 'SaleRecorded',
  v: 2,
  stream: 'concert-kwiat-jabloni-torwar-2026',
  data: {
    saleId,
    concertId: 'kwiat-jabloni-torwar-2026',
    level: 'Regular',
    quantity: 2,
    unitPrice: 15_000,
    total: 30_000,
    currency: 'PLN',
    payment: { method: 'cash', tendered: 40_000, change: 10_000 },
  },
  meta: saleMeta,
};
const seatsAllocated = {
  _id: 'concert-kwiat-jabloni-torwar-2026:0000000002',
  type: 'SeatsAllocated',
  v: 1,
  stream: 'concert-kwiat-jabloni-torwar-2026',
  data: { saleId, concertId: 'kwiat-jabloni-torwar-2026', level: 'Regular', quantity: 2 },
  meta: {
    deviceId: 'authority',
    userId: 'authority',
    recordedAt: '2026-11-21T18:45:13.000Z',
    correlationId: saleId,
    causationId: saleId,
    position: 2,
    prev: '01K00000000000000000000100',
    decisionId: '01K00000000000000000000101',
    authorityId: 'authority-1',
  },
};

/** The reason a document is refused; fails the test if it parses. */
function reasonFor(raw: unknown): string {
  const parsed = parseEventDoc(raw);
  if (parsed.ok) throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
  return parsed.reason;
}

const without = <T extends object>(record: T, key: keyof T): Omit<T, typeof key> => {
  const { [key]: _removed, ...rest } = record;
  return rest;
};

describe('parseEventDoc', () => {
  it('accepts a device fact', () => {
    const parsed = parseEventDoc(saleRecorded);
    expect(parsed).toEqual({ ok: true, doc: saleRecorded });
    expect(parsed.ok && isFact(parsed.doc)).toBe(true);
  });

  it('accepts an authority decision, including the first one (prev null)', () => {
    const parsed = parseEventDoc(seatsAllocated);
    expect(parsed).toEqual({ ok: true, doc: seatsAllocated });
    expect(parsed.ok && isDecision(parsed.doc)).toBe(true);
    const first = { ...seatsAllocated, meta: { ...seatsAllocated.meta, position: 0, prev: null } };
    expect(parseEventDoc(first).ok).toBe(true);
  });

  it('fills in defaults of optional fields', () => {
    const creation = {
      _id: '01K00000000000000000000002',
      type: 'ConcertCreationRequested',
      v: 1,
      stream: 'catalogue',
      data: {
        concertId: 'kwiat-jabloni-torwar-2026',
        artist: 'Kwiat Jabłoni',
        venue: 'Torwar',
        startsAt: '2026-11-21T20:00:00.000+01:00',
        timezone: 'Europe/Warsaw',
        currency: 'PLN',
        levels: [{ name: 'Regular', capacity: 100, price: 15_000 }],
      },
      meta: saleMeta,
    };
    const parsed = parseEventDoc(creation);
    expect(parsed.ok && parsed.doc.data).toMatchObject({ title: '', city: '' });
  });

  it('refuses what is not an event document', () => {
    expect(reasonFor(null)).toMatch(/^not an event/);
    expect(reasonFor({ type: 'SaleRecorded' })).toMatch(/^not an event: _id/);
    expect(parseEventDoc({ type: 'SaleRecorded' })).toMatchObject({ ok: false, type: 'SaleRecorded' });
  });

  it('refuses an unknown type, naming it', () => {
    expect(parseEventDoc({ ...saleRecorded, type: 'TicketTeleported' })).toEqual({
      ok: false,
      reason: 'unknown event type "TicketTeleported"',
      type: 'TicketTeleported',
    });
  });

  it('refuses a schema version it does not know', () => {
    expect(reasonFor({ ...saleRecorded, v: 3 })).toBe(
      'SaleRecorded v3 is newer than this software reads (v2)',
    );
    expect(reasonFor({ ...saleRecorded, v: 0 })).toMatch(/^not an event: v/);
  });

  it.each(['sale-1', '01k00000000000000000000001', '01K0000000000000000000000U', '01K000'])(
    'refuses a fact whose id is not a ULID: %s',
    (id) => {
      expect(reasonFor({ ...saleRecorded, _id: id })).toBe(`a device fact's id must be a ULID, not "${id}"`);
    },
  );

  it.each(['deviceId', 'userId', 'recordedAt', 'correlationId', 'causationId'] as const)(
    'refuses a fact without meta.%s',
    (field) => {
      const reason = reasonFor({ ...saleRecorded, meta: without(saleMeta, field) });
      expect(reason).toMatch(/^bad meta: /);
      expect(reason).toContain(field);
    },
  );

  it.each(['position', 'prev', 'decisionId', 'authorityId', 'causationId'] as const)(
    'refuses a decision without meta.%s',
    (field) => {
      const reason = reasonFor({ ...seatsAllocated, meta: without(seatsAllocated.meta, field) });
      expect(reason).toMatch(/^bad meta: /);
      expect(reason).toContain(field);
    },
  );

  it('refuses a device clock that is not an ISO instant', () => {
    const reason = reasonFor({ ...saleRecorded, meta: { ...saleMeta, recordedAt: '21.11.2026 18:45' } });
    expect(reason).toMatch(/^bad meta: recordedAt/);
  });

  it('refuses a sale of no seats', () => {
    const reason = reasonFor({ ...saleRecorded, data: { ...saleRecorded.data, quantity: 0 } });
    expect(reason).toMatch(/^bad SaleRecorded: quantity: /);
  });

  it('refuses a currency that is not an ISO 4217 code', () => {
    const reason = reasonFor({ ...saleRecorded, data: { ...saleRecorded.data, currency: 'pln' } });
    expect(reason).toMatch(/^bad SaleRecorded: currency: /);
  });

  it('refuses a concert id that cannot name a database, saying what it may hold', () => {
    const reason = reasonFor({ ...saleRecorded, data: { ...saleRecorded.data, concertId: 'Kwiat Jabłoni' } });
    expect(reason).toBe('bad SaleRecorded: concertId: lowercase letters, digits and dashes');
  });

  it('refuses a decision with a bad rejection code', () => {
    const rejected = {
      ...seatsAllocated,
      type: 'SaleRejected',
      data: { ...seatsAllocated.data, code: 'too_late', message: 'Too late.' },
    };
    expect(reasonFor(rejected)).toMatch(/^bad SaleRejected: code: /);
  });
});

describe('reading an older schema version (upcasting)', () => {
  const { currency: _dropped, ...v1Data } = saleRecorded.data;
  const v1 = { ...saleRecorded, v: 1, data: v1Data };
  const context = { currencyOf: (id: string) => (id === saleRecorded.data.concertId ? 'PLN' : undefined) };

  it("reads a v1 sale, which had no currency, as v2 in its concert's currency", () => {
    const parsed = parseEventDoc(v1, context);
    expect(parsed).toEqual({
      ok: true,
      doc: { ...saleRecorded, v: 2, data: { ...v1Data, currency: 'PLN' } },
    });
  });

  it('leaves the stored document as it was', () => {
    parseEventDoc(v1, context);
    expect(v1.v).toBe(1);
    expect('currency' in v1.data).toBe(false);
  });

  it("refuses a v1 sale when the reader doesn't know the concert's currency, saying so", () => {
    expect(reasonFor(v1)).toBe(
      `a v1 SaleRecorded needs the currency of concert "${saleRecorded.data.concertId}", which is unknown here`,
    );
  });

  it('refuses a version no upcaster leads from', () => {
    expect(upcast('ConcertPublished', 1, 2, { concertId: 'c' }, {})).toEqual({
      ok: false,
      reason: "ConcertPublished v1 can't be read: no upcaster to v2",
    });
  });
});
