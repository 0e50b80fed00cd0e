// The desk's HTTP side against a real store: the app with its fallback, the replication proxy (the device's own
// credentials, what the store and the allow-list refuse), and the change stream, which must report changes in
// databases made after it started.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, waitFor } from '../../test/support/store';
import type { TestStore } from '../../test/support/store';
import { factMeta } from '../../test/support/store';
import { catalogueDb, ensureEventDatabase } from '../store/couch';
import { createDeviceUser, revokeDeviceUser } from '../store/security';
import { deskRoutes } from './desk';

let store: TestStore;
let app: FastifyInstance;
let base: string;
let rendererDir: string;

beforeAll(async () => {
  store = await startTestStore();
  await ensureEventDatabase(store.couch, catalogueDb);
  rendererDir = mkdtempSync(join(tmpdir(), 'stagedoor-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>desk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'export {};');
  for (const device of Object.values(devices)) await createDeviceUser(store.couch, device);
  app = Fastify();
  await app.register(deskRoutes, { couchUrl: store.url, rendererDir, logger: pino({ level: 'silent' }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app?.close();
  await store?.dispose();
  rmSync(rendererDir, { recursive: true, force: true });
});

const devices = {
  desk: { deviceId: 'dev-desk-1', role: 'desk', password: 'desk-device-secret-1' },
  scanner: { deviceId: 'dev-gate-1', role: 'scanner', password: 'gate-device-secret-1' },
  lost: { deviceId: 'dev-lost-1', role: 'desk', password: 'lost-device-secret-1' },
} as const;
const as = (who: keyof typeof devices, password: string = devices[who].password) => ({
  authorization: `Basic ${Buffer.from(`${devices[who].deviceId}:${password}`).toString('base64')}`,
});
const fact = (id: string, deviceId: string = devices.desk.deviceId) => ({
  _id: id,
  type: 'SaleRecorded',
  v: 1,
  stream: 's',
  data: {},
  meta: factMeta(deviceId, id),
});
const write = (headers: Record<string, string>, doc: object) =>
  fetch(`${base}/couch/${catalogueDb}/_bulk_docs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ docs: [doc] }),
  });

describe('the desk app', () => {
  it('is served at /, its hashed assets as immutable, and any other page address gets the app', async () => {
    const page = await fetch(`${base}/`);
    expect(await page.text()).toContain('<title>desk</title>');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${base}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const deep = await fetch(`${base}/sell/today`, { headers: { accept: 'text/html' } });
    expect(await deep.text()).toContain('<title>desk</title>');
    expect((await fetch(`${base}/api/nothing`)).status).toBe(404);
  });
});

describe('the replication proxy', () => {
  it('reaches event databases with the device’s own credentials', async () => {
    const response = await fetch(`${base}/couch/${catalogueDb}/`, { headers: as('desk') });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ db_name: catalogueDb });
  });

  it('answers 401 without credentials or with wrong ones, and never asks the browser for a password', async () => {
    const bare = await fetch(`${base}/couch/${catalogueDb}/`);
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { reason: string }).reason).toContain('enrolment code');
    const wrong = await fetch(`${base}/couch/${catalogueDb}/`, { headers: as('desk', 'not-the-secret') });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBeNull();
    expect((await write({}, fact('01KDESK0000000000000000009'))).status).toBe(401);
  });

  it('writes a device’s facts', async () => {
    const id = '01KDESK0000000000000000001';
    const response = await write(as('desk'), fact(id));
    expect(await response.json()).toEqual([expect.objectContaining({ ok: true, id })]);
  });

  // _bulk_docs answers per document: the store's 403 is each refused document's `forbidden`.
  it('lets the store refuse what the device’s role may not write, or a fact in another device’s name', async () => {
    const byScanner = await write(
      as('scanner'),
      fact('01KDESK0000000000000000003', devices.scanner.deviceId),
    );
    expect(await byScanner.json()).toEqual([
      expect.objectContaining({ error: 'forbidden', reason: 'a scanner device may not write SaleRecorded' }),
    ]);
    const impostor = await write(as('desk'), fact('01KDESK0000000000000000004', 'dev-someone-else'));
    expect(await impostor.json()).toEqual([
      expect.objectContaining({
        error: 'forbidden',
        reason: expect.stringContaining('only its own facts') as string,
      }),
    ]);
  });

  it('a revoked device’s credentials stop working at once: 401', async () => {
    expect((await fetch(`${base}/couch/${catalogueDb}/`, { headers: as('lost') })).status).toBe(200);
    await revokeDeviceUser(store.couch, devices.lost.deviceId);
    expect((await fetch(`${base}/couch/${catalogueDb}/`, { headers: as('lost') })).status).toBe(401);
    expect((await write(as('lost'), fact('01KDESK0000000000000000006', devices.lost.deviceId))).status).toBe(
      401,
    );
  });

  it('refuses everything replication does not need, with a reason', async () => {
    for (const [method, path, body] of [
      ['GET', '/couch/_all_dbs', undefined],
      ['PUT', '/couch/stagedoor-concert-made-by-a-browser/', undefined],
      [
        'POST',
        `/couch/${catalogueDb}/_bulk_docs`,
        { docs: [{ _id: '_design/x', validate_doc_update: 'function(){}' }] },
      ],
      ['GET', `/couch/${catalogueDb}/_changes?filter=_selector`, undefined],
    ] as const) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json', ...as('desk') } : as('desk'),
        body: body ? JSON.stringify(body) : undefined,
      });
      expect(response.status, `${method} ${path}`).toBe(403);
      const refusal = (await response.json()) as { error: string; reason: string };
      expect(refusal.error).toBe('forbidden');
      expect(refusal.reason).not.toBe('');
    }
    expect(await store.couch.server.db.list()).not.toContain('stagedoor-concert-made-by-a-browser');
  });
});

describe('the change stream', () => {
  it('says hello, then names each database that changes, also one made after it started, with what changed', async () => {
    const abort = new AbortController();
    const response = await fetch(`${base}/api/changes`, { signal: abort.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    const until = async (text: string) =>
      waitFor(
        `"${text}" on the change stream`,
        async () => {
          if (received.includes(text)) return true;
          const { value } = await reader.read();
          received += value ?? '';
          return received.includes(text) ? true : undefined;
        },
        15_000,
      );
    try {
      await until('event: hello');
      const concertDb = 'stagedoor-concert-late-arrival';
      await ensureEventDatabase(store.couch, concertDb);
      await until(`"database":"${concertDb}"`);
      await store.couch.server.use(catalogueDb).insert(fact('01KDESK0000000000000000002'));
      await until(`"database":"${catalogueDb}"`);
      // A single change comes with its id and the document itself: a desk shows a decision without reading it.
      const news = received.split('\n\n').find((message) => message.includes(`"database":"${catalogueDb}"`));
      const data = JSON.parse(news?.split('data: ')[1] ?? 'null') as {
        ids?: string[];
        docs?: { _id: string; type: string }[];
      };
      expect(data.ids).toEqual(['01KDESK0000000000000000002']);
      expect(data.docs?.map((doc) => [doc._id, doc.type])).toEqual([
        ['01KDESK0000000000000000002', 'SaleRecorded'],
      ]);
    } finally {
      abort.abort();
    }
  });
});

describe('stopping', () => {
  it('ends open change streams instead of waiting for the browsers to leave', async () => {
    const server = Fastify();
    await server.register(deskRoutes, {
      couchUrl: store.url,
      rendererDir,
      logger: pino({ level: 'silent' }),
    });
    await server.listen({ host: '127.0.0.1', port: 0 });
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const response = await fetch(`http://127.0.0.1:${port}/api/changes`);
    const reader = response.body!.getReader();
    await reader.read();
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    await reader.cancel();
  });
});
