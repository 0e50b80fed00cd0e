// One live CouchDB replication per event database a desk works (the catalogue, the orders and each concert's
// database), all into the one `events` collection; a gate scanner only pulls, with a loop of its own (pull.ts). Each
// pushes only the facts that belong to its database: a collection's replications all see every local write,
// including what the others pulled.
import { replicateCouchDB } from 'rxdb/plugins/replication-couchdb';
import type { RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import { factDatabase } from '../../domain/desk/databases';
import { isFact } from '../../domain/events/catalogue';
import { deviceAuthorization } from '../device';
import type { Device } from '../device';
import type { ChangeStream } from './change-stream';
import type { DirectUploads } from './direct-upload';
import type { DeskCollections, EventRow, UploadRow } from './event-database';
import { fromRow } from './event-database';
import { readNews } from './read-news';

export type Replication = RxCouchDBReplicationState<EventRow>;

export function replicateDatabase(options: {
  collections: DeskCollections;
  database: string;
  device: Device;
  changes: ChangeStream;
  direct: DirectUploads;
  /** Facts of this device known to be delivered (also in an earlier session of the app). */
  uploaded: ReadonlySet<string>;
  /** Whether the local log holds the document already (this device's own facts, above all). */
  isStored?: (id: string) => boolean;
  /** Waited for before each read: lets a replication give way to what a person is waiting for. */
  giveWay?: () => Promise<void>;
}): Replication {
  const { collections, database, device, changes, direct, uploaded, giveWay } = options;
  const isStored = options.isStored ?? (() => false);
  const replication = replicateCouchDB<EventRow>({
    // Stable per database: after a reload or restart the replication resumes from its stored checkpoints.
    replicationIdentifier: `couchdb-${database}`,
    collection: collections.events,
    url: `${device.server}/couch/${database}/`,
    live: true,
    retryTime: 2_000,
    fetch: changeAwareFetch(database, changes, deviceAuthorization(device), isStored, giveWay),
    // Large batches: each push costs RxDB a conflict check (_all_docs) and its bookkeeping besides the write, so a desk
    // back from a long offline spell uploads 2,000 facts in two pushes, not ten (bench/reconnect.bench.ts, paired
    // runs: settled in 6.1 and 7.3 s instead of 8.4 and 8.6 s). A fact is about 600 bytes: 1,000 are a small request.
    pull: { batchSize: 1000 },
    push: {
      batchSize: 1000,
      // Returning null leaves the document out of this replication's push (and marks it handled for it): what is not
      // this device's fact for this database, and what was delivered directly when it was recorded.
      modifier: async (row: EventRow) => {
        const doc = fromRow(row);
        const ours =
          doc && isFact(doc) && doc.meta.deviceId === device.deviceId && factDatabase(doc) === database;
        if (!ours || uploaded.has(row.id) || (await direct.delivered(row.id))) return null;
        return row;
      },
    },
  });
  // A push sends up to a batch of facts at once and reports them one by one: remember them with one write per
  // push, not one per fact (after a long offline spell that is thousands of writes competing with the sync).
  let sent: UploadRow[] = [];
  replication.sent$.subscribe((row) => {
    if (sent.length === 0)
      queueMicrotask(() => {
        const rows = sent;
        sent = [];
        void collections.uploads.bulkUpsert(rows);
      });
    sent.push({ id: row.id, database, at: new Date().toISOString() });
  });
  return replication;
}

/**
 * The CouchDB plugin long-polls _changes for live updates; this fetch turns each long-poll into a wait on the
 * change stream followed by a plain read, and leaves design documents out of what is pulled. Every request carries
 * the device's own credentials: the store decides what this device may read and write.
 */
function changeAwareFetch(
  database: string,
  changes: ChangeStream,
  authorization: string,
  isStored: (id: string) => boolean,
  giveWay: () => Promise<void> = () => Promise.resolve(),
): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const isChanges = url.pathname.endsWith('/_changes');
    if (isChanges && url.searchParams.get('feed') === 'longpoll') {
      // "since=now" asks where the database stands: waiting first would skip what changes meanwhile.
      if (url.searchParams.get('since') !== 'now') await changes.waitForChange(database, 25_000);
      url.searchParams.set('feed', 'normal');
    }
    const headers = new Headers(input instanceof Request ? input.headers : init?.headers);
    headers.set('authorization', authorization);
    const refused = (response: Response) => {
      if (response.status === 401) changes.credentialsRefused();
      return response;
    };
    if (!isChanges) return refused(await fetch(url, { ...init, headers }));
    await giveWay();
    const limit = Number(url.searchParams.get('limit') ?? Infinity);
    const read = await readNews(url, { ...init, headers }, limit, isStored);
    // The concert's database is not made yet (the authority makes it): nothing to read so far.
    if (read === 'missing') return json({ results: [], last_seq: 0 });
    if (read instanceof Response) return refused(read);
    if (read.full) changes.markChanged(database);
    else changes.caughtUp(database);
    return json({ results: read.results, last_seq: read.lastSeq });
  };
}

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
