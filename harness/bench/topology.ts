/* eslint-disable no-console -- a benchmark reports on stdout */
// The app against a bare reference backend in the same production topology:
// the rehearsal as shipped (Caddy with TLS, two replicas with their CPU and
// memory limits, Postgres, Redis), and the same stack with the bare server
// (backend/bench/bare-server.ts: Fastify + pg, the same queries, no auth
// library, validation, logging or rate limits) in the backend's place. The
// same k6 script drives both from the same many users: list 50 tasks, create,
// update with the version, sign in. Blocks app, bare, bare, app, so drift
// across the run cancels. Also what the machine spends on the way (Docker's
// daemon and port proxy, k6). Writes results/topology.{json,md}.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage as dockerBuild, execIn } from '../src/docker/index.ts';
import { buildImageSet, imageReferences } from '../src/images/index.ts';
import { runK6, type K6Summary } from '../src/load/index.ts';
import { repoRoot } from '../src/paths.ts';
import { projectName } from '../src/projects/index.ts';
import { startRehearsal, type StartedRehearsal } from '../src/rehearsal/index.ts';
import { watchMachine, type MachineCost } from './machine.ts';
import { writeResults } from './results.ts';

const users = Number(process.env.BENCH_USERS ?? 100);
const vus = Number(process.env.BENCH_VUS ?? 50);
const signInVus = Number(process.env.BENCH_SIGN_IN_VUS ?? 10);
const holdSeconds = Number(process.env.BENCH_HOLD_SECONDS ?? 20);
const groups = ['tasks:list', 'tasks:create', 'tasks:update', 'auth:sign-in'] as const;
type Group = (typeof groups)[number];
const password = 'topology benchmark password';
const aim = 0.7;

const scratch = await mkdtemp(join(tmpdir(), 'bench-topology-'));

async function buildBare(backendImage: string): Promise<string> {
  const context = join(scratch, 'bare');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/build-bare.ts', context, backendImage], {
      cwd: join(repoRoot, 'backend'),
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`bundling the bare server exited ${String(code)}`));
    });
  });
  const tag = `todo-bench-bare:${backendImage.split(':')[1] ?? 'local'}`;
  await dockerBuild({ dockerfile: join(context, 'Dockerfile'), context, tag, buildArgs: {} });
  return tag;
}

const psql = (rehearsal: StartedRehearsal, sql: string) =>
  execIn(
    rehearsal.containerId('postgres'),
    ['sh', '-c', 'psql -X -At -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB"'],
    { stdin: sql },
  );

/** The app's own argon2id hash of the benchmark's password: one sign-up through the app. */
async function passwordHash(app: StartedRehearsal): Promise<string> {
  const origin = app.baseUrl;
  const reply = await app.fetch(`${app.baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'topo-template@example.com', password, name: 'Template' }),
  });
  if (!reply.ok) throw new Error(`the template sign-up answered ${reply.status}`);
  const hash = (
    await psql(
      app,
      `SELECT a.password FROM accounts a JOIN users u ON u.id = a.user_id WHERE u.email = 'topo-template@example.com';\n`,
    )
  ).trim();
  if (!hash.startsWith('$argon2id$')) throw new Error(`unexpected stored hash: ${hash.slice(0, 20)}`);
  return hash;
}

/** The same users and tasks in either stack: topo-<n>@example.com, 50 tasks each. */
async function seed(rehearsal: StartedRehearsal, hash: string): Promise<void> {
  const literal = hash.replace(/'/g, "''");
  await psql(
    rehearsal,
    `INSERT INTO users (name, email) SELECT 'Topo', 'topo-' || g || '@example.com' FROM generate_series(0, ${users - 1}) g;
     INSERT INTO accounts (user_id, account_id, provider_id, password)
       SELECT id, id::text, 'credential', '${literal}' FROM users WHERE email LIKE 'topo-%' AND email <> 'topo-template@example.com';
     INSERT INTO tasks (user_id, title)
       SELECT u.id, 'task ' || g FROM users u, generate_series(1, 50) g WHERE u.email LIKE 'topo-%';
     ANALYZE;\n`,
  );
}

interface GroupFigures {
  requestsPerSecond: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  failedRate: number | null;
}

function figures(summary: K6Summary | undefined, group: Group): GroupFigures {
  const metric = (name: string) => summary?.metrics[`${name}{group:${group}}`]?.values ?? {};
  const round = (value: number | undefined) => (value === undefined ? null : Math.round(value * 10) / 10);
  const duration = metric('http_req_duration');
  return {
    requestsPerSecond: Math.round(((metric('http_reqs').count ?? 0) / holdSeconds) * 10) / 10,
    p50: round(duration.med),
    p95: round(duration['p(95)']),
    p99: round(duration['p(99)']),
    failedRate: metric('http_req_failed').rate ?? null,
  };
}

interface Block {
  backend: 'app' | 'bare';
  groups: Record<Group, GroupFigures>;
  machine: MachineCost | undefined;
  /** Average CPU of each service over the run, percent of one core. */
  services: Record<string, number>;
}

async function runBlock(
  backend: 'app' | 'bare',
  images: { backend: string; frontend: string; proxy: string },
  hashOf: (rehearsal: StartedRehearsal) => Promise<string>,
  index: number,
): Promise<Block> {
  console.log(`block ${index + 1}: ${backend} backend (${images.backend})`);
  await using rehearsal = await startRehearsal({
    images,
    projectName: projectName('bench'),
    // Every user signs in from 127.0.0.1; the per-user API limit is raised above what the load sends.
    env: { RATE_LIMIT_AUTH_MAX: '1000000', RATE_LIMIT_API_MAX: '1000000000' },
  });
  await seed(rehearsal, await hashOf(rehearsal));
  const usage = await rehearsal.sampleUsage(2_000);
  const machine = watchMachine();
  const run = await runK6({
    baseUrl: rehearsal.baseUrl,
    caCertificate: rehearsal.caCertificate,
    profile: 'smoke',
    script: 'topology.ts',
    outDir: join(scratch, `block-${index}`),
    runTag: `topology${index}`,
    vars: {
      USERS: String(users),
      VUS: String(vus),
      SIGN_IN_VUS: String(signInVus),
      HOLD_SECONDS: String(holdSeconds),
      PASSWORD: password,
    },
  });
  const cost = machine.stop();
  const services = Object.fromEntries((await usage.stop()).map((u) => [u.service, u.cpuAvgPercent]));
  if (run.exitCode !== 0) throw new Error(`k6 exited ${run.exitCode} in block ${index + 1}`);
  const measured = Object.fromEntries(groups.map((group) => [group, figures(run.summary, group)])) as Record<
    Group,
    GroupFigures
  >;
  for (const group of groups) {
    const f = measured[group];
    console.log(
      `  ${group}: ${f.requestsPerSecond} req/s, p95 ${f.p95 ?? '–'} ms, failed ${f.failedRate ?? '–'}`,
    );
  }
  return { backend, groups: measured, machine: cost, services };
}

try {
  const set = await buildImageSet((line) => {
    if (!line.includes(': Step') && !line.includes('--->')) return;
  });
  const app = imageReferences(set);
  const bare = { ...app, backend: await buildBare(app.backend) };
  let hash: string | undefined;
  const hashOf = async (rehearsal: StartedRehearsal) => (hash ??= await passwordHash(rehearsal));
  const plan = ['app', 'bare', 'bare', 'app'] as const;
  const blocks: Block[] = [];
  for (const [index, backend] of plan.entries()) {
    blocks.push(await runBlock(backend, backend === 'app' ? app : bare, hashOf, index));
  }

  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const of = (backend: 'app' | 'bare', group: Group, key: keyof GroupFigures) =>
    Math.round(mean(blocks.filter((b) => b.backend === backend).map((b) => b.groups[group][key] ?? 0)) * 10) /
    10;
  const comparison = groups.map((group) => {
    const appRate = of('app', group, 'requestsPerSecond');
    const bareRate = of('bare', group, 'requestsPerSecond');
    return {
      group,
      app: {
        requestsPerSecond: appRate,
        p50: of('app', group, 'p50'),
        p95: of('app', group, 'p95'),
        p99: of('app', group, 'p99'),
      },
      bare: {
        requestsPerSecond: bareRate,
        p50: of('bare', group, 'p50'),
        p95: of('bare', group, 'p95'),
        p99: of('bare', group, 'p99'),
      },
      ratio: bareRate ? Math.round((appRate / bareRate) * 100) / 100 : null,
      failed: { app: of('app', group, 'failedRate'), bare: of('bare', group, 'failedRate') },
    };
  });
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
    method: { users, vus, signInVus, holdSeconds, plan },
    aim: { ratio: aim, groups: ['tasks:list', 'tasks:create'] },
    comparison,
    blocks,
  };

  const ms = (value: number | null) => (value === null ? '–' : `${value} ms`);
  const costRow = (block: Block, index: number) => {
    const c = block.machine?.cores;
    const s = block.services;
    const pct = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value)}%`);
    return `| ${index + 1} (${block.backend}) | ${c ? `${Math.round(c.dockerd * 100)}%` : '–'} | ${c ? `${Math.round(c['docker-proxy'] * 100)}%` : '–'} | ${c ? `${Math.round(c.containerd * 100)}%` : '–'} | ${c ? `${Math.round(c.k6 * 100)}%` : '–'} | ${pct(s.proxy)} | ${pct((s['backend-1'] ?? 0) + (s['backend-2'] ?? 0))} | ${pct(s.postgres)} |`;
  };
  const markdown = [
    '# The app against a bare backend, in the production topology',
    '',
    `Measured ${result.measuredAt} on ${result.machine.cpus} cores (${result.machine.model}) by \`npm run bench:topology\`.`,
    'Both stacks are the rehearsal as shipped: Caddy with TLS in front, two backend replicas (1 CPU, 512 MiB each),',
    'Postgres and Redis with their limits. Only the backend image differs: the app, or the bare reference server',
    '(`backend/bench/bare-server.ts`: Fastify and pg running the same queries, without the auth library, validation,',
    'logging or rate limits; its sign-in verifies the same argon2id hash and stores a session).',
    `k6 on the same cores drives both with the same ${users} users (50 tasks each), one group at a time for ${holdSeconds} s:`,
    `${vus} virtual users without think time (${signInVus} for sign-in). Blocks ${plan.join(', ')}; figures are the means of each backend's two blocks.`,
    '',
    '| Group | app req/s | bare req/s | app / bare | app p50 | app p95 | app p99 | bare p95 | bare p99 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...comparison.map(
      (c) =>
        `| ${c.group} | ${c.app.requestsPerSecond} | ${c.bare.requestsPerSecond} | ${c.ratio ?? '–'}×${result.aim.groups.includes(c.group) ? (c.ratio !== null && c.ratio >= aim ? ' (aim ≥ 0.7: met)' : ' (aim ≥ 0.7: **missed**)') : ''} | ${ms(c.app.p50)} | ${ms(c.app.p95)} | ${ms(c.app.p99)} | ${ms(c.bare.p95)} | ${ms(c.bare.p99)} |`,
    ),
    '',
    '## What the machine spends on the way',
    '',
    'CPU over each block, in percent of one core: Docker’s daemon, its userland port proxy (every request from k6',
    'to the published port passes through it), containerd, k6 itself; then the stack’s own services (averaged samples).',
    '',
    '| Block | dockerd | docker-proxy | containerd | k6 | proxy (Caddy) | both replicas | Postgres |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...blocks.map(costRow),
    '',
  ].join('\n');
  await writeResults('topology', result, markdown);
} finally {
  await rm(scratch, { recursive: true, force: true });
}
