// Backend benchmark: start-up, idle memory, and list/create throughput of the API
// against a bare Fastify + pg route doing the same queries, in the same run with
// the same load tool, so the ratio holds on a noisy machine.
// Writes bench/results/backend.json and backend.md (committed).
/* eslint-disable no-console -- a benchmark reports on stdout */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startDatabases } from './databases.ts';
import { load, type LoadOptions, type LoadResult } from './load.ts';
import { toMarkdown, type BenchReport, type ScenarioResult } from './report.ts';
import { buildImage } from '@todo/harness';
import { measureImageStartups } from './image-startup.ts';
import { measureStartups, spawnNode, stop, waitFor, type StartupSample } from './startup.ts';

const connections = 100;
const users = Number(process.env.BENCH_USERS ?? 300);
const tasksPerUser = 50;
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const blocks = 4;
const backendDir = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const origin = 'http://localhost:3000';

const rssMb = (pid: number) =>
  Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)] ?? 0;
const round2 = (value: number) => Math.round(value * 100) / 100;
const mean = (values: number[]) => round2(values.reduce((a, b) => a + b, 0) / values.length);
const average = (runs: LoadResult[]): LoadResult => ({
  requestsPerSecond: Math.round(mean(runs.map((r) => r.requestsPerSecond))),
  p50Ms: mean(runs.map((r) => r.p50Ms)),
  p95Ms: mean(runs.map((r) => r.p95Ms)),
  p99Ms: mean(runs.map((r) => r.p99Ms)),
  requests: runs.reduce((a, r) => a + r.requests, 0),
  non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
  errors: runs.reduce((a, r) => a + r.errors, 0),
});

/**
 * Blocks of bare, api, api, bare runs: each block's ratio cancels the machine's
 * drift within it, and the median over blocks ignores a block a noisy neighbour spoilt.
 */
async function compare(
  name: string,
  targets: { api: LoadOptions; bare: LoadOptions },
): Promise<ScenarioResult> {
  console.log(`${name}: warm-up`);
  await load({ ...targets.api, durationSeconds: 3 });
  await load({ ...targets.bare, durationSeconds: 3 });
  const runs: { api: LoadResult[]; bare: LoadResult[] } = { api: [], bare: [] };
  const blockRatios: number[] = [];
  for (let block = 0; block < blocks; block++) {
    const rates = { api: 0, bare: 0 };
    for (const target of ['bare', 'api', 'api', 'bare'] as const) {
      const result = await load({ ...targets[target], durationSeconds: seconds });
      console.log(
        `${name} ${target}: ${result.requestsPerSecond} req/s, p95 ${result.p95Ms} ms, non-2xx ${result.non2xx}`,
      );
      runs[target].push(result);
      rates[target] += result.requestsPerSecond;
    }
    blockRatios.push(round2(rates.api / rates.bare));
  }
  return {
    api: average(runs.api),
    bare: average(runs.bare),
    ratio: median(blockRatios),
    ratioMin: Math.min(...blockRatios),
    ratioMax: Math.max(...blockRatios),
    blockRatios,
  };
}

await using databases = await startDatabases();
const { databaseUrl, images } = databases;
console.log('building the backend bundle (dist/main.mjs, as the image runs it)');
execFileSync(process.execPath, ['build.ts'], { cwd: backendDir, stdio: 'inherit' });
const compileCache = fileURLToPath(new URL('./tmp/compile-cache/', import.meta.url));
rmSync(compileCache, { recursive: true, force: true });

const apiEnv = {
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: '3200',
  DATABASE_URL: databaseUrl,
  REDIS_URL: databases.redisUrl,
  PUBLIC_URL: origin,
  AUTH_SECRET: 'benchmark-secret-benchmark-secret-0123456789',
  LOG_LEVEL: 'info',
  // Limits stay on, set above what the benchmark sends.
  RATE_LIMIT_API_MAX: '100000000',
  RATE_LIMIT_AUTH_MAX: '1000',
  // As in the image, which ships a compile cache written at build time (backend/Dockerfile).
  NODE_COMPILE_CACHE: compileCache,
};
const apiUrl = `http://127.0.0.1:${apiEnv.PORT}`;
const startupEnv = { ...apiEnv, PORT: '3201' };
const startups: StartupSample[] = [];
const measureSomeStartups = async () => {
  console.log('measuring start-up (3 starts)');
  startups.push(...(await measureStartups(3, backendDir, startupEnv, 'http://127.0.0.1:3201/ready')));
};

await measureStartups(1, backendDir, startupEnv, 'http://127.0.0.1:3201/ready'); // warms the compile cache
await measureSomeStartups();

console.log('the backend image: building it (when its inputs changed), then 1 + 5 container starts');
const backendImage = (await buildImage('backend')).tag;
const imageEnv = {
  DATABASE_URL: databases.databaseUrlForContainers,
  REDIS_URL: databases.redisUrlForContainers,
  PUBLIC_URL: origin,
  AUTH_SECRET: apiEnv.AUTH_SECRET,
  LOG_LEVEL: 'info',
};
await measureImageStartups(1, backendImage, imageEnv);
const imageStartups = await measureImageStartups(5, backendImage, imageEnv);
console.log(`  ${imageStartups.map((sample) => `${sample.startToReadyMs} ms`).join(', ')}`);

console.log('starting the API and the bare baseline');
const api = spawnNode(backendDir, 'dist/main.mjs', apiEnv);
api.stdout?.resume();
await waitFor(`${apiUrl}/ready`);
await sleep(2_000);
const idleMb = rssMb(api.pid ?? 0);

// Many users, as production has: each request of the load carries one of their sessions in turn.
console.log(`signing up ${users} users, ${tasksPerUser} tasks each`);
const sessions: { userId: string; cookie: string }[] = [];
for (let start = 0; start < users; start += 10) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(10, users - start) }, async (_, i) => {
      const reply = await fetch(`${apiUrl}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({
          email: `bench-${start + i}@example.com`,
          password: 'benchmark-password',
          name: 'Bench',
        }),
      });
      if (!reply.ok) throw new Error(`sign-up ${start + i} answered ${reply.status}`);
      const { user } = (await reply.json()) as { user: { id: string } };
      const cookie = reply.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      return { userId: user.id, cookie };
    }),
  );
  sessions.push(...batch);
}
const seed = new pg.Client({ connectionString: databaseUrl });
await seed.connect();
await seed.query(
  `INSERT INTO tasks (user_id, title, notes, priority)
   SELECT u, 'task ' || g, 'seeded for the benchmark', 'medium' FROM unnest($1::uuid[]) u, generate_series(1, $2) g`,
  [sessions.map((session) => session.userId), tasksPerUser],
);
await seed.end();
const cookies = sessions.map((session) => session.cookie);
// The bare baseline knows no sessions: the same users, named by its own cookie.
const bareCookies = sessions.map((session) => `bare_user=${session.userId}`);
const authHeaders = { origin, 'content-type': 'application/json' };

const bareUrl = 'http://127.0.0.1:3100';
const bare = spawnNode(backendDir, 'bench/bare-server.ts', { DATABASE_URL: databaseUrl, PORT: '3100' });
bare.stdout?.resume();
await waitFor(`${bareUrl}/ready`);

const body = JSON.stringify({ title: 'benchmark task' });
const results: Record<string, ScenarioResult> = {};
results.list = await compare('list', {
  api: { url: `${apiUrl}/api/tasks?limit=50`, cookies, connections, durationSeconds: seconds },
  bare: { url: `${bareUrl}/api/tasks`, cookies: bareCookies, connections, durationSeconds: seconds },
});
await measureSomeStartups();
results.create = await compare('create', {
  api: {
    url: `${apiUrl}/api/tasks`,
    method: 'POST',
    headers: authHeaders,
    cookies,
    body,
    connections,
    durationSeconds: seconds,
  },
  bare: {
    url: `${bareUrl}/api/tasks`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    cookies: bareCookies,
    body,
    connections,
    durationSeconds: seconds,
  },
});
await sleep(5_000);
const afterLoadMb = rssMb(api.pid ?? 0);
await Promise.all([stop(api), stop(bare)]);
await measureSomeStartups();

const startToReady = startups.map((s) => s.startToReadyMs);
const report: BenchReport = {
  date: new Date().toISOString(),
  gitSha: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  method:
    `autocannon with ${connections} connections, each request carrying one of ${users} users' sessions in turn (${tasksPerUser} tasks each); per scenario ${blocks} blocks of bare/api/api/bare runs of ${seconds} s, ` +
    `the ratio is the median of the blocks' ratios; Postgres ${images.POSTGRES_IMAGE} and Redis ${images.REDIS_IMAGE} in containers; ` +
    'the API is the bundle dist/main.mjs with a warm compile cache, NODE_ENV=production, LOG_LEVEL=info (stdout read by the benchmark), ' +
    'with auth, validation, rate limits (raised, still counted) and the Redis session cache on',
  startup: {
    startToReadyMs: median(startToReady),
    fastestMs: Math.min(...startToReady),
    slowestMs: Math.max(...startToReady),
    selfReportedMs: median(
      startups.flatMap((s) => (s.selfReportedMs === undefined ? [] : [s.selfReportedMs])),
    ),
    samples: startToReady,
  },
  memory: { idleRssMb: idleMb, afterLoadRssMb: afterLoadMb },
  image: {
    reference: backendImage,
    startToReadyMs: median(imageStartups.map((sample) => sample.startToReadyMs)),
    samples: imageStartups.map((sample) => sample.startToReadyMs),
    idleRssMb: median(imageStartups.map((sample) => sample.idleRssMb)),
  },
  load: results,
  aims: { ratio: 0.7, startToReadyMs: 600, idleRssMb: 110 },
};

const markdown = toMarkdown(report);
mkdirSync(resultsDir, { recursive: true });
writeFileSync(`${resultsDir}backend.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${resultsDir}backend.md`, markdown);
console.log(`\n${markdown}\nwritten to bench/results/backend.{json,md}`);
