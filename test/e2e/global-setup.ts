// Once per run: build the desk app, start a fresh store in a temporary folder and the sync server on free ports
// (in this process, with the same building blocks as `npm start`), and hand the address to the tests. The first
// admin's password is chosen here (ADMIN_PASSWORD), so the tests make people and enrolment codes through the API.
// Card payments are on, against the local Stripe-compatible test server (test/support/stripe-server.ts) with keys
// made for the run: it approves the desk's test card and sends its signed webhooks to the sync server.
// Playwright wants a default export here; what it returns is the teardown, which first checks that no secret the run
// used (passwords, PINs, device secrets, the store's admin password, the authority's private key, the Stripe secret
// key and webhook secret) appears in any CouchDB document, in the store's data folder or in the servers' log: a
// secret found fails the run.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';
import pino from 'pino';
import { build } from 'vite';
import { authorityKeyFile } from '../../sync-server/authority/trust';
import { loadConfig } from '../../sync-server/config';
import { startEmbeddedStore } from '../../sync-server/store/embedded-store';
import { startSyncServer } from '../../sync-server/sync-server';
import { startStripeServer } from '../support/stripe-server';
import { adminPasswordVariable, secretsFileVariable, serverUrlVariable } from './fixtures';

export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  // The servers' logs stay with the test results (the run's output folder), for a failure to be read afterwards.
  const outputDir = config.projects[0]?.outputDir ?? 'test-results';
  const logFile = join(outputDir, 'e2e-servers.log');
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
  // The store's folder, the server's (its authority key) and the secrets noted by the tests are kept apart: the
  // check greps the store's folder, which must hold none of them.
  const storeDir = mkdtempSync(join(tmpdir(), 'stagedoor-e2e-store-'));
  const serverDir = mkdtempSync(join(tmpdir(), 'stagedoor-e2e-server-'));
  const secretsDir = mkdtempSync(join(tmpdir(), 'stagedoor-e2e-secrets-'));
  const secretsFile = join(secretsDir, 'secrets.txt');
  writeFileSync(secretsFile, '', { mode: 0o600 });
  const adminPassword = `admin-${randomBytes(12).toString('base64url')}`;
  mkdirSync(outputDir, { recursive: true });
  const logger = pino({ level: 'info' }, pino.destination({ dest: logFile, sync: true }));
  const store = await startEmbeddedStore({ dataDir: storeDir, logger: logger.child({ part: 'store' }) });
  // The Stripe server starts first, for the sync server to be pointed at it; it learns the webhook's address once the
  // sync server has one (it keeps what it would send until then).
  const stripe = await startStripeServer({
    secretKey: `sk_test_${randomBytes(18).toString('base64url')}`,
    webhookSecret: `whsec_${randomBytes(18).toString('base64url')}`,
  });
  // Orders: holds of one minute on a clock three times as fast, so that a hold lapses within 20 s for the expiry
  // scenario (orders.e2e.spec.ts) and still leaves time to take the cash in the others.
  const server = await startSyncServer(
    loadConfig({
      COUCHDB_URL: store.url,
      STAGEDOOR_DATA: serverDir,
      PORT: '0',
      SEED_DEMO: '0',
      LOG_LEVEL: 'info',
      ADMIN_PASSWORD: adminPassword,
      HOLD_MINUTES: process.env.HOLD_MINUTES ?? '1',
      CLOCK_RATE: process.env.CLOCK_RATE ?? '3',
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_API_BASE: stripe.url,
    }),
    logger.child({ part: 'sync-server' }),
  );
  const serverUrl = `http://127.0.0.1:${server.port}`;
  await stripe.setWebhookUrl(`${serverUrl}/api/stripe/webhook`);
  process.env[serverUrlVariable] = serverUrl;
  process.env[adminPasswordVariable] = adminPassword;
  process.env[secretsFileVariable] = secretsFile;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stripe.close();
    await server.stop();
    await store.stop();
  };
  return async () => {
    try {
      const secrets = new Map<string, string>([
        ['the first admin’s password', adminPassword],
        ['the store admin’s password', decodeURIComponent(new URL(store.url).password)],
        [
          'the authority’s private key',
          (JSON.parse(readFileSync(authorityKeyFile(serverDir), 'utf8')) as { privateKey: string })
            .privateKey,
        ],
        ['the Stripe secret key', stripe.secretKey],
        ['the Stripe webhook secret', stripe.webhookSecret],
      ]);
      for (const [i, line] of readFileSync(secretsFile, 'utf8').split('\n').entries())
        if (line) secrets.set(`test secret #${i + 1} (a password, PIN or device secret)`, line);
      const documents = await allDocuments(store.url);
      await stop();
      const places: [string, string][] = [
        ['the CouchDB documents', documents],
        ['the servers’ log', readFileSync(logFile, 'latin1')],
        // The store's own credentials file holds its admin password by design: everything else is checked.
        ...filesUnder(storeDir)
          .filter((file) => !/credentials\.json$/.test(file))
          .map((file): [string, string] => [`the store's file ${file}`, readFileSync(file, 'latin1')]),
      ];
      const found = [...secrets].flatMap(([what, secret]) =>
        places.filter(([, text]) => text.includes(secret)).map(([where]) => `${what} in ${where}`),
      );
      if (secrets.size < 6) throw new Error('the secrets check found no test secrets to look for');
      if (found.length > 0) throw new Error(`secrets leaked after the e2e run:\n${found.join('\n')}`);
    } finally {
      await stop();
      for (const dir of [storeDir, serverDir, secretsDir]) rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Every document of every database, `_users` included, as the store's admin reads them. */
async function allDocuments(storeUrl: string): Promise<string> {
  const url = new URL(storeUrl);
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  url.username = url.password = '';
  const base = url.toString().replace(/\/$/, '');
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers: { authorization } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return response.text();
  };
  const names = JSON.parse(await get('/_all_dbs')) as string[];
  const texts = await Promise.all(
    names.map(async (name) => {
      const docs = await get(`/${encodeURIComponent(name)}/_all_docs?include_docs=true`);
      const security = await get(`/${encodeURIComponent(name)}/_security`);
      return docs + security;
    }),
  );
  return texts.join('\n');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
