// The local log read at a start: every row checked against the catalogue once on the device, a bad row left out at
// every start, a row written since the last start checked at the next, and everything checked again by a build that
// reads other versions; and the ids of the facts delivered. RxDB's memory storage stands in for IndexedDB here (the
// e2e runs Dexie on Chromium's).
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { loadLog, loadUploaded, logCheckKeeper, openEventDatabase, toRow } from './event-database';
import type { CheckMemo, DeskDatabase } from './event-database';

const sale = (id: string) => ({
  _id: id,
  type: 'SaleRecorded' as const,
  v: 2,
  stream: 'concert-hall',
  data: {
    saleId: id,
    concertId: 'hall',
    level: 'Floor',
    quantity: 2,
    unitPrice: 5000,
    total: 10000,
    currency: 'PLN',
    payment: { method: 'cash' as const, tendered: 10000, change: 0 },
  },
  meta: {
    deviceId: 'DESK-A',
    userId: 'ada',
    recordedAt: '2027-05-01T18:00:00.000Z',
    correlationId: id,
    causationId: id,
  },
});
const ulid = (n: number) => `01K${String(n).padStart(23, '0')}`;

function memo(): CheckMemo & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
  };
}

let open: DeskDatabase | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function database(name: string): Promise<DeskDatabase> {
  open = await openEventDatabase(name, getRxStorageMemory());
  return open;
}

/** A millisecond later: RxDB's write times of rows written after a start are then later than everything read. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('the local log at a start', () => {
  it('leaves out a bad row at every start, and checks a row written since the last start', async () => {
    const db = await database('log-check-1');
    const kept = memo();
    const bad = { ...toRow(sale(ulid(2))), data: { saleId: ulid(2) } };
    await db.events.bulkInsert([toRow(sale(ulid(1))), bad]);
    await tick();

    const first = await loadLog(db.events, 'log-check-1', kept);
    expect(first.docs.map((d) => d._id)).toEqual([ulid(1)]);
    expect(first.failed).toEqual([ulid(2)]);
    await tick();

    // Written after the first start: a good one and another bad one.
    await db.events.bulkInsert([toRow(sale(ulid(3))), { ...bad, id: ulid(4) }]);
    await tick();
    const second = await loadLog(db.events, 'log-check-1', kept);
    expect(second.docs.map((d) => d._id).sort()).toEqual([ulid(1), ulid(3)]);
    expect(second.failed.sort()).toEqual([ulid(2), ulid(4)]);
    // The rows checked at the first start come as they were checked: whole events of the catalogue.
    expect(second.docs.find((d) => d._id === ulid(1))).toEqual(sale(ulid(1)));

    const third = await loadLog(db.events, 'log-check-1', kept);
    expect(third.failed.sort()).toEqual([ulid(2), ulid(4)]);
    expect(third.docs).toHaveLength(2);
  });

  it('checks every row again when the check was kept by a build that read other versions', async () => {
    const db = await database('log-check-2');
    const kept = memo();
    await db.events.bulkInsert([toRow(sale(ulid(1)))]);
    await tick();
    await loadLog(db.events, 'log-check-2', kept);
    const key = [...kept.values.keys()][0] ?? '';
    const check = JSON.parse(kept.values.get(key) ?? '{}') as { catalogue: string; upTo: number };
    // Another build's check that vouches for everything: this build does not take its word.
    kept.setItem(key, JSON.stringify({ ...check, catalogue: 'SaleRecorded@1', upTo: Date.now() + 60_000 }));
    // The row goes bad meanwhile (as if an older build had stored a shape this one does not read).
    await db.events.upsert({ ...toRow(sale(ulid(1))), data: { saleId: ulid(1) } });
    await tick();
    expect((await loadLog(db.events, 'log-check-2', kept)).failed).toEqual([ulid(1)]);
  });
});

describe('the delivered facts at a start', () => {
  it('are the uploads recorded, without one removed', async () => {
    const db = await database('uploads-1');
    const at = '2027-05-01T18:00:00.000Z';
    await db.uploads.bulkInsert([1, 2, 3].map((n) => ({ id: ulid(n), database: 'concert-hall', at })));
    await (await db.uploads.findOne(ulid(2)).exec())?.remove();
    expect((await loadUploaded(db.uploads)).sort()).toEqual([ulid(1), ulid(3)]);
  });
});

describe('the check kept while the app runs', () => {
  it('marks the rows checked as they arrived, and keeps a failed one out at the next start', async () => {
    const db = await database('log-check-3');
    const kept = memo();
    await db.events.bulkInsert([toRow(sale(ulid(1)))]);
    await tick();
    await loadLog(db.events, 'log-check-3', kept);
    const key = [...kept.values.keys()][0] ?? '';
    const before = JSON.parse(kept.values.get(key) ?? '{}') as { upTo: number; invalid: string[] };

    // Two rows arrive while the app runs: one checks out, one does not (the store checks each as it holds it).
    const keeper = logCheckKeeper('log-check-3', kept);
    await db.events.bulkInsert([
      toRow(sale(ulid(2))),
      { ...toRow(sale(ulid(3))), data: { saleId: ulid(3) } },
    ]);
    const arrived = (await db.events.find().exec()).map((doc) => doc.toJSON(true));
    for (const row of arrived.filter((r) => r.id !== ulid(1))) keeper.checked(row, row.id === ulid(2));
    keeper.save();
    const after = JSON.parse(kept.values.get(key) ?? '{}') as { upTo: number; invalid: string[] };
    expect(after.upTo).toBeGreaterThan(before.upTo);
    expect(after.upTo).toBe(Math.max(...arrived.map((row) => row._meta.lwt)));
    expect(after.invalid).toEqual([ulid(3)]);

    await tick();
    const next = await loadLog(db.events, 'log-check-3', kept);
    expect(next.failed).toEqual([ulid(3)]);
    expect(next.docs.map((doc) => doc._id).sort()).toEqual([ulid(1), ulid(2)]);
  });

  it('keeps nothing over a check another build made', () => {
    const kept = memo();
    kept.setItem(
      'stagedoor.log-check.log-check-4',
      JSON.stringify({ catalogue: 'SaleRecorded@1', upTo: 5, invalid: [] }),
    );
    const keeper = logCheckKeeper('log-check-4', kept);
    keeper.checked({ id: ulid(1), _meta: { lwt: 10 } }, true);
    keeper.save();
    expect(JSON.parse(kept.getItem('stagedoor.log-check.log-check-4') ?? '{}')).toMatchObject({ upTo: 5 });
  });
});
