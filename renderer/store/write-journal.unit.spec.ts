// The journal of facts made and not yet written to the local log: what a reload or a crash leaves in it is written
// at the next start, once; what is not a fact is dropped; a full storage costs the journal, not the fact. RxDB's memory
// storage stands in for IndexedDB (the e2e restarts a gate on Chromium's, scan.e2e.spec.ts).
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventDatabase, toRow } from './event-database';
import type { DeskDatabase, EventRow } from './event-database';
import { replayJournal, writeJournal } from './write-journal';
import type { JournalMemo } from './write-journal';

const scan = (n: number): EventRow => {
  const id = `01K${String(n).padStart(23, '0')}`;
  return toRow({
    _id: id,
    type: 'TicketScanned',
    v: 1,
    stream: 'concert-hall',
    data: {
      scanId: id,
      ticketId: `sale:01K0000000000000000000000A:t${n}`,
      concertId: 'hall',
      gate: 'North',
      direction: 'entry',
      scannedAt: '2027-05-01T18:00:00.000Z',
      verdict: 'valid',
      code: 'x.y.z',
      kind: 'confirmed',
    },
    meta: {
      deviceId: 'GATE-N',
      userId: 'sam',
      recordedAt: '2027-05-01T18:00:00.000Z',
      correlationId: id,
      causationId: id,
    },
  });
};

/** localStorage's interface over a Map; `full` makes every write fail as a full storage does. */
function memo(): JournalMemo & { values: Map<string, string>; full: boolean } {
  const values = new Map<string, string>();
  const store = {
    values,
    full: false,
    get length() {
      return values.size;
    },
    key: (index: number) => [...values.keys()][index] ?? null,
    getItem: (key: string) => values.get(key) ?? null,
    setItem(key: string, value: string) {
      if (store.full) throw new DOMException('quota', 'QuotaExceededError');
      values.set(key, value);
    },
    removeItem: (key: string) => void values.delete(key),
  };
  return store;
}

let open: DeskDatabase | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe('the write journal', () => {
  it('holds what was kept and not dropped, of its own log only', () => {
    const storage = memo();
    const journal = writeJournal('gate-a', storage);
    const other = writeJournal('gate-b', storage);
    journal.keep(scan(1));
    journal.keep(scan(2));
    other.keep(scan(3));
    journal.drop(scan(1).id);
    expect(journal.rows()).toEqual([scan(2)]);
    expect(other.rows()).toEqual([scan(3)]);
  });

  it('drops an entry that is not a fact of the catalogue, or that is filed under another id', () => {
    const storage = memo();
    const journal = writeJournal('gate-a', storage);
    journal.keep(scan(1));
    storage.setItem('stagedoor.journal.gate-a.broken', '{"id":');
    storage.setItem(
      'stagedoor.journal.gate-a.unknown',
      JSON.stringify({ ...scan(2), id: 'unknown', type: 'Nope' }),
    );
    storage.setItem('stagedoor.journal.gate-a.elsewhere', JSON.stringify(scan(3)));
    expect(journal.rows()).toEqual([scan(1)]);
    expect([...storage.values.keys()]).toEqual(['stagedoor.journal.gate-a.' + scan(1).id]);
  });

  it('costs nothing but itself when the storage is full', () => {
    const storage = memo();
    storage.full = true;
    const journal = writeJournal('gate-a', storage);
    expect(() => journal.keep(scan(1))).not.toThrow();
    expect(journal.rows()).toEqual([]);
  });

  it('is written to the log at a start, a fact held already left as it is, and emptied', async () => {
    open = await openEventDatabase('journal-replay', getRxStorageMemory());
    const storage = memo();
    const journal = writeJournal(open.name, storage);
    await open.events.insert(scan(1));
    journal.keep(scan(1));
    journal.keep(scan(2));
    expect(await replayJournal(open.events, journal)).toBe(2);
    const ids = (await open.events.find().exec()).map((doc) => doc.id).sort();
    expect(ids).toEqual([scan(1).id, scan(2).id]);
    expect(journal.rows()).toEqual([]);
    expect(await replayJournal(open.events, journal)).toBe(0);
  });
});
