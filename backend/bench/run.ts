// Backend benchmark: start-up, idle memory, and list/create throughput of the API
// against a bare Fastify + pg route doing the same queries, in the same run with
// the same load tool, so the ratio holds on a noisy machine.
// Writes bench/results/backend.json and backend.md (committed).
/* eslint-disable no-console -- a benchmark reports on stdout */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { baseImages, ownerLabel, ownerValue, prepareTestcontainers, removeOrphans } from '@todo/harness';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, Wait } from 'testcontainers';
import { migrate } from '../src/migrations/index.ts';
import { load, type LoadResult } from './load.ts';

const connections = 100;
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const startups = 5;
const backendDir = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const origin = 'http://localhost:3000';

function spawnNode(script: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [script], {
    cwd: backendDir,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function waitFor(url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(5);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match?.[1] ?? 0) / 1024);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const mean = (values: number[]) =>
  Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
const average = (runs: LoadResult[]): LoadResult => ({
  requestsPerSecond: Math.round(mean(runs.map((r) => r.requestsPerSecond))),
  p50Ms: mean(runs.map((r) => r.p50Ms)),
  p95Ms: mean(runs.map((r) => r.p95Ms)),
  p99Ms: mean(runs.map((r) => r.p99Ms)),
  requests: runs.reduce((a, r) => a + r.requests, 0),
  non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
  errors: runs.reduce((a, r) => a + r.errors, 0),
});

prepareTestcontainers();
await removeOrphans();
const images = baseImages();
const labels = { [ownerLabel]: ownerValue };
console.log('starting Postgres and Redis');
await using postgres = await new PostgreSqlContainer(images.POSTGRES_IMAGE).withLabels(labels).start();
await using redis = await new GenericContainer(images.REDIS_IMAGE)
  .withExposedPorts(6379)
  .withLabels(labels)
  .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
  .start();
const databaseUrl = postgres.getConnectionUri();
await migrate({ databaseUrl });
console.log('building the backend bundle (dist/main.mjs, as the image runs it)');
execFileSync(process.execPath, ['build.ts'], { cwd: backendDir, stdio: 'inherit' });
const compileCache = fileURLToPath(new URL('./tmp/compile-cache/', import.meta.url));
rmSync(compileCache, { recursive: true, force: true });

const apiEnv = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '3200',
  DATABASE_URL: databaseUrl,
  REDIS_URL: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
  PUBLIC_URL: origin,
  AUTH_SECRET: 'benchmark-secret-benchmark-secret-0123456789',
  LOG_LEVEL: 'info',
  // Limits stay on, set above what the benchmark sends.
  RATE_LIMIT_API_MAX: '100000000',
  RATE_LIMIT_AUTH_MAX: '1000',
  // As in the image, which ships a compile cache warmed at build time.
  NODE_COMPILE_CACHE: compileCache,
};
const apiUrl = `http://127.0.0.1:${apiEnv.PORT}`;

console.log(`measuring start-up (${startups} starts)`);
const startToReady: number[] = [];
const selfReported: number[] = [];
for (let i = -1; i < startups; i++) {
  const started = performance.now();
  const child = spawnNode('dist/main.mjs', apiEnv);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  await waitFor(`${apiUrl}/ready`);
  const elapsed = Math.round(performance.now() - started);
  await sleep(50);
  const ready = out.split('\n').find((line) => line.includes('"msg":"ready"'));
  await stop(child);
  if (i < 0) continue; // the first start warms the compile cache, as the image build does
  startToReady.push(elapsed);
  if (ready) selfReported.push((JSON.parse(ready) as { startupMs: number }).startupMs);
}

console.log('starting the API and the bare baseline');
const api = spawnNode('dist/main.mjs', apiEnv);
api.stdout?.resume();
await waitFor(`${apiUrl}/ready`);
await sleep(2_000);
const idleMb = rssMb(api.pid ?? 0);

const signUp = await fetch(`${apiUrl}/api/auth/sign-up/email`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin },
  body: JSON.stringify({ email: 'bench@example.com', password: 'benchmark-password', name: 'Bench' }),
});
const { user } = (await signUp.json()) as { user: { id: string } };
const cookie = signUp.headers
  .getSetCookie()
  .map((c) => c.split(';')[0])
  .join('; ');
const authHeaders = { cookie, origin, 'content-type': 'application/json' };
for (let i = 0; i < 50; i++) {
  await fetch(`${apiUrl}/api/tasks`, {
    method: 'POST',
    headers: authHeaders,
    body: JSON.stringify({ title: `task ${i}`, notes: 'seeded for the benchmark', priority: 'medium' }),
  });
}

const bareUrl = 'http://127.0.0.1:3100';
const bare = spawnNode('bench/bare-server.ts', { DATABASE_URL: databaseUrl, PORT: '3100', USER_ID: user.id });
bare.stdout?.resume();
await waitFor(`${bareUrl}/tasks`);

const body = JSON.stringify({ title: 'benchmark task' });
const scenarios = {
  list: {
    api: { url: `${apiUrl}/api/tasks?limit=50`, headers: { cookie } },
    bare: { url: `${bareUrl}/tasks` },
  },
  create: {
    api: { url: `${apiUrl}/api/tasks`, method: 'POST' as const, headers: authHeaders, body },
    bare: {
      url: `${bareUrl}/tasks`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body,
    },
  },
};

const results: Record<string, { api: LoadResult; bare: LoadResult; ratio: number }> = {};
for (const [name, targets] of Object.entries(scenarios)) {
  console.log(`${name}: warm-up`);
  await load({ ...targets.api, connections, durationSeconds: 3 });
  await load({ ...targets.bare, connections, durationSeconds: 3 });
  const runs: { api: LoadResult[]; bare: LoadResult[] } = { api: [], bare: [] };
  // Alternating order (bare, api, api, bare) cancels slow drift of the machine.
  for (const target of ['bare', 'api', 'api', 'bare'] as const) {
    const result = await load({ ...targets[target], connections, durationSeconds: seconds });
    console.log(
      `${name} ${target}: ${result.requestsPerSecond} req/s, p95 ${result.p95Ms} ms, non-2xx ${result.non2xx}`,
    );
    runs[target].push(result);
  }
  const apiResult = average(runs.api);
  const bareResult = average(runs.bare);
  results[name] = {
    api: apiResult,
    bare: bareResult,
    ratio: Math.round((apiResult.requestsPerSecond / bareResult.requestsPerSecond) * 100) / 100,
  };
}
await sleep(5_000);
const afterLoadMb = rssMb(api.pid ?? 0);
await Promise.all([stop(api), stop(bare)]);

const gitSha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const report = {
  date: new Date().toISOString(),
  gitSha,
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  method: `autocannon, ${connections} connections, ${seconds} s per run, runs alternated bare/api/api/bare and averaged; Postgres ${images.POSTGRES_IMAGE} and Redis ${images.REDIS_IMAGE} in containers; API as the bundle dist/main.mjs with a warm compile cache, NODE_ENV=production, LOG_LEVEL=info, auth, validation, rate limits (raised) and Redis session cache on`,
  startup: {
    startToReadyMs: median(startToReady),
    selfReportedMs: median(selfReported),
    samples: startToReady,
  },
  memory: { idleRssMb: idleMb, afterLoadRssMb: afterLoadMb },
  load: results,
  aims: { ratio: 0.7, startToReadyMs: 600, idleRssMb: 110 },
};

const row = (label: string, r: LoadResult) =>
  `| ${label} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p95Ms} | ${r.p99Ms} | ${r.non2xx + r.errors} |`;
const verdict = (ok: boolean) => (ok ? 'meets the aim' : '**misses the aim**');
const markdown = `# Backend benchmark

Recorded ${report.date.slice(0, 10)} at ${gitSha} on ${report.machine.cpus} × ${report.machine.model}, ${report.machine.memoryGb} GiB, Node ${report.machine.node}.
Reproduce with \`npm run bench\` (about four minutes). Method: ${report.method}.

| | value | aim | |
| --- | --- | --- | --- |
| start to ready (spawn → first 200 on /ready), median of ${startups} warm starts | ${report.startup.startToReadyMs} ms | < 600 ms | ${verdict(report.startup.startToReadyMs < 600)} |
| start-up reported by the process (to listening) | ${report.startup.selfReportedMs} ms | | |
| idle memory (RSS, 2 s after ready) | ${idleMb} MB | < 110 MB | ${verdict(idleMb < 110)} |
| memory after the load (RSS) | ${afterLoadMb} MB | | |
${Object.entries(results)
  .map(
    ([name, r]) => `| ${name}: API / bare throughput | ${r.ratio}× | ≥ 0.7× | ${verdict(r.ratio >= 0.7)} |`,
  )
  .join('\n')}

${Object.entries(results)
  .map(
    ([
      name,
      r,
    ]) => `## ${name === 'list' ? 'List 50 tasks (GET /api/tasks?limit=50)' : 'Create a task (POST /api/tasks)'}

| target | req/s | p50 ms | p95 ms | p99 ms | non-2xx + errors |
| --- | --- | --- | --- | --- | --- |
${row('API (signed in)', r.api)}
${row('bare Fastify + pg', r.bare)}
`,
  )
  .join('\n')}`;

mkdirSync(resultsDir, { recursive: true });
writeFileSync(`${resultsDir}backend.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${resultsDir}backend.md`, markdown);
console.log(`\n${markdown}\nwritten to bench/results/backend.{json,md}`);
