// Containers: listed by label, inspected, their logs, commands run in them.
import { docker, dockerStreaming } from './cli.ts';
import { engine } from './engine.ts';

export const projectLabel = 'com.docker.compose.project';
export const serviceLabel = 'com.docker.compose.service';

export interface ServiceContainer {
  id: string;
  /** The compose service (or the container's name outside compose). */
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
  /** The container's variables as NAME=value. */
  env: string[];
  /** Its address on each network it is attached to, by network name. */
  addresses: Record<string, string>;
  /** The restart policy: no, always, unless-stopped, on-failure. */
  restartPolicy: string;
}

/** The state of one container now. */
export async function inspectContainer(id: string): Promise<ServiceContainer> {
  const info = await engine().getContainer(id).inspect();
  const ports: Record<string, number> = {};
  // Docker sends null for exposed ports that are not published.
  const published = info.NetworkSettings.Ports as Record<string, { HostPort: string }[] | null>;
  for (const [port, bindings] of Object.entries(published)) {
    const hostPort = bindings?.[0]?.HostPort;
    if (hostPort) ports[port] = Number(hostPort);
  }
  const addresses: Record<string, string> = {};
  for (const [name, network] of Object.entries(info.NetworkSettings.Networks)) {
    if (network.IPAddress) addresses[name] = network.IPAddress;
  }
  return {
    id: info.Id,
    service: info.Config.Labels[serviceLabel] ?? info.Name.replace(/^\//, ''),
    state: info.State.Status,
    // A stopped container keeps its last health status (an exited one-shot reads
    // "unhealthy" by its image's HEALTHCHECK); it means something only while running.
    health: info.State.Running ? (info.State.Health?.Status ?? 'none') : 'none',
    exitCode: info.State.ExitCode,
    restartCount: info.RestartCount,
    oomKilled: info.State.OOMKilled,
    memoryLimit: info.HostConfig.Memory ?? 0,
    ports,
    env: info.Config.Env,
    addresses,
    restartPolicy: info.HostConfig.RestartPolicy?.Name || 'no',
  };
}

/** Ids of every container (stopped ones too) carrying these labels (`name` or `name=value`). */
export async function containerIds(labels: string[]): Promise<string[]> {
  const listed = await engine().listContainers({ all: true, filters: { label: labels } });
  return listed.map((container) => container.Id);
}

/** Containers with a label, with that label's value, oldest first. */
export async function labelledContainers(label: string): Promise<{ id: string; value: string }[]> {
  const listed = await engine().listContainers({ all: true, filters: { label: [label] } });
  return listed
    .sort((a, b) => a.Created - b.Created)
    .map((container) => ({ id: container.Id, value: container.Labels[label] ?? '' }));
}

/** Every container of a compose project (stopped ones too), sorted by service. */
export async function projectContainers(projectName: string): Promise<ServiceContainer[]> {
  const ids = await containerIds([`${projectLabel}=${projectName}`]);
  // A container removed between the listing and the inspection is not there any more.
  const found = await Promise.all(ids.map((id) => inspectContainer(id).catch(() => undefined)));
  return found
    .filter((container): container is ServiceContainer => container !== undefined)
    .sort((a, b) => a.service.localeCompare(b.service));
}

/** Docker's multiplexed log format (no TTY): 8-byte frame headers, then the bytes. */
function demultiplex(buffer: Buffer): string {
  // A container with a TTY sends its bytes as they are.
  if (buffer.length > 0 && ![0, 1, 2].includes(buffer[0] ?? -1)) return buffer.toString();
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString();
}

/** What a container wrote, stdout and stderr interleaved as Docker kept them. */
export async function containerLogs(
  id: string,
  options: { tail?: number; timestamps?: boolean } = {},
): Promise<string> {
  const buffer = await engine()
    .getContainer(id)
    .logs({
      stdout: true,
      stderr: true,
      follow: false,
      timestamps: options.timestamps ?? false,
      ...(options.tail === undefined ? {} : { tail: options.tail }),
    });
  return demultiplex(buffer);
}

/** The last lines a container wrote; none when it is gone. */
export async function logTail(id: string, lines = 20): Promise<string[]> {
  const text = await containerLogs(id, { tail: lines }).catch(() => '');
  return text.split('\n').filter(Boolean).slice(-lines);
}

/** A container's log on this terminal, following it until it stops or the user interrupts. */
export function printLogs(id: string, options: { follow: boolean; tail: number }): Promise<number> {
  return dockerStreaming(['logs', ...(options.follow ? ['--follow'] : ['--tail', String(options.tail)]), id]);
}

/** Runs a command in a running container; its stdout, or DockerCommandError with its stderr. */
export function execIn(id: string, command: string[], options: { stdin?: string } = {}): Promise<string> {
  const args = ['exec', ...(options.stdin === undefined ? [] : ['-i']), id, ...command];
  return docker(args, options.stdin === undefined ? {} : { stdin: options.stdin });
}

/** Removes containers (and their anonymous volumes), running or not. */
export async function removeContainers(ids: string[]): Promise<void> {
  for (const id of ids) {
    await engine()
      .getContainer(id)
      .remove({ force: true, v: true })
      .catch((error: unknown) => {
        // Already gone (a concurrent removal) is what was wanted.
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      });
  }
}

/** Stops a container as `docker stop` does: SIGTERM, then SIGKILL after `graceSeconds`. */
export async function stopContainer(id: string, graceSeconds: number): Promise<void> {
  await engine().getContainer(id).stop({ t: graceSeconds });
}

export async function startContainer(id: string): Promise<void> {
  await engine().getContainer(id).start();
}

export interface ContainerSnapshot extends ServiceContainer {
  /** Its whole log, with Docker's timestamps. */
  log: string;
}

/** Every container of a project with its whole log: what is kept of a start that failed. */
export async function projectSnapshot(projectName: string): Promise<ContainerSnapshot[]> {
  const containers = await projectContainers(projectName);
  return Promise.all(
    containers.map(async (container) => ({
      ...container,
      log: await containerLogs(container.id, { timestamps: true }).catch(() => ''),
    })),
  );
}
