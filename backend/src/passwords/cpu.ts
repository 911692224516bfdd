import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/**
 * The CPUs this process may use: its container's CPU limit (cgroup v2
 * cpu.max, or v1's quota and period), rounded up, else the cores it sees.
 */
export function cpuLimit(read: (path: string) => string = (path) => readFileSync(path, 'utf8')): number {
  const cores = availableParallelism();
  const quota = (text: string, period: string) => {
    const [q, p] = [Number(text), Number(period)];
    return Number.isFinite(q) && q > 0 && p > 0 ? Math.max(1, Math.min(cores, Math.ceil(q / p))) : undefined;
  };
  try {
    const [max = '', period = ''] = read('/sys/fs/cgroup/cpu.max').trim().split(/\s+/);
    return (max === 'max' ? undefined : quota(max, period)) ?? cores;
  } catch {
    try {
      const max = read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us').trim();
      const period = read('/sys/fs/cgroup/cpu/cpu.cfs_period_us').trim();
      return quota(max, period) ?? cores;
    } catch {
      return cores;
    }
  }
}
