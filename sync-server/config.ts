// The sync server's configuration, from the environment, checked once at start with errors a person can act on.
import { hostname } from 'node:os';
import { z } from 'zod';

const schema = z.object({
  COUCHDB_URL: z.url({
    message: 'COUCHDB_URL must be the store URL with credentials, e.g. http://admin:secret@127.0.0.1:5984',
  }),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4984),
  AUTHORITY_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  LEASE_TTL_MS: z.coerce.number().int().min(1000).default(10_000),
  BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  STORE_WAIT_MS: z.coerce.number().int().min(0).default(30_000),
  SEED_DEMO: z.enum(['0', '1']).default('0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`bad configuration: ${problems}`);
  }
  return parsed.data;
}

/** The URL without its password, for logs and messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
