// The catalogue's follower: a concert is asked for in the catalogue (its database does not exist yet), so the
// authority provisions the concert's database and copies the request into it verbatim, where the concert's own
// authority decides it. Copying an immutable document is idempotent: a second copy is a 409. The catalogue also holds
// the trust stream (keys that sign tickets): its facts and decisions go to the trust authority (trust.ts).
import type { Logger } from 'pino';
import { concertDatabase } from '../../domain/authority/concert-authority';
import { parseEventDoc } from '../../domain/events/catalogue';
import { catalogueDb, createAll, ensureEventDatabase } from '../store/couch';
import type { Couch, Doc } from '../store/couch';
import type { BatchHandler, Change } from './follower';
import type { Metrics } from './metrics';
import { quarantineDoc } from './quarantine';
import { isTrustDoc } from './trust';
import type { TrustAuthority } from './trust';

export function catalogueHandler(options: {
  couch: Couch;
  logger: Logger;
  metrics: Metrics;
  onConcertDatabase: (dbName: string, concertId: string) => void;
  /** Decides the trust stream; without it (benchmarks) trust facts wait undecided. */
  trust?: TrustAuthority;
}): BatchHandler {
  const { couch, logger, metrics } = options;
  const db = couch.server.use<Doc>(catalogueDb);
  return {
    load: () => options.trust?.load() ?? Promise.resolve('continue' as const),
    async handle(changes: Change[]) {
      const bad: Doc[] = [];
      const trustDocs: Doc[] = [];
      const at = new Date().toISOString();
      for (const { id, doc, deleted } of changes) {
        if (deleted || !doc || id.startsWith('_design/') || id.startsWith('quarantine:')) continue;
        if (isTrustDoc(doc)) {
          trustDocs.push(doc);
          continue;
        }
        const parsed = parseEventDoc(doc);
        if (!parsed.ok) {
          bad.push(quarantineDoc(catalogueDb, { id, reason: parsed.reason, type: parsed.type }, at));
          continue;
        }
        if (parsed.doc.type !== 'ConcertCreationRequested') {
          const reason = `${parsed.doc.type} does not belong in the catalogue`;
          bad.push(quarantineDoc(catalogueDb, { id, reason, type: parsed.doc.type }, at));
          continue;
        }
        const { concertId } = parsed.doc.data;
        const dbName = concertDatabase(concertId);
        await ensureEventDatabase(couch, dbName);
        const { _rev: _ignored, ...copy } = doc;
        const [result] = await createAll(couch.server.use<Doc>(dbName), [copy]);
        if (result && !result.ok && !result.conflict)
          throw new Error(`copying ${id} to ${dbName}: ${result.error}`);
        options.onConcertDatabase(dbName, concertId);
      }
      if (bad.length > 0) {
        await createAll(db, bad);
        metrics.quarantined.inc({ concert: 'catalogue' }, bad.length);
        logger.warn({ count: bad.length }, 'quarantined catalogue documents');
      }
      return trustDocs.length > 0 && options.trust ? options.trust.handle(trustDocs) : 'continue';
    },
  };
}
