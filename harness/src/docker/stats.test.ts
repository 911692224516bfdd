import { describe, expect, it } from 'vitest';
import { usageFrom } from './stats.ts';

const reading = (memory: { usage: number; limit: number; stats: Record<string, number> }) => ({
  read: '2026-12-01T09:00:00.000Z',
  // 0.25 s of CPU time over 1 s of the host's two cores: half a core.
  cpu_stats: { cpu_usage: { total_usage: 1_250_000_000 }, system_cpu_usage: 12_000_000_000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 11_000_000_000 },
  memory_stats: memory,
});

describe('a container’s CPU and memory, as docker stats counts them', () => {
  it('gives CPU as percent of one core and memory without the page cache (cgroup v2)', () => {
    const sample = usageFrom(
      reading({ usage: 100 * 2 ** 20, limit: 512 * 2 ** 20, stats: { inactive_file: 20 * 2 ** 20 } }),
    );
    expect(sample).toEqual({
      at: Date.parse('2026-12-01T09:00:00.000Z'),
      cpuPercent: 50,
      memoryBytes: 80 * 2 ** 20,
      memoryLimitBytes: 512 * 2 ** 20,
    });
  });

  it('leaves out the cache cgroup v1 reports too, and counts no CPU when none was used between readings', () => {
    const first = reading({
      usage: 50 * 2 ** 20,
      limit: 2 ** 30,
      stats: { total_inactive_file: 10 * 2 ** 20 },
    });
    expect(usageFrom(first).memoryBytes).toBe(40 * 2 ** 20);
    expect(usageFrom({ ...first, precpu_stats: first.cpu_stats }).cpuPercent).toBe(0);
  });
});
