// Where the platform stand-ins really run what they are given: containers of
// the deployed image on a network of their own, with Postgres and Redis beside
// them as the platform's managed services, each replica published on 127.0.0.1
// (the host never addresses a container directly).
import { randomBytes } from 'node:crypto';
import {
  containerLogs,
  createNetwork,
  execIn,
  inspectContainer,
  projectLabel,
  pullImage,
  removeContainers,
  removeProject,
  runContainer,
  waitForExit,
} from '../docker/index.ts';
import { claimProject, projectName } from '../projects/index.ts';

export interface Runtime extends AsyncDisposable {
  /** The compose-style project everything here carries: one removal takes it all. */
  project: string;
  network: string;
  /** What the deployed backend is given to reach its managed services (staging: a database of its own). */
  services: { databaseUrl: string; stagingDatabaseUrl: string; redisUrl: string };
  /** Pulls `image` (by digest) and runs `command` once to its end: the pre-deploy step. */
  runOnce(
    image: string,
    command: string[],
    env: Record<string, string>,
  ): Promise<{ exitCode: number; log: string }>;
  /** A long-running replica of `image` listening on `port`, published on 127.0.0.1. */
  startReplica(
    image: string,
    env: Record<string, string>,
    port: number,
    label: string,
    command?: string,
  ): Promise<Replica>;
  remove(): Promise<void>;
}

export interface Replica {
  id: string;
  /** http://127.0.0.1:<published port> */
  url: string;
  /** Whether its process still runs. */
  running(): Promise<boolean>;
  stop(): Promise<void>;
}

const secret = () => randomBytes(18).toString('base64url');

export async function startRuntime(images: { postgres: string; redis: string }): Promise<Runtime> {
  const project = projectName('platforms');
  await claimProject(project);
  const labels = { [projectLabel]: project };
  try {
    const network = `${project}_default`;
    await createNetwork(network, labels);
    const password = secret();
    const postgres = await runContainer({
      image: images.postgres,
      name: `${project}-postgres`,
      network,
      env: { POSTGRES_USER: 'todo', POSTGRES_PASSWORD: password, POSTGRES_DB: 'todo' },
      labels: { ...labels, 'com.docker.compose.service': 'postgres' },
    });
    await runContainer({
      image: images.redis,
      name: `${project}-redis`,
      network,
      command: [
        'redis-server',
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'no',
        '--bind',
        '0.0.0.0',
      ],
      env: {},
      labels: { ...labels, 'com.docker.compose.service': 'redis' },
    });
    // Staging's database beside production's, once Postgres takes connections (its first start
    // runs a server that is stopped again: a failed attempt is simply tried again).
    await execIn(postgres.id, [
      'sh',
      '-c',
      `for i in $(seq 1 150); do
         psql -U todo -d todo -tAc "SELECT 1 FROM pg_database WHERE datname = 'staging'" 2>/dev/null | grep -q 1 && exit 0
         psql -U todo -d todo -c 'CREATE DATABASE staging' >/dev/null 2>&1
         sleep 0.2
       done
       exit 1`,
    ]);
    const remove = () => removeProject(project);
    return {
      project,
      network,
      services: {
        databaseUrl: `postgres://todo:${password}@${project}-postgres:5432/todo`,
        stagingDatabaseUrl: `postgres://todo:${password}@${project}-postgres:5432/staging`,
        redisUrl: `redis://${project}-redis:6379`,
      },
      async runOnce(image, command, env) {
        await pullImage(image);
        const { id } = await runContainer({
          image,
          network,
          env,
          command,
          labels: { ...labels, 'com.docker.compose.service': 'pre-deploy' },
        });
        const exitCode = await waitForExit(id);
        return { exitCode, log: await containerLogs(id).catch(() => '') };
      },
      async startReplica(image, env, port, label, command) {
        await pullImage(image);
        const { id, hostPort } = await runContainer({
          image,
          network,
          env,
          ...(command ? { command: ['sh', '-c', `exec ${command}`] } : {}),
          publish: port,
          labels: { ...labels, 'com.docker.compose.service': label },
          memoryBytes: 512 * 2 ** 20,
          cpus: 1,
        });
        if (!hostPort) throw new Error(`${label} has no published port`);
        return {
          id,
          url: `http://127.0.0.1:${hostPort}`,
          running: async () => (await inspectContainer(id).catch(() => undefined))?.state === 'running',
          stop: () => removeContainers([id]),
        };
      },
      remove,
      [Symbol.asyncDispose]: remove,
    };
  } catch (error) {
    await removeProject(project).catch(() => undefined);
    throw error;
  }
}
