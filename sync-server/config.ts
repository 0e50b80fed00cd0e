// The sync server's configuration, from the environment, checked once at start with errors a person can act on.
import { hostname } from 'node:os';
import { z } from 'zod';

const schema = z.object({
  COUCHDB_URL: z.url({
    message: 'COUCHDB_URL must be the store URL with credentials, e.g. http://admin:secret@127.0.0.1:5984',
  }),
  HOST: z.string().default('127.0.0.1'),
  /** The sync server's own files (the authority's signing key), as `npm start` keeps the embedded store's. */
  STAGEDOOR_DATA: z.string().min(1).default('.stagedoor'),
  /** The first admin's password (at least 10 characters); without it one is generated into STAGEDOOR_DATA. */
  ADMIN_PASSWORD: z.string().min(10, 'ADMIN_PASSWORD needs at least 10 characters').optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(4984),
  AUTHORITY_ID: z.string().min(1).default(`${hostname()}-${process.pid}`),
  LEASE_TTL_MS: z.coerce.number().int().min(1000).default(10_000),
  BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  STORE_WAIT_MS: z.coerce.number().int().min(0).default(30_000),
  /** How long an order waits for its seats and cash, in whole minutes (1 to 1440). */
  ORDER_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** How long a concert holds seats for an order, in whole minutes (1 to 1440). */
  HOLD_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** How fast the authorities' clock runs: 1 is real time; tests use 60 (a minute a second) to let holds lapse. */
  CLOCK_RATE: z.coerce.number().positive().max(10_000).default(1),
  /** Test hook: SIGKILL the process right after appending the first order decision of this type. */
  CRASH_AFTER_DECISION: z.string().min(1).optional(),
  /** Card payments through Stripe: the secret key (sk_…); without it (and the webhook secret) card payments are off. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /** The webhook endpoint's signing secret (whsec_…): every webhook's signature is checked with it. */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /**
   * Another server speaking Stripe's API, e.g. http://127.0.0.1:12111 (the tests' local one). It also enables the
   * desk's test card confirmation, which a real box office does at its card terminal instead.
   */
  STRIPE_API_BASE: z
    .url({ message: 'STRIPE_API_BASE must be a URL such as http://127.0.0.1:12111' })
    .optional(),
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

/** The authorities' clock: real time from the start, running CLOCK_RATE times as fast. */
export function authorityClock(rate: number, start = Date.now()): () => Date {
  if (rate === 1) return () => new Date();
  return () => new Date(start + (Date.now() - start) * rate);
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

/** Why card payments are off, or undefined when both Stripe settings are there. */
export function cardPaymentsOff(
  config: Pick<Config, 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET'>,
): string | undefined {
  const missing = [
    config.STRIPE_SECRET_KEY ? undefined : 'STRIPE_SECRET_KEY',
    config.STRIPE_WEBHOOK_SECRET ? undefined : 'STRIPE_WEBHOOK_SECRET',
  ].filter((name) => name !== undefined);
  if (missing.length === 0) return undefined;
  return `Card payments are off: the sync server has no ${missing.join(' and no ')}. Take cash.`;
}
