// What the browser benchmarks share: the desk app built into a temporary folder, a fresh store and the sync server
// (in this process, from the same parts `startSyncServer` assembles), Debian's Chromium through Playwright's
// library (not its test runner), desks set up as people do it (an enrolment code the harness's admin makes through
// the API, typed on the set-up screen; a desk person signs in and chooses a PIN), and concerts created and published
// from facts written straight into the store, as an organizer's device would write them.
//
// Baselines run through the same browser, proxy and store, in the same run and interleaved with or bracketing the
// measurement, on databases the authority never follows: it learns of concerts through the catalogue (as it does
// in production) and does not list the store's databases, so a baseline is the transport alone.
import { loadAuthorityKey } from '../sync-server/authority/trust';
import { userDirectory } from '../sync-server/people/directory';
import { ensureFirstAdmin } from '../sync-server/people/first-admin';
import { randomBytes, randomInt } from 'node:crypto';
import type { DeviceRole } from '../domain/users/devices';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import pino from 'pino';
import { build } from 'vite';
import { concertDatabase } from '../domain/authority/concert-authority';
import { isDecision, parseEventDoc } from '../domain/events/catalogue';
import { startAuthority } from '../sync-server/authority/supervisor';
import { createMetrics } from '../sync-server/authority/metrics';
import { buildHttpServer } from '../sync-server/http/server';
import {
  authorityDb,
  catalogueDb,
  createAll,
  ensureDatabase,
  ensureEventDatabase,
} from '../sync-server/store/couch';
import type { Doc } from '../sync-server/store/couch';
import { creationFact, publicationFact, saleFact, startTestStore, waitFor } from '../test/support/store';
import type { TestStore } from '../test/support/store';
import { chromiumLaunchOptions } from '../test/support/chromium';
import { DeskPage } from '../test/e2e/pages/desk-page';
import { setUpDevice } from '../test/e2e/pages/device-setup';

export type Level = { name: string; capacity: number; price: number };

export type DeskStack = {
  /** The sync server's address, where the desk app is served. */
  url: string;
  store: TestStore;
  /** Creates a concert (its request in the catalogue, as an organizer's device writes it) and publishes it. */
  publishConcert: (concertId: string, artist: string, levels: Level[]) => Promise<void>;
  /** For each sale in the concert's database: when the desk made it and when the authority decided it (epoch ms). */
  saleTimes: (concertId: string) => Promise<Map<string, { recordedAt: number; decidedAt: number }>>;
  /** A new database for a baseline: an event database the proxy lets a browser use, out of the authority's sight. */
  baselineDatabase: (name: string) => Promise<string>;
  stop: () => Promise<void>;
};

const logger = pino({ level: process.env.BENCH_LOG ?? 'silent' });

/**
 * `minify: false` keeps function names readable in a CPU profile of the page; `viteConfig` builds another copy of
 * the renderer (to compare two versions of it).
 */
export async function startDeskStack(
  options: { minify?: boolean; viteConfig?: string } = {},
): Promise<DeskStack> {
  const rendererDir = mkdtempSync(join(tmpdir(), 'stagedoor-bench-renderer-'));
  await build({
    configFile: options.viteConfig ?? 'vite.config.ts',
    logLevel: 'warn',
    build: { outDir: rendererDir, emptyOutDir: true, minify: options.minify ?? true },
  });
  const store = await startTestStore();
  const { couch } = store;
  await ensureEventDatabase(couch, catalogueDb);
  await ensureDatabase(couch, authorityDb);
  const metrics = createMetrics();
  // One instance, so nobody else provisions concert databases: listing them once a day is listing them never.
  const authority = startAuthority({
    couch,
    authorityId: 'bench',
    logger,
    metrics,
    batchSize: 1000,
    discoveryIntervalMs: 24 * 3600_000,
    // As in production: desks ask for their key's certificate when online, and the authority answers.
    trustKey: await loadAuthorityKey(store.dataDir, logger),
  });
  const directory = userDirectory({ couch, authorityId: 'bench', logger });
  await ensureFirstAdmin({ directory, dataDir: store.dataDir, password: benchAdminPassword, logger });
  const app = buildHttpServer({ couch, authority, metrics, logger, rendererDir, directory });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const position = (concertId: string) =>
    authority.concerts().find((c) => c.concertId === concertId)?.position ?? 0;

  return {
    url: `http://127.0.0.1:${port}`,
    store,
    async publishConcert(concertId, artist, levels) {
      const creation = creationFact(concertId, levels);
      creation.data.artist = artist;
      await createAll(couch.server.use<Doc>(catalogueDb), [creation]);
      await waitFor(`${concertId} created`, () => Promise.resolve(position(concertId) >= 1 || undefined));
      await createAll(couch.server.use<Doc>(concertDatabase(concertId)), [publicationFact(concertId)]);
      await waitFor(`${concertId} published`, () => Promise.resolve(position(concertId) >= 2 || undefined));
    },
    async saleTimes(concertId) {
      const { rows } = await couch.server.use<Doc>(concertDatabase(concertId)).list({ include_docs: true });
      const recorded = new Map<string, number>();
      const decided = new Map<string, number>();
      for (const { doc } of rows) {
        const parsed = doc ? parseEventDoc(doc) : undefined;
        if (!parsed?.ok) continue;
        const at = Date.parse(parsed.doc.meta.recordedAt);
        if (parsed.doc.type === 'SaleRecorded') recorded.set(parsed.doc._id, at);
        else if (isDecision(parsed.doc)) decided.set(parsed.doc.meta.causationId, at);
      }
      return new Map(
        [...recorded].map(([id, recordedAt]) => [id, { recordedAt, decidedAt: decided.get(id) ?? NaN }]),
      );
    },
    async baselineDatabase(name) {
      const database = concertDatabase(`bench-baseline-${name}`);
      await ensureEventDatabase(couch, database);
      return database;
    },
    async stop() {
      await app.close();
      await authority.stop();
      await store.dispose();
      rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}

/** The harness's first admin, who makes the people and the enrolment codes of the benches' devices. */
const benchAdminPassword = `bench-admin-${randomBytes(12).toString('base64url')}`;
const personFor = { desk: 'desk', scanner: 'scanner', manager: 'organizer' } as const;

async function asAdmin<T>(url: string, path: string, body: unknown): Promise<T> {
  const post = (at: string, payload: unknown, token?: string) =>
    fetch(`${url}${at}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(payload),
    });
  const session = (await (
    await post('/api/sessions', { name: 'admin', password: benchAdminPassword })
  ).json()) as {
    token: string;
  };
  const response = await post(path, body, session.token);
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * A device of its own (browser context: its own IndexedDB, localStorage and network switch), enrolled for a role by
 * name with a person of that role signed in: the one way the benches set a device up.
 */
export async function openDesk(
  browser: Browser,
  url: string,
  name: string,
  device: DeviceRole = 'desk',
): Promise<DeskPage> {
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1366, height: 768 } });
  // tsx compiles with esbuild's keepNames, which wraps functions in __name(): functions sent to the page need it.
  await context.addInitScript({ content: 'globalThis.__name = (target) => target;' });
  await context.addInitScript(instrument);
  const page = await context.newPage();
  const person = {
    name: `${name} ${randomBytes(3).toString('hex')}`,
    password: `pw-${randomBytes(12).toString('base64url')}`,
    pin: String(randomInt(10_000_000, 100_000_000)),
  };
  await asAdmin(url, '/api/users', { name: person.name, role: personFor[device], password: person.password });
  await setUpDevice(page, name, {
    device,
    person,
    enrolmentCode: async (role, deviceName) =>
      (await asAdmin<{ code: string }>(url, '/api/devices/codes', { role, name: deviceName })).code,
  });
  return new DeskPage(page);
}

/** Percentile by nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? NaN;
}

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Sale-shaped documents for a baseline (the size of the facts a desk writes), with ULIDs the proxy accepts. */
/** Sale-shaped facts in the device's own name (the store refuses a fact in another device's). */
export function baselineDocs(count: number, deviceId: string): Doc[] {
  return Array.from({ length: count }, () => saleFact('bench-baseline', deviceId, 'Regular', 1, 10000));
}

/** The id the page's device was enrolled with. */
export function deviceIdOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const device = JSON.parse(localStorage.getItem('stagedoor.device') ?? '{}') as { deviceId?: string };
    if (!device.deviceId) throw new Error('the page has no enrolled device');
    return device.deviceId;
  });
}

/** Focuses the quantity field of the sell screen and selects its text, as it is after every sale. */
export async function focusQuantity(page: Page): Promise<void> {
  const quantity = page.getByLabel('Quantity');
  await quantity.fill('1');
  await quantity.focus();
  await quantity.selectText();
}

/** A request the page made with fetch: path and query, method, and when it started and ended (page clock, ms). */
export type TracedFetch = { path: string; method: string; start: number; end: number; status: number };
/** What the page did on the network, for the breakdowns: its fetches and the change stream's news. */
export type Trace = {
  fetches: TracedFetch[];
  changes: { at: number; database: string }[];
  onChange?: (database: string) => void;
};
export type Traced = { __trace: Trace };

/**
 * Runs in the page before the app: records every fetch (the replications use the global fetch) and every `change`
 * event of the app's own change stream, with no request of its own. A few microseconds per request.
 */
function instrument(): void {
  const trace: Trace = { fetches: [], changes: [] };
  (window as unknown as Traced).__trace = trace;
  const originalFetch = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const entry: TracedFetch = {
      path: url.pathname + url.search,
      method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
      start: performance.now(),
      end: NaN,
      status: 0,
    };
    trace.fetches.push(entry);
    try {
      const response = await originalFetch(input, init);
      entry.status = response.status;
      return response;
    } finally {
      entry.end = performance.now();
    }
  };
  // The change stream is read with fetch (renderer/store/change-stream.ts): a copy of its body is read here too.
  const traceChanges = async (body: ReadableStream<Uint8Array>) => {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const messages = buffer.split('\n\n');
      buffer = messages.pop() ?? '';
      for (const message of messages) {
        if (!message.startsWith('event: change')) continue;
        const data = message.split('\ndata: ')[1] ?? '{}';
        const { database } = JSON.parse(data) as { database: string };
        trace.changes.push({ at: performance.now(), database });
        trace.onChange?.(database);
      }
    }
  };
  const fetchWithTrace = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetchWithTrace(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.pathname !== '/api/changes' || !response.body) return response;
    const [app, copy] = response.body.tee();
    void traceChanges(copy).catch(() => undefined);
    return new Response(app, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * The machine while a benchmark measures (Linux /proc): what share of all its cores was busy, and how much of that
 * was this benchmark (this process and its children: the store, Chromium) rather than anything else running. The
 * browser, the sync server and the store share these cores, so a busy machine slows every step of a sale.
 */
export type MachineLoad = {
  cpus: number;
  busy_pct: number;
  bench_pct: number;
  threads_pct_of_a_core: Record<string, number>;
};

export function cpuMeter(): () => MachineLoad | undefined {
  if (!existsSync('/proc/stat')) return () => undefined;
  const system = () => {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { idle: (fields[3] ?? 0) + (fields[4] ?? 0), all: fields.reduce((a, b) => a + b, 0) };
  };
  const ours = () => {
    let total = 0;
    for (const fields of ownProcesses().values()) total += Number(fields[11]) + Number(fields[12]);
    return total;
  };
  const startSystem = system();
  const startOurs = ours();
  const startThreads = threadTicks();
  return () => {
    const endSystem = system();
    const all = endSystem.all - startSystem.all;
    if (all <= 0) return undefined;
    // Each thread kind's share of one core: the ticks of all cores add up to `all`.
    const core = all / cpus().length;
    const threads = [...threadTicks()]
      .map(([name, ticks]) => [name, round((100 * (ticks - (startThreads.get(name) ?? 0))) / core)] as const)
      .filter(([, pct]) => pct >= 1)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14);
    return {
      cpus: cpus().length,
      busy_pct: round(100 * (1 - (endSystem.idle - startSystem.idle) / all)),
      bench_pct: round((100 * (ours() - startOurs)) / all),
      threads_pct_of_a_core: Object.fromEntries(threads),
    };
  };
}

/** This process and its descendants, each with the fields of its /proc stat after the command's name. */
function ownProcesses(): Map<number, string[]> {
  const stats = new Map<number, string[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      stats.set(Number(name), stat.slice(stat.lastIndexOf(')') + 2).split(' '));
    } catch {
      // gone meanwhile
    }
  }
  const ours = new Map<number, string[]>();
  for (const [pid, fields] of stats)
    for (let at = pid; at > 1; at = Number(stats.get(at)?.[1]))
      if (at === process.pid) {
        ours.set(pid, fields);
        break;
      }
  return ours;
}

/**
 * CPU ticks by kind of thread, for this process and its descendants: `<process>/<thread>`, the process named by its
 * role (Chromium's --type and service, the store, this process with the sync server), threads by their name.
 */
function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of ownProcesses().keys()) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const type = /--type=([a-z-]+)/.exec(command)?.[1];
      const service = /--utility-sub-type=([a-z]+)/.exec(command)?.[1];
      const role =
        pid === process.pid
          ? 'bench+sync-server'
          : command.includes('pouchdb-server')
            ? 'store'
            : command.includes('chromium') || command.includes('chrome')
              ? `chromium-${service ?? type ?? 'browser'}`
              : (command.split('\0')[0]?.split('/').pop() ?? 'other');
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const thread = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const key = `${role}/${thread}`;
        ticks.set(key, (ticks.get(key) ?? 0) + Number(fields[11]) + Number(fields[12]));
      }
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}
