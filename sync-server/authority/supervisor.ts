// Runs one leased follower for the catalogue, one for the orders database (the order process) and one per concert
// database, discovering new concert databases as the catalogue provisions them and by listing the store (another
// instance may have provisioned them).
import { revokedDevicesScreen } from './revocations';
import type { Change } from '../store/couch';
import type { Logger } from 'pino';
import { defaultOrderSettings } from '../../domain/authority/order-authority';
import type { OrderSettings } from '../../domain/authority/order-authority';
import { ordersDatabase } from '../../domain/events/order-flow';
import { catalogueDb, concertDbPrefix, listConcertDatabases } from '../store/couch';
import type { Couch } from '../store/couch';
import { catalogueHandler } from './catalogue-handler';
import { concertHandler } from './concert-handler';
import type { ConcertHandler } from './concert-handler';
import { startFollower } from './follower';
import type { Follower } from './follower';
import type { Metrics } from './metrics';
import { ordersHandler } from './orders-handler';
import type { RefundGateway } from './orders-handler';
import { trustAuthority } from './trust';
import type { AuthorityKey } from './trust';

export type AuthorityOptions = {
  couch: Couch;
  authorityId: string;
  logger: Logger;
  metrics: Metrics;
  leaseTtlMs?: number;
  batchSize?: number;
  discoveryIntervalMs?: number;
  /** The authorities' clock (tests run it fast); real time by default. */
  now?: () => Date;
  /** How long a concert holds seats for an order, in whole minutes. */
  holdMinutes?: number;
  orderSettings?: Partial<OrderSettings>;
  /** How often unpaid orders are checked against their deadline. */
  orderSweepMs?: number;
  /** Test hook: the process kills itself right after appending an order decision of this type. */
  crashAfterDecision?: string;
  /** The key tickets and desk certificates are signed with; without it trust facts wait (benchmarks). */
  trustKey?: AuthorityKey;
  /** The card gateway card refunds are sent to (sync-server/payments); absent while card payments are off. */
  refundGateway?: RefundGateway;
};

export type ConcertStatus = {
  concertId: string;
  leaseHeld: boolean;
  caughtUp: boolean;
  lag: number;
  position: number;
};

export type OrdersStatus = { leaseHeld: boolean; caughtUp: boolean; orders: number };

export type Authority = {
  stop: () => Promise<void>;
  concerts: () => ConcertStatus[];
  orders: () => OrdersStatus;
};

export function startAuthority(options: AuthorityOptions): Authority {
  const { couch, authorityId, logger, metrics, now, holdMinutes } = options;
  const leaseTtlMs = options.leaseTtlMs ?? 10_000;
  const batchSize = options.batchSize ?? 1000;
  const workers = new Map<string, { follower: Follower; handler: ConcertHandler; lag: number }>();
  let stopped = false;
  // A revoked device's facts that arrive later are quarantined in every database, before any handler decides them.
  const revoked = revokedDevicesScreen({ couch, logger, metrics });
  const screenOf = (dbName: string) => (changes: Change[]) => revoked(dbName, changes);

  const follow = (dbName: string): void => {
    if (stopped || workers.has(dbName)) return;
    const concertId = dbName.slice(concertDbPrefix.length);
    const log = logger.child({ concert: concertId });
    const handler = concertHandler({
      couch,
      dbName,
      concertId,
      authorityId,
      logger: log,
      metrics,
      ...(now ? { now } : {}),
      ...(holdMinutes ? { holdMinutes } : {}),
    });
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
        screen: screenOf(dbName),
        onLag: (pending) => {
          entry.lag = pending;
          metrics.lag.set({ concert: concertId }, pending);
        },
      }),
    };
    workers.set(dbName, entry);
  };

  /** A concert's status from the authority this process runs for it, when it holds its lease and is caught up. */
  const knownConcert = (concertId: string) => {
    const worker = workers.get(`${concertDbPrefix}${concertId}`);
    if (!worker?.follower.leaseHeld || !worker.follower.caughtUp) return undefined;
    const { status } = worker.handler.state.concert;
    return status === 'none'
      ? undefined
      : status === 'cancelled'
        ? ('cancelled' as const)
        : ('active' as const);
  };
  const trust = options.trustKey
    ? trustAuthority({
        couch,
        authorityId,
        key: options.trustKey,
        logger: logger.child({ scope: 'trust' }),
        metrics,
        ...(now ? { now } : {}),
        knownConcert,
      })
    : undefined;
  const catalogue = startFollower({
    couch,
    dbName: catalogueDb,
    authorityId,
    logger: logger.child({ scope: 'catalogue' }),
    leaseTtlMs,
    batchSize,
    screen: screenOf(catalogueDb),
    handler: catalogueHandler({
      couch,
      logger,
      metrics,
      onConcertDatabase: follow,
      ...(trust ? { trust } : {}),
    }),
  });

  const ordersLog = logger.child({ scope: 'orders' });
  const orders = ordersHandler({
    couch,
    authorityId,
    logger: ordersLog,
    metrics,
    ...(now ? { now } : {}),
    settings: { ...defaultOrderSettings, ...options.orderSettings },
    ...(options.orderSweepMs !== undefined ? { sweepMs: options.orderSweepMs } : {}),
    ...(options.crashAfterDecision ? { crashAfter: options.crashAfterDecision } : {}),
    ...(options.refundGateway ? { gateway: options.refundGateway } : {}),
  });
  const ordersFollower = startFollower({
    couch,
    dbName: ordersDatabase,
    authorityId,
    logger: ordersLog,
    leaseTtlMs,
    batchSize,
    handler: orders,
    screen: screenOf(ordersDatabase),
    onLag: (pending) => metrics.lag.set({ concert: 'orders' }, pending),
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
    orders: () => ({
      leaseHeld: ordersFollower.leaseHeld,
      caughtUp: ordersFollower.caughtUp,
      orders: orders.state.orders.size,
    }),
    async stop() {
      stopped = true;
      clearInterval(discovery);
      await Promise.all([
        catalogue.stop(),
        ordersFollower.stop(),
        ...[...workers.values()].map((w) => w.follower.stop()),
      ]);
    },
  };
}
