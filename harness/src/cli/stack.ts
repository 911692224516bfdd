// up / down / status / logs for the developer stack (docker-compose.yml, the
// same project `docker compose up` makes) and for rehearsals left running.
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { baseImages } from '../images/index.ts';
import { repoRoot } from '../paths.ts';
import { rehearsalDefaults, startStandaloneRehearsal } from '../sim/index.ts';
import {
  listProjects,
  projectContainers,
  removeOrphanStacks,
  removeProject,
  type ServiceContainer,
} from '../stack/index.ts';
import { UsageError } from './usage.ts';

export const stackHelp = `npm run up|down|status|logs -- [--dev | --rehearsal]
  up --dev          docker compose up for development (watch mode), waits until healthy
  up --rehearsal    builds the images and leaves a production rehearsal running; prints its URL
  down --dev        stops the developer stack (--volumes also deletes its data)
  down --rehearsal  removes every rehearsal left running (by up --rehearsal or sim --keep)
  status            every stack of this repository: services, state, health, ports
  logs [SERVICE]    --dev or --rehearsal; --follow (-f) with one service`;

/** The project `docker compose` gives this directory by default. */
export const devProjectName = (env: NodeJS.ProcessEnv = process.env): string =>
  env.COMPOSE_PROJECT_NAME ??
  basename(repoRoot)
    .toLowerCase()
    .replace(/[^-_a-z0-9]/g, '');

const compose = (args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<number>((resolve, reject) => {
    const child = spawn(
      'docker',
      ['compose', '-p', devProjectName(env), '-f', 'docker-compose.yml', ...args],
      {
        cwd: repoRoot,
        stdio: 'inherit',
        env: { ...baseImages(env), ...env },
      },
    );
    child.on('error', reject);
    child.on('close', (code) => {
      resolve(code ?? 1);
    });
  });

const which = (values: { dev?: boolean; rehearsal?: boolean }): 'dev' | 'rehearsal' => {
  if (values.dev && values.rehearsal) throw new UsageError('choose one of --dev and --rehearsal');
  return values.rehearsal ? 'rehearsal' : 'dev';
};

async function waitHealthy(projectName: string, timeoutMs: number): Promise<ServiceContainer[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const containers = await projectContainers(projectName);
    const waiting = containers.filter(
      (c) => c.state === 'created' || (c.state === 'running' && c.health === 'starting'),
    );
    const broken = containers.filter(
      (c) =>
        c.health === 'unhealthy' || c.state === 'restarting' || (c.state === 'exited' && c.exitCode !== 0),
    );
    if (broken.length)
      throw new UsageError(
        `not healthy: ${broken.map((c) => c.service).join(', ')}; see npm run logs -- --dev ${broken[0]?.service ?? ''}`,
      );
    if (!waiting.length) return containers;
    if (Date.now() > deadline)
      throw new UsageError(
        `still starting after ${timeoutMs / 1000} s: ${waiting.map((c) => c.service).join(', ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export async function upCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { dev: { type: 'boolean' }, rehearsal: { type: 'boolean' } },
    strict: true,
  });
  if (which(values) === 'dev') {
    const code = await compose(['up', '-d', '--build'], env);
    if (code !== 0) return 2;
    await waitHealthy(devProjectName(env), 300_000);
    process.stdout.write(
      `developer stack up: http://localhost:${env.APP_PORT ?? 8080} (npm run down -- --dev stops it)\n`,
    );
    return 0;
  }
  const projectName = `todo-kept-${Math.random().toString(36).slice(2, 8)}`;
  const { rehearsal, interrupts } = await startStandaloneRehearsal({
    projectName,
    step: 'rehearsal up',
    env: rehearsalDefaults(env),
  });
  interrupts.dispose();
  await rehearsal.detach();
  const ca = join(tmpdir(), `${projectName}-ca.crt`);
  await writeFile(ca, rehearsal.caCertificate);
  process.stdout.write(
    `rehearsal up: ${rehearsal.baseUrl} (project ${projectName})\n` +
      `  its TLS certificate comes from the stack's own CA: ${ca} (curl --cacert ${ca} ${rehearsal.baseUrl}/)\n` +
      '  npm run down -- --rehearsal removes it\n',
  );
  return 0;
}

export async function downCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dev: { type: 'boolean' },
      rehearsal: { type: 'boolean' },
      volumes: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (which(values) === 'dev')
    return (await compose(['down', ...(values.volumes ? ['--volumes'] : [])], env)) === 0 ? 0 : 2;
  const kept = (await listProjects()).filter((project) => project.startsWith('todo-kept-'));
  for (const project of kept) {
    await removeProject(project);
    await rm(join(tmpdir(), `${project}-ca.crt`), { force: true });
    process.stdout.write(`removed ${project}\n`);
  }
  const orphans = await removeOrphanStacks();
  for (const project of orphans) process.stdout.write(`removed ${project} (its run had died)\n`);
  if (!kept.length && !orphans.length) process.stdout.write('no rehearsal was running\n');
  return 0;
}

export async function statusCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { dev: { type: 'boolean' }, rehearsal: { type: 'boolean' } },
    strict: true,
  });
  const all = !values.dev && !values.rehearsal;
  const projects = (await listProjects()).filter(
    (p) =>
      ((all || values.dev) && p === devProjectName(env)) ||
      ((all || values.rehearsal) && p.startsWith('todo-')),
  );
  if (!projects.length) process.stdout.write('nothing running (npm run up -- --dev, or npm run sim)\n');
  for (const project of projects) {
    const kind =
      project === devProjectName(env)
        ? 'developer stack'
        : project.startsWith('todo-kept-')
          ? 'rehearsal (kept)'
          : 'rehearsal or test run';
    process.stdout.write(`${project}: ${kind}\n`);
    for (const c of await projectContainers(project)) {
      const ports = Object.values(c.ports)
        .map((port) => `127.0.0.1:${port}`)
        .join(' ');
      const health = c.health === 'none' ? '' : ` (${c.health})`;
      const exit = c.state === 'exited' ? ` exit ${c.exitCode}` : '';
      process.stdout.write(
        `  ${c.service.padEnd(10)} ${c.state}${health}${exit}${c.restartCount ? `, ${c.restartCount} restarts` : ''}  ${ports}\n`,
      );
    }
  }
  return 0;
}

export async function logsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      dev: { type: 'boolean' },
      rehearsal: { type: 'boolean' },
      follow: { type: 'boolean', short: 'f', default: false },
      project: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const service = positionals[0];
  if (which(values) === 'dev')
    return (await compose(
      ['logs', ...(values.follow ? ['--follow'] : []), ...(service ? [service] : [])],
      env,
    )) === 0
      ? 0
      : 2;
  const kept = values.project ?? (await listProjects()).filter((p) => p.startsWith('todo-kept-')).at(-1);
  if (!kept)
    throw new UsageError('no rehearsal is running (npm run up -- --rehearsal, or npm run sim -- --keep)');
  const containers = (await projectContainers(kept)).filter((c) => !service || c.service === service);
  if (!containers.length) throw new UsageError(`${kept} has no service "${service ?? ''}"`);
  if (values.follow && containers.length > 1)
    throw new UsageError('--follow needs one service: npm run logs -- --rehearsal --follow backend-1');
  for (const container of containers) {
    if (containers.length > 1) process.stdout.write(`==> ${container.service} <==\n`);
    await new Promise((resolve) =>
      spawn('docker', ['logs', ...(values.follow ? ['--follow'] : ['--tail', '200']), container.id], {
        stdio: 'inherit',
      }).on('close', resolve),
    );
  }
  return 0;
}
