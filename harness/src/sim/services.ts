// The services' side of a run: start-up times, restarts, OOM kills, CPU and
// memory, each as a report row and as gate metrics.
import type { ServiceUsage } from '../collect/index.ts';
import type { Metrics } from '../gate/index.ts';
import type { ServiceRecord } from '../report/index.ts';
import { startupSeconds, type ServiceContainer, type ServiceTimeline } from '../stack/index.ts';

export function serviceRecords(input: {
  timelines: ServiceTimeline[];
  containers: ServiceContainer[];
  usage: ServiceUsage[];
  logs: Map<string, string>;
  metrics: Metrics;
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
    // Only restarts once the stack was up count: start-up tolerates one failed attempt.
    const restarts = timeline?.restartsAfterUp ?? 0;
    const oomKills = Math.max(timeline?.oomKills ?? 0, container?.oomKilled ? 1 : 0);
    if (startup !== undefined) input.metrics.trend('service_startup', startup, { service });
    input.metrics.count('service_restarts', restarts, { service });
    input.metrics.count('service_oom_kills', oomKills, { service });
    // Over the scenarios and the load: how close each service came to its memory limit.
    if (usage && container?.memoryLimit) {
      input.metrics.trend('service_memory', usage.memoryPeakBytes / container.memoryLimit, { service });
    }
    const log = input.logs.get(service);
    return {
      service,
      ...(startup !== undefined ? { startupSeconds: startup } : {}),
      restarts,
      oomKills,
      ...(usage
        ? {
            cpuAvgPercent: usage.cpuAvgPercent,
            cpuPeakPercent: usage.cpuPeakPercent,
            memoryPeakBytes: usage.memoryPeakBytes,
            // docker stats shows the host's memory for a container without a limit: not a limit.
            ...(container?.memoryLimit ? { memoryLimitBytes: container.memoryLimit } : {}),
          }
        : {}),
      ...(log ? { log } : {}),
    };
  });
}
