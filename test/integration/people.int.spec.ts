// People and devices through the sync server's API (issue 8), against a real store: sign-in with scrypt-verified
// passwords and lockout, the admin's directory, device enrolment with one-time codes and revocation (the device's
// store credentials stop working), and a table-driven check that every API route refuses a missing or wrong role.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../domain/users/events';
import { loadConfig } from '../../sync-server/config';
import { maxFailures } from '../../sync-server/people/sessions';
import { authorityDb, catalogueDb, createAll, getDoc } from '../../sync-server/store/couch';
import type { Doc } from '../../sync-server/store/couch';
import { startSyncServer } from '../../sync-server/sync-server';
import type { SyncServer } from '../../sync-server/sync-server';
import { readStream, saleFact, setUpConcert, startTestStore, waitFor } from '../support/store';
import type { TestStore } from '../support/store';

const adminPassword = 'first-admin-password-42';
let store: TestStore;
let server: SyncServer;
let dataDir: string;
let api: string;
let adminToken: string;
const tokens = new Map<string, string>();

type Reply = { status: number; body: Record<string, unknown> };
async function call(method: string, path: string, token?: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const signIn = async (name: string, password: string) =>
  call('POST', '/api/sessions', undefined, { name, password });

beforeAll(async () => {
  store = await startTestStore();
  dataDir = mkdtempSync(join(tmpdir(), 'stagedoor-people-'));
  server = await startSyncServer(
    loadConfig({
      COUCHDB_URL: store.url,
      PORT: '0',
      STAGEDOOR_DATA: dataDir,
      ADMIN_PASSWORD: adminPassword,
      LOG_LEVEL: 'silent',
    }),
  );
  api = `http://127.0.0.1:${server.port}`;
  const admin = await signIn('admin', adminPassword);
  adminToken = String(admin.body.token);
  // One person of every role, signed in, for the route table.
  for (const role of roles) {
    if (role === 'admin') {
      tokens.set(role, adminToken);
      continue;
    }
    const password = `${role}-password-0123`;
    expect(
      (await call('POST', '/api/users', adminToken, { name: `${role} one`, role, password })).status,
    ).toBe(201);
    tokens.set(role, String((await signIn(`${role} one`, password)).body.token));
  }
});

afterAll(async () => {
  await server?.stop();
  await store?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('signing in', () => {
  it('the first admin signs in with its password; a wrong one is refused 401 with a sentence', async () => {
    const ok = await signIn('Admin ', adminPassword);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ name: 'admin', role: 'admin' });
    expect(String(ok.body.token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await signIn('admin', 'not-the-password')).toEqual({
      status: 401,
      body: { error: 'wrong_credentials', reason: 'The name or the password is wrong.' },
    });
  });

  it(`locks a name after ${maxFailures} failures, even for the right password`, async () => {
    const password = 'locked-out-password-1';
    await call('POST', '/api/users', adminToken, { name: 'Lena', role: 'desk', password });
    for (let i = 0; i < maxFailures; i++) expect((await signIn('Lena', 'wrong-guess')).status).toBe(401);
    const locked = await signIn('Lena', password);
    expect(locked.status).toBe(429);
    expect(locked.body.reason).toMatch(/Too many failed sign-ins/);
  });

  it('a deactivated person is refused at sign-in, and their live session ends', async () => {
    const password = 'soon-gone-password';
    const created = await call('POST', '/api/users', adminToken, { name: 'Marek', role: 'desk', password });
    const token = String((await signIn('Marek', password)).body.token);
    expect((await call('GET', '/api/sessions/current', token)).status).toBe(200);
    const deactivated = await call(
      'POST',
      `/api/users/${String(created.body.userId)}/deactivate`,
      adminToken,
      {
        reason: 'left',
      },
    );
    expect(deactivated.body).toMatchObject({ status: 'deactivated' });
    expect((await call('GET', '/api/sessions/current', token)).status).toBe(401);
    expect(await signIn('Marek', password)).toMatchObject({ status: 401, body: { error: 'deactivated' } });
  });

  it('signing out ends the session', async () => {
    const token = String((await signIn('admin', adminPassword)).body.token);
    expect((await call('DELETE', '/api/sessions', token)).status).toBe(204);
    expect((await call('GET', '/api/sessions/current', token)).status).toBe(401);
  });

  it('the directory keeps its rules: names are unique, the last admin stays an admin, bad input is a 400', async () => {
    const taken = await call('POST', '/api/users', adminToken, {
      name: 'DESK ONE',
      role: 'desk',
      password: 'another-password',
    });
    expect(taken).toMatchObject({ status: 409, body: { error: 'name_taken' } });
    const users = (await call('GET', '/api/users', adminToken)).body as unknown as {
      userId: string;
      name: string;
    }[];
    const admin = users.find((u) => u.name === 'admin');
    const demoted = await call('PUT', `/api/users/${admin?.userId ?? ''}/role`, adminToken, { role: 'desk' });
    expect(demoted).toMatchObject({ status: 409, body: { error: 'last_admin' } });
    const short = await call('POST', '/api/users', adminToken, {
      name: 'Ola',
      role: 'desk',
      password: 'short',
    });
    expect(short.status).toBe(400);
    expect(short.body.reason).toContain('at least 10 characters');
  });
});

describe('no secret leaves the server', () => {
  it('the directory never returns a verifier, and the store keeps only hashes of passwords and sessions', async () => {
    const listed = JSON.stringify((await call('GET', '/api/users', adminToken)).body);
    expect(listed).not.toContain('$scrypt$');
    const stored = JSON.stringify(await store.couch.server.use(authorityDb).list({ include_docs: true }));
    expect(stored).not.toContain(adminPassword);
    expect(stored).not.toContain(adminToken);
    expect(stored).toContain('$scrypt$ln=15');
  });

  it('with no ADMIN_PASSWORD the first password goes to a file only its owner reads', async () => {
    const fresh = await startTestStore();
    const dir = mkdtempSync(join(tmpdir(), 'stagedoor-first-'));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const second = await startSyncServer(
      loadConfig({ COUCHDB_URL: fresh.url, PORT: '0', STAGEDOOR_DATA: dir, LOG_LEVEL: 'info' }),
      logger,
    );
    try {
      const file = join(dir, 'admin-password.txt');
      const password = readFileSync(file, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(20);
      const { statSync } = await import('node:fs');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const response = await fetch(`http://127.0.0.1:${second.port}/api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'admin', password }),
      });
      expect(response.status).toBe(201);
      expect(lines.join('')).toContain('admin-password.txt');
      expect(lines.join('')).not.toContain(password);
    } finally {
      await second.stop();
      await fresh.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('devices', () => {
  it('a one-time code enrols a device once; its credentials reach the store; revoking stops them', async () => {
    const offer = await call('POST', '/api/devices/codes', adminToken, {
      role: 'desk',
      name: 'Box office 2',
    });
    expect(offer.status).toBe(201);
    expect(String(offer.body.code)).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    const enrolled = await call('POST', '/api/devices/enrol', undefined, {
      code: String(offer.body.code).toLowerCase(),
    });
    expect(enrolled.status).toBe(201);
    const device = enrolled.body.device as { deviceId: string; role: string; name: string };
    expect(device).toMatchObject({ role: 'desk', name: 'Box office 2' });
    expect(await call('POST', '/api/devices/enrol', undefined, { code: offer.body.code })).toMatchObject({
      status: 403,
      body: { error: 'enrolment_refused' },
    });

    const auth = {
      authorization: `Basic ${Buffer.from(`${device.deviceId}:${String(enrolled.body.password)}`).toString('base64')}`,
    };
    const storeBase = `http://127.0.0.1:${store.port}`;
    expect((await fetch(`${storeBase}/${catalogueDb}/_all_docs`, { headers: auth })).status).toBe(200);

    const revoked = await call('POST', `/api/devices/${device.deviceId}/revoke`, adminToken);
    expect(revoked.body).toMatchObject({
      deviceId: device.deviceId,
      revokedAt: expect.any(String) as string,
    });
    expect((await fetch(`${storeBase}/${catalogueDb}/_all_docs`, { headers: auth })).status).toBe(401);
    const listed = (await call('GET', '/api/devices', adminToken)).body as unknown as { deviceId: string }[];
    expect(listed.map((d) => d.deviceId)).toContain(device.deviceId);
    expect((await call('POST', '/api/devices/nobody/revoke', adminToken)).status).toBe(404);
  });

  it("a revoked device's facts that arrive later by another path are quarantined, not decided", async () => {
    const concertId = 'revocation-hall';
    const db = await setUpConcert(store.couch, concertId, [{ name: 'Floor', capacity: 10, price: 100 }]);
    const offer = await call('POST', '/api/devices/codes', adminToken, { role: 'desk', name: 'Lost desk' });
    const enrolled = await call('POST', '/api/devices/enrol', undefined, { code: offer.body.code });
    const { deviceId } = enrolled.body.device as { deviceId: string };
    await call('POST', `/api/devices/${deviceId}/revoke`, adminToken);

    const late = saleFact(concertId, deviceId, 'Floor', 1, 100);
    const honest = saleFact(concertId, 'desk-still-trusted', 'Floor', 1, 100);
    await createAll(db, [late, honest]);
    const stream = async () => (await readStream(store.couch, concertId)).accepted;
    await waitFor('the trusted sale decided', async () =>
      (await stream()).some((d) => d.meta.causationId === honest._id) ? true : undefined,
    );
    const quarantined = await waitFor('the late fact quarantined', () =>
      getDoc<Doc & { data: { reason: string } }>(db, `quarantine:${late._id}`),
    );
    expect(quarantined.data.reason).toContain(`device ${deviceId} was revoked at`);
    expect((await stream()).some((d) => d.meta.causationId === late._id)).toBe(false);
  });

  it('a device reads its roster and its change stream with its own credentials; revoked, it is told so', async () => {
    const offer = await call('POST', '/api/devices/codes', adminToken, { role: 'scanner', name: 'Gate 9' });
    const enrolled = await call('POST', '/api/devices/enrol', undefined, { code: offer.body.code });
    const { deviceId } = enrolled.body.device as { deviceId: string };
    const basic = (secret: string) => ({
      authorization: `Basic ${Buffer.from(`${deviceId}:${secret}`).toString('base64')}`,
    });
    const asDevice = basic(String(enrolled.body.password));

    const roster = await fetch(`${api}/api/devices/roster`, { headers: asDevice });
    expect(roster.status).toBe(200);
    const body = (await roster.json()) as { device: { role: string }; people: { role: string }[] };
    expect(body.device).toMatchObject({ deviceId, role: 'scanner', name: 'Gate 9' });
    // Only who may sign in on a scanner, and never a verifier.
    expect(body.people.map((p) => p.role)).toEqual(body.people.map(() => 'scanner'));
    expect(body.people.map((p) => Object.keys(p).sort())).toContainEqual([
      'name',
      'role',
      'status',
      'userId',
    ]);
    expect(JSON.stringify(body)).not.toContain('$scrypt$');

    const abort = new AbortController();
    const stream = await fetch(`${api}/api/changes`, { headers: asDevice, signal: abort.signal });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    abort.abort();
    expect((await fetch(`${api}/api/changes`)).status).toBe(401);
    expect((await fetch(`${api}/api/changes`, { headers: basic('wrong-secret') })).status).toBe(401);

    await call('POST', `/api/devices/${deviceId}/revoke`, adminToken);
    const revoked = await fetch(`${api}/api/devices/roster`, { headers: asDevice });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: 'device_revoked' });
  });

  it('an unknown code is refused, and a code is only for an admin to make', async () => {
    expect((await call('POST', '/api/devices/enrol', undefined, { code: 'AAAAA-BBBBB' })).status).toBe(403);
    const asDesk = await call('POST', '/api/devices/codes', tokens.get('desk'), { role: 'desk', name: 'x' });
    expect(asDesk.status).toBe(403);
  });
});

describe('every API route checks the role', () => {
  it('every /api route declares its access', () => {
    const declared = server.api.accessRules();
    const undeclared = server.api
      .routes()
      .filter((route) => route.includes(' /api/') && !route.startsWith('HEAD ') && !declared.has(route));
    expect(undeclared).toEqual([]);
  });

  it('a route for some roles answers 401 without a session and 403 to every other role', async () => {
    const checked: string[] = [];
    for (const [route, access] of server.api.accessRules()) {
      if (access === 'public') continue;
      const [method = 'GET', pattern = ''] = route.split(' ');
      const path = pattern.replace(/:(\w+)/g, 'x');
      if (access === 'device') {
        // A device's route takes the device's credentials, not a person's session: every person's token is a 401.
        for (const token of [undefined, 'not-a-token', ...tokens.values()])
          expect((await call(method, path, token)).status, `${route} with a person's token`).toBe(401);
        checked.push(route);
        continue;
      }
      expect((await call(method, path, undefined, method === 'GET' ? undefined : {})).status, route).toBe(
        401,
      );
      expect((await call(method, path, 'not-a-token', method === 'GET' ? undefined : {})).status, route).toBe(
        401,
      );
      if (access === 'signed-in') continue;
      for (const role of roles.filter((r) => !access.includes(r))) {
        const reply = await call(method, path, tokens.get(role), method === 'GET' ? undefined : {});
        expect(reply.status, `${route} as ${role}`).toBe(403);
      }
      checked.push(route);
    }
    expect(checked.length).toBeGreaterThanOrEqual(8);
  });
});
