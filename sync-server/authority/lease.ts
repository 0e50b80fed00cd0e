// One active authority per scope (a concert database, or the catalogue): a lease document with an expiry, renewed
// by its holder and taken over by a standby once it lapses. Updates carry the document revision, so two instances
// racing for one lease on a single node get one success and one 409. On a cluster that is not a lock, which is why
// decision streams are chained (domain/log/stream.ts) and never trust the lease alone.
import type { DocumentScope } from 'nano';
import { getDoc, statusOf } from '../store/couch';
import type { Doc, Seq } from '../store/couch';

type LeaseDoc = Doc & { holder: string; expiresAt: number; scope: string };

export type Lease = {
  acquire: () => Promise<boolean>;
  release: () => Promise<void>;
  readonly held: boolean;
};

export function createLease(
  db: DocumentScope<Doc>,
  scope: string,
  holder: string,
  ttlMs: number,
  now: () => number = Date.now,
): Lease {
  const id = `lease:${scope}`;
  let held = false;
  let rev: string | undefined;
  let acquiring: Promise<boolean> | undefined;

  const write = async (doc: LeaseDoc): Promise<boolean> => {
    try {
      const result = await db.insert(doc);
      rev = result.rev;
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  };

  return {
    get held() {
      return held;
    },
    /**
     * Takes the lease if free or lapsed, or renews it if ours. Returns whether we hold it now. A call while one is
     * on its way shares its answer: two renewals of our own lease at once would get one 409, which is no loss.
     */
    acquire() {
      acquiring ??= (async () => {
        try {
          const current = await getDoc<LeaseDoc>(db, id);
          if (current && current.holder !== holder && current.expiresAt > now()) {
            held = false;
            return false;
          }
          held = await write({
            _id: id,
            ...(current?._rev ? { _rev: current._rev } : {}),
            scope,
            holder,
            expiresAt: now() + ttlMs,
          });
          return held;
        } finally {
          acquiring = undefined;
        }
      })();
      return acquiring;
    },
    async release() {
      if (!held || !rev) return;
      held = false;
      await write({ _id: id, _rev: rev, scope, holder, expiresAt: 0 }).catch(() => false);
    },
  };
}

/** Where a scope's changes feed was read up to. Sequences are opaque: stored and sent back as they came. */
export function createCheckpoint(db: DocumentScope<Doc>, scope: string) {
  const id = `checkpoint:${scope}`;
  let rev: string | undefined;
  return {
    async load(): Promise<Seq | undefined> {
      const doc = await getDoc<Doc & { seq: Seq }>(db, id);
      rev = doc?._rev;
      return doc?.seq;
    },
    async save(seq: Seq): Promise<void> {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          const result = await db.insert({
            _id: id,
            ...(rev ? { _rev: rev } : {}),
            seq,
            savedAt: new Date().toISOString(),
          });
          rev = result.rev;
          return;
        } catch (error) {
          if (statusOf(error) !== 409) throw error;
          rev = (await getDoc(db, id))?._rev;
        }
      }
    },
  };
}
