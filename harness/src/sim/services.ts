// The services' side of a run: start-up times, restarts, OOM kills, CPU and memory.
import type { ServiceContainer } from '../docker/index.ts';
import type { ServiceRecord } from '../report/index.ts';
import { startupSeconds, type ServiceTimeline, type ServiceUsage } from '../rehearsal/index.ts';

export function serviceRecords(input: {
  timelines: ServiceTimeline[];
  containers: ServiceContainer[];
  usage: ServiceUsage[];
  /** Service → its log file. */
  logs: Map<string, string>;
}): ServiceRecord[] {
  const names = new Set([
    ...input.timelines.map((t) => t.service),
    ...input.containers.map((c) => c.service),
  ]);
  return [...names].sort().map((service) => {
    const timeline = input.timelines.find((t) => t.service === service);
    const container = input.containers.find((c) => c.service === service);
    const usage = input.usage.find((u) => u.service === service);
    const startup = timeline ? startupSeconds(timeline) : undefined;
    const log = input.logs.get(service);
    return {
      service,
      ...(startup !== undefined ? { startupSeconds: startup } : {}),
      // Only restarts once the stack was up count: start-up tolerates one failed attempt.
      restarts: timeline?.restartsAfterUp ?? 0,
      oomKills: Math.max(timeline?.oomKills ?? 0, container?.oomKilled ? 1 : 0),
      ...(usage
        ? {
            cpuAvgPercent: usage.cpuAvgPercent,
            cpuPeakPercent: usage.cpuPeakPercent,
            memoryPeakBytes: usage.memoryPeakBytes,
            // The engine reports the host's memory for a container without a limit: not a limit.
            ...(container?.memoryLimit ? { memoryLimitBytes: container.memoryLimit } : {}),
            ...(container?.cpuLimit ? { cpuLimitPercent: Math.round(container.cpuLimit * 100) } : {}),
            usage: usage.samples.map(({ at, cpuPercent, memoryBytes }) => ({ at, cpuPercent, memoryBytes })),
          }
        : {}),
      ...(log ? { log } : {}),
    };
  });
}
