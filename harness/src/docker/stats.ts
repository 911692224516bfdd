// CPU and memory of a container, as numbers from the Engine API (what `docker stats` shows).
import { engine } from './engine.ts';

export interface UsageSample {
  /** Epoch ms. */
  at: number;
  /** Percent of one core (200 = two cores busy), as docker stats counts it. */
  cpuPercent: number;
  /** Memory in use, without the page cache the kernel can drop (as docker stats counts it). */
  memoryBytes: number;
  /** The container's memory limit; the host's memory when it has none. */
  memoryLimitBytes: number;
}

interface RawStats {
  read: string;
  cpu_stats: {
    cpu_usage: { total_usage: number; percpu_usage?: number[] };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number };
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number> };
}

/** Turns one stats answer into a sample; exported for tests. */
export function usageFrom(raw: RawStats): UsageSample {
  const cpuDelta = raw.cpu_stats.cpu_usage.total_usage - raw.precpu_stats.cpu_usage.total_usage;
  const systemDelta = (raw.cpu_stats.system_cpu_usage ?? 0) - (raw.precpu_stats.system_cpu_usage ?? 0);
  const cpus = raw.cpu_stats.online_cpus ?? raw.cpu_stats.cpu_usage.percpu_usage?.length ?? 1;
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = raw.memory_stats;
  // cgroup v2 reports inactive_file, v1 total_inactive_file: the cache docker stats leaves out.
  const cache = memory.stats?.inactive_file ?? memory.stats?.total_inactive_file ?? 0;
  const used = memory.usage ?? 0;
  return {
    at: Date.parse(raw.read) || Date.now(),
    cpuPercent: Math.round(cpuPercent * 10) / 10,
    memoryBytes: cache < used ? used - cache : used,
    memoryLimitBytes: memory.limit ?? 0,
  };
}

/**
 * One sample of a running container. The engine takes two readings about a
 * second apart to give the CPU share; undefined when it is not running.
 */
export async function containerUsage(id: string): Promise<UsageSample | undefined> {
  try {
    const raw: RawStats = await engine().getContainer(id).stats({ stream: false });
    // A stopped container answers with empty readings.
    if (!raw.memory_stats.usage && !raw.cpu_stats.cpu_usage.total_usage) return undefined;
    return usageFrom(raw);
  } catch {
    return undefined;
  }
}
