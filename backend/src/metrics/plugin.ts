import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { AppError } from '../errors/index.ts';

export interface MetricsOptions {
  pools: Record<string, pg.Pool>;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  token: string | undefined;
  /**
   * Serve GET /metrics on the API's own port without a token. Production
   * never does (its port is public): there /metrics needs the token, or is
   * served only on METRICS_PORT (see metricsServer).
   */
  openOnApiPort: boolean;
  /** Metrics other parts keep themselves (the password hashing queue). */
  more?: Metric[];
}

/** What /metrics answers, wherever it is served. */
export interface Exposition {
  contentType: string;
  render(): Promise<string>;
  /** Whether an Authorization header may read it. */
  authorized(header: string | undefined): boolean;
}

/** Prometheus metrics: request duration and counts by route and status, pool usage, process defaults. */
export function metrics(
  app: FastifyInstance,
  { pools, token, openOnApiPort, more = [] }: MetricsOptions,
): Exposition {
  const register = new Registry();
  collectDefaultMetrics({ register });
  for (const metric of more) register.registerMetric(metric);
  const labelNames = ['method', 'route', 'status_code'] as const;
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to response, by route pattern and status',
    labelNames,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [register],
  });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'Requests answered, by route pattern and status',
    labelNames,
    registers: [register],
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Postgres pool connections by pool and state (total, idle, waiting requests)',
    labelNames: ['pool', 'state'] as const,
    registers: [register],
    collect() {
      for (const [name, pool] of Object.entries(pools)) {
        this.set({ pool: name, state: 'total' }, pool.totalCount);
        this.set({ pool: name, state: 'idle' }, pool.idleCount);
        this.set({ pool: name, state: 'waiting' }, pool.waitingCount);
      }
    },
  });

  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;
  const authorized = (header: string | undefined): boolean => {
    if (!expected) return true;
    const given = Buffer.from(header ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  app.addHook('onResponse', (request, reply, done) => {
    done();
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    duration.observe(labels, reply.elapsedTime / 1000);
    requests.inc(labels);
  });

  const exposition: Exposition = {
    contentType: register.contentType,
    render: () => register.metrics(),
    authorized,
  };
  // Not served at all on a public port without a token: a 404 like any unknown path.
  if (!token && !openOnApiPort) return exposition;
  app.get(
    '/metrics',
    { logLevel: 'warn', config: { rateLimit: false }, schema: { hide: true } },
    async (request, reply) => {
      if (!authorized(request.headers.authorization)) throw new AppError('UNAUTHENTICATED');
      void reply.type(register.contentType);
      return register.metrics();
    },
  );
  return exposition;
}
