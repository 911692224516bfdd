import { z } from 'zod';
import { isTimeZone } from './time-zones.ts';

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
  // Password hashes at once per process; the rest queue. Default: the CPUs its container may use.
  PASSWORD_HASH_CONCURRENCY: number().positive({ error: 'must be positive' }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// URL' }).optional(),
  REDIS_KEY_PREFIX: z.string().max(50).default('todo:'),

  PUBLIC_URL: origin,
  TRUSTED_ORIGINS: csv.pipe(z.array(origin)).default([]),
  AUTH_SECRET: z.string().min(32, { error: 'must be at least 32 characters (try: openssl rand -base64 48)' }),
  // Who may say where a request came from (X-Forwarded-For): false (no one, the
  // default), a hop count (1: the one proxy in front; 2: an edge, then a proxy),
  // or the proxies' addresses/subnets (loopback, uniquelocal, 10.0.0.0/8, ...).
  // `true` trusts every hop, so clients could claim any address: refused in production.
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | number | string =>
      v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v,
    ),

  // How long a replica trusts a session it verified: while Redis carries every sign-out to every
  // replica at once, and (the shorter) while it might not.
  SESSION_CACHE_SYNCED_SECONDS: number().min(0, { error: 'must be 0 or more' }).default(60),
  SESSION_CACHE_SECONDS: number().min(0, { error: 'must be 0 or more' }).default(5),
  BODY_LIMIT_BYTES: positiveInt(100_000),
  // Below Docker's default stop timeout (10 s), so the process ends on its own terms.
  SHUTDOWN_TIMEOUT_MS: positiveInt(8_000),
  // Behind a load balancer: fail health checks this long before closing, so it stops routing here first.
  // Default: 5000 in production (a balancer's health checks or endpoint updates need seconds to notice), 0 otherwise.
  SHUTDOWN_DRAIN_MS: number().min(0, { error: 'must be 0 or more' }).optional(),
  // GET /metrics: with a token, on the API's port behind `Authorization: Bearer`;
  // on METRICS_PORT (a port the platform does not publish) for a private scraper.
  // In production the API's own port never serves it openly.
  METRICS_TOKEN: z.string().min(16).optional(),
  METRICS_PORT: number()
    .min(1, { error: 'must be a port number' })
    .max(65535, { error: 'must be a port number' })
    .optional(),

  RATE_LIMIT_API_MAX: positiveInt(600),
  RATE_LIMIT_API_WINDOW_SECONDS: positiveInt(60),
  RATE_LIMIT_AUTH_MAX: positiveInt(10),
  RATE_LIMIT_AUTH_WINDOW_SECONDS: positiveInt(60),
  // Failed sign-ins per (account, address), then a lock that doubles each time (up to a day).
  RATE_LIMIT_SIGNIN_FAILURES_MAX: positiveInt(5),
  RATE_LIMIT_SIGNIN_FAILURES_WINDOW_SECONDS: positiveInt(900),
  // Failed sign-ins per address over all accounts, in the same window.
  RATE_LIMIT_SIGNIN_ADDRESS_FAILURES_MAX: positiveInt(30),
  // Failed sign-ins per account over all addresses, past which only devices
  // that signed in to it before may try (until the window ends).
  RATE_LIMIT_SIGNIN_ACCOUNT_FAILURES_MAX: positiveInt(100),
  RATE_LIMIT_CHAT_MAX: positiveInt(20),
  RATE_LIMIT_CHAT_WINDOW_SECONDS: positiveInt(60),

  // The assistant. `offline` needs nothing else; `openai-compatible` needs a model
  // and, except for Ollama, a key (the preset fills in the base URL).
  ASSISTANT_MODE: z.enum(['offline', 'openai-compatible']).default('offline'),
  ASSISTANT_PROVIDER: z
    .enum(['openai', 'groq', 'openrouter', 'gemini', 'ollama', 'custom'])
    .default('custom'),
  ASSISTANT_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  ASSISTANT_API_KEY: z.string().min(1).optional(),
  ASSISTANT_MODEL: z.string().min(1).max(200).optional(),
  ASSISTANT_TIMEOUT_MS: positiveInt(30_000),
  ASSISTANT_MAX_RETRIES: number().min(0, { error: 'must be 0 or more' }).max(10).default(2),
  ASSISTANT_MAX_STEPS: number().min(1, { error: 'must be at least 1' }).max(20).default(5),
  ASSISTANT_TIME_ZONE: z
    .string()
    .default('UTC')
    .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Paris' }),
  CHAT_MAX_MESSAGE_CHARS: positiveInt(2_000),
  CHAT_HISTORY_MESSAGES: positiveInt(40),
  // Host names the MCP endpoint answers to (besides those of PUBLIC_URL and TRUSTED_ORIGINS).
  MCP_ALLOWED_HOSTS: csv.default([]),
});

/** How long a production replica fails its health checks before closing, unless SHUTDOWN_DRAIN_MS says. */
export const productionDrainMs = 5_000;

/** Settings that only make sense together, checked after each variable on its own. */
const checkedSchema = envSchema.superRefine((config, ctx) => {
  const issue = (path: string, message: string) => {
    ctx.addIssue({ code: 'custom', path: [path], message });
  };
  if (config.TRUST_PROXY === true && config.NODE_ENV === 'production') {
    issue(
      'TRUST_PROXY',
      'true trusts every hop, so any client could claim any address (and so dodge per-address limits); ' +
        'give the number of proxies in front instead (Railway: 1, Railway behind Vercel: 2)',
    );
  }
  if (config.ASSISTANT_MODE !== 'openai-compatible') return;
  if (!config.ASSISTANT_MODEL) issue('ASSISTANT_MODEL', 'is required when ASSISTANT_MODE=openai-compatible');
  if (config.ASSISTANT_PROVIDER === 'custom' && !config.ASSISTANT_BASE_URL) {
    issue('ASSISTANT_BASE_URL', 'is required when ASSISTANT_PROVIDER=custom (or pick a preset provider)');
  }
  if (
    config.ASSISTANT_PROVIDER !== 'ollama' &&
    config.ASSISTANT_PROVIDER !== 'custom' &&
    !config.ASSISTANT_API_KEY
  ) {
    issue('ASSISTANT_API_KEY', `is required for ASSISTANT_PROVIDER=${config.ASSISTANT_PROVIDER}`);
  }
});

/** Defaults that depend on another variable, filled in once every variable is valid. */
export const configSchema = checkedSchema.transform((config) => ({
  ...config,
  SHUTDOWN_DRAIN_MS: config.SHUTDOWN_DRAIN_MS ?? (config.NODE_ENV === 'production' ? productionDrainMs : 0),
}));

export type Config = z.output<typeof configSchema>;
