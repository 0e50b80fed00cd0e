// Who may call what. Every route under /api has its access declared in one table; a hook checks it before the handler
// runs, with the domain's roles: `public` (no sign-in: the route authenticates by what it is given, e.g. an enrolment
// code or a password), `signed-in` (any active person), `device` (an enrolled device, by its own store credentials:
// what a device does whoever is at it, like its change stream), or the roles allowed. A route without a declaration
// is refused (500 with the reason), so a new route can't be open by accident. 401: no or a dead session, or no or
// dead device credentials; 403: a role the route does not admit.
import type { FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Role } from '../../domain/events/catalogue';
import type { DeviceCheck, EnrolledDevice } from '../people/devices';
import type { Session, Sessions } from '../people/sessions';

export type Access = 'public' | 'signed-in' | 'device' | readonly Role[];
/** The server as buildHttpServer makes it (its logger is the sync server's pino logger). */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>;
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export const bearerToken = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
};

export function accessControl(
  sessions: Sessions,
  devices: { authenticate: (authorization: string | undefined) => Promise<DeviceCheck> },
) {
  const table = new Map<string, Access>();
  const sessionOf = new WeakMap<FastifyRequest, Session>();
  const deviceOf = new WeakMap<FastifyRequest, EnrolledDevice>();
  const key = (method: string, url: string) => `${method} ${url}`;
  return {
    /** Declares a route's access (the url as registered, e.g. `/api/users/:userId/role`). */
    declare(method: Method, url: string, access: Access): void {
      table.set(key(method, url), access);
    },
    /** Every declared route, for the table-driven test. */
    declared: (): ReadonlyMap<string, Access> => table,
    /** The session the check found (routes that are not public only). */
    session(request: FastifyRequest): Session | undefined {
      return sessionOf.get(request);
    },
    /** The device the check found (`device` routes only). */
    device(request: FastifyRequest): EnrolledDevice | undefined {
      return deviceOf.get(request);
    },
    /** Checks every request whose url `guarded` says so (install before the routes). */
    install(app: App, guarded: (url: string) => boolean): void {
      app.addHook('onRequest', async (request, reply) => {
        if (!guarded(request.url) || request.routeOptions.url === undefined) return; // no such route: 404
        const access = table.get(key(request.method, request.routeOptions.url));
        if (access === undefined)
          return reply.code(500).send({ error: 'internal', reason: 'this route declares no access rule' });
        if (access === 'public') return;
        if (access === 'device') {
          const checked = await devices.authenticate(request.headers.authorization);
          if (!checked.ok) return reply.code(401).send({ error: checked.error, reason: checked.reason });
          deviceOf.set(request, checked.device);
          return;
        }
        const token = bearerToken(request);
        const session = token ? await sessions.check(token) : undefined;
        if (!session)
          return reply.code(401).send({
            error: 'unauthorized',
            reason: token ? 'the session has ended: sign in again' : 'sign in first',
          });
        if (access !== 'signed-in' && !access.includes(session.role))
          return reply.code(403).send({
            error: 'forbidden',
            reason: `a ${session.role} may not do this (it needs: ${access.join(' or ')})`,
          });
        sessionOf.set(request, session);
      });
    },
  };
}
export type AccessControl = ReturnType<typeof accessControl>;
