import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeStalls, watchStalls } from './stalls.ts';

describe('machine stalls during a load', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sees the wall clock jump between two looks, and nothing while time runs evenly', () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-03T14:51:13.000Z') });
    const watch = watchStalls({ intervalMs: 250, thresholdMs: 2_000 });
    vi.advanceTimersByTime(5_000);
    // The whole VM is paused for 11 s: no timer fires, the clock jumps on resume.
    vi.setSystemTime(Date.now() + 11_000);
    vi.advanceTimersByTime(250);
    vi.advanceTimersByTime(1_900); // a slow look, under the threshold
    const stalls = watch.stop();
    expect(stalls).toEqual([{ at: '2026-12-03T14:51:18.000Z', seconds: 11 }]);
    expect(describeStalls(stalls)).toMatch(
      /^the machine stopped once during the load \(11 s in all, the longest 11 s at 2026-12-03T14:51:18\.000Z\)/,
    );
  });

  it('says nothing when the machine never stopped', () => {
    vi.useFakeTimers();
    const watch = watchStalls();
    vi.advanceTimersByTime(60_000);
    const stalls = watch.stop();
    expect(stalls).toEqual([]);
    expect(describeStalls(stalls)).toBeUndefined();
  });
});
