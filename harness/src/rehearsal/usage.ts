// CPU and memory of each service while a run exercises the stack: a time
// series per service, sampled through the Engine API.
import { setTimeout as delay } from 'node:timers/promises';
import { containerUsage, type UsageSample } from '../docker/index.ts';

export interface ServiceUsage {
  service: string;
  /** Oldest first. */
  samples: UsageSample[];
  cpuAvgPercent: number;
  cpuPeakPercent: number;
  memoryPeakBytes: number;
  /** The container's memory limit as the engine reports it (the host's memory when it has none). */
  memoryLimitBytes: number;
}

export interface UsageSampler {
  /** Stops sampling and returns what it saw, per service. */
  stop(): Promise<ServiceUsage[]>;
}

export function summarizeUsage(service: string, samples: UsageSample[]): ServiceUsage {
  const cpu = samples.map((s) => s.cpuPercent);
  return {
    service,
    samples,
    cpuAvgPercent: cpu.length ? Math.round((cpu.reduce((a, b) => a + b, 0) / cpu.length) * 10) / 10 : 0,
    cpuPeakPercent: cpu.length ? Math.max(...cpu) : 0,
    memoryPeakBytes: samples.reduce((peak, s) => Math.max(peak, s.memoryBytes), 0),
    memoryLimitBytes: samples.at(-1)?.memoryLimitBytes ?? 0,
  };
}

/**
 * Samples the given containers (id → service) every `intervalMs` until stop().
 * Each round asks for all of them at once; one answer takes about a second.
 */
export function sampleUsage(containers: Map<string, string>, intervalMs = 1_000): UsageSampler {
  const seen = new Map<string, UsageSample[]>();
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const round = await Promise.all(
        [...containers].map(async ([id, service]) => ({ service, sample: await containerUsage(id) })),
      );
      for (const { service, sample } of round) {
        if (sample) seen.set(service, [...(seen.get(service) ?? []), sample]);
      }
      // stop() wakes it at once.
      await delay(intervalMs, undefined, { signal: stopping.signal }).catch(() => undefined);
    }
  })();
  let stopped: Promise<ServiceUsage[]> | undefined;
  return {
    stop() {
      stopping.abort();
      stopped ??= loop.then(() => [...seen].map(([service, samples]) => summarizeUsage(service, samples)));
      return stopped;
    },
  };
}
