// The embedded default store: a CouchDB-compatible server (pouchdb-server, leveldb) run as a supervised child
// process on 127.0.0.1, with its data and its generated admin credentials in one local folder.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';

export type EmbeddedStore = {
  /** Base URL with the admin credentials, e.g. http://admin:secret@127.0.0.1:5984 */
  url: string;
  port: number;
  /** Restarts after crashes so far. */
  restarts: () => number;
  /** Kills the process the way a crash would (tests); the supervisor restarts it. */
  crash: () => void;
  stop: () => Promise<void>;
};

type Credentials = { username: string; password: string };

export async function startEmbeddedStore(options: {
  dataDir: string;
  port?: number;
  logger: Logger;
}): Promise<EmbeddedStore> {
  const { dataDir, logger } = options;
  mkdirSync(dataDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const credentialsFile = join(dataDir, 'credentials.json');
  const firstStart = !existsSync(credentialsFile);
  const credentials: Credentials = firstStart
    ? { username: 'stagedoor', password: randomBytes(18).toString('base64url') }
    : (JSON.parse(readFileSync(credentialsFile, 'utf8')) as Credentials);

  const bin = createRequire(import.meta.url).resolve('pouchdb-server/bin/pouchdb-server');
  const args = [
    bin,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--dir',
    dataDir,
    '--config',
    join(dataDir, 'config.json'),
    '--no-stdout-logs',
  ];
  const base = `http://127.0.0.1:${port}`;

  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  const launch = (): ChildProcess => {
    const proc = spawn(process.execPath, args, { cwd: dataDir, stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr?.on('data', (chunk: Buffer) =>
      logger.warn({ store: chunk.toString().trim() }, 'store stderr'),
    );
    proc.on('exit', (code, signal) => {
      if (stopping) return;
      restarts += 1;
      logger.error({ code, signal, restarts }, 'store process exited; restarting it');
      // Supervision: one bad client request must not take the box office down.
      setTimeout(
        () => {
          if (stopping) return;
          child = launch();
        },
        Math.min(5_000, 200 * restarts),
      );
    });
    return proc;
  };
  child = launch();
  await waitUntilUp(base, 30_000);

  if (firstStart) {
    // While no admin exists everyone is admin: create ours at once, then never talk to the store anonymously.
    const response = await fetch(`${base}/_config/admins/${credentials.username}`, {
      method: 'PUT',
      body: JSON.stringify(credentials.password),
    });
    if (!response.ok)
      throw new Error(`could not create the store's admin: ${response.status} ${await response.text()}`);
    writeFileSync(credentialsFile, JSON.stringify(credentials, null, 2), { mode: 0o600 });
    logger.info({ dataDir }, 'store admin credentials generated');
  }
  const url = `http://${credentials.username}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  logger.info({ port, dataDir }, 'embedded store up');

  return {
    url,
    port,
    restarts: () => restarts,
    crash: () => child?.kill('SIGKILL'),
    stop: async () => {
      stopping = true;
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 3_000).unref();
      });
    },
  };
}

export async function waitUntilUp(base: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${base}/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`the store at ${base} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
