// Once per run: build the desk app, start a fresh store in a temporary folder and the sync server on free ports
// (in this process, with the same building blocks as `npm start`), and hand the address to the tests.
// Playwright wants a default export here; what it returns is the teardown.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { build } from 'vite';
import { loadConfig } from '../../sync-server/config';
import { startEmbeddedStore } from '../../sync-server/store/embedded-store';
import { startSyncServer } from '../../sync-server/sync-server';
import { serverUrlVariable } from './fixtures';

export default async function globalSetup(): Promise<() => Promise<void>> {
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
  const dataDir = mkdtempSync(join(tmpdir(), 'stagedoor-e2e-'));
  // The servers' logs stay with the test results, for a failure to be read afterwards.
  mkdirSync('test-results', { recursive: true });
  const logger = pino(
    { level: 'info' },
    pino.destination({ dest: 'test-results/e2e-servers.log', sync: true }),
  );
  const store = await startEmbeddedStore({ dataDir, logger: logger.child({ part: 'store' }) });
  // Orders: holds of one minute on a clock three times as fast, so that a hold lapses within 20 s for the expiry
  // scenario (orders.e2e.spec.ts) and still leaves time to take the cash in the others.
  const server = await startSyncServer(
    loadConfig({
      COUCHDB_URL: store.url,
      STAGEDOOR_DATA: dataDir,
      PORT: '0',
      SEED_DEMO: '0',
      LOG_LEVEL: 'info',
      HOLD_MINUTES: process.env.HOLD_MINUTES ?? '1',
      CLOCK_RATE: process.env.CLOCK_RATE ?? '3',
    }),
    logger.child({ part: 'sync-server' }),
  );
  process.env[serverUrlVariable] = `http://127.0.0.1:${server.port}`;
  return async () => {
    await server.stop();
    await store.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
