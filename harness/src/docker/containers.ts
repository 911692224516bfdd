// Containers: listed by label, inspected, their logs, commands run in them.
import { docker, dockerStreaming } from './cli.ts';
import { engine } from './engine.ts';

export const projectLabel = 'com.docker.compose.project';
export const serviceLabel = 'com.docker.compose.service';
/** On a container the harness adds to a project for its own use (not one of the app's services). */
export const auxiliaryLabel = 'todo-rehearsal.auxiliary';

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
  /** Cores (cpus: '0.5' is 0.5); 0 when unlimited. */
  cpuLimit: number;
  /** Host ports by container port, e.g. { '8443/tcp': 49153 }. */
  ports: Record<string, number>;
  /** The container's variables as NAME=value. */
  env: string[];
  /** Its address on each network it is attached to, by network name. */
  addresses: Record<string, string>;
  /** The restart policy: no, always, unless-stopped, on-failure. */
  restartPolicy: string;
  /** Epoch ms when its process last started (0 if never). */
  startedAt: number;
  /** Epoch ms when its process last ended, as the engine saw it (0 if never). */
  finishedAt: number;
  /** Its main process's pid on the engine's machine (0 when not running). */
  pid: number;
  /** The id (sha256:…) of the image it runs. */
  image: string;
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
    cpuLimit: (info.HostConfig.NanoCpus ?? 0) / 1e9,
    ports,
    env: info.Config.Env,
    addresses,
    restartPolicy: info.HostConfig.RestartPolicy?.Name || 'no',
    startedAt: Date.parse(info.State.StartedAt) || 0,
    // "0001-01-01T00:00:00Z" until it first ends.
    finishedAt: Math.max(0, Date.parse(info.State.FinishedAt) || 0),
    pid: info.State.Pid,
    image: info.Image,
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
  const listed = await engine().listContainers({
    all: true,
    filters: { label: [`${projectLabel}=${projectName}`] },
  });
  // The app's services only: the harness's own helpers (auxiliaryLabel) are not part of what is measured.
  const ids = listed.filter((c) => c.Labels[auxiliaryLabel] !== 'true').map((c) => c.Id);
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

/**
 * Another container like `id` (same image, variables, command, networks,
 * limits, security settings and labels, so its project's removal takes it
 * too) with `port` published on 127.0.0.1: a way in for the host that needs
 * no container address. Started; its id and the host port.
 */
export async function cloneWithPublishedPort(
  id: string,
  port: number,
  service: string,
): Promise<{ id: string; hostPort: number }> {
  const source = await engine().getContainer(id).inspect();
  // Ports can be published only through a network with a way out (not an `internal` one).
  const names = Object.keys(source.NetworkSettings.Networks);
  const internal = await Promise.all(
    names.map(async (name) =>
      Boolean(((await engine().getNetwork(name).inspect()) as { Internal?: boolean }).Internal),
    ),
  );
  const network = names.find((_, i) => !internal[i]) ?? names[0];
  const others = names.filter((name) => name !== network);
  const created = await engine().createContainer({
    Image: source.Config.Image,
    Env: source.Config.Env,
    Cmd: source.Config.Cmd,
    Labels: { ...source.Config.Labels, [serviceLabel]: service },
    ExposedPorts: { [`${port}/tcp`]: {} },
    HostConfig: {
      NetworkMode: network,
      Memory: source.HostConfig.Memory,
      NanoCpus: source.HostConfig.NanoCpus,
      CpuQuota: source.HostConfig.CpuQuota,
      CpuPeriod: source.HostConfig.CpuPeriod,
      ReadonlyRootfs: source.HostConfig.ReadonlyRootfs,
      Tmpfs: source.HostConfig.Tmpfs,
      SecurityOpt: source.HostConfig.SecurityOpt as string[] | undefined,
      CapDrop: source.HostConfig.CapDrop as string[] | undefined,
      PidsLimit: source.HostConfig.PidsLimit,
      PortBindings: { [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
    },
  });
  for (const name of others) await engine().getNetwork(name).connect({ Container: created.id });
  await created.start();
  const published = (await inspectContainer(created.id)).ports[`${port}/tcp`];
  if (!published) throw new Error(`the copy of ${service} has no published port ${port}`);
  return { id: created.id, hostPort: published };
}

export interface RunRequest {
  image: string;
  env: Record<string, string>;
  /** Instead of the image's CMD. */
  command?: string[];
  /** A name other containers on its network reach it by. */
  name?: string;
  network?: string;
  /** A container port to publish on 127.0.0.1 (a free host port). */
  publish?: number;
  labels?: Record<string, string>;
  memoryBytes?: number;
  /** CPUs, e.g. 1 or 0.5. */
  cpus?: number;
}

/** Creates and starts a container; its id and the host port of `publish`. */
export async function runContainer(request: RunRequest): Promise<{ id: string; hostPort?: number }> {
  const port = request.publish === undefined ? undefined : `${request.publish}/tcp`;
  const created = await engine().createContainer({
    Image: request.image,
    Env: Object.entries(request.env).map(([name, value]) => `${name}=${value}`),
    Labels: request.labels ?? {},
    ...(request.command ? { Cmd: request.command } : {}),
    ...(request.name ? { name: request.name } : {}),
    ...(port ? { ExposedPorts: { [port]: {} } } : {}),
    HostConfig: {
      ...(request.network ? { NetworkMode: request.network } : {}),
      ...(port ? { PortBindings: { [port]: [{ HostIp: '127.0.0.1', HostPort: '' }] } } : {}),
      ...(request.memoryBytes ? { Memory: request.memoryBytes } : {}),
      ...(request.cpus ? { NanoCpus: Math.round(request.cpus * 1e9) } : {}),
    },
  });
  await created.start();
  if (!port) return { id: created.id };
  const hostPort = (await inspectContainer(created.id)).ports[port];
  return hostPort ? { id: created.id, hostPort } : { id: created.id };
}

/** Waits until a container's process ends; its exit code. */
export async function waitForExit(id: string): Promise<number> {
  const result = (await engine().getContainer(id).wait()) as { StatusCode?: number };
  return result.StatusCode ?? -1;
}
