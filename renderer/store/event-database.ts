// The desk's local log: RxDB on IndexedDB (Dexie). `events` mirrors the CouchDB event documents one to one (RxDB's
// primary key may not start with "_", so `id` here is `_id` there; the CouchDB plugin swaps them); `uploads`
// remembers which of this device's facts a replication has delivered, so "waiting to upload" survives a reload.
import { createRxDatabase } from 'rxdb';
import type { RxCollection, RxDatabase, RxJsonSchema, RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { AnyEventDoc } from '../../domain/events/catalogue';
import { eventCatalogue, isEventType, parseEventDoc } from '../../domain/events/catalogue';

export type EventRow = {
  id: string;
  type: string;
  v: number;
  stream: string;
  data: Record<string, unknown>;
  meta: Record<string, unknown>;
};

export type UploadRow = { id: string; database: string; at: string };

export type DeskCollections = { events: RxCollection<EventRow>; uploads: RxCollection<UploadRow> };
export type DeskDatabase = RxDatabase<DeskCollections>;

// No field list for data and meta: the event catalogue validates them (parseEventDoc) when the log is read.
const eventSchema: RxJsonSchema<EventRow> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 200 },
    type: { type: 'string' },
    v: { type: 'integer' },
    stream: { type: 'string' },
    data: { type: 'object' },
    meta: { type: 'object' },
  },
  required: ['id', 'type', 'v', 'stream', 'data', 'meta'],
};

const uploadSchema: RxJsonSchema<UploadRow> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 100 },
    database: { type: 'string' },
    at: { type: 'string' },
  },
  required: ['id', 'database', 'at'],
};

export const deskDatabaseName = 'stagedoor-desk';

export async function openEventDatabase(
  name = deskDatabaseName,
  storage: RxStorage<unknown, unknown> = getRxStorageDexie(),
): Promise<DeskDatabase> {
  const database = await createRxDatabase<DeskCollections>({
    name,
    storage,
    closeDuplicates: true,
  });
  await database.addCollections({ events: { schema: eventSchema }, uploads: { schema: uploadSchema } });
  return database;
}

export const toRow = ({ _id, _rev: _ignored, ...rest }: AnyEventDoc): EventRow => ({ id: _id, ...rest });

/** A stored row as an event of the catalogue, or undefined for anything else (design documents, bad documents). */
export function fromRow(
  row: Pick<EventRow, 'id' | 'type' | 'v' | 'stream' | 'data' | 'meta'>,
): AnyEventDoc | undefined {
  const { id, type, v, stream, data, meta } = row;
  const parsed = parseEventDoc({ _id: id, type, v, stream, data, meta });
  return parsed.ok ? parsed.doc : undefined;
}

/**
 * Each row of the local log is checked against the event catalogue once on this device, not at every start (a gate
 * scanner holding a concert of 100,000 tickets starts in seconds, not in the time of 50,000 schema checks). A start
 * checks the rows written since the last start (RxDB's write time, `_meta.lwt`) and those of an older version (they are
 * lifted to the current one); what it found is kept for the next start: the write time checked up to, the rows that
 * failed (left out again), and the catalogue's versions (a build that reads other versions checks everything again).
 */
export type LogCheck = { catalogue: string; upTo: number; invalid: string[] };

const checkKey = (name: string) => `stagedoor.log-check.${name}`;
const catalogueVersions = Object.entries(eventCatalogue)
  .map(([type, entry]) => `${type}@${entry.v}`)
  .join(',');

/** Where the check is kept: the page's localStorage. */
export type CheckMemo = Pick<Storage, 'getItem' | 'setItem'>;

function readLogCheck(name: string, memo: CheckMemo): LogCheck | undefined {
  try {
    const stored = JSON.parse(memo.getItem(checkKey(name)) ?? 'null') as LogCheck | null;
    return stored?.catalogue === catalogueVersions ? stored : undefined;
  } catch {
    return undefined;
  }
}

/** The log's events, each row checked by parseEventDoc unless an earlier start checked it; the check is kept. */
export async function loadLog(
  events: RxCollection<EventRow>,
  name: string,
  memo: CheckMemo = localStorage,
): Promise<{ docs: AnyEventDoc[]; failed: string[] }> {
  const check = readLogCheck(name, memo);
  const upTo = check?.upTo ?? -Infinity;
  const invalid = new Set(check?.invalid ?? []);
  const failed: string[] = [];
  const docs: AnyEventDoc[] = [];
  let newest = -Infinity;
  for (const { row: data, lwt } of await readRows(events)) {
    if (lwt > newest) newest = lwt;
    // Checked at an earlier start (strictly earlier: a row written in the same millisecond as the last one read may
    // have come after the read), of the version this build reads.
    if (
      lwt < upTo &&
      !invalid.has(data.id) &&
      isEventType(data.type) &&
      data.v === eventCatalogue[data.type].v
    ) {
      const { id, type, v, stream } = data;
      docs.push({ _id: id, type, v, stream, data: data.data, meta: data.meta } as unknown as AnyEventDoc);
      continue;
    }
    const doc = fromRow(data);
    if (doc) docs.push(doc);
    else failed.push(data.id);
  }
  const next: LogCheck = {
    catalogue: catalogueVersions,
    upTo: Math.max(newest, check?.upTo ?? -Infinity),
    invalid: failed,
  };
  try {
    memo.setItem(checkKey(name), JSON.stringify(next));
  } catch {
    // Storage full: the next start checks every row again, nothing worse.
  }
  return { docs, failed };
}

/**
 * The check kept up to date while the app runs: a row that arrives (replicated or recorded here) is checked as it is
 * held, so the next start need not check it again. Without this, the first start after an evening of scans checked
 * every row the evening wrote. `save` merges what was seen into the kept check: the write time checked up to (the
 * newest row seen, all of whose predecessors were seen before it: RxDB writes and reports rows in write order) and
 * the rows that failed (left out at the next start too).
 */
export function logCheckKeeper(name: string, memo: CheckMemo = localStorage) {
  let upTo = -Infinity;
  let invalid: string[] = [];
  return {
    checked(row: { id: string; _meta?: { lwt?: unknown } }, ok: boolean): void {
      const lwt = row._meta?.lwt;
      if (typeof lwt === 'number' && lwt > upTo) upTo = lwt;
      if (!ok) invalid.push(row.id);
    },
    save(): void {
      const kept = readLogCheck(name, memo);
      // Only over a check of this build's catalogue (the start wrote one): else the next start checks everything.
      if (!kept || (upTo <= kept.upTo && invalid.length === 0)) return;
      const next: LogCheck = {
        catalogue: catalogueVersions,
        upTo: Math.max(upTo, kept.upTo),
        invalid: [...new Set([...kept.invalid, ...invalid])],
      };
      invalid = [];
      try {
        memo.setItem(checkKey(name), JSON.stringify(next));
      } catch {
        // Storage full: the next start checks these rows again, nothing worse.
      }
    },
  };
}

type StoredRow = { row: EventRow; lwt: number };

/**
 * Every row of the log with its write time. Under RxDB's Dexie storage the rows are read with one `getAll` of its
 * table: RxDB's own queries walk an IndexedDB cursor, a callback per row, twice as long for a scanner's 50,000 rows
 * (bench/scan.bench.ts). Anything unexpected there (another storage, another RxDB's layout) reads through RxDB.
 */
async function readRows(events: RxCollection<EventRow>): Promise<StoredRow[]> {
  const table = await dexieTable(events);
  const raw = table ? await table.toArray() : undefined;
  const rows = raw?.flatMap((value): StoredRow[] | [undefined] => {
    if (!isStoredRow(value)) return [undefined];
    if (value._deleted === '1' || value._deleted === true) return [];
    const { id, type, v, stream, data, meta } = value;
    return [{ row: { id, type, v, stream, data, meta }, lwt: value._meta.lwt }];
  });
  if (rows && rows.every((row) => row !== undefined)) return rows;
  return (await events.find().exec()).map((doc) => {
    const data = doc.toJSON(true);
    return { row: data, lwt: data._meta.lwt };
  });
}

type DexieRow = EventRow & { _deleted: unknown; _meta: { lwt: number } };

function isStoredRow(value: unknown): value is DexieRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Partial<Record<keyof DexieRow, unknown>>;
  const meta = row._meta as { lwt?: unknown } | undefined;
  return (
    typeof row.id === 'string' &&
    typeof row.type === 'string' &&
    typeof row.v === 'number' &&
    typeof row.stream === 'string' &&
    typeof row.data === 'object' &&
    typeof row.meta === 'object' &&
    typeof meta?.lwt === 'number'
  );
}

/**
 * The ids of the facts this device delivered (a scanner's every scan: tens of thousands), read as the log is: one
 * `getAll` under RxDB's Dexie storage, else through RxDB.
 */
export async function loadUploaded(uploads: RxCollection<UploadRow>): Promise<string[]> {
  const table = await dexieTable(uploads);
  const raw = table ? await table.toArray() : undefined;
  const ids = raw?.flatMap((value): (string | undefined)[] => {
    if (typeof value !== 'object' || value === null || !('id' in value) || typeof value.id !== 'string')
      return [undefined];
    const deleted = '_deleted' in value ? value._deleted : undefined;
    return deleted === '1' || deleted === true ? [] : [value.id];
  });
  if (ids?.every((id) => id !== undefined)) return ids;
  return (await uploads.find().exec()).map((row) => row.id);
}

/** The Dexie table under the collection, when its storage is RxDB's Dexie storage (else undefined). */
async function dexieTable(
  collection: RxCollection<EventRow> | RxCollection<UploadRow>,
): Promise<{ toArray: () => Promise<unknown[]> } | undefined> {
  const wrapped = collection.storageInstance as unknown as {
    originalStorageInstance?: { internals?: unknown };
  };
  const internals: unknown = await wrapped.originalStorageInstance?.internals;
  if (typeof internals !== 'object' || internals === null || !('dexieTable' in internals)) return undefined;
  const table = internals.dexieTable as { toArray?: unknown } | undefined;
  return typeof table?.toArray === 'function' ? (table as { toArray: () => Promise<unknown[]> }) : undefined;
}
