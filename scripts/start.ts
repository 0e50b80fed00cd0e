// `npm start`: the store (embedded unless COUCHDB_URL is set), the sync server with demo data and the desk app in
// one process, and the desktop window where Electron is installed.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { loadConfig, redact } from '../sync-server/config';
import { freePort, startEmbeddedStore } from '../sync-server/store/embedded-store';
import type { EmbeddedStore } from '../sync-server/store/embedded-store';
import { startSyncServer } from '../sync-server/sync-server';

async function main(): Promise<void> {
  const dataDir = resolve(process.env.STAGEDOOR_DATA ?? '.stagedoor');
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(dataDir, 'stagedoor.log');
  const logger = pino(
    { level: process.env.LOG_LEVEL ?? 'info' },
    pino.destination({ dest: logFile, mkdir: true }),
  );

  let store: EmbeddedStore | undefined;
  let couchUrl = process.env.COUCHDB_URL;
  if (!couchUrl) {
    const wanted = Number(process.env.STAGEDOOR_STORE_PORT ?? 5984);
    const port = (await isFree(wanted)) ? wanted : await freePort();
    store = await startEmbeddedStore({
      dataDir: join(dataDir, 'store'),
      port,
      logger: logger.child({ part: 'store' }),
    });
    couchUrl = store.url;
  }
  const config = loadConfig({
    ...process.env,
    COUCHDB_URL: couchUrl,
    STAGEDOOR_DATA: dataDir,
    SEED_DEMO: process.env.SEED_DEMO ?? '1',
  });
  const server = await startSyncServer(config, logger.child({ part: 'sync-server' }));

  const lines = [
    '',
    'Stagedoor is running.',
    `  store        ${redact(couchUrl)}${store ? `  (embedded; data and admin credentials in ${join(dataDir, 'store')})` : ''}`,
    `  desk app     http://127.0.0.1:${server.port}/`,
    `  sync server  http://127.0.0.1:${server.port}   health: /health   metrics: /metrics`,
    `  logs         ${logFile}`,
    'Press Ctrl+C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  // The desktop window where Electron is installed; otherwise one line saying to use a browser.
  const shell = spawn(
    process.execPath,
    ['scripts/electron.mjs', 'launch', `http://127.0.0.1:${server.port}/`],
    {
      stdio: 'inherit',
    },
  );
  shell.on('error', (error) => logger.warn({ err: error }, 'could not start the desktop shell'));

  const stop = async () => {
    process.stdout.write('\nStopping Stagedoor…\n');
    if (shell.exitCode === null) shell.kill();
    await server.stop();
    await store?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

async function isFree(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) });
    return false;
  } catch {
    return true;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`stagedoor: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
