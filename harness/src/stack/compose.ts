// The one file that knows how testcontainers and the two Compose flavours name
// things: v2 names containers <project>-<service>-1, v1.29 <project>_<service>_1.
import { execFile } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { DockerComposeEnvironment, Wait, type StartedDockerComposeEnvironment } from 'testcontainers';
import { prepareTestcontainers, processIsGone } from '../containers/index.ts';
import { baseImages } from '../images/index.ts';
import { repoRoot } from '../paths.ts';

const run = promisify(execFile);

export type ComposeFile = 'docker-compose.yml' | 'docker-compose.prod.yml';

let flavour: Promise<{ version: string; major: number }> | undefined;

/** `docker compose` (v2, or v1.29 behind the plugin scripts/docker.sh installs): its version. */
export function composeVersion(): Promise<{ version: string; major: number }> {
  flavour ??= run('docker', ['compose', 'version', '--short']).then(({ stdout }) => {
    const version = stdout.trim().replace(/^v/, '');
    return { version, major: Number(version.split('.')[0]) };
  });
  return flavour;
}

export interface StackOptions {
  file: ComposeFile;
  /** Unique per run: concurrent stacks must not share one. */
  projectName: string;
  /** Variables the compose file reads; base images are added from .images.env. */
  env?: Record<string, string>;
  /** Build the images that have a build section (the developer stack). */
  build?: boolean;
  startupTimeoutMs?: number;
  /** Stops waiting when it rejects: a service seen failing, an interrupt. */
  abort?: Promise<never>;
  /** Runs before a failed start is removed, while its containers and logs still exist. */
  onFailure?: (error: unknown) => Promise<void>;
}

export interface StartedStack extends AsyncDisposable {
  projectName: string;
  /** The running container of a service (its first replica). */
  containerId: (service: string) => string;
  /** Stops and removes everything of the project: containers, networks, volumes. */
  down: () => Promise<void>;
}

/**
 * Starts a compose file as a project through testcontainers and waits until
 * every container reports healthy. On failure nothing of it is left running.
 */
export async function upStack(options: StackOptions): Promise<StartedStack> {
  prepareTestcontainers();
  await removeOrphanStacks();
  const { major } = await composeVersion();
  let environment = new DockerComposeEnvironment(repoRoot, options.file)
    .withProjectName(options.projectName)
    .withEnvironment({ ...baseImages(), ...options.env })
    .withDefaultWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(options.startupTimeoutMs ?? 180_000);
  if (options.build) environment = environment.withBuild();
  const upping = environment.up();
  upping.catch(() => undefined);
  let started: StartedDockerComposeEnvironment;
  try {
    started = await (options.abort ? Promise.race([upping, options.abort]) : upping);
  } catch (error) {
    await options.onFailure?.(error).catch(() => undefined);
    await removeProject(options.projectName).catch(() => undefined);
    // An abandoned `up` may still be creating containers: let it fail, then sweep again.
    await Promise.race([upping.catch(() => undefined), delay(30_000)]);
    await removeProject(options.projectName).catch(() => undefined);
    throw error;
  }
  const key = (service: string) => (major >= 2 ? `${service}-1` : `${options.projectName}_${service}_1`);
  let downed = false;
  const down = async () => {
    if (downed) return;
    downed = true;
    await started.down({ timeout: 20_000, removeVolumes: true });
  };
  return {
    projectName: options.projectName,
    containerId: (service) => started.getContainer(key(service)).getId(),
    down,
    [Symbol.asyncDispose]: down,
  };
}

const projectFilter = (projectName: string) => `label=com.docker.compose.project=${projectName}`;

/**
 * Removes everything of a project by its label: containers (with anonymous
 * volumes), networks, named volumes. Needs no compose file, so it works the same
 * with either Compose flavour and for any project of ours.
 */
export async function removeProject(projectName: string): Promise<void> {
  const ids = async (...args: string[]) =>
    (await run('docker', [...args, '--filter', projectFilter(projectName), '-q'])).stdout
      .split('\n')
      .filter(Boolean);
  // Every step is tried even when one fails, so a stuck network does not keep the data volume.
  const steps = [
    async () => {
      const containers = await ids('ps', '-a');
      if (containers.length) await run('docker', ['rm', '-f', '-v', ...containers]);
    },
    async () => {
      const networks = await ids('network', 'ls');
      if (networks.length) await run('docker', ['network', 'rm', ...networks]);
    },
    async () => {
      const volumes = await ids('volume', 'ls');
      if (volumes.length) await run('docker', ['volume', 'rm', '-f', ...volumes]);
    },
  ];
  const failures: unknown[] = [];
  for (const step of steps) await step().catch((error: unknown) => failures.push(error));
  if (failures.length) throw failures[0];
}

/** What is left of a project: container, network and volume names carrying its label. */
export async function projectLeftovers(projectName: string): Promise<string[]> {
  const filter = projectFilter(projectName);
  const lists = await Promise.all([
    run('docker', ['ps', '-a', '--filter', filter, '--format', 'container {{.Names}}']),
    run('docker', ['network', 'ls', '--filter', filter, '--format', 'network {{.Name}}']),
    run('docker', ['volume', 'ls', '--filter', filter, '--format', 'volume {{.Name}}']),
  ]);
  return lists.flatMap(({ stdout }) => stdout.split('\n').filter(Boolean));
}

/** Project names of ours carry the pid of the process that owns them: todo-<kind>-<pid>-<random>. */
export const stackProjectName = (kind: string): string =>
  `todo-${kind}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * Compose projects with containers, networks or volumes left (a half-removed
 * project may have only the latter), those with containers first, ordered by
 * their oldest container's creation.
 */
export async function listProjects(): Promise<string[]> {
  const label = '{{.Label "com.docker.compose.project"}}';
  const filter = ['--filter', 'label=com.docker.compose.project'];
  const lines = async (...args: string[]) => (await run('docker', args)).stdout.split('\n').filter(Boolean);
  const rows = (await lines('ps', '-a', ...filter, '--format', `{{.CreatedAt}}\t${label}`)).map(
    (line) => line.split('\t') as [string, string],
  );
  rows.sort((a, b) => a[0].localeCompare(b[0]));
  const others = [
    ...(await lines('network', 'ls', ...filter, '--format', label)),
    ...(await lines('volume', 'ls', ...filter, '--format', label)),
  ];
  return [...new Set([...rows.map((row) => row[1]), ...others])];
}

/**
 * Removes the stacks of runs that died without tearing down (a crash, kill -9):
 * containers, networks and volumes of every todo-* project whose owner is gone.
 * Live runs, concurrent ones included, are left alone. Returns the projects removed.
 */
export async function removeOrphanStacks(): Promise<string[]> {
  const orphans = (await listProjects().catch(() => [])).filter((project) => {
    const pid = /^todo-[a-z-]+?-(\d+)-[a-z0-9]+$/.exec(project)?.[1];
    return pid !== undefined && processIsGone(Number(pid));
  });
  const removed: string[] = [];
  // Best effort: a concurrent run may be removing the same orphan.
  for (const project of orphans) {
    await removeProject(project).then(
      () => removed.push(project),
      () => undefined,
    );
  }
  return removed;
}
