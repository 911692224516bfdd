/* eslint-disable no-console -- a benchmark reports on stdout */
// Server-side latency of one offline assistant turn that creates a task: the
// request goes through Fastify's inject (no sockets), so the figure is the
// server's own work: auth, rate limit, history load, two model steps, the
// create_task tool, saving both messages, and the streamed answer.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/index.ts';
import { startDatabases } from './databases.ts';

const turns = Number(process.env.BENCH_TURNS ?? 500);
const warmup = 50;
const origin = 'http://localhost:3000';
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

await using databases = await startDatabases();
const { databaseUrl } = databases;

const app = await buildApp(
  loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: databases.redisUrl,
    PUBLIC_URL: origin,
    AUTH_SECRET: 'a-benchmark-secret-that-is-long-enough-0123',
    RATE_LIMIT_API_MAX: '1000000',
    RATE_LIMIT_CHAT_MAX: '1000000',
  }),
);
await app.ready();
const signUp = await app.inject({
  method: 'POST',
  url: '/api/auth/sign-up/email',
  headers: { origin, 'content-type': 'application/json' },
  payload: { email: 'bench@example.com', password: 'correct horse battery', name: 'Bench' },
});
const cookie = signUp.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

const durations: number[] = [];
for (let i = 0; i < warmup + turns; i++) {
  const started = performance.now();
  const response = await app.inject({
    method: 'POST',
    url: '/api/chat',
    headers: { origin, cookie, 'content-type': 'application/json' },
    // A new conversation each time, as a user's first message: the history stays the same size.
    payload: {
      message: { role: 'user', parts: [{ type: 'text', text: `add buy milk ${i} tomorrow, high priority` }] },
    },
  });
  const elapsed = performance.now() - started;
  if (response.statusCode !== 200 || !response.body.includes('Added “buy milk')) {
    throw new Error(`chat turn ${i} failed: ${response.statusCode} ${response.body.slice(0, 300)}`);
  }
  if (i >= warmup) durations.push(elapsed);
}
await app.close();

const sorted = [...durations].sort((a, b) => a - b);
const at = (q: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
const result = {
  recordedAt: new Date().toISOString(),
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`,
  node: process.version,
  turns,
  method:
    'Fastify inject (no network), offline model, one user, a new conversation per turn, ' +
    `after ${warmup} warm-up turns; Postgres and Redis in containers; each turn creates a task and saves two messages`,
  p50Ms: at(0.5),
  p95Ms: at(0.95),
  p99Ms: at(0.99),
  maxMs: at(1),
  aimP95Ms: 25,
};
mkdirSync(resultsDir, { recursive: true });
writeFileSync(`${resultsDir}chat.json`, `${JSON.stringify(result, null, 2)}\n`);
const verdict = result.p95Ms < result.aimP95Ms ? 'meets the aim' : '**misses the aim**';
writeFileSync(
  `${resultsDir}chat.md`,
  [
    '# Assistant benchmark',
    '',
    `Recorded ${result.recordedAt.slice(0, 10)} on ${result.machine}, Node ${result.node}. Reproduce with \`npm run bench:chat -w backend\`.`,
    `Method: ${result.method}.`,
    '',
    '| turns | p50 ms | p95 ms | p99 ms | max ms | aim | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| ${turns} | ${result.p50Ms} | ${result.p95Ms} | ${result.p99Ms} | ${result.maxMs} | p95 < ${result.aimP95Ms} ms | ${verdict} |`,
    '',
  ].join('\n'),
);
console.log(`chat turn: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, p99 ${result.p99Ms} ms (${verdict})`);
