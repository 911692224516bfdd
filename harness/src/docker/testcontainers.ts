// The one file that speaks testcontainers: compose projects (and how the two
// Compose flavours name containers: v2 <project>-<service>-1, v1.29
// <project>_<service>_1), and the single containers of the local stack.
import { setTimeout as delay } from 'node:timers/promises';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import {
  DockerComposeEnvironment,
  GenericContainer,
  Wait,
  type StartedDockerComposeEnvironment,
} from 'testcontainers';
import { repoRoot } from '../paths.ts';
import { composeFlavour, type ComposeChoice, type ComposeFile } from './compose.ts';
import { projectSnapshot, type ContainerSnapshot } from './containers.ts';
import { removeProject } from './projects.ts';

/**
 * testcontainers defaults for a machine without an image registry: Ryuk (the
 * reaper) cannot be pulled, so it is off and the harness cleans up by label
 * itself; the host override skips a probe that would pull alpine. A
 * developer's own settings win.
 */
export function prepareTestcontainers(offline: boolean, env: NodeJS.ProcessEnv = process.env): void {
  env.TESTCONTAINERS_HOST_OVERRIDE ??= 'localhost';
  if (offline) env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
}

export interface ComposeUpOptions {
  file: ComposeFile;
  projectName: string;
  /** Every variable the compose file reads. */
  env: Record<string, string>;
  /** Build the images that have a build section (the developer stack). */
  build?: boolean;
  startupTimeoutMs: number;
  /** Stops waiting when it rejects (a service seen failing, an interrupt); what started is removed. */
  abort?: Promise<never>;
  /** Which Compose runs it; default SIM_COMPOSE, else v2 when installed. */
  compose?: ComposeChoice;
}

export interface StartedCompose {
  projectName: string;
  /** The container of a service (its first replica). */
  containerId(service: string): string;
  /** Stops and removes everything of the project: containers, networks, volumes. */
  down(): Promise<void>;
}

/** A failed `compose up`, with its containers as they were (state, whole log) before they were removed. */
export class ComposeUpFailed extends Error {
  override name = 'ComposeUpFailed';
  override readonly cause: unknown;
  readonly containers: ContainerSnapshot[];
  constructor(cause: unknown, containers: ContainerSnapshot[]) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.cause = cause;
    this.containers = containers;
  }
}

/**
 * Starts a compose file as a project and waits until every container reports
 * healthy (one-shots: exited 0). On failure nothing of it is left.
 */
export async function composeUp(options: ComposeUpOptions): Promise<StartedCompose> {
  const flavour = await composeFlavour(options.compose);
  let environment = new DockerComposeEnvironment(repoRoot, options.file)
    .withProjectName(options.projectName)
    .withEnvironment(options.env)
    .withDefaultWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(options.startupTimeoutMs);
  if (flavour.standalone) environment = environment.withClientOptions({ executable: { standalone: true } });
  // v2 waits itself (`up --wait`: every service healthy, one-shots exited 0) and
  // fails on the first that is not; v1.29 cannot, and testcontainers polls each
  // container's health instead. Either way the event watch (stack/watch.ts) stops
  // a start that is going wrong within seconds.
  if (flavour.major >= 2)
    environment = environment.withClientOptions({
      commandOptions: ['--wait', '--wait-timeout', String(Math.ceil(options.startupTimeoutMs / 1000))],
    });
  if (options.build) environment = environment.withBuild();
  const upping = environment.up();
  upping.catch(() => undefined);
  let started: StartedDockerComposeEnvironment;
  try {
    started = await (options.abort ? Promise.race([upping, options.abort]) : upping);
  } catch (error) {
    const containers = await projectSnapshot(options.projectName).catch(() => []);
    await removeProject(options.projectName).catch(() => undefined);
    // An abandoned `up` may still be creating containers: let it fail, then sweep again.
    await Promise.race([upping.catch(() => undefined), delay(30_000)]);
    await removeProject(options.projectName).catch(() => undefined);
    throw new ComposeUpFailed(error, containers);
  }
  const key = (service: string) =>
    flavour.major >= 2 ? `${service}-1` : `${options.projectName}_${service}_1`;
  let downed: Promise<void> | undefined;
  return {
    projectName: options.projectName,
    containerId: (service) => started.getContainer(key(service)).getId(),
    down: () => {
      downed ??= started.down({ timeout: 20_000, removeVolumes: true }).then(() => undefined);
      return downed;
    },
  };
}

export interface StartedService {
  id: string;
  host: string;
  port: (containerPort: number) => number;
  stop(): Promise<void>;
}

/** Postgres from `image`, labelled; its connection URI. */
export async function startPostgres(
  image: string,
  labels: Record<string, string>,
): Promise<StartedService & { connectionUri: string }> {
  const started = await new PostgreSqlContainer(image).withLabels(labels).start();
  return {
    id: started.getId(),
    host: started.getHost(),
    port: (port) => started.getMappedPort(port),
    connectionUri: started.getConnectionUri(),
    stop: async () => {
      await started.stop();
    },
  };
}

/** Redis from `image`, labelled, ready for connections. */
export async function startRedis(image: string, labels: Record<string, string>): Promise<StartedService> {
  const started = await new GenericContainer(image)
    .withExposedPorts(6379)
    .withLabels(labels)
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
  return {
    id: started.getId(),
    host: started.getHost(),
    port: (port) => started.getMappedPort(port),
    stop: async () => {
      await started.stop();
    },
  };
}
