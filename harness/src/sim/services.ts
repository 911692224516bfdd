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
    // Docker's own count and the starts seen after the stack was up; whichever saw more.
    const restarts = Math.max(timeline?.restartsAfterUp ?? 0, container?.restartCount ?? 0);
    const oomKills = Math.max(timeline?.oomKills ?? 0, container?.oomKilled ? 1 : 0);
    if (startup !== undefined) input.metrics.trend('service_startup', startup, { service });
    input.metrics.count('service_restarts', restarts, { service });
    input.metrics.count('service_oom_kills', oomKills, { service });
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
            memoryLimitBytes: container?.memoryLimit || usage.memoryLimitBytes,
          }
        : {}),
      ...(log ? { log } : {}),
    };
  });
}
