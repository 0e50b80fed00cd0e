// Entry point of the sync server process: configuration from the environment, graceful stop on SIGTERM/SIGINT.
import pino from 'pino';
import { loadConfig } from './config';
import { startSyncServer, StoreUnreachable } from './sync-server';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = pino({ level: config.LOG_LEVEL });
  const server = await startSyncServer(config, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // One clear line for a person, and a non-zero exit.
  const message = error instanceof StoreUnreachable || error instanceof Error ? error.message : String(error);
  process.stderr.write(`stagedoor sync server: ${message}\n`);
  process.exit(1);
});
