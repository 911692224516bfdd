import type { BetterAuthOptions } from 'better-auth';
import type { RedisConnection } from '../redis/index.ts';

type SecondaryStorage = NonNullable<BetterAuthOptions['secondaryStorage']>;

/**
 * better-auth's secondary storage on Redis, as a cache only: sessions are also
 * in Postgres (storeSessionInDatabase), and better-auth reads Postgres when the
 * cache answers null. So every failure here degrades to a miss and never signs
 * anyone out. Deletes that fail while Redis is down are replayed when it answers again,
 * so a signed-out session cannot come back from a stale cache.
 */
export function redisSessionCache(redis: RedisConnection, prefix = 'auth:'): SecondaryStorage {
  const pendingDeletes = new Set<string>();
  redis.onRecovered(() => {
    const keys = [...pendingDeletes];
    pendingDeletes.clear();
    if (keys.length === 0) return;
    void redis.attempt(
      (c) => c.del(...keys),
      () => {
        for (const k of keys) pendingDeletes.add(k);
        return 0;
      },
    );
  });
  const key = (k: string) => prefix + k;
  return {
    get: (k) =>
      redis.attempt(
        (c) => c.get(key(k)),
        () => null,
      ),
    getAndDelete: (k) =>
      redis.attempt(
        (c) => c.getdel(key(k)),
        () => null,
      ),
    increment: (k, ttl) =>
      redis.attempt(
        async (c) => {
          const [[, count]] = (await c.multi().incr(key(k)).expire(key(k), ttl, 'NX').exec()) as [
            [null, number],
          ];
          return count;
        },
        () => 0,
      ),
    set: (k, value, ttl) =>
      redis.attempt(
        (c) => (ttl ? c.set(key(k), value, 'EX', Math.max(1, Math.ceil(ttl))) : c.set(key(k), value)),
        () => null,
      ),
    delete: (k) =>
      redis.attempt(
        async (c) => {
          await c.del(key(k));
        },
        () => {
          pendingDeletes.add(key(k));
          return null;
        },
      ),
  };
}
