// up / down / status / logs for the developer stack (docker-compose.yml, the
// same project `docker compose up` makes) and for rehearsals left running.
import { parseArgs } from 'node:util';
import {
  composeCommand,
  listProjects,
  printLogs,
  projectContainers,
  type ServiceContainer,
} from '../docker/index.ts';
import { UsageError } from '../errors/index.ts';
import { baseImages } from '../images/index.ts';
import {
  devProjectName,
  isHarnessProject,
  isKeptProject,
  projectName,
  reapOrphans,
} from '../projects/index.ts';
import {
  keptProjects,
  rehearsalDefaults,
  removeKeptRehearsals,
  startRehearsalForCommand,
  writeKeptCa,
} from '../rehearsal/index.ts';
import { stackFlags, whichStack } from './options.ts';

export const stackHelp = `npm run up|down|status|logs -- [--dev | --rehearsal]
  up --dev          docker compose up for development (watch mode), waits until healthy
  up --rehearsal    builds the images and leaves a production rehearsal running; prints its URL
  down --dev        stops the developer stack (--volumes also deletes its data)
  down --rehearsal  removes every rehearsal left running (by up --rehearsal or sim --keep)
  status            every stack of this repository: services, state, health, ports
  logs [SERVICE]    --dev or --rehearsal; --follow (-f) with one service`;

const devCompose = (args: string[], env: NodeJS.ProcessEnv) =>
  composeCommand({
    projectName: devProjectName(env),
    file: 'docker-compose.yml',
    args,
    env: { ...baseImages(env), ...env },
  });

async function waitHealthy(project: string, timeoutMs: number): Promise<ServiceContainer[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const containers = await projectContainers(project);
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
  const { values } = parseArgs({ args, options: stackFlags, strict: true });
  if (whichStack(values) === 'dev') {
    if ((await devCompose(['up', '-d', '--build'], env)) !== 0) return 2;
    await waitHealthy(devProjectName(env), 300_000);
    process.stdout.write(
      `developer stack up: http://localhost:${env.APP_PORT ?? 8080} (npm run down -- --dev stops it)\n`,
    );
    return 0;
  }
  const { rehearsal, interrupts } = await startRehearsalForCommand({
    projectName: projectName('kept'),
    step: 'rehearsal up',
    env: rehearsalDefaults(env),
  });
  interrupts[Symbol.dispose]();
  await rehearsal.detach();
  const ca = await writeKeptCa(rehearsal.projectName, rehearsal.caCertificate);
  process.stdout.write(
    `rehearsal up: ${rehearsal.baseUrl} (project ${rehearsal.projectName})\n` +
      `  its TLS certificate comes from the stack's own CA: ${ca} (curl --cacert ${ca} ${rehearsal.baseUrl}/)\n` +
      '  npm run down -- --rehearsal removes it\n',
  );
  return 0;
}

export async function downCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...stackFlags, volumes: { type: 'boolean', default: false } },
    strict: true,
  });
  if (whichStack(values) === 'dev')
    return (await devCompose(['down', ...(values.volumes ? ['--volumes'] : [])], env)) === 0 ? 0 : 2;
  const kept = await removeKeptRehearsals();
  for (const project of kept) process.stdout.write(`removed ${project}\n`);
  const { projects: orphans } = await reapOrphans();
  for (const project of orphans) process.stdout.write(`removed ${project} (its run had died)\n`);
  if (!kept.length && !orphans.length) process.stdout.write('no rehearsal was running\n');
  return 0;
}

function describe(project: string, env: NodeJS.ProcessEnv): string {
  if (project === devProjectName(env)) return 'developer stack';
  return isKeptProject(project) ? 'rehearsal (kept)' : 'rehearsal or test run';
}

export async function statusCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({ args, options: stackFlags, strict: true });
  const all = !values.dev && !values.rehearsal;
  const projects = (await listProjects()).filter(
    (p) =>
      ((all || values.dev) && p === devProjectName(env)) ||
      ((all || values.rehearsal) && isHarnessProject(p)),
  );
  if (!projects.length) process.stdout.write('nothing running (npm run up -- --dev, or npm run sim)\n');
  for (const project of projects) {
    process.stdout.write(`${project}: ${describe(project, env)}\n`);
    for (const c of await projectContainers(project)) {
      const ports = Object.values(c.ports)
        .map((port) => `127.0.0.1:${port}`)
        .join(' ');
      const health = c.health === 'none' ? '' : ` (${c.health})`;
      const exit = c.state === 'exited' ? ` exit ${c.exitCode}` : '';
      const restarts = c.restartCount ? `, ${c.restartCount} restarts` : '';
      process.stdout.write(`  ${c.service.padEnd(10)} ${c.state}${health}${exit}${restarts}  ${ports}\n`);
    }
  }
  return 0;
}

export async function logsCommand(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...stackFlags,
      follow: { type: 'boolean', short: 'f', default: false },
      project: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [service] = positionals;
  if (whichStack(values) === 'dev') {
    const follow = values.follow ? ['--follow'] : [];
    return (await devCompose(['logs', ...follow, ...(service ? [service] : [])], env)) === 0 ? 0 : 2;
  }
  const kept = values.project ?? (await keptProjects()).at(-1);
  if (!kept)
    throw new UsageError('no rehearsal is running (npm run up -- --rehearsal, or npm run sim -- --keep)');
  const containers = (await projectContainers(kept)).filter((c) => !service || c.service === service);
  if (!containers.length) throw new UsageError(`${kept} has no service "${service ?? ''}"`);
  if (values.follow && containers.length > 1)
    throw new UsageError('--follow needs one service: npm run logs -- --rehearsal --follow backend-1');
  for (const container of containers) {
    if (containers.length > 1) process.stdout.write(`==> ${container.service} <==\n`);
    await printLogs(container.id, { follow: values.follow, tail: 200 });
  }
  return 0;
}
