// What a rehearsal's pods did, as the Compose rehearsal reports its containers:
// a service name per pod, start-up, restarts, OOM kills, logs, and CPU and
// memory from the kubelet's own statistics (the Summary API).
import { setTimeout as delay } from 'node:timers/promises';
import type { ServiceContainer, UsageSample } from '../docker/index.ts';
import {
  summarizeUsage,
  type ServiceTimeline,
  type ServiceUsage,
  type UsageSampler,
} from '../rehearsal/index.ts';
import type { Kube } from './cli.ts';

interface ContainerState {
  running?: { startedAt: string };
  terminated?: { exitCode: number; reason?: string; startedAt?: string; finishedAt?: string };
  waiting?: { reason?: string; message?: string };
}

export interface Pod {
  metadata: {
    name: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec: {
    nodeName?: string;
    restartPolicy?: string;
    containers: { name: string; resources?: { limits?: Record<string, string> } }[];
  };
  status: {
    phase: string;
    podIP?: string;
    conditions?: { type: string; status: string; lastTransitionTime: string }[];
    containerStatuses?: {
      name: string;
      ready: boolean;
      restartCount: number;
      imageID: string;
      state: ContainerState;
      lastState: ContainerState;
    }[];
  };
}

export async function listPods(kube: Kube, namespace: string): Promise<Pod[]> {
  const list = await kube.json<{ items: Pod[] }>(['get', 'pods', '-n', namespace]);
  return list.items;
}

/** The app's part a pod plays (backend, frontend, postgres, redis, migration). */
export const componentOf = (pod: Pod): string =>
  pod.metadata.labels?.['app.kubernetes.io/component'] ?? pod.metadata.name;

/**
 * A stable, readable name: a StatefulSet's pod by its component (postgres), a
 * Deployment's by its component and the pod's own suffix (backend-x7k2p).
 */
export function serviceName(pod: Pod): string {
  const component = componentOf(pod);
  const name = pod.metadata.name;
  if (/-\d+$/.test(name)) return name.endsWith('-0') ? component : `${component}-${name.split('-').at(-1)}`;
  return `${component}-${name.split('-').at(-1)}`;
}

const units: Record<string, number> = {
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** A Kubernetes memory quantity (512Mi, 1Gi, 268435456) in bytes. */
export function quantityBytes(quantity: string | undefined): number {
  if (!quantity) return 0;
  const match = /^(\d+(?:\.\d+)?)([KMGT]i?|k)?$/.exec(quantity);
  if (!match) return 0;
  return Math.round(Number(match[1]) * (match[2] ? (units[match[2]] ?? 1) : 1));
}

/** `500m` → 0.5, `1` → 1; 0 when absent or unreadable. */
export function quantityCores(quantity: string | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(m)?$/.exec(quantity ?? '');
  if (!match) return 0;
  return Number(match[1]) / (match[2] ? 1000 : 1);
}

const epoch = (at: string | undefined): number => (at ? Date.parse(at) : 0);

/** A pod as the report's service records read a container. */
export function podAsContainer(pod: Pod): ServiceContainer {
  const status = pod.status.containerStatuses?.[0];
  const running = status?.state.running;
  const terminated = status?.state.terminated ?? status?.lastState.terminated;
  const ready = pod.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return {
    id: pod.metadata.name,
    service: serviceName(pod),
    state: running
      ? 'running'
      : status?.state.terminated
        ? 'exited'
        : (status?.state.waiting?.reason ?? pod.status.phase),
    health: running ? (ready ? 'healthy' : 'unhealthy') : 'none',
    exitCode: status?.state.terminated?.exitCode ?? 0,
    restartCount: status?.restartCount ?? 0,
    oomKilled:
      status?.state.terminated?.reason === 'OOMKilled' ||
      status?.lastState.terminated?.reason === 'OOMKilled',
    memoryLimit: quantityBytes(pod.spec.containers[0]?.resources?.limits?.memory),
    cpuLimit: quantityCores(pod.spec.containers[0]?.resources?.limits?.cpu),
    ports: {},
    env: [],
    addresses: pod.status.podIP ? { pod: pod.status.podIP } : {},
    restartPolicy: pod.spec.restartPolicy?.toLowerCase() ?? 'always',
    startedAt: epoch(running?.startedAt ?? terminated?.startedAt),
    finishedAt: epoch(terminated?.finishedAt),
    pid: 0,
    image: status?.imageID ?? '',
  };
}

/**
 * Start-up of each pod (created → Ready; a Job's pod: → completed) and the
 * restarts since `upAt` counts (restartCount then is the baseline).
 */
export function podTimelines(pods: Pod[], baseline: Map<string, number>): ServiceTimeline[] {
  return pods.map((pod) => {
    const status = pod.status.containerStatuses?.[0];
    const readyAt = pod.status.conditions?.find(
      (c) => c.type === 'Ready' && c.status === 'True',
    )?.lastTransitionTime;
    const terminated = status?.state.terminated;
    const restarts = status?.restartCount ?? 0;
    return {
      service: serviceName(pod),
      startedAt: epoch(pod.metadata.creationTimestamp),
      ...(readyAt && !terminated ? { healthyAt: epoch(readyAt) } : {}),
      ...(terminated?.exitCode === 0 ? { completedAt: epoch(terminated.finishedAt) } : {}),
      starts: 1 + restarts,
      failures: (status?.lastState.terminated?.exitCode ?? 0) !== 0 ? restarts : 0,
      ...(terminated ? { lastExitCode: terminated.exitCode } : {}),
      oomKills: podAsContainer(pod).oomKilled ? 1 : 0,
      restartsAfterUp: Math.max(0, restarts - (baseline.get(pod.metadata.name) ?? 0)),
    };
  });
}

/** Every pod's log (and its previous container's, when it restarted), by service. */
export async function podLogs(kube: Kube, namespace: string): Promise<Map<string, string>> {
  const logs = new Map<string, string>();
  for (const pod of await listPods(kube, namespace)) {
    const name = pod.metadata.name;
    const current = await kube
      .kubectl(['logs', '-n', namespace, name, '--all-containers'])
      .catch((error: unknown) => `(no log: ${(error as Error).message})\n`);
    const restarted = (pod.status.containerStatuses?.[0]?.restartCount ?? 0) > 0;
    const previous = restarted
      ? await kube.kubectl(['logs', '-n', namespace, name, '--all-containers', '--previous']).catch(() => '')
      : '';
    logs.set(serviceName(pod), previous ? `${previous}--- restarted ---\n${current}` : current);
  }
  return logs;
}

interface StatsSummary {
  pods: {
    podRef: { name: string; namespace: string };
    containers?: { name: string; cpu?: { usageNanoCores?: number }; memory?: { workingSetBytes?: number } }[];
  }[];
}

/**
 * CPU (percent of one core, as docker stats counts it) and memory (working set)
 * of the namespace's pods, from each node's kubelet, every `intervalMs` until stop().
 */
export function sampleNamespaceUsage(kube: Kube, namespace: string, intervalMs = 5_000): UsageSampler {
  const seen = new Map<string, UsageSample[]>();
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        const pods = await listPods(kube, namespace);
        const byName = new Map(pods.map((pod) => [pod.metadata.name, pod]));
        const nodes = new Set(pods.map((pod) => pod.spec.nodeName).filter((n): n is string => Boolean(n)));
        for (const node of nodes) {
          const summary = JSON.parse(
            await kube.kubectl(['get', '--raw', `/api/v1/nodes/${node}/proxy/stats/summary`]),
          ) as StatsSummary;
          const at = Date.now();
          for (const entry of summary.pods) {
            const pod = byName.get(entry.podRef.name);
            if (entry.podRef.namespace !== namespace || !pod) continue;
            const container = entry.containers?.[0];
            if (container?.cpu?.usageNanoCores === undefined) continue;
            const service = serviceName(pod);
            const sample: UsageSample = {
              at,
              cpuPercent: Math.round(container.cpu.usageNanoCores / 1e5) / 100,
              memoryBytes: container.memory?.workingSetBytes ?? 0,
              memoryLimitBytes: quantityBytes(pod.spec.containers[0]?.resources?.limits?.memory),
            };
            seen.set(service, [...(seen.get(service) ?? []), sample]);
          }
        }
      } catch {
        // A missed sample (the API server busy under load) is only a gap in the series.
      }
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
