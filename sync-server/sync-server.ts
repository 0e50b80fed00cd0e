// Assembles the sync server: store connection, provisioning, demo data, the authority and the HTTP API.
import pino from 'pino';
import type { Logger } from 'pino';
import { ordersDatabase } from '../domain/events/order-flow';
import { startAuthority } from './authority/supervisor';
import { createMetrics } from './authority/metrics';
import type { Config } from './config';
import { authorityClock, cardPaymentsOff, redact } from './config';
import { seedDemoData } from './demo-data';
import { buildHttpServer } from './http/server';
import type { CardPayments } from './http/payment-routes';
import { stripeGateway } from './payments/stripe-gateway';
import { userDirectory } from './people/directory';
import { ensureFirstAdmin } from './people/first-admin';
import { authorityDb, catalogueDb, connect, ensureDatabase, ensureEventDatabase } from './store/couch';
import { loadAuthorityKey } from './authority/trust';
import { ensureSecurity, serverOnlySecurity } from './store/security';
import type { Couch } from './store/couch';

export type SyncServer = {
  port: number;
  stop: () => Promise<void>;
  /** The HTTP API's access table and its routes (for the test that every route declares its access). */
  api: Pick<ReturnType<typeof buildHttpServer>, 'accessRules' | 'routes'>;
};

export class StoreUnreachable extends Error {}

export async function waitForStore(couch: Couch, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await couch.server.info();
      return;
    } catch (error) {
      if (Date.now() >= deadline) {
        const why = error instanceof Error ? error.message : String(error);
        throw new StoreUnreachable(
          `the store at ${redact(couch.url)} is unreachable after ${timeoutMs / 1000} s (${why}); check COUCHDB_URL`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export async function startSyncServer(
  config: Config,
  logger: Logger = pino({ level: config.LOG_LEVEL }),
): Promise<SyncServer> {
  const couch = connect(config.COUCHDB_URL);
  await waitForStore(couch, config.STORE_WAIT_MS);
  await ensureEventDatabase(couch, catalogueDb);
  await ensureDatabase(couch, authorityDb);
  await ensureSecurity(couch, authorityDb, serverOnlySecurity);
  await ensureEventDatabase(couch, ordersDatabase);
  if (config.SEED_DEMO === '1' && (await seedDemoData(couch))) logger.info('demo concerts seeded');

  const trustKey = await loadAuthorityKey(config.STAGEDOOR_DATA, logger);
  const payments = cardPayments(config);
  if (!payments.on) logger.info(payments.reason);
  const metrics = createMetrics();
  const authority = startAuthority({
    couch,
    authorityId: config.AUTHORITY_ID,
    logger: logger.child({ authority: config.AUTHORITY_ID }),
    metrics,
    leaseTtlMs: config.LEASE_TTL_MS,
    batchSize: config.BATCH_SIZE,
    now: authorityClock(config.CLOCK_RATE),
    holdMinutes: config.HOLD_MINUTES,
    orderSettings: { timeoutMinutes: config.ORDER_TIMEOUT_MINUTES },
    trustKey,
    ...(payments.on ? { refundGateway: payments.gateway } : {}),
    ...(config.CRASH_AFTER_DECISION ? { crashAfterDecision: config.CRASH_AFTER_DECISION } : {}),
  });
  const directory = userDirectory({ couch, authorityId: config.AUTHORITY_ID, logger });
  await ensureFirstAdmin({
    directory,
    dataDir: config.STAGEDOOR_DATA,
    password: config.ADMIN_PASSWORD,
    logger,
  });
  const app = buildHttpServer({ couch, authority, metrics, logger, directory, payments });
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  logger.info({ port, store: redact(config.COUCHDB_URL) }, 'sync server listening');
  return {
    port,
    api: app,
    async stop() {
      await app.close();
      await authority.stop();
    },
  };
}

/** Card payments through Stripe when both its settings are there; off, with the reason, otherwise. */
function cardPayments(config: Config): CardPayments {
  const reason = cardPaymentsOff(config);
  const secretKey = config.STRIPE_SECRET_KEY;
  const webhookSecret = config.STRIPE_WEBHOOK_SECRET;
  if (reason || !secretKey || !webhookSecret)
    return { on: false, reason: reason ?? 'Card payments are off.' };
  const apiBase = config.STRIPE_API_BASE;
  return {
    on: true,
    gateway: stripeGateway({ secretKey, webhookSecret, apiBase }),
    testConfirm: apiBase !== undefined,
  };
}
