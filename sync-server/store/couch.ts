// CouchDB access for the authority: databases, idempotent provisioning, create-only appends, paging reads.
// Works against Apache CouchDB 3 and the embedded pouchdb-server alike: sequences are opaque strings.
import nano from 'nano';
import { concertDatabasePrefix } from '../../domain/authority/concert-authority';
import { catalogueDatabase } from '../../domain/desk/databases';
import type { DocumentScope, ServerScope } from 'nano';
import { ensureSecurity, eventsSecurity, eventsValidation } from './security';

// Database names are the domain's (devices use the same ones); the authority's bookkeeping is the server's own.
export const catalogueDb = catalogueDatabase;
export const authorityDb = 'stagedoor-authority';
export const concertDbPrefix = concertDatabasePrefix;

export type Couch = { server: ServerScope; url: string };

export function connect(url: string): Couch {
  return { server: nano({ url }), url };
}

export type StoreEndpoint = { base: string; authorization: string | undefined };

/** COUCHDB_URL split into a credential-free base and the Authorization header (fetch refuses URLs with credentials). */
export function storeEndpoint(couchUrl: string): StoreEndpoint {
  const url = new URL(couchUrl);
  const user = decodeURIComponent(url.username);
  const authorization = user
    ? `Basic ${Buffer.from(`${user}:${decodeURIComponent(url.password)}`).toString('base64')}`
    : undefined;
  url.username = '';
  url.password = '';
  return { base: url.toString().replace(/\/$/, ''), authorization };
}

export type Seq = string | number;
export type Change = { id: string; seq: Seq; deleted?: boolean; doc?: Doc };
export type ChangesPage = { results: Change[]; last_seq: Seq; pending?: number };

/**
 * One page of a database's _changes feed, with documents. Done with fetch rather than nano: nano swallows an
 * abort that lands while a body is being read, and a long-poll that never ends must be abortable.
 */
export async function readChanges(
  couch: Couch,
  dbName: string,
  options: { since: Seq; limit: number; longpoll: boolean; signal: AbortSignal },
): Promise<ChangesPage> {
  const { base, authorization } = storeEndpoint(couch.url);
  const url = new URL(`${base}/${encodeURIComponent(dbName)}/_changes`);
  const headers = authorization ? { authorization } : undefined;
  url.search = new URLSearchParams({
    since: String(options.since),
    limit: String(options.limit),
    include_docs: 'true',
    ...(options.longpoll ? { feed: 'longpoll', timeout: '25000' } : {}),
  }).toString();
  return withRequestSignal(options.signal, (signal) => readPage(url, headers, base, dbName, signal));
}

/**
 * Runs a request with a signal of its own that follows `session`'s abort, and stops following it when the request
 * is over. fetch (undici) adds an abort listener to the signal it is given and lets go of it only when the request is
 * collected: a follower's session signal, given to every read, gathered thousands (MaxListenersExceededWarning).
 */
async function withRequestSignal<T>(
  session: AbortSignal,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const request = new AbortController();
  const abort = () => request.abort(session.reason);
  if (session.aborted) abort();
  else session.addEventListener('abort', abort, { once: true });
  try {
    return await run(request.signal);
  } finally {
    session.removeEventListener('abort', abort);
  }
}

async function readPage(
  url: URL,
  headers: { authorization: string } | undefined,
  base: string,
  dbName: string,
  signal: AbortSignal,
): Promise<ChangesPage> {
  const response = await fetch(url, { headers, signal });
  if (!response.ok) {
    const error = new Error(`_changes of ${dbName}: ${response.status} ${await response.text()}`);
    throw Object.assign(error, { statusCode: response.status });
  }
  const page = (await response.json()) as ChangesPage;
  // A change is never passed on without its document (the handlers skip such a change, so its fact would never be
  // decided): one that came without it is read by id, and a page with one that can't be read fails, to be read
  // again from the unmoved checkpoint.
  const missing = page.results.filter((c) => !c.deleted && !c.doc && !c.id.startsWith('_design/'));
  if (missing.length === 0) return page;
  const read = await fetch(`${base}/${encodeURIComponent(dbName)}/_all_docs?include_docs=true`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ keys: missing.map((c) => c.id) }),
    signal,
  });
  if (!read.ok) throw new Error(`_changes of ${dbName}: its documents could not be read (${read.status})`);
  const { rows } = (await read.json()) as { rows: { key: string; doc?: Doc | null }[] };
  const docs = new Map(rows.flatMap((row) => (row.doc ? [[row.key, row.doc] as const] : [])));
  const unread = missing.find((c) => !docs.has(c.id));
  if (unread)
    throw new Error(`_changes of ${dbName}: ${unread.id} came without its document and can't be read`);
  return {
    ...page,
    results: page.results.map((c) => (c.doc || c.deleted ? c : { ...c, doc: docs.get(c.id) })),
  };
}

export type Doc = { _id: string; _rev?: string; [key: string]: unknown };

export function statusOf(error: unknown): number | undefined {
  if (
    typeof error === 'object' &&
    error !== null &&
    'statusCode' in error &&
    typeof error.statusCode === 'number'
  )
    return error.statusCode;
  return undefined;
}

/** Creates the database if missing; a 412 (exists) is success. */
export async function ensureDatabase(couch: Couch, name: string): Promise<void> {
  try {
    await couch.server.db.create(name);
  } catch (error) {
    if (statusOf(error) !== 412) throw error;
  }
}

/**
 * Every event database's design document: its validation refuses updates and deletions of events for everyone, and
 * lets a device write only its own facts of its role's types (security.ts). The writable types come from the
 * permissions, so the validation's text is compared too: a new fact type reaches the store at the next start.
 */
export const eventsDesignDoc = (): Doc & { version: number; validate_doc_update: string } => ({
  _id: '_design/stagedoor',
  version: 3,
  validate_doc_update: eventsValidation(),
});

/** Creates or upgrades a design document when its `version` is behind. */
export async function ensureDesignDoc(
  couch: Couch,
  dbName: string,
  doc: Doc & { version: number; validate_doc_update?: string },
): Promise<void> {
  const db = couch.server.use<Doc>(dbName);
  for (let attempt = 0; attempt < 3; attempt++) {
    let current: (Doc & { version?: number; validate_doc_update?: unknown }) | undefined;
    try {
      current = await db.get(doc._id);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    const version = current?.version ?? 0;
    if (current && version > doc.version) return;
    if (current && version === doc.version && current.validate_doc_update === doc.validate_doc_update) return;
    try {
      await db.insert({ ...doc, ...(current?._rev ? { _rev: current._rev } : {}) });
      return;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
  }
}

export async function ensureEventDatabase(couch: Couch, name: string): Promise<void> {
  await ensureDatabase(couch, name);
  await ensureDesignDoc(couch, name, eventsDesignDoc());
  await ensureSecurity(couch, name, eventsSecurity);
}

export type BulkResult = { id: string; ok: boolean; conflict: boolean; error?: string };

/** Create-only writes: documents without _rev; an existing id comes back as a conflict, never overwritten. */
export async function createAll(db: DocumentScope<Doc>, docs: readonly Doc[]): Promise<BulkResult[]> {
  if (docs.length === 0) return [];
  const response = await db.bulk({ docs: docs as Doc[] });
  return response.map((r, i) => ({
    id: r.id ?? docs[i]?._id ?? '',
    ok: !r.error,
    // CouchDB answers a create of an existing id with a conflict; pouchdb-server runs validate_doc_update first,
    // whose refusal says "immutable". Both mean: someone wrote this id before us.
    conflict:
      r.error === 'conflict' || (r.error === 'forbidden' && String(r.reason).startsWith('immutable:')),
    ...(r.error ? { error: `${r.error}: ${r.reason ?? ''}` } : {}),
  }));
}

/** Reads documents in an id range, in id order, a page at a time. */
export async function* readRange(
  db: DocumentScope<Doc>,
  startkey: string,
  endkey: string,
  pageSize = 1000,
): AsyncGenerator<Doc[]> {
  let from = startkey;
  let skip = 0;
  for (;;) {
    const page = await db.list({ startkey: from, endkey, include_docs: true, limit: pageSize, skip });
    const docs = page.rows.flatMap((row) => (row.doc ? [row.doc as Doc] : []));
    if (docs.length > 0) yield docs;
    const last = page.rows.at(-1);
    if (page.rows.length < pageSize || !last) return;
    from = last.id;
    skip = 1;
  }
}

export async function listConcertDatabases(couch: Couch): Promise<string[]> {
  const all = await couch.server.db.list();
  return all.filter((name) => name.startsWith(concertDbPrefix));
}

/** Reads a small mutable bookkeeping document (checkpoint, lease), or undefined. */
export async function getDoc<T extends Doc>(db: DocumentScope<Doc>, id: string): Promise<T | undefined> {
  try {
    return (await db.get(id)) as T;
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
