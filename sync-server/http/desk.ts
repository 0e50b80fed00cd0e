// The desk app over HTTP: the built renderer at /, the store's replication endpoints at /couch (same origin, so no
// CORS), and /api/changes, one server-sent stream saying which event databases changed (its access, an enrolled
// device's credentials, is checked by the API's access table: see server.ts).
//
// /couch forwards the device's own credentials (Basic, its store user from store/security.ts), never the server's:
// the store enforces what that device may read and write (_security, validate_doc_update). A request without them is
// refused here (401) and never reaches the store anonymously. The allow-list in store-proxy-policy.ts narrows it
// further to what replication needs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyReplyFrom from '@fastify/reply-from';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { storeRequestRefusal } from './store-proxy-policy';
import { storeEndpoint } from '../store/couch';
import { watchStoreChanges } from './store-changes';

export const defaultRendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export type DeskOptions = { couchUrl: string; rendererDir?: string; logger: Logger };

export async function deskRoutes(app: FastifyInstance, options: DeskOptions): Promise<void> {
  const store = storeEndpoint(options.couchUrl);
  // A store behind a path prefix (https://host/couchdb) keeps it: the proxy forwards to the origin, prefix included.
  const { origin: storeOrigin, pathname } = new URL(store.base);
  const storePath = pathname.replace(/\/$/, '');

  await app.register(fastifyReplyFrom, {
    base: storeOrigin,
    // Replication reads are short (no long-poll goes through here: the desk waits on /api/changes instead).
    undici: { headersTimeout: 60_000, bodyTimeout: 60_000 },
  });
  app.route({
    method: ['GET', 'POST', 'PUT'],
    url: '/couch/*',
    bodyLimit: 32 * 1024 * 1024,
    // Replication is many small requests a second per desk: log its failures, not each request.
    logLevel: 'warn',
    handler(request, reply) {
      const path = request.url.slice('/couch'.length);
      const credentials = request.headers.authorization;
      if (!credentials?.startsWith('Basic '))
        return reply.code(401).send({
          error: 'unauthorized',
          reason: "this device's credentials are missing: set the device up with an enrolment code",
        });
      const refusal = storeRequestRefusal(request.method, path, request.body);
      if (refusal) return reply.code(403).send({ error: 'forbidden', reason: refusal });
      return reply.from(storePath + path, {
        rewriteRequestHeaders: (_request, headers) => {
          // The device's credentials go on; the browser's cookies are not the store's business.
          const { cookie: _cookie, host: _host, ...rest } = headers;
          return { ...rest, authorization: credentials };
        },
        // A browser that sees a Basic challenge asks the person for a password: the desk handles a 401 itself.
        rewriteHeaders: (headers) => {
          const { 'www-authenticate': _challenge, ...rest } = headers;
          return rest;
        },
      });
    },
  });

  const changes = watchStoreChanges({ store, logger: options.logger.child({ part: 'store-changes' }) });
  const streams = new Set<ServerResponse>();
  app.get('/api/changes', { logLevel: 'warn' }, (request, reply) => {
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (event: string, data: unknown) =>
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    // Reconnect within a second after a drop: the desk's "last contact" and its pulls depend on this stream.
    response.write('retry: 1000\n\n');
    send('hello', { now: new Date().toISOString() });
    const unsubscribe = changes.subscribe((news) => send('change', news));
    const ping = setInterval(() => send('ping', { now: new Date().toISOString() }), 5_000);
    streams.add(response);
    request.raw.on('close', () => {
      clearInterval(ping);
      unsubscribe();
      streams.delete(response);
    });
  });
  // Open streams would keep close() waiting forever.
  app.addHook('preClose', (done) => {
    changes.stop();
    for (const response of streams) response.end();
    done();
  });

  const root = options.rendererDir ?? defaultRendererDir;
  if (!existsSync(root)) {
    app.get('/', (_request, reply) =>
      reply
        .code(503)
        .type('text/plain')
        .send('The desk app is not built yet: run `npx vite build`, then reload.\n'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    cacheControl: false,
    setHeaders: (reply, path) => {
      // Hashed assets never change; the page and the service worker must be fetched fresh to pick up a new build.
      const immutable = /[\\/]assets[\\/]/.test(path);
      void reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // The app routes in the browser: any other page address gets the app itself.
  app.setNotFoundHandler((request, reply: FastifyReply) => {
    const api = request.url.startsWith('/api/') || request.url.startsWith('/couch/');
    if (request.method !== 'GET' || api || !request.headers.accept?.includes('text/html'))
      return reply
        .code(404)
        .send({ error: 'not_found', reason: `${request.method} ${request.url} is not a route` });
    return reply.type('text/html').sendFile('index.html');
  });
}
