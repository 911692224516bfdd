import { readFileSync } from 'node:fs';
import rateLimit from '@fastify/rate-limit';
import { Counter } from 'prom-client';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import { assistantRoutes, lazyAssistant } from './assistant/index.ts';
import {
  authRoutes,
  betterAuthScrypt,
  createAuth,
  redisSessionCache,
  requireUser,
  SessionRevocations,
  SignInGuard,
} from './auth/index.ts';
import type { Config } from './config/index.ts';
import { createPool } from './db/index.ts';
import { AppError, installErrorHandlers, sendError, toAppError } from './errors/index.ts';
import { healthRoutes } from './health/index.ts';
import {
  createLogger,
  drainOnClose,
  methodNotAllowed,
  openapi,
  requestId,
  requestLog,
  security,
  serializerCompiler,
} from './http/index.ts';
import { mcpRoutes } from './mcp/index.ts';
import { cpuLimit, createPasswords } from './passwords/index.ts';
import { metrics, startMetricsServer } from './metrics/index.ts';
import { BatchedCounter, RateLimiter, fastifyStore } from './ratelimit/index.ts';
import { RedisConnection } from './redis/index.ts';
import { createTaskService, taskRoutes } from './tasks/index.ts';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export interface BuildOptions {
  /** Where logs go (default stdout). Tests capture them here. */
  logDestination?: DestinationStream;
}

/** The API with its connections. Nothing is listening yet; close() releases everything. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const logger = createLogger(config.LOG_LEVEL, options.logDestination);
  const trustProxy = trustProxyOption(config.TRUST_PROXY);
  const fastifyLogger: FastifyBaseLogger = logger;
  const app = Fastify({
    loggerInstance: fastifyLogger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestId,
    trustProxy,
    bodyLimit: config.BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    return503OnClosing: true,
    // Errors raised before routing (a malformed URL) get the same answers as the rest.
    frameworkErrors: (error, request, reply) => {
      sendError(request, reply, toAppError(error));
    },
  });
  // JSON only (better-auth's routes take raw bytes in their own scope): other bodies answer 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('user', null);
  installErrorHandlers(app);
  methodNotAllowed(app);
  drainOnClose(app);

  // Connections. Auth gets a pool of its own, so sign-ups and sign-ins never
  // wait behind task queries (nor tasks behind them).
  const pool = createPool({
    connectionString: config.DATABASE_URL,
    max: config.DATABASE_POOL_MAX,
    name: 'todo-api',
    logger,
    timestamps: 'iso',
  });
  const authPool = createPool({
    connectionString: config.DATABASE_URL,
    max: config.AUTH_DATABASE_POOL_MAX,
    name: 'todo-auth',
    logger,
  });
  const redis = config.REDIS_URL
    ? new RedisConnection(config.REDIS_URL, logger.child({ component: 'redis' }))
    : undefined;
  const apiCounter = new BatchedCounter(redis, `${config.REDIS_KEY_PREFIX}api:`);
  app.addHook('onClose', async () => {
    await apiCounter.flush(); // the last hits still count for the other replicas
    await Promise.allSettled([pool.end(), authPool.end(), redis?.close()]);
  });

  const limiter = new RateLimiter(redis, `${config.REDIS_KEY_PREFIX}rl:`);
  const trustedOrigins = [config.PUBLIC_URL, ...config.TRUSTED_ORIGINS];
  const passwords = createPasswords({
    concurrency: config.PASSWORD_HASH_CONCURRENCY ?? cpuLimit(),
    legacy: betterAuthScrypt,
    pool: authPool,
    logger: logger.child({ component: 'passwords' }),
  });
  const sessionCacheRejections = new Counter({
    name: 'session_cache_rejected_total',
    help: 'Cached sessions read from Redis that failed their check and were ignored (Postgres answered)',
    registers: [],
  });
  const signInGuard = new SignInGuard(redis, `${config.REDIS_KEY_PREFIX}signin:`, {
    max: config.RATE_LIMIT_SIGNIN_FAILURES_MAX,
    windowMs: config.RATE_LIMIT_SIGNIN_FAILURES_WINDOW_SECONDS * 1000,
    addressMax: config.RATE_LIMIT_SIGNIN_ADDRESS_FAILURES_MAX,
    accountMax: config.RATE_LIMIT_SIGNIN_ACCOUNT_FAILURES_MAX,
  });
  // Sign-outs reach every replica at once, so each may trust what it verified for long.
  const revocations = redis
    ? new SessionRevocations(redis, {
        channel: `${config.REDIS_KEY_PREFIX}sessions:revoked`,
        logger: logger.child({ component: 'sessions' }),
      })
    : undefined;
  revocations?.start();
  app.addHook('onClose', async () => {
    await revocations?.close();
  });
  const auth = createAuth({
    config,
    pool: authPool,
    passwords,
    limiter,
    signInGuard,
    sessionCache: redis
      ? redisSessionCache(redis, {
          prefix: `${config.REDIS_KEY_PREFIX}auth:`,
          secret: config.AUTH_SECRET,
          onRejected: () => {
            sessionCacheRejections.inc();
            logger.warn('a cached session failed its check (tampered with, or another AUTH_SECRET): ignored');
          },
        })
      : undefined,
    revocations,
    logger: logger.child({ component: 'auth' }),
  });
  const tasks = createTaskService({ db: pool });

  await security(app, trustedOrigins);
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: config.RATE_LIMIT_API_MAX,
    timeWindow: config.RATE_LIMIT_API_WINDOW_SECONDS * 1000,
    keyGenerator: (request) => request.user?.id ?? request.ip,
    store: fastifyStore(apiCounter),
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });
  await openapi(app, version);
  const exposition = metrics(app, {
    pools: { api: pool, auth: authPool },
    token: config.METRICS_TOKEN,
    openOnApiPort: config.NODE_ENV !== 'production',
    more: [...passwords.metrics, ...signInGuard.metrics, sessionCacheRejections],
  });
  requestLog(app);
  if (config.METRICS_PORT !== undefined) {
    const port = config.METRICS_PORT;
    let server: Awaited<ReturnType<typeof startMetricsServer>> | undefined;
    app.addHook('onListen', async () => {
      try {
        server = await startMetricsServer(exposition, { host: config.HOST, port });
        app.log.info({ port }, 'metrics served on their own port');
      } catch (error) {
        app.log.error({ err: error, port }, `could not serve /metrics on METRICS_PORT ${port}`);
      }
    });
    app.addHook('onClose', async () => {
      await server?.close();
    });
  }

  healthRoutes(app, { pool, redis });
  authRoutes(app, { auth, publicUrl: config.PUBLIC_URL });
  const signedIn = requireUser(auth, trustedOrigins);
  taskRoutes(app, { tasks, requireUser: signedIn });
  const assistant = lazyAssistant({
    config,
    db: pool,
    tasks,
    logger: logger.child({ component: 'assistant' }),
  });
  assistantRoutes(app, { assistant, db: pool, config, limiter, requireUser: signedIn });
  mcpRoutes(app, {
    tasks,
    version,
    allowedHosts: [...trustedOrigins.map((origin) => new URL(origin).hostname), ...config.MCP_ALLOWED_HOSTS],
    requireUser: signedIn,
  });

  const purge = setInterval(() => {
    tasks.purgeExpiredIdempotencyKeys().catch((error: unknown) => {
      logger.warn({ err: error }, 'could not purge expired idempotency keys');
    });
  }, 15 * 60_000).unref();
  app.addHook('onClose', async () => {
    clearInterval(purge);
  });

  return app;
}

export { version };

/**
 * Fastify's trustProxy for TRUST_PROXY. A hop count trusts the n addresses
 * nearest this server (the socket, then X-Forwarded-For from the right), as
 * proxy-addr counts them; Fastify alone would trust nothing for a number.
 */
export function trustProxyOption(value: Config['TRUST_PROXY']): FastifyServerOptions['trustProxy'] {
  if (typeof value !== 'number') return value;
  const hops = value;
  return (_address, hop) => hop < hops;
}
