import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { redisSessionCache } from '../src/auth/index.ts';
import { RedisConnection } from '../src/redis/index.ts';
import { eventually } from './support/outage.ts';

const connection = new RedisConnection(inject('redisUrl'), pino({ level: 'silent' }));
const observer = new Redis(inject('redisUrl'));
afterAll(async () => {
  await connection.close();
  observer.disconnect();
});

describe('the Redis session cache', () => {
  it('replays a delete that could not reach Redis as soon as Redis answers again, without a reconnect', async () => {
    const prefix = `cache-test-${randomUUID()}:`;
    const cache = redisSessionCache(connection, prefix);
    await eventually(async () => connection.available(), 5_000, 'redis connected');
    await cache.set('session-token', '{"session":{}}', 60);
    expect(await observer.get(`${prefix}session-token`)).not.toBeNull();

    // A failed command opens the breaker (as a timeout does while Redis hangs);
    // the connection itself stays up, so no reconnect will ever happen.
    await connection.attempt(
      async () => {
        throw new Error('simulated timeout');
      },
      () => null,
    );
    await cache.delete('session-token'); // a sign-out while the breaker is open
    expect(await observer.get(`${prefix}session-token`)).not.toBeNull();

    // Once the breaker closes, the next command that succeeds replays the delete.
    await eventually(
      async () => (await cache.get('anything')) === null && connection.available(),
      5_000,
      'breaker closed',
    );
    await eventually(
      async () => (await observer.get(`${prefix}session-token`)) === null,
      5_000,
      'the delete replayed',
    );
  });

  it('answers a miss instead of failing while Redis is unavailable', async () => {
    const cache = redisSessionCache(connection, `cache-test-${randomUUID()}:`);
    await connection.attempt(
      async () => {
        throw new Error('simulated timeout');
      },
      () => null,
    );
    expect(await cache.get('any-token')).toBeNull();
    expect(await cache.set('any-token', 'x', 60)).toBeNull();
  });
});
