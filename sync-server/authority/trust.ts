// The authority's part in signed tickets: its own Ed25519 key (made at the first start, kept in the data folder like
// the store's credentials, mode 600), published in the catalogue's `trust` stream, and its decisions on desks' keys
// (certified for the concerts they asked that exist and are not cancelled, for at most 7 days) and on revocations.
// The stream follows the rules of every decision stream: a chain, create-only appends, one decision per fact.
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { concertDatabase, concertStream } from '../../domain/authority/concert-authority';
import { parseEventDoc } from '../../domain/events/catalogue';
import type { DecisionDoc, FactDoc, TrustFactType } from '../../domain/events/catalogue';
import type { DecisionMeta, EventDoc } from '../../domain/log/envelope';
import {
  emptyChain,
  followChain,
  parseDecisionDocId,
  streamDecisionDoc,
  streamRange,
} from '../../domain/log/stream';
import type { ChainHead } from '../../domain/log/stream';
import {
  fromBase64url,
  generateSigningKey,
  importPublicKey,
  keyIdOf,
  publicKeyText,
  signCertificate,
  toBase64url,
} from '../../domain/ticket/signing';
import type { Certificate } from '../../domain/ticket/signing';
import {
  decideCertification,
  decideRevocation,
  evolveTrust,
  initialTrustState,
} from '../../domain/ticket/trust-authority';
import type { ConcertStatus, TrustState } from '../../domain/ticket/trust-authority';
import { isTrustDecisionType, isTrustFactType, trustStream } from '../../domain/ticket/trust-events';
import type { TrustDecisionType } from '../../domain/ticket/trust-events';
import { catalogueDb, createAll, readRange, statusOf } from '../store/couch';
import type { Couch, Doc } from '../store/couch';
import { decisionIdOf, quarantineAll } from './decision-log';
import type { Unacceptable } from './decision-log';
import type { Outcome } from './follower';
import type { Metrics } from './metrics';

// ---- the key --------------------------------------------------------------------------------------------------------

export type AuthorityKey = { keyId: string; publicKey: string; privateKey: CryptoKey };

type KeyFile = { keyId: string; publicKey: string; privateKey: string; createdAt: string };

export const authorityKeyFile = (dataDir: string): string => join(dataDir, 'authority-key.json');

/**
 * The authority's signing key from `<dataDir>/authority-key.json`, made there at the first start. Two instances
 * starting at once on one folder agree: the file is written under another name and linked into place, which fails if
 * it exists, and the loser reads the winner's key.
 */
export async function loadAuthorityKey(dataDir: string, logger: Logger): Promise<AuthorityKey> {
  const file = authorityKeyFile(dataDir);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const keys = await generateSigningKey(true);
    const publicKey = await publicKeyText(keys.publicKey);
    const pkcs8 = new Uint8Array(await globalThis.crypto.subtle.exportKey('pkcs8', keys.privateKey));
    const content: KeyFile = {
      keyId: await keyIdOf(publicKey),
      publicKey,
      privateKey: toBase64url(pkcs8),
      createdAt: new Date().toISOString(),
    };
    const draft = `${file}.${process.pid}.${randomUUID()}`;
    writeFileSync(draft, JSON.stringify(content, null, 2), { mode: 0o600 });
    try {
      linkSync(draft, file);
      logger.info({ keyId: content.keyId, file }, 'authority signing key generated');
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    } finally {
      unlinkSync(draft);
    }
  }
  if ((statSync(file).mode & 0o077) !== 0 && process.platform !== 'win32') {
    // A copy restored from a backup may have lost its mode: only this user reads the private key.
    chmodSync(file, 0o600);
    logger.warn({ file }, 'the authority key was readable by others: made private (mode 600)');
  }
  let stored: KeyFile;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  } catch (error) {
    throw new Error(
      `the authority key in ${file} is unreadable (${String(error)}); restore it or move it away`,
    );
  }
  const privateKey = await importPrivateKey(stored);
  if (!privateKey) throw new Error(`the authority key in ${file} is damaged; restore it or move it away`);
  return { keyId: stored.keyId, publicKey: stored.publicKey, privateKey };
}

/** The stored private key, if the file is whole: its public key names it and it signs what that key verifies. */
async function importPrivateKey(stored: KeyFile): Promise<CryptoKey | undefined> {
  const pkcs8 = typeof stored.privateKey === 'string' ? fromBase64url(stored.privateKey) : undefined;
  const publicKey =
    typeof stored.publicKey === 'string' ? await importPublicKey(stored.publicKey) : undefined;
  if (!pkcs8 || !publicKey || (await keyIdOf(stored.publicKey)) !== stored.keyId) return undefined;
  try {
    const subtle = globalThis.crypto.subtle;
    const privateKey = await subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
    const probe = new TextEncoder().encode(stored.keyId);
    const signature = await subtle.sign({ name: 'Ed25519' }, privateKey, probe);
    return (await subtle.verify({ name: 'Ed25519' }, publicKey, signature, probe)) ? privateKey : undefined;
  } catch {
    return undefined;
  }
}

// ---- the trust stream, read -----------------------------------------------------------------------------------------

type TrustDecisionDoc = DecisionDoc<TrustDecisionType>;

const isTrustDecision = (doc: { type: string }): doc is TrustDecisionDoc => isTrustDecisionType(doc.type);

/** Reads the trust stream from `head` on (the whole stream by default): the decisions that extend the chain, the orphans. */
export async function readTrustStream(
  couch: Couch,
  head: ChainHead = emptyChain(),
  logger?: Logger,
): Promise<{ accepted: TrustDecisionDoc[]; orphans: TrustDecisionDoc[]; head: ChainHead }> {
  const db = couch.server.use<Doc>(catalogueDb);
  const { startkey, endkey } = streamRange(trustStream, head.nextPosition);
  const decisions: TrustDecisionDoc[] = [];
  for await (const page of readRange(db, startkey, endkey)) {
    for (const raw of page) {
      const parsed = parseEventDoc(raw);
      if (parsed.ok && isTrustDecision(parsed.doc) && parsed.doc.stream === trustStream)
        decisions.push(parsed.doc);
      else logger?.warn({ id: raw._id }, 'ignored a squatter in the trust stream');
    }
  }
  const result = followChain(
    head,
    decisions.map((doc) => ({ ...doc.meta, doc })),
  );
  return {
    accepted: result.accepted.map((a) => a.doc),
    orphans: result.orphans.map((o) => o.doc),
    head: result.head,
  };
}

export type PublishedTrust = {
  authorityKeys: { keyId: string; publicKey: string; publishedAt: string }[];
  /** Certificates not revoked and not expired at `at`. */
  certificates: Certificate[];
  revoked: { certificateId: string; revokedAt: string; reason: string }[];
  at: string;
};

/** What a device needs to verify tickets, as JSON (GET /api/trust): the keys, the live certificates, revocations. */
export async function readPublishedTrust(couch: Couch, at: Date): Promise<PublishedTrust> {
  const { accepted } = await readTrustStream(couch, emptyChain());
  const authorityKeys: PublishedTrust['authorityKeys'] = [];
  const certificates = new Map<string, Certificate>();
  const revoked: PublishedTrust['revoked'] = [];
  for (const doc of accepted) {
    if (doc.type === 'AuthorityKeyPublished') authorityKeys.push(doc.data);
    else if (doc.type === 'DeskKeyCertified') {
      const certificate = doc.data as Certificate;
      certificates.set(certificate.certificateId, certificate);
    } else if (doc.type === 'DeskCertificateRevoked') {
      const revocation = doc.data;
      revoked.push(revocation);
      certificates.delete(revocation.certificateId);
    }
  }
  const now = at.getTime();
  const live = [...certificates.values()].filter((c) => Date.parse(c.notAfter) >= now);
  return { authorityKeys, certificates: live, revoked, at: at.toISOString() };
}

// ---- concerts, as their own authority decided them --------------------------------------------------------------------

/** Whether a concert exists and is not cancelled, read from its database's stream (undefined: no such database). */
export async function readConcertStatus(couch: Couch, concertId: string): Promise<ConcertStatus> {
  const db = couch.server.use<Doc>(concertDatabase(concertId));
  const stream = concertStream(concertId);
  const { startkey, endkey } = streamRange(stream);
  const links: { position: number; prev: string | null; decisionId: string; type: string }[] = [];
  try {
    for await (const page of readRange(db, startkey, endkey)) {
      for (const raw of page) {
        const meta = raw.meta as Partial<DecisionMeta> | undefined;
        if (
          typeof raw.type === 'string' &&
          typeof meta?.position === 'number' &&
          typeof meta.decisionId === 'string' &&
          (typeof meta.prev === 'string' || meta.prev === null)
        )
          links.push({
            position: meta.position,
            prev: meta.prev,
            decisionId: meta.decisionId,
            type: raw.type,
          });
      }
    }
  } catch (error) {
    if (statusOf(error) === 404) return 'unknown';
    throw error;
  }
  let status: ConcertStatus = 'unknown';
  for (const { type } of followChain(emptyChain(), links).accepted) {
    if (type === 'ConcertCreated') status = 'active';
    else if (type === 'ConcertCancelled') status = 'cancelled';
  }
  return status;
}

// ---- the trust authority --------------------------------------------------------------------------------------------

export type TrustAuthority = {
  readonly state: TrustState;
  /** Reads the stream, and publishes this instance's key if it is not published yet. */
  load: () => Promise<Outcome>;
  /** Decides the trust facts of a batch of the catalogue's changes; notices the stream's own decisions. */
  handle: (docs: readonly Doc[]) => Promise<Outcome>;
};

type Cause = { id: string; correlationId: string };
type Pending = { type: TrustDecisionType; data: unknown; cause: Cause };

/** A catalogue document of the trust stream (a decision) or a trust fact: the trust authority's business. */
export const isTrustDoc = (doc: Doc): boolean =>
  parseDecisionDocId(doc._id)?.stream === trustStream ||
  (typeof doc.type === 'string' && isTrustFactType(doc.type));

export const keyPublicationCause = (keyId: string): string => `authority-key:${keyId}`;

export function trustAuthority(options: {
  couch: Couch;
  authorityId: string;
  key: AuthorityKey;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
  /** A concert's status when this process holds it in memory; the concert's stream is read otherwise. */
  knownConcert?: (concertId: string) => ConcertStatus | undefined;
}): TrustAuthority {
  const { couch, authorityId, key, logger, metrics } = options;
  const now = options.now ?? (() => new Date());
  const db = couch.server.use<Doc>(catalogueDb);
  let state = initialTrustState();
  let head = emptyChain();
  let decided = new Set<string>();
  let acceptedAt = new Map<number, string>();
  let orphanedCauses = new Set<string>();
  const labels = { concert: 'trust' };

  const accept = (doc: TrustDecisionDoc): void => {
    state = evolveTrust(state, doc);
    decided.add(doc.meta.causationId);
    acceptedAt.set(doc.meta.position, doc.meta.decisionId);
  };

  const catchUp = async (): Promise<void> => {
    const read = await readTrustStream(couch, head, logger);
    for (const doc of read.accepted) accept(doc);
    head = read.head;
    for (const orphan of read.orphans) orphanedCauses.add(orphan.meta.causationId);
    if (read.orphans.length > 0)
      logger.warn({ orphans: read.orphans.map((o) => o._id) }, 'orphaned trust decisions skipped');
  };

  /** Writes decisions at the head: true when all were written; after a conflict, false, with the stream reloaded. */
  const append = async (pending: Pending[]): Promise<boolean> => {
    const docs: EventDoc<string, unknown, DecisionMeta>[] = [];
    let at = head;
    const time = now().toISOString();
    for (const { type, data, cause } of pending) {
      const doc = streamDecisionDoc(trustStream, at, { type, data }, cause, {
        decisionId: randomUUID(),
        authorityId,
        now: time,
      });
      docs.push(doc);
      at = { decisionId: doc.meta.decisionId, nextPosition: at.nextPosition + 1 };
    }
    const results = await createAll(db, docs);
    for (const [i, result] of results.entries()) {
      const doc = docs[i];
      if (!result.ok || !doc) break;
      accept(doc as TrustDecisionDoc);
      head = { decisionId: doc.meta.decisionId, nextPosition: doc.meta.position + 1 };
      metrics.decisions.inc({ ...labels, outcome: doc.type });
    }
    const failed = results.find((r) => !r.ok);
    if (!failed) return true;
    if (!failed.conflict) throw new Error(`trust append failed: ${failed.error ?? 'unknown'}`);
    metrics.appendConflicts.inc(labels);
    logger.info({ at: failed.id }, 'another writer appended to the trust stream first: reloading it');
    await catchUp();
    return false;
  };

  const publishKey = async (): Promise<void> => {
    const cause = keyPublicationCause(key.keyId);
    while (!state.authorityKeys.has(key.keyId) && !decided.has(cause)) {
      const data = { keyId: key.keyId, publicKey: key.publicKey, publishedAt: now().toISOString() };
      if (await append([{ type: 'AuthorityKeyPublished', data, cause: { id: cause, correlationId: cause } }]))
        logger.info({ keyId: key.keyId }, 'authority key published');
    }
  };

  const concertStatuses = async (ids: Iterable<string>): Promise<Map<string, ConcertStatus>> => {
    const statuses = new Map<string, ConcertStatus>();
    for (const id of new Set(ids))
      statuses.set(id, options.knownConcert?.(id) ?? (await readConcertStatus(couch, id)));
    return statuses;
  };

  /** Decides one fact on the current state; undefined when it was decided before. */
  const decide = async (fact: FactDoc<TrustFactType>): Promise<Pending | undefined> => {
    if (decided.has(fact._id)) return undefined;
    const cause = { id: fact._id, correlationId: fact.meta.correlationId };
    const at = now();
    if (fact.type === 'DeskKeyCertificationRequested') {
      const decision = decideCertification(fact.data, {
        factId: fact._id,
        writer: fact.meta.deviceId,
        now: at,
        authorityKeyId: key.keyId,
        concerts: await concertStatuses(fact.data.concertIds),
        state,
      });
      if (decision.type === 'DeskKeyCertificationRefused') return { ...decision, cause };
      const signature = await signCertificate(decision.body, key.privateKey);
      return { type: 'DeskKeyCertified', data: { ...decision.body, signature }, cause };
    }
    return { ...decideRevocation(fact.data, { now: at, state }), cause };
  };

  /** Decides the facts one at a time (each on the state the one before left), until all are decided. */
  const decideAll = async (facts: FactDoc<TrustFactType>[]): Promise<void> => {
    for (const fact of facts) {
      for (;;) {
        const pending = await decide(fact);
        if (!pending || (await append([pending]))) break;
      }
    }
  };

  const reload = async (): Promise<Outcome> => {
    state = initialTrustState();
    head = emptyChain();
    decided = new Set();
    acceptedAt = new Map();
    orphanedCauses = new Set();
    await catchUp();
    await publishKey();
    logger.info({ position: head.nextPosition, keyId: key.keyId }, 'trust stream loaded');
    return [...orphanedCauses].some((cause) => !decided.has(cause)) ? 'rewind' : 'continue';
  };

  return {
    get state() {
      return state;
    },
    load: reload,
    async handle(docs) {
      const facts: FactDoc<TrustFactType>[] = [];
      const bad: Unacceptable[] = [];
      let foreign = false;
      let rewritten = false;
      for (const doc of docs) {
        const position = parseDecisionDocId(doc._id);
        if (position?.stream === trustStream) {
          if (position.position >= head.nextPosition) foreign = true;
          else if (
            acceptedAt.has(position.position) &&
            decisionIdOf(doc) !== acceptedAt.get(position.position)
          )
            rewritten = true;
          continue;
        }
        const parsed = parseEventDoc(doc);
        if (!parsed.ok) bad.push({ id: doc._id, reason: parsed.reason, type: parsed.type });
        else if (isTrustFactType(parsed.doc.type)) facts.push(parsed.doc as FactDoc<TrustFactType>);
        else
          bad.push({ id: doc._id, reason: `${parsed.doc.type} is not a trust fact`, type: parsed.doc.type });
      }
      await quarantineAll(db, catalogueDb, bad, { at: now().toISOString(), metrics, scope: 'trust', logger });
      if (rewritten) {
        metrics.appendConflicts.inc(labels);
        logger.warn('a trust stream position was won by another writer: reloading and re-reading');
        return reload();
      }
      if (foreign) await catchUp();
      facts.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
      await decideAll(facts);
      return 'continue';
    },
  };
}
