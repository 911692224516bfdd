import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createTestDatabase } from './database.ts';

export const publicUrl = 'http://localhost:3000';
export const testSecret = 'a-test-secret-that-is-long-enough-0123456789';

/** Every log line the app wrote, parsed. */
export class LogCapture {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  text(): string {
    return this.lines.join('');
  }
}

export interface RunningApi extends AsyncDisposable {
  url: string;
  app: FastifyInstance;
  logs: LogCapture;
  databaseUrl: string;
  close(): Promise<void>;
}

export interface StartApiOptions {
  /** Environment on top of the test defaults (generous rate limits, the shared Redis, a fresh database). */
  env?: Record<string, string>;
  databaseUrl?: string;
  /** null: run without Redis. */
  redisUrl?: string | null;
}

/** The API in this process, listening on a random port of 127.0.0.1. */
export async function startApi(options: StartApiOptions = {}): Promise<RunningApi> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase(inject('postgresUrl')));
  const redisUrl = options.redisUrl === undefined ? inject('redisUrl') : options.redisUrl;
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    REDIS_KEY_PREFIX: `t${randomBytes(4).toString('hex')}:`,
    PUBLIC_URL: publicUrl,
    AUTH_SECRET: testSecret,
    RATE_LIMIT_API_MAX: '100000',
    RATE_LIMIT_AUTH_MAX: '100000',
    RATE_LIMIT_SIGNIN_FAILURES_MAX: '100000',
    ...options.env,
  });
  const logs = new LogCapture();
  const app = await buildApp(config, { logDestination: logs });
  const address = await app.listen({ host: config.HOST, port: config.PORT });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return { url: address, app, logs, databaseUrl, close, [Symbol.asyncDispose]: close };
}
