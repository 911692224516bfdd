import pg from 'pg';
import type { Logger } from 'pino';

/** Type parsers for this pool only: DATE stays 'YYYY-MM-DD' instead of a local-midnight Date. */
const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export interface PoolOptions {
  connectionString: string;
  max: number;
  /** Shown in pg_stat_activity and in metrics. */
  name: string;
  logger: Logger;
}

/**
 * A pool that fails fast when Postgres is down (so requests answer 503 instead of
 * hanging) and survives the server going away: idle clients that die emit
 * 'error' on the pool, which would crash the process if nobody listened.
 */
export function createPool({ connectionString, max, name, logger }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: name,
    types,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 10_000,
    query_timeout: 12_000,
    keepAlive: true,
  });
  pool.on('error', (error) => {
    logger.warn({ err: error, pool: name }, 'idle database connection lost');
  });
  return pool;
}

/** Anything that runs a query: the pool, or a client holding a transaction. */
export type Db = pg.Pool | pg.PoolClient;
