import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { RedisConnection } from '../redis/index.ts';

type Status = 'up' | 'down' | 'disabled';
interface Check {
  status: Status;
  latencyMs?: number;
  error?: string;
}

async function timed(probe: () => Promise<unknown>, timeoutMs: number): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthOptions {
  pool: pg.Pool;
  redis: RedisConnection | undefined;
}

/**
 * /health: the process answers (liveness; touches nothing). /health and /ready
 * both answer 503 "draining" once a shutdown with SHUTDOWN_DRAIN_MS has begun,
 * so load balancers stop routing here, whichever of the two they check.
 * /ready: Postgres is required (503 without it); Redis is optional ('degraded').
 * During shutdown both answer 503 (from Fastify) on connections still open.
 * Both sit outside /api, so the public proxy does not expose them.
 */
export function healthRoutes(app: FastifyInstance, { pool, redis }: HealthOptions): void {
  const startedAt = Date.now();
  const quiet = { logLevel: 'warn' as const, config: { rateLimit: false } };

  app.get('/health', { ...quiet, schema: { hide: true } }, async (_request, reply) => {
    if (app.draining) return reply.code(503).send({ status: 'draining' });
    return { status: 'ok' };
  });

  app.get('/ready', { ...quiet, schema: { hide: true } }, async (_request, reply) => {
    // Platforms that route by readiness (Railway, Kubernetes) move away while this replica drains.
    if (app.draining) return reply.code(503).send({ status: 'draining' });
    const [postgres, cache] = await Promise.all([
      timed(() => pool.query('SELECT 1'), 1_000),
      redis ? timed(() => redis.ping(), 500) : Promise.resolve<Check>({ status: 'disabled' }),
    ]);
    // While shutting down, Fastify itself answers 503 (return503OnClosing) before any route runs.
    const status = postgres.status !== 'up' ? 'unavailable' : cache.status === 'down' ? 'degraded' : 'ok';
    void reply.code(status === 'ok' || status === 'degraded' ? 200 : 503);
    return {
      status,
      checks: { postgres, redis: cache },
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    };
  });
}
