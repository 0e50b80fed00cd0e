// Security enforced by the store itself (issue 8): devices sign in to the store with their own credentials, and the
// database's validation decides what each may write, whatever client it uses. Against a real store process, straight
// over HTTP as a device would talk to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concertDatabase } from '../../domain/authority/concert-authority';
import { ordersDatabase } from '../../domain/events/order-flow';
import { catalogueDb, createAll, ensureEventDatabase } from '../../sync-server/store/couch';
import type { Doc } from '../../sync-server/store/couch';
import {
  createDeviceUser,
  ensureSecurity,
  revokeDeviceUser,
  serverOnlySecurity,
} from '../../sync-server/store/security';
import { creationFact, factMeta, saleFact, startTestStore } from '../support/store';
import type { TestStore } from '../support/store';
import { monotonicFactory } from 'ulid';

const nextId = monotonicFactory();
let store: TestStore;
let base: string;
const concertId = 'secured-1';
const db = concertDatabase(concertId);
const devices = {
  desk: { deviceId: 'desk-7', role: 'desk', password: 'desk-secret-0123456789' },
  scanner: { deviceId: 'gate-3', role: 'scanner', password: 'gate-secret-0123456789' },
  office: { deviceId: 'office-1', role: 'manager', password: 'office-secret-0123456789' },
} as const;
type Who = keyof typeof devices | 'anonymous';

const headers = (who: Who): Record<string, string> => {
  const json = { 'content-type': 'application/json' };
  if (who === 'anonymous') return json;
  const { deviceId, password } = devices[who];
  return { ...json, authorization: `Basic ${Buffer.from(`${deviceId}:${password}`).toString('base64')}` };
};

async function put(who: Who, database: string, doc: Doc): Promise<{ status: number; reason: string }> {
  const response = await fetch(`${base}/${database}/${encodeURIComponent(doc._id)}`, {
    method: 'PUT',
    headers: headers(who),
    body: JSON.stringify(doc),
  });
  const body = (await response.json()) as { reason?: string };
  return { status: response.status, reason: body.reason ?? '' };
}

const sale = (deviceId: string) => saleFact(concertId, deviceId, 'Floor', 1, 100);

beforeAll(async () => {
  store = await startTestStore();
  base = `http://127.0.0.1:${store.port}`;
  for (const name of [catalogueDb, db, ordersDatabase]) await ensureEventDatabase(store.couch, name);
  await ensureEventDatabase(store.couch, db); // a second start changes nothing
  for (const device of Object.values(devices)) await createDeviceUser(store.couch, device);
});

afterAll(async () => {
  await store?.dispose();
});

describe('the store decides what a device may write', () => {
  it('a desk writes its own sale', async () => {
    expect(await put('desk', db, sale('desk-7'))).toMatchObject({ status: 201 });
  });

  it('a scanner writing a sale is refused 403', async () => {
    const refused = await put('scanner', db, sale('gate-3'));
    expect(refused).toEqual({ status: 403, reason: 'a scanner device may not write SaleRecorded' });
  });

  it('a desk writing a decision or an allotment grant is refused 403', async () => {
    const decision = {
      _id: 'concert-secured-1:0000000009',
      type: 'SeatsAllocated',
      v: 1,
      stream: 'concert-secured-1',
      data: {},
      meta: factMeta('desk-7', 'x'),
    };
    expect(await put('desk', db, decision)).toMatchObject({ status: 403 });
    const id = nextId();
    const grant = {
      _id: id,
      type: 'AllotmentGrantRequested',
      v: 1,
      stream: 'concert-secured-1',
      data: { concertId, deviceId: 'desk-7', level: 'Floor', quantity: 4 },
      meta: factMeta('desk-7', id),
    };
    expect(await put('desk', db, grant)).toEqual({
      status: 403,
      reason: 'a desk device may not write AllotmentGrantRequested',
    });
  });

  it("a fact in another device's name is refused 403", async () => {
    const refused = await put('desk', db, sale('desk-8'));
    expect(refused.status).toBe(403);
    expect(refused.reason).toContain('only its own facts');
  });

  it('an existing event is never updated or deleted, by a device or by the admin', async () => {
    const original = sale('desk-7');
    expect((await put('desk', db, original)).status).toBe(201);
    const stored = await store.couch.server.use<Doc>(db).get(original._id);
    const update = { ...stored, data: { ...original.data, quantity: 100 } };
    expect(await put('desk', db, update)).toMatchObject({ status: 403 });
    const deletion = await fetch(`${base}/${db}/${original._id}?rev=${stored._rev ?? ''}`, {
      method: 'DELETE',
      headers: headers('desk'),
    });
    expect(deletion.status).toBe(403);
    const [byAdmin] = await createAll(store.couch.server.use<Doc>(db), [{ ...stored, _deleted: true }]);
    expect(byAdmin?.ok).toBe(false);
  });

  it("the office writes an organizer's concert, a desk may not", async () => {
    const office = creationFact('secured-2', [{ name: 'Floor', capacity: 10, price: 100 }]);
    expect(
      await put('office', catalogueDb, { ...office, meta: factMeta('office-1', office._id) }),
    ).toMatchObject({
      status: 201,
    });
    const desk = creationFact('secured-3', [{ name: 'Floor', capacity: 10, price: 100 }]);
    expect(await put('desk', catalogueDb, { ...desk, meta: factMeta('desk-7', desk._id) })).toMatchObject({
      status: 403,
    });
  });

  it('no credentials: 401 on reads and writes; wrong password: 401', async () => {
    expect((await fetch(`${base}/${db}/_all_docs`)).status).toBe(401);
    expect((await put('anonymous', db, sale('desk-7'))).status).toBe(401);
    const wrong = await fetch(`${base}/${db}/_all_docs`, {
      headers: { authorization: `Basic ${Buffer.from('desk-7:guess').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
  });

  it("devices cannot read the server's own database", async () => {
    await store.couch.server.db.create('stagedoor-authority-test').catch(() => undefined);
    await ensureSecurity(store.couch, 'stagedoor-authority-test', serverOnlySecurity);
    const read = await fetch(`${base}/stagedoor-authority-test/_all_docs`, { headers: headers('desk') });
    expect(read.status).toBe(401);
    expect((await store.couch.server.use('stagedoor-authority-test').list()).rows).toEqual([]);
  });

  it('a revoked device gets 401 at once', async () => {
    const revoked = { deviceId: 'desk-lost', role: 'desk', password: 'lost-secret-0123456789' } as const;
    await createDeviceUser(store.couch, revoked);
    const auth = {
      authorization: `Basic ${Buffer.from('desk-lost:lost-secret-0123456789').toString('base64')}`,
    };
    expect((await fetch(`${base}/${db}/_all_docs`, { headers: auth })).status).toBe(200);
    expect(await revokeDeviceUser(store.couch, 'desk-lost')).toBe(true);
    expect((await fetch(`${base}/${db}/_all_docs`, { headers: auth })).status).toBe(401);
    expect(await revokeDeviceUser(store.couch, 'desk-lost')).toBe(false);
  });
});
