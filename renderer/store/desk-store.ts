// The desk's state for the screens: the local log, its replications, and the read model projected from the log.
// The concerts' part (sales, seats) is kept as the log grows (domain/desk/desk-log.ts: each decision folded once, the
// same view as projected from the whole log whatever order events arrived in); the orders' part is projected again
// from the orders' events when they change, and while a burst of orders arrives (a reconnect) at most every
// `ordersEveryMs`.
import { concertDatabase, isStreamDecision } from '../../domain/authority/concert-authority';
import { catalogueDatabase, factDatabase } from '../../domain/desk/databases';
import { scannerKeeps } from '../../domain/desk/scanner-log';
import { deskLog } from '../../domain/desk/desk-log';
import type { DeskView } from '../../domain/desk/desk-view';
import { projectOrders } from '../../domain/desk/order-view';
import type { OrdersView } from '../../domain/desk/order-view';
import type { AnyEventDoc, DataOf, FactDoc, FactType } from '../../domain/events/catalogue';
import { isConcertFact, isFact, parseEventDoc } from '../../domain/events/catalogue';
import { ordersDatabase } from '../../domain/events/order-flow';
import { deviceAuthorization } from '../device';
import type { Device } from '../device';
import { openChangeStream } from './change-stream';
import type { Connection } from './change-stream';
import { directUploads } from './direct-upload';
import { fromRow, loadLog, loadUploaded, logCheckKeeper, openEventDatabase, toRow } from './event-database';
import type { EventRow } from './event-database';
import { newFact, newFactId } from './facts';
import { pullCheckpoints, pullDatabase } from './pull';
import type { Pull, PullCheckpoints } from './pull';
import { replicateDatabase } from './replication';
import type { Replication } from './replication';
import { replayJournal, writeJournal } from './write-journal';

export type DeskSnapshot = {
  view: DeskView;
  /** This desk's open carts and the orders it knows of (domain/desk/order-view.ts). */
  orders: OrdersView;
  connection: Connection;
  /** This device's facts not yet delivered to the store. */
  waiting: number;
  /** When each database was last known to be in step with the store (epoch ms). */
  syncedAt: Record<string, number>;
};

export type DeskStore = {
  device: Device;
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => DeskSnapshot;
  /**
   * Writes a fact to the local log; replication takes it to its database when it can. `id`: the fact's id when it was
   * made already (newFactId), as a scan judged before it is recorded is held by the gate's book under its scan id.
   */
  record: <T extends FactType>(type: T, data: (id: string) => DataOf<T>, id?: string) => Promise<FactDoc<T>>;
  // The logs below grow at their end, in the order the desk came to hold each event, and never hold one twice: a
  // reader that keeps its own state reads on from where it stopped (log-cursor.ts).
  /** The concerts' events this desk holds (what `view` is projected from): read again when `view` changes. */
  concertDocs: () => readonly AnyEventDoc[];
  /** The orders' events this desk holds (what `orders` is projected from): read again when `orders` changes. */
  orderDocs: () => readonly AnyEventDoc[];
  /** Every event this desk holds, of every database (the catalogue's trust events among them). */
  allDocs: () => readonly AnyEventDoc[];
  /**
   * Resolves once the snapshot shows every fact recorded so far: a screen that decides on what it shows (a cart)
   * waits for it before it takes the next key, so a quick second change is decided on the first one's result.
   */
  shown: () => Promise<void>;
  close: () => Promise<void>;
};

/** The orders are re-projected at most this often while events keep arriving (each projection reads them all). */
const ordersEveryMs = 150;
/** The longest the orders' reads wait while this desk is selling, and the moment after a sale they wait for. */
const ordersGiveWayMs = 5_000;
const ordersAfterSaleMs = 1_000;
/** How often a gate scanner takes in the store's news (its screen shows its own scans at once, from its book). */
const gateNewsEveryMs = 100;
/**
 * How often a gate scanner writes what it recorded to IndexedDB. Each commit costs the browser's LevelDB threads work
 * on the same cores; the journal holds what was recorded meanwhile. At 500 ms rather than 100 ms those threads went
 * from 22 % to 8 % of a core while a gate scanned offline (bench/scan.bench.ts, 40,000 tickets, measured while RxDB's
 * replications still answered each write with a read and a checkpoint write of their own).
 */
const gateWritesEveryMs = 500;
/**
 * How often a gate scanner writes down which of its facts were delivered. That record only spares a restart sending
 * them again, and a fact sent again is answered as delivered: a second's worth of it lost costs nothing.
 */
const gateDeliveredEveryMs = 1_000;
/** How often a gate scanner sends its scans to the store, together (direct-upload.ts `gatherMs`). */
const gateSendsEveryMs = 250;
/** How often a gate scanner reads its databases' news once caught up (pull.ts `readEveryMs`). */
const gateReadsEveryMs = 1_000;
/** How often a gate scanner sends again what it recorded and is not known to be delivered (it pushes nothing). */
const gateResendEveryMs = 5_000;
/** How often the rows checked as they arrived are kept as checked (event-database.ts logCheckKeeper). */
const checkSaveEveryMs = 2_000;

export async function openDeskStore(device: Device): Promise<DeskStore> {
  // The steps of a start are measured (performance.measure 'stagedoor:…'): the scanner's cold-start benchmark reads them.
  const step = (name: string, start: number) =>
    performance.measure(`stagedoor:${name}`, { start, end: performance.now() });
  let started = performance.now();
  const database = await openEventDatabase();
  // What was made and not written before the page last went (a reload, a crash) is written now, before the log is read.
  const journal = writeJournal(database.name);
  await replayJournal(database.events, journal);
  step('store-open', started);
  const collections = { events: database.events, uploads: database.uploads };
  const docs = new Map<string, AnyEventDoc>();
  /** The same events split by projection: what desk-view reads, and what order-view reads (a quarantine both). */
  const deskDocs: AnyEventDoc[] = [];
  const orderDocs: AnyEventDoc[] = [];
  const allDocs: AnyEventDoc[] = [];
  /** The desk's view, kept as the log grows (domain/desk/desk-log.ts), and what it has not been handed yet. */
  const desk = deskLog(device.deviceId);
  let deskNews: AnyEventDoc[] = [];
  let deskChanged = true;
  let ordersChanged = true;
  /** This device's facts not known to be delivered to the store. */
  const undelivered = new Map<string, FactDoc>();
  /** Facts of this device known to be delivered (also in an earlier session of the app). */
  const uploaded = new Set<string>();
  const hold = (doc: AnyEventDoc) => {
    // The log is immutable: a document held already (a local write comes back from the collection) changes nothing.
    if (docs.has(doc._id)) return;
    docs.set(doc._id, doc);
    allDocs.push(doc);
    if (isFact(doc) && doc.meta.deviceId === device.deviceId && !uploaded.has(doc._id))
      undelivered.set(doc._id, doc);
    const forDesk = isConcertFact(doc) || isStreamDecision(doc);
    if (forDesk || doc.type === 'FactQuarantined') {
      deskDocs.push(doc);
      deskNews.push(doc);
      deskChanged = true;
    }
    if (!forDesk) {
      orderDocs.push(doc);
      ordersChanged = true;
    }
  };
  const recording = new Set<string>();
  const answersOwnFact = (raw: unknown) => {
    const meta = typeof raw === 'object' && raw !== null && 'meta' in raw ? raw.meta : undefined;
    const cause =
      typeof meta === 'object' && meta !== null && 'causationId' in meta ? meta.causationId : undefined;
    const fact = typeof cause === 'string' ? docs.get(cause) : undefined;
    return fact !== undefined && fact.meta.deviceId === device.deviceId;
  };
  // A decision the change stream brings is shown at once; the replication still reads and stores it (and a desk
  // reloaded before that reads it then).
  const changes = openChangeStream(`${device.server}/api/changes`, {
    authorization: deviceAuthorization(device),
    isKnown: (id) => docs.has(id) || recording.has(id),
    // Of a burst (a reconnect: every desk's decisions at once), only the answers to this device's own facts are shown
    // ahead of the replication; the others wait for the read, which stores them too.
    onDocs: (news) => {
      for (const raw of news) {
        if (news.length > 1 && !answersOwnFact(raw)) continue;
        const parsed = parseEventDoc(raw);
        // Facts come with the replication: this device's own are held already, another's are no answer to wait for.
        if (!parsed.ok || isFact(parsed.doc) || docs.has(parsed.doc._id)) continue;
        hold(parsed.doc);
        schedule(true);
      }
    },
  });
  const replications = new Map<string, Replication | Pull>();
  /** Where a gate's pulls have read up to (set once the log is read: an empty log reads every database anew). */
  let pulled: PullCheckpoints | undefined = undefined;
  const listeners = new Set<() => void>();
  // Each IndexedDB commit costs the browser a few ms of LevelDB work (bench/scan.bench.ts, traced: ~4 ms a commit and
  // as much again compacting), on the same cores as the screen. A gate writes what it records at most every
  // gateWritesEveryMs (at a hundred scans a second, one commit for fifty scans), and which of its facts were delivered
  // at most every gateDeliveredEveryMs. A desk writes at once (what a burst of deliveries brings is still one write).
  const gate = device.role === 'scanner';
  const writeSoon = (write: () => void, gateWaitsMs = gateWritesEveryMs) => {
    if (gate) setTimeout(write, gateWaitsMs);
    else queueMicrotask(write);
  };
  // Delivered facts are remembered with one write per burst (a reconnect delivers thousands at once).
  let delivered: { id: string; database: string; at: string }[] = [];
  const writeDelivered = () => {
    const rows = delivered;
    delivered = [];
    return rows.length > 0 ? collections.uploads.bulkUpsert(rows) : undefined;
  };
  const direct = directUploads({
    server: device.server,
    authorization: deviceAuthorization(device),
    ...(gate ? { gatherMs: gateSendsEveryMs } : {}),
    onDelivered: (id, name) => {
      if (delivered.length === 0) writeSoon(() => void writeDelivered(), gateDeliveredEveryMs);
      delivered.push({ id, database: name, at: new Date().toISOString() });
    },
  });
  /** Facts recorded and not written yet (a gate's, for at most gateWritesEveryMs), with who waits for each. */
  let unwritten: { row: EventRow; written: (error?: Error) => void }[] = [];
  const writeBatch = async (batch: typeof unwritten) => {
    const { error } = await collections.events
      .bulkInsert(batch.map((entry) => entry.row))
      .catch((e: unknown) => ({
        error: batch.map((entry) => ({ documentId: entry.row.id, cause: e })),
      }));
    const failed = new Map<string, unknown>(error.map((e) => [e.documentId, e]));
    for (const { row, written } of batch)
      written(failed.has(row.id) ? new Error(`${row.id} was not written to the local log`) : undefined);
  };
  // One write at a time, each taking everything recorded meanwhile: a write costs about the same for one fact or a
  // hundred, and writes started side by side only queue in IndexedDB (a gate scanning online was seen 800 scans
  // behind with a write every 100 ms, bench/scan.bench.ts).
  let writing: Promise<void> | undefined;
  const writeRecorded = (): Promise<void> =>
    (writing ??= (async () => {
      while (unwritten.length > 0) {
        const batch = unwritten;
        unwritten = [];
        await writeBatch(batch);
      }
    })().finally(() => {
      writing = undefined;
      if (unwritten.length > 0) writeSoon(() => void writeRecorded());
    }));
  const insert = (row: EventRow) =>
    new Promise<void>((resolve, reject) => {
      if (unwritten.length === 0 && !writing) writeSoon(() => void writeRecorded());
      unwritten.push({ row, written: (error) => (error ? reject(error) : resolve()) });
    });

  const empty: DeskView = { concerts: [], sales: [], requests: [], undecided: [] };
  const noOrders: OrdersView = { carts: [], orders: [], unanswered: [] };
  let snapshot: DeskSnapshot = {
    view: empty,
    orders: noOrders,
    connection: changes.connection(),
    waiting: 0,
    syncedAt: {},
  };

  // The orders' reads give way while this desk is selling: while a sale waits for its decision, for a moment after
  // each sale (the next customer's sale is what the seller waits for; a sale's order and invoice can come a few
  // seconds later), and for a moment after the last waiting sale was decided (a reconnect's thousands of decisions
  // are on the screen before thousands of orders are read). A read never waits longer than ordersGiveWayMs.
  let lastSaleAt = -Infinity;
  /** When this desk's last undecided sale was decided: its screen catches up before the orders are read. */
  let allDecidedAt = -Infinity;
  let undecidedBefore = 0;
  let givingWay: (() => void)[] = [];
  let wayTimer: ReturnType<typeof setTimeout> | undefined;
  const quietFrom = () => Math.max(lastSaleAt, allDecidedAt) + ordersAfterSaleMs;
  const selling = () => view.undecided.length > 0 || performance.now() < quietFrom();
  const letOrdersRead = () => {
    clearTimeout(wayTimer);
    wayTimer = undefined;
    if (givingWay.length === 0) return;
    if (selling()) {
      // Looked at again when the last sale's moment is over (a decision arriving looks again too).
      wayTimer = setTimeout(letOrdersRead, Math.max(1, quietFrom() - performance.now()));
      return;
    }
    for (const resolve of givingWay) resolve();
    givingWay = [];
  };
  const ordersGiveWay = () =>
    selling()
      ? new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ordersGiveWayMs);
          givingWay.push(() => (clearTimeout(timer), resolve()));
          if (undecidedBefore > 0 && view.undecided.length === 0) allDecidedAt = performance.now();
          undecidedBefore = view.undecided.length;
          letOrdersRead();
        })
      : Promise.resolve();
  const replicate = (name: string) => {
    if (replications.has(name) || changes.connection().revoked) return;
    // A gate delivers its facts itself (direct-upload.ts) and only pulls, with a loop of its own (pull.ts): RxDB's
    // replication would cost each of its writes four more IndexedDB transactions. Its screen shows what the change
    // stream brings at once; what its pull stores can wait a second.
    if (gate) {
      if (!pulled) return;
      replications.set(
        name,
        pullDatabase({
          events: collections.events,
          database: name,
          databaseUrl: `${device.server}/couch/${name}`,
          authorization: deviceAuthorization(device),
          changes,
          checkpoints: pulled,
          isStored: (id) => stored.has(id),
          keeps: scannerKeeps(device.deviceId),
          readEveryMs: gateReadsEveryMs,
        }),
      );
      return;
    }
    const giveWay = name === ordersDatabase ? { giveWay: ordersGiveWay } : {};
    replications.set(
      name,
      replicateDatabase({
        collections,
        database: name,
        device,
        changes,
        direct,
        uploaded,
        isStored: (id) => stored.has(id),
        ...giveWay,
      }),
    );
  };

  // Events re-project the log; a heartbeat of the change stream only refreshes the connection figures.
  let view: DeskView = empty;
  let orders: OrdersView = noOrders;
  /** The orders' projection is behind the log (urgently: its own events changed); when it was last made. */
  let ordersDue = true;
  let ordersUrgent = true;
  let ordersAt = -Infinity;
  let ordersLater: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    const concertsBefore = view.concerts;
    if (deskChanged) {
      deskChanged = false;
      desk.add(deskNews);
      deskNews = [];
      const next = desk.view();
      // An event the view does not read (a print) is news to what screens project from the concerts' events
      // (useConcertLog, keyed by the view): the view is a new object whenever those events changed.
      view = next === view ? { ...next } : next;
      // The desk works every concert it knows of; the catalogue tells it which there are. Carts and orders are in
      // the orders database, which a gate scanner has no use for (it would read every order of the box office).
      replicate(catalogueDatabase);
      if (device.role !== 'scanner') replicate(ordersDatabase);
      for (const concert of view.concerts) replicate(concertDatabase(concert.concertId));
    }
    // The orders read the concerts' names, prices and seats left: a concert's change is an orders' change too, but
    // it is projected in a task of its own, after the sale that changed the concert is on the screen. Not on a gate:
    // it has no orders' screen, and each of its scans changes the concert (its counts in and out).
    if (view.concerts !== concertsBefore && !gate) ordersDue = true;
    if (ordersChanged) {
      ordersChanged = false;
      ordersDue = ordersUrgent = true;
    }
    if (ordersDue) {
      const wait = Math.max(ordersAt + ordersEveryMs - performance.now(), ordersUrgent ? 0 : 1);
      if (wait <= 0) {
        ordersDue = ordersUrgent = false;
        clearTimeout(ordersLater);
        ordersLater = undefined;
        orders = projectOrders(orderDocs, device.deviceId, view.concerts);
        ordersAt = performance.now();
      } else
        ordersLater ??= setTimeout(() => {
          ordersLater = undefined;
          ordersUrgent = true;
          refresh();
        }, wait);
    }
    letOrdersRead();
    // A fact with a decision was delivered, whether or not this device saw its upload finish.
    const waiting =
      view.undecided.filter((id) => !uploaded.has(id)).length +
      orders.unanswered.filter((id) => !uploaded.has(id)).length;
    const syncedAt: Record<string, number> = {};
    for (const name of replications.keys()) {
      const at = changes.syncedAt(name);
      if (at !== undefined) syncedAt[name] = at;
    }
    snapshot = { view, orders, connection: changes.connection(), waiting, syncedAt };
    for (const listener of listeners) listener();
    if (!deskChanged && !ordersChanged && !ordersDue) {
      for (const resolve of showing) resolve();
      showing = [];
    }
  };
  let showing: (() => void)[] = [];

  // A change of the log is what a person waits to see (a sale pending, then confirmed): it refreshes at the next
  // task, which still takes a whole bulk write's events at once. Other news (heartbeats, uploads, reads that found
  // nothing) waits a frame, so that a burst of it costs one render. A gate shows its own scans from its book at once
  // (scan-screen.tsx): it takes in the store's news at most every `gateNewsEveryMs`, which at a hundred scans a second
  // is one refresh for ten scans instead of two or three for each (its write, its decision, its upload).
  const waits = gate ? { log: gateNewsEveryMs, other: gateNewsEveryMs } : { log: 0, other: 16 };
  let scheduled: ReturnType<typeof setTimeout> | undefined;
  let scheduledWait = 0;
  const schedule = (logChange: boolean) => {
    const wait = logChange ? waits.log : waits.other;
    if (scheduled !== undefined && scheduledWait <= wait) return;
    clearTimeout(scheduled);
    scheduledWait = wait;
    scheduled = setTimeout(() => {
      scheduled = undefined;
      refresh();
    }, wait);
  };
  /** What the local log itself holds (not only the change stream's news): a read of it need not be stored again. */
  const stored = new Set<string>();
  const add = (row: Parameters<typeof fromRow>[0]): boolean => {
    stored.add(row.id);
    const doc = fromRow(row);
    if (doc) hold(doc);
    return doc !== undefined;
  };
  // Rows checked as they arrive are remembered as checked, at most every checkSaveEveryMs.
  const check = logCheckKeeper(database.name);
  let checkSaving: ReturnType<typeof setTimeout> | undefined;
  const checked = (row: Parameters<typeof fromRow>[0] & { _meta?: { lwt?: unknown } }, ok: boolean) => {
    check.checked(row, ok);
    checkSaving ??= setTimeout(() => {
      checkSaving = undefined;
      check.save();
    }, checkSaveEveryMs);
  };

  // Subscribe before loading: an event arriving in between is applied twice, which changes nothing.
  const subscriptions = [
    collections.events.$.subscribe((event) => {
      checked(event.documentData, add(event.documentData));
      schedule(true);
    }),
    collections.uploads.$.subscribe((event) => {
      uploaded.add(event.documentData.id);
      undelivered.delete(event.documentData.id);
      schedule(false);
    }),
  ];
  started = performance.now();
  // Both read at once: the uploads' read runs while the log's rows are checked.
  const uploadedIds = loadUploaded(collections.uploads);
  const log = await loadLog(collections.events, database.name);
  step('store-read', started);
  started = performance.now();
  for (const id of log.failed) stored.add(id);
  pulled = pullCheckpoints(database.name, { logEmpty: log.docs.length === 0 && log.failed.length === 0 });
  // The first view starts the pulls, also of a log that holds nothing yet.
  deskChanged = true;
  for (const doc of log.docs) {
    stored.add(doc._id);
    hold(doc);
  }
  step('store-hold', started);
  started = performance.now();
  for (const id of await uploadedIds) {
    uploaded.add(id);
    undelivered.delete(id);
  }
  step('store-uploads', started);
  const stopListening = changes.onConnection(() => {
    // A revoked device's credentials no longer work: its replications stop instead of retrying forever.
    if (changes.connection().revoked)
      for (const replication of replications.values()) void replication.cancel();
    schedule(false);
  });
  // Back online: this device's undelivered facts go to their databases at once, a thousand per write, and every
  // replication reads and writes at once instead of at its next retry (its push leaves out what was sent here).
  const sendUndelivered = () => {
    const byDatabase = new Map<string, FactDoc[]>();
    for (const doc of undelivered.values()) {
      const name = factDatabase(doc);
      const facts = byDatabase.get(name) ?? [];
      byDatabase.set(name, facts);
      facts.push(doc);
    }
    for (const [name, facts] of byDatabase) void direct.sendAll(name, facts);
  };
  const online = () => {
    sendUndelivered();
    for (const replication of replications.values()) replication.reSync();
  };
  window.addEventListener('online', online);
  // A gate pushes nothing: what a direct send missed while the store was reachable (a refusal, a dropped request) is
  // sent again here (a send still under way is not repeated: direct-upload.ts).
  const resend = gate
    ? setInterval(() => {
        if (undelivered.size > 0 && changes.connection().online) sendUndelivered();
      }, gateResendEveryMs)
    : undefined;
  started = performance.now();
  refresh();
  step('first-view', started);

  return {
    device,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    concertDocs: () => deskDocs,
    orderDocs: () => orderDocs,
    allDocs: () => allDocs,
    shown: () =>
      !deskChanged && !ordersChanged && !ordersDue && scheduled === undefined
        ? Promise.resolve()
        : new Promise<void>((resolve) => showing.push(resolve)),
    async record(type, data, id = newFactId()) {
      const fact = newFact(id, type, data(id), device);
      if (type === 'SaleRecorded') lastSaleAt = performance.now();
      // Facts are checked like the authority will check them: a bug here must not reach the log.
      const parsed = parseEventDoc(fact);
      if (!parsed.ok) throw new Error(parsed.reason);
      // The store and the local log are written at once: either holding the fact records it (a fact the local
      // write missed comes back with the replication's pull). Only when both fail is nothing recorded. Meanwhile
      // the store's news of the fact is known not to need a read.
      recording.add(id);
      const row = toRow(parsed.doc);
      journal.keep(row);
      const sent = direct.send(factDatabase(fact), fact);
      try {
        await insert(row);
      } catch (error) {
        if (!(await sent)) throw error;
      } finally {
        recording.delete(id);
        journal.drop(id);
      }
      hold(parsed.doc);
      schedule(true);
      return fact;
    },
    async close() {
      // What was recorded is written before the log closes.
      await Promise.all([writeRecorded(), writeDelivered()]);
      clearTimeout(scheduled);
      clearTimeout(checkSaving);
      check.save();
      clearTimeout(ordersLater);
      clearTimeout(wayTimer);
      window.removeEventListener('online', online);
      clearInterval(resend);
      stopListening();
      for (const subscription of subscriptions) subscription.unsubscribe();
      await Promise.all([...replications.values()].map((replication) => replication.cancel()));
      changes.close();
      await database.close();
    },
  };
}
