import { z } from 'zod';

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const origin = z.url({ protocol: /^https?$/ }).transform((u) => new URL(u).origin);

const number = () => z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' });
const positiveInt = (fallback: number) => number().positive({ error: 'must be positive' }).default(fallback);

/** Every variable the backend reads. Documented one by one in .env.example. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: number()
    .min(0, { error: 'must be a port number' })
    .max(65535, { error: 'must be a port number' })
    .default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }),
  DATABASE_POOL_MAX: positiveInt(10),
  AUTH_DATABASE_POOL_MAX: positiveInt(4),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
  REDIS_KEY_PREFIX: z.string().max(50).default('todo:'),

  PUBLIC_URL: origin,
  TRUSTED_ORIGINS: csv.pipe(z.array(origin)).default([]),
  AUTH_SECRET: z.string().min(32, { error: 'must be at least 32 characters (try: openssl rand -base64 48)' }),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | string => (v === 'true' ? true : v === 'false' ? false : v)),

  SESSION_CACHE_SECONDS: number().min(0, { error: 'must be 0 or more' }).default(5),
  BODY_LIMIT_BYTES: positiveInt(100_000),
  // Below Docker's default stop timeout (10 s), so the process ends on its own terms.
  SHUTDOWN_TIMEOUT_MS: positiveInt(8_000),
  METRICS_TOKEN: z.string().min(16).optional(),

  RATE_LIMIT_API_MAX: positiveInt(600),
  RATE_LIMIT_API_WINDOW_SECONDS: positiveInt(60),
  RATE_LIMIT_AUTH_MAX: positiveInt(10),
  RATE_LIMIT_AUTH_WINDOW_SECONDS: positiveInt(60),
  RATE_LIMIT_SIGNIN_FAILURES_MAX: positiveInt(5),
  RATE_LIMIT_SIGNIN_FAILURES_WINDOW_SECONDS: positiveInt(900),
});

export type Config = z.output<typeof envSchema>;
