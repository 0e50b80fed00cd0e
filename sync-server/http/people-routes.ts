// People and devices over HTTP: sign-in and sign-out, the staff directory (admins), device enrolment and
// revocation (admins ask for a code; the device exchanges it), and each device's roster (who may sign in on it,
// for its offline sign-in). Bodies are checked with zod; a broken rule of the
// directory answers 409 with its sentence; nothing here ever returns a password verifier.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ulid } from 'ulid';
import { z } from 'zod';
import { deviceRoles, peopleOnDevice } from '../../domain/users/devices';
import { roles, userNameSchema } from '../../domain/users/events';
import { UserRuleBroken } from '../../domain/users/users';
import type { UsersCommand } from '../../domain/users/users';
import type { Devices } from '../people/devices';
import { EnrolmentRefused } from '../people/devices';
import type { Directory } from '../people/directory';
import { hashPassword } from '../people/passwords';
import { SignInRefused } from '../people/sessions';
import type { Sessions } from '../people/sessions';
import { bearerToken } from './access';
import type { Access, AccessControl, App, Method } from './access';

const password = z.string().min(10, 'a password has at least 10 characters').max(200);
const signIn = z.object({ name: z.string().min(1).max(64), password: z.string().min(1).max(200) });
const newUser = z.object({ name: userNameSchema, role: z.enum(roles), password });
const roleChange = z.object({ role: z.enum(roles) });
const deactivation = z.object({ reason: z.string().max(500).default('') });
const credential = z.object({ password });
const codeRequest = z.object({ role: z.enum(deviceRoles), name: z.string().min(1).max(60) });
const enrolment = z.object({ code: z.string().min(1).max(40) });
const userParams = z.object({ userId: z.string().min(1).max(100) });
const deviceParams = z.object({ deviceId: z.string().min(1).max(100) });

const admins = ['admin'] as const;

function parse<T>(schema: z.ZodType<T>, value: unknown, reply: FastifyReply): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  void reply.code(400).send({ error: 'bad_request', reason });
  return undefined;
}

export function peopleRoutes(
  app: App,
  services: { directory: Directory; sessions: Sessions; devices: Devices; access: AccessControl },
): void {
  const { directory, sessions, devices, access } = services;
  const route = (
    method: Method,
    url: string,
    rule: Access,
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
  ) => {
    access.declare(method, url, rule);
    app.route({ method, url, handler });
  };

  const run = async (reply: FastifyReply, command: UsersCommand) => {
    try {
      await directory.run(command);
      return true;
    } catch (error) {
      if (!(error instanceof UserRuleBroken)) throw error;
      void reply.code(409).send({ error: error.code, reason: error.message });
      return false;
    }
  };
  const publicUser = (userId: string) => {
    const state = directory.state();
    const user = state.status === 'populated' ? state.users.get(userId) : undefined;
    return user && { userId: user.userId, name: user.name, role: user.role, status: user.status };
  };

  route('POST', '/api/sessions', 'public', async (request, reply) => {
    const body = parse(signIn, request.body, reply);
    if (!body) return;
    try {
      const session = await sessions.signIn(body.name, body.password);
      return reply.code(201).send(session);
    } catch (error) {
      if (!(error instanceof SignInRefused)) throw error;
      return reply
        .code(error.code === 'locked' ? 429 : 401)
        .send({ error: error.code, reason: error.message });
    }
  });

  route('DELETE', '/api/sessions', 'signed-in', async (request, reply) => {
    const token = bearerToken(request);
    if (token) await sessions.signOut(token);
    return reply.code(204).send();
  });

  route('GET', '/api/sessions/current', 'signed-in', (request) => Promise.resolve(access.session(request)));

  route('GET', '/api/users', admins, async () => {
    const state = await directory.refresh();
    if (state.status !== 'populated') return [];
    return [...state.users.values()].map((u) => publicUser(u.userId));
  });

  route('POST', '/api/users', admins, async (request, reply) => {
    const body = parse(newUser, request.body, reply);
    const session = access.session(request);
    if (!body || !session) return;
    const userId = `user-${ulid().toLowerCase()}`;
    const passwordVerifier = await hashPassword(body.password);
    const command = { commandId: ulid(), actorId: session.userId };
    const registered = await run(reply, {
      type: 'RegisterUser',
      data: { ...command, userId, name: body.name, role: body.role, passwordVerifier },
    });
    if (registered) return reply.code(201).send(publicUser(userId));
  });

  route('PUT', '/api/users/:userId/role', admins, async (request, reply) => {
    const params = parse(userParams, request.params, reply);
    const body = params && parse(roleChange, request.body, reply);
    const session = access.session(request);
    if (!params || !body || !session) return;
    const command = { commandId: ulid(), actorId: session.userId, userId: params.userId };
    if (await run(reply, { type: 'ChangeUserRole', data: { ...command, role: body.role } }))
      return publicUser(params.userId);
  });

  route('POST', '/api/users/:userId/deactivate', admins, async (request, reply) => {
    const params = parse(userParams, request.params, reply);
    const body = params && parse(deactivation, request.body ?? {}, reply);
    const session = access.session(request);
    if (!params || !body || !session) return;
    const command = { commandId: ulid(), actorId: session.userId, userId: params.userId };
    if (await run(reply, { type: 'DeactivateUser', data: { ...command, reason: body.reason } }))
      return publicUser(params.userId);
  });

  route('POST', '/api/users/:userId/reactivate', admins, async (request, reply) => {
    const params = parse(userParams, request.params, reply);
    const session = access.session(request);
    if (!params || !session) return;
    const command = { commandId: ulid(), actorId: session.userId, userId: params.userId };
    if (await run(reply, { type: 'ReactivateUser', data: command })) return publicUser(params.userId);
  });

  route('PUT', '/api/users/:userId/password', admins, async (request, reply) => {
    const params = parse(userParams, request.params, reply);
    const body = params && parse(credential, request.body, reply);
    const session = access.session(request);
    if (!params || !body || !session) return;
    const passwordVerifier = await hashPassword(body.password);
    const command = { commandId: ulid(), actorId: session.userId, userId: params.userId };
    if (await run(reply, { type: 'ResetUserCredential', data: { ...command, passwordVerifier } }))
      return reply.code(204).send();
  });

  route('POST', '/api/devices/codes', admins, async (request, reply) => {
    const body = parse(codeRequest, request.body, reply);
    const session = access.session(request);
    if (!body || !session) return;
    return reply.code(201).send(await devices.newCode({ ...body, by: session.userId }));
  });

  route('POST', '/api/devices/enrol', 'public', async (request, reply) => {
    const body = parse(enrolment, request.body, reply);
    if (!body) return;
    try {
      return reply.code(201).send(await devices.enrol(body.code));
    } catch (error) {
      if (!(error instanceof EnrolmentRefused)) throw error;
      return reply.code(403).send({ error: 'enrolment_refused', reason: error.message });
    }
  });

  route('GET', '/api/devices', admins, async () => devices.list());

  // The people who may sign in on the asking device, active or not (a deactivated person is refused offline too):
  // what the device needs to check a name and a PIN with no network. Never a verifier.
  route('GET', '/api/devices/roster', 'device', async (request, reply) => {
    const device = access.device(request);
    if (!device) return;
    const state = await directory.refresh();
    const allowed: readonly string[] = peopleOnDevice[device.role];
    const people =
      state.status === 'populated'
        ? [...state.users.values()].filter((u) => allowed.includes(u.role)).map((u) => publicUser(u.userId))
        : [];
    return reply.header('cache-control', 'no-store').send({ device, people });
  });

  route('POST', '/api/devices/:deviceId/revoke', admins, async (request, reply) => {
    const params = parse(deviceParams, request.params, reply);
    const session = access.session(request);
    if (!params || !session) return;
    const revoked = await devices.revoke(params.deviceId, session.userId);
    if (!revoked) return reply.code(404).send({ error: 'not_found', reason: `no device ${params.deviceId}` });
    return revoked;
  });
}
