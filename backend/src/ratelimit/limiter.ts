import type { RedisConnection } from '../redis/index.ts';

import type { Result } from 'ioredis';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    rateLimitHit(key: string, windowMs: number): Result<[number, number], Context>;
  }
}

export interface WindowCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window resets. */
  ttlMs: number;
}

// INCR and set the expiry on the first hit of a window, atomically.
const hitScript = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

const maxMemoryKeys = 50_000;

/**
 * Fixed-window counters shared by all replicas through Redis. When Redis is
 * down the counts live in this process's memory instead: limits stay on,
 * per replica, until Redis returns.
 */
export class RateLimiter {
  private readonly redis: RedisConnection | undefined;
  private readonly prefix: string;
  private readonly memory = new Map<string, { count: number; resetAt: number }>();

  constructor(redis: RedisConnection | undefined, prefix = 'rl:') {
    this.redis = redis;
    this.prefix = prefix;
    // Sent once, then called by its SHA (EVALSHA) on every hit.
    redis?.client.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: hitScript });
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    if (!this.redis) return this.hitMemory(key, windowMs);
    return this.redis.attempt(
      async (client) => {
        const [count, ttlMs] = await client.rateLimitHit(this.prefix + key, windowMs);
        return { count, ttlMs };
      },
      () => this.hitMemory(key, windowMs),
    );
  }

  async reset(key: string): Promise<void> {
    this.memory.delete(key);
    if (this.redis)
      await this.redis.attempt(
        (client) => client.del(this.prefix + key),
        () => 0,
      );
  }

  private hitMemory(key: string, windowMs: number): WindowCount {
    const now = Date.now();
    let entry = this.memory.get(key);
    if (!entry || entry.resetAt <= now) {
      if (!entry && this.memory.size >= maxMemoryKeys) this.evict(now);
      entry = { count: 0, resetAt: now + windowMs };
      this.memory.set(key, entry);
    }
    entry.count += 1;
    return { count: entry.count, ttlMs: entry.resetAt - now };
  }

  private evict(now: number): void {
    for (const [key, entry] of this.memory) if (entry.resetAt <= now) this.memory.delete(key);
    // Still full: drop the oldest windows (Map keeps insertion order).
    for (const key of this.memory.keys()) {
      if (this.memory.size < maxMemoryKeys) break;
      this.memory.delete(key);
    }
  }
}
