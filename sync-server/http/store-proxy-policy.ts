// What a browser may ask of the store through the sync server's /couch proxy: the replication of event databases,
// and nothing else. The proxy speaks with the device's own credentials, so the store's _security and validation
// decide what the device may do; this allow-list is a second wall in front of them (no database made or read that a
// desk does not replicate, no design document, no request that crashes the test store).
import { ordersDatabase } from '../../domain/events/order-flow';
import { factIdPattern } from '../../domain/log/envelope';
import { catalogueDb, concertDbPrefix } from '../store/couch';

const concertDbName = new RegExp(`^${concertDbPrefix}[a-z0-9][a-z0-9-]*$`);

/** The catalogue, every concert's database and the orders database: what a desk replicates. */
const isEventDatabase = (name: string) =>
  name === catalogueDb || name === ordersDatabase || concertDbName.test(name);

/** Endpoints replication uses, by method. Everything else (design docs, single documents, views) is refused. */
const allowed: Record<string, readonly string[]> = {
  '': ['GET'],
  _changes: ['GET'],
  _all_docs: ['GET', 'POST'],
  _bulk_docs: ['POST'],
  _bulk_get: ['POST'],
  _revs_diff: ['POST'],
  _local: ['GET', 'PUT'],
};

/** Why the request is refused, or undefined when it may go to the store. `path` is below /couch, with its query. */
export function storeRequestRefusal(method: string, path: string, body: unknown): string | undefined {
  const url = new URL(path, 'http://store.invalid');
  const [, database = '', endpoint = '', ...rest] = url.pathname.split('/');
  if (!isEventDatabase(database)) return `"${database}" is not an event database a device replicates`;
  // _local documents are a replication checkpoint each: one level deep, nothing else below a database.
  if (rest.length > (endpoint === '_local' ? 1 : 0) || (endpoint === '_local' && !rest[0]))
    return `${url.pathname} is not a replication endpoint`;
  const methods = allowed[endpoint];
  if (!methods) return `${endpoint} is not a replication endpoint`;
  if (!methods.includes(method)) return `${method} ${endpoint || 'the database'} is not allowed`;
  // pouchdb-server crashes on some filters (_selector): replication needs none.
  if (endpoint === '_changes' && url.searchParams.has('filter')) return 'change filters are not allowed';
  if (endpoint === '_bulk_docs') return bulkDocsRefusal(body);
  return undefined;
}

/** Devices write facts: new documents with a ULID id, never a design document, a deletion or a forced revision. */
function bulkDocsRefusal(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('docs' in body) || !Array.isArray(body.docs))
    return '_bulk_docs needs {"docs": [...]}';
  if ('new_edits' in body && body.new_edits === false) return 'new_edits=false is not allowed';
  for (const doc of body.docs as unknown[]) {
    const id = typeof doc === 'object' && doc !== null && '_id' in doc ? doc._id : undefined;
    if (typeof id !== 'string' || !factIdPattern.test(id))
      return `a device writes facts with a ULID id only, not ${JSON.stringify(id)}`;
    if ('_deleted' in (doc as object) && (doc as { _deleted: unknown })._deleted === true)
      return 'events are never deleted';
  }
  return undefined;
}
