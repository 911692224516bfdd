import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { redisSessionCache } from '../src/auth/index.ts';
import { RedisConnection } from '../src/redis/index.ts';
import { eventually } from './support/outage.ts';

const connection = new RedisConnection(inject('redisUrl'), pino({ level: 'silent' }));
const observer = new Redis(inject('redisUrl'));
const secret = 'session-cache-test-secret-0123456789abcdef';
afterAll(async () => {
  await connection.close();
  observer.disconnect();
});

/**
 * Waits for a cache write (sent without waiting for it): a read through the
 * same connection comes after it.
 */
async function written(cache: ReturnType<typeof redisSessionCache>, key: string): Promise<void> {
  expect(await cache.get(key)).not.toBeNull();
}

describe('the Redis session cache', () => {
  it('replays a delete that could not reach Redis as soon as Redis answers again, without a reconnect', async () => {
    const prefix = `cache-test-${randomUUID()}:`;
    const cache = redisSessionCache(connection, { prefix, secret });
    await eventually(async () => connection.available(), 5_000, 'redis connected');
    await cache.set('session-token', '{"session":{}}', 60);
    await written(cache, 'session-token');
    const [stored] = await observer.keys(`${prefix}*`);
    expect(stored).toBeDefined();

    // A failed command opens the breaker (as a timeout does while Redis hangs);
    // the connection itself stays up, so no reconnect will ever happen.
    await connection.attempt(
      async () => {
        throw new Error('simulated timeout');
      },
      () => null,
    );
    await cache.delete('session-token'); // a sign-out while the breaker is open
    expect(await observer.get(stored!)).not.toBeNull();

    // Once the breaker closes, the next command that succeeds replays the delete.
    await eventually(
      async () => (await cache.get('anything')) === null && connection.available(),
      5_000,
      'breaker closed',
    );
    await eventually(async () => (await observer.get(stored!)) === null, 5_000, 'the delete replayed');
  });

  it('answers a miss instead of failing while Redis is unavailable', async () => {
    const cache = redisSessionCache(connection, { prefix: `cache-test-${randomUUID()}:`, secret });
    await connection.attempt(
      async () => {
        throw new Error('simulated timeout');
      },
      () => null,
    );
    expect(await cache.get('any-token')).toBeNull();
    // A cache write is not waited for, and never fails the caller.
    expect(() => cache.set('any-token', 'x', 60)).not.toThrow();
  });

  it('keeps no token readable in Redis and ignores a value written, or moved, without the secret', async () => {
    const prefix = `cache-test-${randomUUID()}:`;
    const rejected: string[] = [];
    const cache = redisSessionCache(connection, { prefix, secret, onRejected: (k) => rejected.push(k) });
    await eventually(async () => connection.available(), 5_000, 'redis connected');
    await cache.set('alice-token', '{"user":{"id":"alice"}}', 60);
    await written(cache, 'alice-token');
    const [aliceKey = ''] = await observer.keys(`${prefix}*`);
    await cache.set('bob-token', '{"user":{"id":"bob"}}', 60);
    await written(cache, 'bob-token');
    const bobKey = (await observer.keys(`${prefix}*`)).find((key) => key !== aliceKey) ?? '';
    expect(await cache.get('alice-token')).toBe('{"user":{"id":"alice"}}');
    for (const key of [aliceKey, bobKey]) {
      expect(key).not.toMatch(/alice|bob|token/);
      expect(await observer.get(key)).not.toMatch(/alice|bob/);
    }

    // Bob's sealed value under Alice's key: Alice's token must not make her Bob.
    await observer.set(aliceKey, (await observer.get(bobKey)) ?? '');
    expect(await cache.get('alice-token')).toBeNull();
    // A value written by someone without the secret.
    await observer.set(bobKey, '{"user":{"id":"mallory"}}');
    expect(await cache.get('bob-token')).toBeNull();
    expect(rejected).toEqual(['alice-token', 'bob-token']);

    // Another secret (a rotated AUTH_SECRET) reads nothing of the old one's.
    await cache.set('carol-token', '{"user":{"id":"carol"}}', 60);
    const rotated = redisSessionCache(connection, { prefix, secret: `${secret}-rotated` });
    expect(await rotated.get('carol-token')).toBeNull();
  });
});
