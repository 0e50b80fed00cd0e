// The desk's local log: RxDB on IndexedDB (Dexie). `events` mirrors the CouchDB event documents one to one (RxDB's
// primary key may not start with "_", so `id` here is `_id` there; the CouchDB plugin swaps them); `uploads`
// remembers which of this device's facts a replication has delivered, so "waiting to upload" survives a reload.
import { createRxDatabase } from 'rxdb';
import type { RxCollection, RxDatabase, RxJsonSchema } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { AnyEventDoc } from '../../domain/events/catalogue';
import { parseEventDoc } from '../../domain/events/catalogue';

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

export async function openEventDatabase(name = 'stagedoor-desk'): Promise<DeskDatabase> {
  const database = await createRxDatabase<DeskCollections>({
    name,
    storage: getRxStorageDexie(),
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
