import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { BetterAuthOptions } from 'better-auth';
import type { RedisConnection } from '../redis/index.ts';

type SecondaryStorage = NonNullable<BetterAuthOptions['secondaryStorage']>;

export interface SessionCacheOptions {
  prefix?: string;
  /** AUTH_SECRET: what the cache's keys and values are sealed with. */
  secret: string;
  /** Told of each value that failed its check (tampered, or sealed with another secret). */
  onRejected?: (key: string) => void;
}

/**
 * better-auth's secondary storage on Redis, as a cache only: sessions are also
 * in Postgres (storeSessionInDatabase), and better-auth reads Postgres when the
 * cache answers null. So every failure here degrades to a miss and never signs
 * anyone out. Deletes that fail while Redis is down are replayed when it answers again,
 * so a signed-out session cannot come back from a stale cache.
 *
 * Redis is not trusted with sessions: better-auth keys them by session token
 * and believes the `{session, user}` it reads back. So keys are HMACs of
 * better-auth's (no token is readable in Redis) and values are sealed with
 * AES-256-GCM, bound to their key: a value written by anyone without
 * AUTH_SECRET, or moved under another key (someone else's session), fails its
 * check and is a miss, so Postgres answers.
 */
export function redisSessionCache(redis: RedisConnection, options: SessionCacheOptions): SecondaryStorage {
  const prefix = options.prefix ?? 'auth:';
  const seal = sealer(options.secret);
  const open = (k: string, stored: string | null): string | null => {
    if (stored === null) return null;
    const value = seal.open(k, stored);
    if (value === null) options.onRejected?.(k);
    return value;
  };
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
  const key = (k: string) => prefix + seal.key(k);
  return {
    get: (k) =>
      redis.attempt(
        async (c) => open(k, await c.get(key(k))),
        () => null,
      ),
    getAndDelete: (k) =>
      redis.attempt(
        async (c) => open(k, await c.getdel(key(k))),
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
    // A cache write is not waited for: a sign-in (which writes the session and the user's
    // session list) answers without two more round trips to Redis. Commands on the one
    // connection keep their order, so this replica's next read sees the write; a write
    // that fails is a later miss, and Postgres answers.
    set: (k, value, ttl) => {
      const sealed = seal.close(k, value);
      void redis.attempt(
        (c) => (ttl ? c.set(key(k), sealed, 'EX', Math.max(1, Math.ceil(ttl))) : c.set(key(k), sealed)),
        () => null,
      );
    },
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

/** Keys as HMAC-SHA256, values as AES-256-GCM with their key as associated data; both keys from the secret (HKDF). */
function sealer(secret: string) {
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', secret, 'todo session cache', purpose, 32));
  const keyKey = derive('keys v1');
  const valueKey = derive('values v1');
  const version = 'v1.';
  return {
    key: (k: string) => createHmac('sha256', keyKey).update(k).digest('base64url'),
    close(k: string, value: string): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', valueKey, iv).setAAD(Buffer.from(k));
      const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      return version + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(k: string, stored: string): string | null {
      if (!stored.startsWith(version)) return null;
      const bytes = Buffer.from(stored.slice(version.length), 'base64url');
      if (bytes.length < 28) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', valueKey, bytes.subarray(0, 12))
          .setAAD(Buffer.from(k))
          .setAuthTag(bytes.subarray(12, 28));
        return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
