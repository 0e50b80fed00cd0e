// Test support: a fresh embedded store in a temp folder, sync server processes, and fact builders.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { monotonicFactory } from 'ulid';
import { concertDatabase, concertStream } from '../../domain/authority/concert-authority';
import { isDecision, parseEventDoc } from '../../domain/events/catalogue';
import type { DecisionDoc, FactDoc } from '../../domain/events/catalogue';
import { followChain, emptyChain, streamRange } from '../../domain/log/stream';
import { startEmbeddedStore } from '../../sync-server/store/embedded-store';
import type { EmbeddedStore } from '../../sync-server/store/embedded-store';
import { connect, createAll, ensureEventDatabase, readRange } from '../../sync-server/store/couch';
import type { Couch, Doc } from '../../sync-server/store/couch';

export type TestStore = EmbeddedStore & { couch: Couch; dataDir: string; dispose: () => Promise<void> };

export async function startTestStore(): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stagedoor-store-'));
  const store = await startEmbeddedStore({ dataDir, logger: pino({ level: 'silent' }) });
  return {
    ...store,
    dataDir,
    couch: connect(store.url),
    dispose: async () => {
      await store.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type SyncServerProcess = {
  process: ChildProcess;
  port: Promise<number>;
  exited: Promise<number | null>;
  output: () => string;
};

/** Starts the sync server as its own process, the way production runs it, so a test can SIGKILL it. */
export function spawnSyncServer(env: Record<string, string>): SyncServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"sync server listening"/.exec(output);
      if (match?.[1]) resolve(Number(match[1]));
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      reject(new Error(`sync server exited (${code}) before listening:\n${output}`)),
    );
  });
  port.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, port, exited, output: () => output };
}

export async function stopProcess(
  server: SyncServerProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return server.process.exitCode;
  server.process.kill(signal);
  return server.exited;
}

const nextId = monotonicFactory();

export function factMeta(deviceId: string, id: string, recordedAt = new Date().toISOString()) {
  return { deviceId, userId: `${deviceId}-user`, recordedAt, correlationId: id, causationId: id };
}

export function creationFact(
  concertId: string,
  levels: { name: string; capacity: number; price: number }[],
): FactDoc<'ConcertCreationRequested'> {
  const id = nextId();
  return {
    _id: id,
    type: 'ConcertCreationRequested',
    v: 1,
    stream: concertStream(concertId),
    data: {
      concertId,
      artist: 'Test Artist',
      title: 'Test Tour',
      venue: 'Test Arena',
      city: 'Warsaw',
      startsAt: '2027-06-27T20:00:00+02:00',
      timezone: 'Europe/Warsaw',
      currency: 'PLN',
      levels,
    },
    meta: factMeta('organizer-1', id),
  };
}

export function publicationFact(concertId: string): FactDoc<'ConcertPublicationRequested'> {
  const id = nextId();
  return {
    _id: id,
    type: 'ConcertPublicationRequested',
    v: 1,
    stream: concertStream(concertId),
    data: { concertId },
    meta: factMeta('organizer-1', id),
  };
}

export function saleFact(
  concertId: string,
  deviceId: string,
  level: string,
  quantity: number,
  unitPrice: number,
): FactDoc<'SaleRecorded'> {
  const id = nextId();
  return {
    _id: id,
    type: 'SaleRecorded',
    v: 2,
    stream: `sale-${id}`,
    data: {
      saleId: id,
      concertId,
      level,
      quantity,
      unitPrice,
      total: unitPrice * quantity,
      currency: 'PLN',
      payment: { method: 'cash', tendered: unitPrice * quantity, change: 0 },
    },
    meta: factMeta(deviceId, id),
  };
}

/** A concert database with a created and published concert, as an organizer's device would leave it. */
export async function setUpConcert(
  couch: Couch,
  concertId: string,
  levels: { name: string; capacity: number; price: number }[],
) {
  const dbName = concertDatabase(concertId);
  await ensureEventDatabase(couch, dbName);
  const db = couch.server.use<Doc>(dbName);
  await createAll(db, [creationFact(concertId, levels), publicationFact(concertId)]);
  return db;
}

/** The concert's decision stream as every reader sees it: the accepted chain, plus what was orphaned. */
export async function readStream(
  couch: Couch,
  concertId: string,
): Promise<{ accepted: DecisionDoc[]; orphans: DecisionDoc[] }> {
  const db = couch.server.use<Doc>(concertDatabase(concertId));
  const { startkey, endkey } = streamRange(concertStream(concertId));
  const decisions: DecisionDoc[] = [];
  for await (const page of readRange(db, startkey, endkey)) {
    for (const raw of page) {
      const parsed = parseEventDoc(raw);
      if (parsed.ok && isDecision(parsed.doc)) decisions.push(parsed.doc);
    }
  }
  const { accepted, orphans } = followChain(
    emptyChain(),
    decisions.map((d) => ({ ...d.meta, doc: d })),
  );
  return { accepted: accepted.map((a) => a.doc), orphans: orphans.map((o) => o.doc) };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: string | undefined;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : JSON.stringify(error);
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
