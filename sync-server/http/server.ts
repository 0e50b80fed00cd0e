// The sync server's HTTP API. This slice: health, metrics and the desk app; payments, enrolment and stream access
// come later.
import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { Authority } from '../authority/supervisor';
import type { Metrics } from '../authority/metrics';
import type { Couch } from '../store/couch';
import { deskRoutes } from './desk';

export function buildHttpServer(options: {
  couch: Couch;
  authority: Authority;
  metrics: Metrics;
  logger: Logger;
  /** The built renderer (dist/renderer by default). */
  rendererDir?: string;
}) {
  const { couch, authority, metrics } = options;
  const app = Fastify({ loggerInstance: options.logger });
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

  app.get('/metrics', async (_request, reply) => {
    authority.concerts(); // refreshes the per-concert lease gauges
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return app;
}
