import { describe, expect, it } from 'vitest';
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
