// What Docker knows about a project's containers right now, and how to say
// which service broke a start-up.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { ServiceFailed } from './watch.ts';

const run = promisify(execFile);

export interface ServiceContainer {
  id: string;
  service: string;
  /** running, exited, restarting, ... */
  state: string;
  /** healthy, unhealthy, starting, or none (also for a container that is not running). */
  health: string;
  exitCode: number;
  restartCount: number;
  oomKilled: boolean;
  /** Bytes; 0 when unlimited. */
  memoryLimit: number;
  /** Host ports by container port, e.g. { '8443/tcp': 49153 }. */
  ports: Record<string, number>;
}

/** Every container of a project (stopped ones too), sorted by service. */
export async function projectContainers(
  projectName: string,
  docker = new Docker(),
): Promise<ServiceContainer[]> {
  const listed = await docker.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${projectName}`] },
  });
  const containers = await Promise.all(
    listed.map(async (summary) => {
      const info = await docker.getContainer(summary.Id).inspect();
      const ports: Record<string, number> = {};
      for (const [port, bindings] of Object.entries(
        // Docker sends null for exposed ports that are not published.
        info.NetworkSettings.Ports as Record<string, { HostPort: string }[] | null>,
      )) {
        const hostPort = bindings?.[0]?.HostPort;
        if (hostPort) ports[port] = Number(hostPort);
      }
      return {
        id: summary.Id,
        service: summary.Labels['com.docker.compose.service'] ?? summary.Names[0] ?? summary.Id,
        state: info.State.Status,
        // A stopped container keeps its last health status (an exited one-shot reads
        // "unhealthy" by its image's HEALTHCHECK); it means something only while running.
        health: info.State.Running ? (info.State.Health?.Status ?? 'none') : 'none',
        exitCode: info.State.ExitCode,
        restartCount: info.RestartCount,
        oomKilled: info.State.OOMKilled,
        memoryLimit: info.HostConfig.Memory ?? 0,
        ports,
      };
    }),
  );
  return containers.sort((a, b) => a.service.localeCompare(b.service));
}

/** The last lines a container wrote (stdout and stderr, interleaved as Docker kept them). */
export async function logTail(containerId: string, lines = 20): Promise<string[]> {
  const { stdout, stderr } = await run('docker', ['logs', '--tail', String(lines), containerId], {
    maxBuffer: 8 * 1024 * 1024,
  }).catch(() => ({ stdout: '', stderr: '' }));
  return `${stdout}${stderr}`.split('\n').filter(Boolean).slice(-lines);
}

/** A container that is not where a started stack needs it: running and healthy, or a one-shot done cleanly. */
const broken = (container: ServiceContainer) =>
  container.state === 'exited'
    ? container.exitCode !== 0
    : container.state !== 'running' || container.health === 'unhealthy' || container.health === 'starting';

/**
 * Turns a failed start into ServiceFailed naming the service and carrying its
 * last log lines: the watcher's finding when it had one, else the first
 * container that is not healthy. Call while the containers still exist.
 */
export async function diagnoseStart(projectName: string, error: unknown): Promise<ServiceFailed | undefined> {
  const containers = await projectContainers(projectName).catch(() => []);
  let failure: ServiceFailed | undefined;
  if (error instanceof ServiceFailed) {
    failure = error;
  } else {
    const culprit =
      containers.find((c) => c.state !== 'running' && c.exitCode !== 0) ??
      containers.find((c) => c.health === 'unhealthy') ??
      containers.find(broken);
    if (!culprit) return undefined;
    const health = culprit.health === 'none' ? '' : `, health ${culprit.health}`;
    failure = new ServiceFailed(culprit.service, `did not become ready (state ${culprit.state}${health})`);
  }
  const container = containers.find((c) => c.service === failure.service);
  if (container) failure.logTail = await logTail(container.id);
  return failure;
}
