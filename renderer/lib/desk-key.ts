// The desk's ticket-signing key: an Ed25519 key pair made once on this device, its private half non-extractable, kept
// in IndexedDB (a plain object store: a CryptoKey can be stored there but not in an RxDB collection). While online the
// desk asks the authority to certify the key for the concerts it works (a DeskKeyCertificationRequested fact in the
// catalogue); the certificate comes back in the catalogue's trust stream, so the desk signs offline with it later.
import type { ConcertView } from '../../domain/desk/desk-view';
import type { AnyEventDoc, FactDoc } from '../../domain/events/catalogue';
import { trustChain } from '../../domain/desk/trust-chain';
import { generateSigningKey, publicKeyText } from '../../domain/ticket/signing';
import type { Certificate, Trust } from '../../domain/ticket/signing';
import { currentPerson } from '../session/session';
import type { DeskStore } from '../store/desk-store';
import { logCursor } from '../store/log-cursor';
import type { DeskSigner } from './ticket-codes';

export const keysDatabase = 'stagedoor-keys';
const keysStore = 'keys';

/** The record kept per device id: a desk set up again under a new id gets a new key. */
export type DeskKey = { deviceId: string; privateKey: CryptoKey; publicKey: string; createdAt: string };

const request = <T>(req: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });

function openKeys(factory: IDBFactory): Promise<IDBDatabase> {
  const opening = factory.open(keysDatabase, 1);
  opening.onupgradeneeded = () => {
    opening.result.createObjectStore(keysStore, { keyPath: 'deviceId' });
  };
  return request(opening);
}

/**
 * This device's key, made and stored at the first call. Two calls at once (two tabs) may both make one: the store's
 * `add` lets only the first in, and both then use the stored one.
 */
export async function loadDeskKey(deviceId: string, factory: IDBFactory = indexedDB): Promise<DeskKey> {
  const database = await openKeys(factory);
  try {
    const read = () =>
      request(
        database.transaction(keysStore).objectStore(keysStore).get(deviceId) as IDBRequest<
          DeskKey | undefined
        >,
      );
    const stored = await read();
    if (stored) return stored;
    const pair = await generateSigningKey(false);
    const made: DeskKey = {
      deviceId,
      privateKey: pair.privateKey,
      publicKey: await publicKeyText(pair.publicKey),
      createdAt: new Date().toISOString(),
    };
    try {
      await request(database.transaction(keysStore, 'readwrite').objectStore(keysStore).add(made));
      return made;
    } catch {
      const winner = await read();
      if (winner) return winner;
      throw new Error('The desk’s signing key could not be stored.');
    }
  } finally {
    database.close();
  }
}

/** The concerts a desk works, for its certificate: the ones it knows that exist and are not cancelled. */
export const workedConcerts = (concerts: readonly ConcertView[]): string[] =>
  concerts
    .filter((c) => c.status === 'draft' || c.status === 'published')
    .map((c) => c.concertId)
    .sort();

/** A certificate about to end is renewed a day ahead, so a desk going offline for the evening still holds one. */
export const renewBeforeMs = 24 * 3_600_000;
/** A request the authority answered without covering a concert is asked again at most this often. */
export const askAgainAfterMs = 3_600_000;

/**
 * The concerts to ask a certificate for now, or undefined when nothing is to be asked: every concert the desk works
 * is covered by a certificate of this key good for more than a day, or was asked for and is waiting for its answer
 * (or was answered without it within the hour). When something is missing, the request names every worked concert,
 * so one certificate covers them all.
 */
export function certificationToAsk(input: {
  docs: Iterable<AnyEventDoc>;
  deviceId: string;
  publicKey: string;
  concertIds: readonly string[];
  at: string;
}): string[] | undefined {
  const { deviceId, publicKey, concertIds, at } = input;
  const now = Date.parse(at);
  const requests = new Map<string, FactDoc<'DeskKeyCertificationRequested'>>();
  const answered = new Set<string>();
  const covered = new Set<string>();
  for (const doc of input.docs) {
    if (doc.type === 'DeskKeyCertificationRequested') {
      if (doc.data.deviceId === deviceId && doc.data.publicKey === publicKey) requests.set(doc._id, doc);
    } else if (doc.type === 'DeskKeyCertified') {
      answered.add(doc.data.requestId);
      const { deviceId: holder, publicKey: key, notAfter } = doc.data;
      if (holder !== deviceId || key !== publicKey) continue;
      if (Date.parse(notAfter) - now > renewBeforeMs) for (const id of doc.data.concertIds) covered.add(id);
    } else if (doc.type === 'DeskKeyCertificationRefused') answered.add(doc.data.requestId);
  }
  const asked = new Set<string>();
  for (const [id, fact] of requests)
    if (!answered.has(id) || now - Date.parse(fact.data.requestedAt) < askAgainAfterMs)
      for (const concertId of fact.data.concertIds) asked.add(concertId);
  const missing = concertIds.filter((id) => !covered.has(id) && !asked.has(id));
  return missing.length > 0 ? [...concertIds] : undefined;
}

/**
 * This device's certificate for the concert, of this key, verified against the authority, not revoked and not ended
 * at `at`: the longest-lived. One that starts a little after `at` counts: it is dated on the authority's clock, which
 * may run ahead of this device's, and the gate checks it when the ticket is scanned, not when it is signed.
 */
export function deskCertificate(
  trust: Trust,
  key: Pick<DeskKey, 'deviceId' | 'publicKey'>,
  concertId: string,
  at: string,
): Certificate | undefined {
  const time = Date.parse(at);
  return [...trust.certificates.values()]
    .filter(({ certificate: c, notAfter }) => {
      if (trust.revoked.has(c.certificateId) || notAfter < time) return false;
      return c.deviceId === key.deviceId && c.publicKey === key.publicKey && c.concertIds.includes(concertId);
    })
    .map((c) => c.certificate)
    .sort((a, b) => Date.parse(b.notAfter) - Date.parse(a.notAfter))[0];
}

/** The catalogue's trust events a desk reads: what the trust is folded from, and its own requests' answers. */
const trustTypes = new Set(['AuthorityKeyPublished', 'DeskKeyCertified', 'DeskCertificateRevoked']);
const requestTypes = new Set(['DeskKeyCertificationRequested', 'DeskKeyCertificationRefused']);

/** The desk's key at work: certification asked when due, and the signer for a concert. One per store. */
export type DeskKeeper = {
  /**
   * The key and its certificate for the concert at `at` (the authority's time as the desk knows it; now by default),
   * or undefined while the desk holds no live certificate for it.
   */
  signerFor: (concertId: string, at?: string) => Promise<DeskSigner | undefined>;
  /** The trust this desk holds (the same a scanner builds): what its own codes verify against. */
  trust: () => Promise<Trust>;
  /** This desk's certificates of its key that have not ended, for the concerts they cover, as last looked at. */
  certificates: () => Promise<Certificate[]>;
  /** Called when the trust changed (a certificate or revocation arrived); returns the unsubscribe. */
  onChange: (listener: () => void) => () => void;
  stop: () => void;
};

const keepers = new WeakMap<DeskStore, DeskKeeper>();

/** The store's key keeper, started at the first call (the app starts it when the store opens). */
export function deskKeyOf(store: DeskStore): DeskKeeper {
  let keeper = keepers.get(store);
  if (!keeper) {
    keeper = keepDeskKey(store);
    keepers.set(store, keeper);
  }
  return keeper;
}

function keepDeskKey(store: DeskStore): DeskKeeper {
  const { deviceId } = store.device;
  const key = loadDeskKey(deviceId);
  const listeners = new Set<() => void>();
  // The trust is folded incrementally, in the trust stream's chain order like a scanner's (orphans vouch for
  // nothing): only the events the log gained since the last look are read (the store's log grows at its end), for
  // the trust's news and this desk's requests with their answers.
  const chain = trustChain();
  let trust: Promise<Trust> = chain.current();
  const gained = logCursor(() => store.allDocs());
  const requests: AnyEventDoc[] = [];
  const read = (): Promise<Trust> => {
    const news: AnyEventDoc[] = [];
    for (const doc of gained()) {
      if (requestTypes.has(doc.type)) requests.push(doc);
      else if (trustTypes.has(doc.type)) {
        requests.push(doc);
        news.push(doc);
      }
    }
    if (news.length > 0) {
      trust = chain.add(news);
      void trust.then(() => {
        for (const listener of listeners) listener();
      });
    }
    return trust;
  };

  let asking = false;
  let stopped = false;
  const askIfDue = async () => {
    await read();
    const { connection, view } = store.getSnapshot();
    // A request names the person at the desk: none is asked for while nobody is signed in.
    const person = currentPerson();
    if (asking || stopped || !connection.online || !person || store.device.role !== 'desk') return;
    asking = true;
    try {
      const { publicKey } = await key;
      const at = new Date().toISOString();
      const concertIds = certificationToAsk({
        docs: requests,
        deviceId,
        publicKey,
        concertIds: workedConcerts(view.concerts),
        at,
      });
      if (!concertIds) return;
      await store.record('DeskKeyCertificationRequested', (requestId) => ({
        requestId,
        deviceId,
        publicKey,
        concertIds,
        requestedAt: at,
        staff: { userId: person.userId, role: person.role },
      }));
    } finally {
      asking = false;
    }
  };
  // Looked at when the store changes, at most twice a second: a reconnect's burst of events costs one look.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const look = () => {
    if (stopped) return;
    timer ??= setTimeout(() => {
      timer = undefined;
      askIfDue().catch(() => undefined);
    }, 500);
  };
  const unsubscribe = store.subscribe(look);
  look();

  return {
    async signerFor(concertId, at = new Date().toISOString()) {
      const held = await key;
      const certificate = deskCertificate(await read(), held, concertId, at);
      return certificate && { certificateId: certificate.certificateId, privateKey: held.privateKey };
    },
    trust: read,
    async certificates() {
      const held = await key;
      const known = await trust;
      const now = Date.now();
      return [...known.certificates.values()]
        .filter(({ certificate: c, notAfter }) => {
          if (known.revoked.has(c.certificateId) || notAfter < now) return false;
          return c.deviceId === held.deviceId && c.publicKey === held.publicKey;
        })
        .map((c) => c.certificate);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
      listeners.clear();
    },
  };
}
