// The sync server's HTTP API. This slice: health, metrics and the desk app; payments, enrolment and stream access
// come later.
import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { Authority } from '../authority/supervisor';
import type { Metrics } from '../authority/metrics';
import type { Couch } from '../store/couch';
import { readPublishedTrust } from '../authority/trust';
import { deskRoutes } from './desk';
import { accessControl } from './access';
import { peopleRoutes } from './people-routes';
import { paymentRoutes } from './payment-routes';
import type { CardPayments } from './payment-routes';
import type { Directory } from '../people/directory';
import { devices as enrolledDevices } from '../people/devices';
import { sessions as peopleSessions } from '../people/sessions';

export function buildHttpServer(options: {
  couch: Couch;
  authority: Authority;
  metrics: Metrics;
  logger: Logger;
  /** The built renderer (dist/renderer by default). */
  rendererDir?: string;
  directory: Directory;
  /** Card payments (payment-routes.ts); off unless the sync server is configured for Stripe. */
  payments?: CardPayments;
}) {
  const { couch, authority, metrics, directory } = options;
  const app = Fastify({ loggerInstance: options.logger });
  /** Every route registered, for the check that each /api route declares its access (people.int.spec.ts). */
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push(`${method} ${route.url}`);
  });
  const sessions = peopleSessions({ couch, directory });
  const devices = enrolledDevices({ couch });
  const access = accessControl(sessions, devices);
  access.install(app, (url) => url.startsWith('/api/'));
  peopleRoutes(app, { directory, sessions, devices, access });
  const payments = options.payments ?? { on: false, reason: 'Card payments are off on this sync server.' };
  paymentRoutes(app, { couch, payments, access });
  // The desk app's change stream: an enrolled device's, by its own credentials.
  access.declare('GET', '/api/changes', 'device');
  access.declare('GET', '/api/trust', 'public');
  void app.register(deskRoutes, {
    couchUrl: couch.url,
    rendererDir: options.rendererDir,
    logger: options.logger,
  });

  app.get('/health', async (_request, reply) => {
    let reachable = true;
    let storeError: string | undefined;
    try {
      await couch.server.info();
    } catch (error) {
      reachable = false;
      storeError = error instanceof Error ? error.message : String(error);
    }
    const concerts = authority.concerts();
    return reply.code(reachable ? 200 : 503).send({
      status: reachable ? 'ok' : 'store unreachable',
      store: { reachable, ...(storeError ? { error: storeError } : {}) },
      concerts,
      orders: authority.orders(),
    });
  });

  // What a scanner needs to verify tickets offline (the same events it replicates from the catalogue), as JSON.
  app.get('/api/trust', async (_request, reply) =>
    reply.header('cache-control', 'no-store').send(await readPublishedTrust(couch, new Date())),
  );

  app.get('/metrics', async (_request, reply) => {
    authority.concerts(); // refreshes the per-concert lease gauges
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return Object.assign(app, { accessRules: access.declared, routes: () => routes });
}
