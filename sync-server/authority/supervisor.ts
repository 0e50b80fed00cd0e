// Runs one leased follower for the catalogue and one per concert database, discovering new concert databases as
// the catalogue provisions them and by listing the store (another instance may have provisioned them).
import type { Logger } from 'pino';
import { catalogueDb, concertDbPrefix, listConcertDatabases } from '../store/couch';
import type { Couch } from '../store/couch';
import { catalogueHandler } from './catalogue-handler';
import { concertHandler } from './concert-handler';
import type { ConcertHandler } from './concert-handler';
import { startFollower } from './follower';
import type { Follower } from './follower';
import type { Metrics } from './metrics';

export type AuthorityOptions = {
  couch: Couch;
  authorityId: string;
  logger: Logger;
  metrics: Metrics;
  leaseTtlMs?: number;
  batchSize?: number;
  discoveryIntervalMs?: number;
};

export type ConcertStatus = {
  concertId: string;
  leaseHeld: boolean;
  caughtUp: boolean;
  lag: number;
  position: number;
};

export type Authority = { stop: () => Promise<void>; concerts: () => ConcertStatus[] };

export function startAuthority(options: AuthorityOptions): Authority {
  const { couch, authorityId, logger, metrics } = options;
  const leaseTtlMs = options.leaseTtlMs ?? 10_000;
  const batchSize = options.batchSize ?? 1000;
  const workers = new Map<string, { follower: Follower; handler: ConcertHandler; lag: number }>();
  let stopped = false;

  const follow = (dbName: string): void => {
    if (stopped || workers.has(dbName)) return;
    const concertId = dbName.slice(concertDbPrefix.length);
    const log = logger.child({ concert: concertId });
    const handler = concertHandler({ couch, dbName, concertId, authorityId, logger: log, metrics });
    const entry = {
      handler,
      lag: 0,
      follower: startFollower({
        couch,
        dbName,
        authorityId,
        handler,
        logger: log,
        leaseTtlMs,
        batchSize,
        onLag: (pending) => {
          entry.lag = pending;
          metrics.lag.set({ concert: concertId }, pending);
        },
      }),
    };
    workers.set(dbName, entry);
  };

  const catalogue = startFollower({
    couch,
    dbName: catalogueDb,
    authorityId,
    logger: logger.child({ scope: 'catalogue' }),
    leaseTtlMs,
    batchSize,
    handler: catalogueHandler({ couch, logger, metrics, onConcertDatabase: follow }),
  });

  const discover = async (): Promise<void> => {
    for (const name of await listConcertDatabases(couch)) follow(name);
  };
  const discovery = setInterval(() => {
    discover().catch((error: unknown) => logger.warn({ err: error }, 'listing concert databases failed'));
  }, options.discoveryIntervalMs ?? 3_000);
  discover().catch((error: unknown) => logger.warn({ err: error }, 'listing concert databases failed'));

  return {
    concerts: () =>
      [...workers.entries()].map(([dbName, w]) => {
        metrics.leaseHeld.set(
          { concert: dbName.slice(concertDbPrefix.length) },
          w.follower.leaseHeld ? 1 : 0,
        );
        return {
          concertId: dbName.slice(concertDbPrefix.length),
          leaseHeld: w.follower.leaseHeld,
          caughtUp: w.follower.caughtUp,
          lag: w.lag,
          position: w.handler.state.head.nextPosition,
        };
      }),
    async stop() {
      stopped = true;
      clearInterval(discovery);
      await Promise.all([catalogue.stop(), ...[...workers.values()].map((w) => w.follower.stop())]);
    },
  };
}
