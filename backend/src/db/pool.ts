import pg from 'pg';
import type { Logger } from 'pino';
import { isoTimestamp } from './timestamps.ts';

/** DATE stays 'YYYY-MM-DD' (a calendar day, not a local-midnight Date). */
const dateTypes = new pg.TypeOverrides();
dateTypes.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

/** As dateTypes, and timestamptz arrives as ISO text (the session runs in UTC). */
const isoTypes = new pg.TypeOverrides();
isoTypes.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
isoTypes.setTypeParser(pg.types.builtins.TIMESTAMPTZ, isoTimestamp);

export interface PoolOptions {
  connectionString: string;
  max: number;
  /** Shown in pg_stat_activity and in metrics. */
  name: string;
  logger: Logger;
  /** 'iso': timestamptz values come back as ISO strings instead of Date objects. */
  timestamps?: 'date' | 'iso';
}

/**
 * A pool that fails fast when Postgres is down (so requests answer 503 instead of
 * hanging) and survives the server going away: clients that die, idle or in
 * use, emit 'error', which would crash the process if nobody listened.
 */
export function createPool({
  connectionString,
  max,
  name,
  logger,
  timestamps = 'date',
}: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: name,
    types: timestamps === 'iso' ? isoTypes : dateTypes,
    options: '-c TimeZone=UTC',
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    // Our queries take milliseconds: a query this slow means a hung server, and
    // the request should answer 503 while a person is still waiting.
    statement_timeout: 5_000,
    query_timeout: 6_000,
    keepAlive: true,
  });
  pool.on('error', (error) => {
    logger.warn({ err: error, pool: name }, 'idle database connection lost');
  });
  // A client that is checked out (a transaction, better-auth's queries) has no
  // pool listener: when Postgres goes away it emits 'error' ("terminating
  // connection due to administrator command", then "Connection terminated
  // unexpectedly") with nobody listening, which ends the process. The query in
  // flight fails on its own (503 DATABASE_UNAVAILABLE) and the pool drops the
  // dead client on release; this listener only keeps the process up.
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      logger.warn({ err: error, pool: name }, 'database connection lost while in use');
    });
  });
  return pool;
}

/** Anything that runs a query: the pool, or a client holding a transaction. */
export type Db = pg.Pool | pg.PoolClient;
