import { describe, expect, it } from 'vitest';
import type { RedisConnection } from '../redis/index.ts';
import { BatchedCounter } from './batched.ts';

describe('BatchedCounter without Redis', () => {
  it('counts every hit of a window exactly, per key', () => {
    const counter = new BatchedCounter(undefined, 'x:');
    const counts = [1, 2, 3].map(() => counter.hit('alice', 60_000, 1_000).count);
    expect(counts).toEqual([1, 2, 3]);
    expect(counter.hit('bob', 60_000, 1_000).count).toBe(1);
  });

  it('starts again in the next window, aligned to the clock, and says when the window ends', () => {
    const counter = new BatchedCounter(undefined, 'x:');
    expect(counter.hit('alice', 60_000, 59_000)).toEqual({ count: 1, ttlMs: 1_000 });
    expect(counter.hit('alice', 60_000, 59_500).count).toBe(2);
    expect(counter.hit('alice', 60_000, 60_000)).toEqual({ count: 1, ttlMs: 60_000 });
  });

  it('keeps counts local across flushes', async () => {
    const counter = new BatchedCounter(undefined, 'x:');
    const now = Date.now();
    counter.hit('alice', 60_000, now);
    await counter.flush();
    expect(counter.hit('alice', 60_000, now).count).toBe(2);
  });
});

describe('BatchedCounter with a slow Redis', () => {
  /** Just enough of RedisConnection for the counter: pipelines of INCRBY/PEXPIRE that take `delayMs`. */
  function fakeRedis(delayMs: number) {
    const store = new Map<string, number>();
    let flushes = 0;
    const client = {
      pipeline() {
        const replies: [null, number][] = [];
        const pipeline = {
          incrby(key: string, by: number) {
            store.set(key, (store.get(key) ?? 0) + by);
            replies.push([null, store.get(key) ?? 0]);
            return pipeline;
          },
          pexpire() {
            replies.push([null, 1]);
            return pipeline;
          },
          exec: async () => {
            await new Promise((resolve) => setTimeout(resolve, delayMs));
            return replies;
          },
        };
        return pipeline;
      },
    };
    const connection = {
      attempt: async (operation: (c: typeof client) => Promise<unknown>) => {
        flushes += 1;
        return operation(client);
      },
    };
    return { connection: connection as unknown as RedisConnection, store, flushes: () => flushes };
  }

  it('keeps syncing when a flush takes longer than the flush interval, and loses no hit', async () => {
    const redis = fakeRedis(60);
    const counter = new BatchedCounter(redis.connection, 'x:', 20);
    let hits = 0;
    const until = Date.now() + 500;
    while (Date.now() < until) {
      counter.hit('alice', 3_600_000);
      hits += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await counter.flush();
    await counter.flush();
    expect(redis.flushes()).toBeGreaterThanOrEqual(4);
    expect([...redis.store.values()].reduce((a, b) => a + b, 0)).toBe(hits);
  });
});
