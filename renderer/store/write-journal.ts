// What this device recorded and has not yet written to its local log. A fact is shown the moment it is made (a gate's
// verdict, a sale's receipt), and its IndexedDB write follows: batched on a gate, and queued behind other writes,
// which under load lag seconds behind (bench/scan.bench.ts: 459 scans, 2.2 s behind at the end of the online scans).
// A reload or a crash of the page in that time lost them: after a restart the gate let the same tickets in again, and
// offline, where the store had not received them either, nothing at all remembered them. The journal is written
// synchronously (localStorage: the browser process holds it once set, whatever happens to the page) when the fact is
// made, and the entry is removed once the local log holds the fact. The next start writes what is left to the log
// before reading it.
import type { RxCollection } from 'rxdb';
import type { EventRow } from './event-database';
import { fromRow } from './event-database';
import { keysStartingWith } from './local-memo';
import type { LocalMemo } from './local-memo';

/** Where the journal is kept: the page's localStorage. */
export type JournalMemo = LocalMemo;

export type WriteJournal = {
  /** Notes a fact before its local write starts. Best effort: a full storage leaves it to the write alone. */
  keep: (row: EventRow) => void;
  /** The local log holds the fact (or it is not recorded after all): its entry goes. */
  drop: (id: string) => void;
  /** What the journal holds: the facts made and not known to be written. */
  rows: () => EventRow[];
};

const prefix = (name: string) => `stagedoor.journal.${name}.`;

export function writeJournal(name: string, memo: JournalMemo = localStorage): WriteJournal {
  const at = prefix(name);
  return {
    keep(row) {
      try {
        memo.setItem(at + row.id, JSON.stringify(row));
      } catch {
        // Storage full: the fact is as safe as its local write, as it was without a journal.
      }
    },
    drop: (id) => memo.removeItem(at + id),
    rows() {
      const rows: EventRow[] = [];
      for (const key of keysStartingWith(memo, at)) {
        const row = parseRow(memo.getItem(key));
        // An entry that is not a fact of the catalogue cannot be recorded: it goes (what it was is lost already).
        if (row && key === at + row.id) rows.push(row);
        else memo.removeItem(key);
      }
      return rows;
    },
  };
}

function parseRow(text: string | null): EventRow | undefined {
  try {
    const row = JSON.parse(text ?? 'null') as EventRow | null;
    return row && typeof row.id === 'string' && fromRow(row) ? row : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes what the journal holds to the local log (a fact written already is left as it is: facts never change) and
 * empties it. Returns how many facts it held. Run at a start, before the log is read.
 */
export async function replayJournal(events: RxCollection<EventRow>, journal: WriteJournal): Promise<number> {
  const rows = journal.rows();
  if (rows.length === 0) return 0;
  const { error } = await events.bulkInsert(rows);
  // A conflict is a fact the log holds already; any other failure keeps the entry for the next start.
  const failed = new Set(error.filter((e) => e.status !== 409).map((e) => e.documentId));
  for (const row of rows) if (!failed.has(row.id)) journal.drop(row.id);
  return rows.length;
}
