import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** After a failed command, Redis is skipped for this long so callers don't each wait for a timeout. */
const breakerMs = 2_000;

/**
 * Redis is optional: every user of it has a fallback. This wraps the client so
 * that a dead or hung Redis costs at most one short timeout, after which calls
 * go straight to their fallback until Redis is back ('ready' again).
 */
export class RedisConnection {
  readonly client: Redis;
  private readonly logger: Logger;
  private openUntil = 0;
  /** undefined until the first answer or failure, so a Redis down at start-up is logged too. */
  private healthy: boolean | undefined;
  private readonly recoveryListeners: (() => void)[] = [];

  constructor(url: string, logger: Logger) {
    this.logger = logger;
    this.client = new Redis(url, {
      enableOfflineQueue: false,
      // Commands issued in the same tick go out in one write (many requests hit the limiter at once).
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      commandTimeout: 500,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    this.client.on('ready', () => {
      this.markUp();
    });
    // ioredis emits 'error' on every failed reconnect; one line per outage is enough.
    this.client.on('error', (error: Error) => {
      this.markDown(error);
    });
  }

  /** True when calls should try Redis now. */
  available(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.openUntil;
  }

  /** Runs `operation` against Redis, or `fallback` when Redis is down or fails. */
  async attempt<T>(operation: (client: Redis) => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (!this.available()) return fallback();
    try {
      const result = await operation(this.client);
      this.markUp();
      return result;
    } catch (error) {
      this.markDown(error as Error);
      return fallback();
    }
  }

  /**
   * Called each time Redis answers again after an outage: after a reconnect, or
   * after a command succeeds once the breaker closed (a hung Redis that recovers
   * never reconnects).
   */
  onRecovered(listener: () => void): void {
    this.recoveryListeners.push(listener);
  }

  async ping(): Promise<void> {
    await this.client.ping();
    this.markUp();
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.client.quit(), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    } catch {
      // already closed or unreachable: nothing to flush
    }
    this.client.disconnect();
  }

  private markUp(): void {
    this.openUntil = 0;
    if (this.healthy === true) return;
    this.healthy = true;
    this.logger.info('redis available');
    for (const listener of this.recoveryListeners) listener();
  }

  private markDown(error: Error): void {
    this.openUntil = Date.now() + breakerMs;
    if (this.healthy !== false) this.logger.warn({ err: error }, 'redis unavailable; falling back to memory');
    this.healthy = false;
  }
}
