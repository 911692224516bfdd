// The rehearsal under 100 concurrent users (the k6 `load` profile through
// `npm run load`, which starts and removes its own rehearsal): latency
// percentiles per endpoint group, throughput, failed requests, checks, and the
// reconciliation with the database. Writes results/load.{json,md}.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/index.ts';
import { writeResults } from './results.ts';
import type { K6Summary } from '../src/load/index.ts';

const users = Number(process.env.BENCH_USERS ?? 100);
const duration = process.env.BENCH_DURATION ?? '60s';
const reportsDir = await mkdtemp(join(tmpdir(), 'bench-load-'));

const output = await new Promise<{ code: number; text: string }>((resolve, reject) => {
  const child = spawn(
    process.execPath,
    [
      'harness/src/cli/main.ts',
      'load',
      '--profile',
      'load',
      '--users',
      String(users),
      '--duration',
      duration,
      '--reports-dir',
      reportsDir,
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    process.stdout.write(chunk);
  });
  child.on('error', reject);
  child.on('close', (code) => {
    resolve({ code: code ?? 1, text });
  });
});
const summaryPath = /summary: (\S+)/.exec(output.text)?.[1];
if (!summaryPath || output.code === 2) throw new Error(`npm run load could not run (exit ${output.code})`);
const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as K6Summary;
const reconciled = /reconciled with the database: (.*)/.exec(output.text)?.[1] ?? 'not reconciled';
await rm(reportsDir, { recursive: true, force: true });

const ms = (value: number | undefined) => (value === undefined ? '–' : `${Math.round(value)} ms`);
const groups = Object.keys(summary.metrics)
  .filter((name) => name.startsWith('http_req_duration{group:'))
  .sort();
const rows = ['http_req_duration', ...groups].map((name) => {
  const values = summary.metrics[name]?.values ?? {};
  return { name, p50: values.med, p95: values['p(95)'], p99: values['p(99)'], max: values.max };
});
const requests = summary.metrics.http_reqs?.values ?? {};
const result = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  profile: { users, hold: duration, ramp: '30s' },
  thresholdsHeld: output.code === 0,
  latency: rows,
  throughput: { requests: requests.count, perSecond: requests.rate },
  failedRequests: summary.metrics.http_req_failed?.values.rate,
  checks: summary.metrics.checks?.values.rate,
  iterations: summary.metrics.iterations?.values.count,
  reconciled,
};

const markdown = [
  `# The rehearsal under ${users} concurrent users`,
  '',
  `Measured ${result.measuredAt} on ${result.machine.cpus} cores (${result.machine.model}) by \`npm run bench:load\`:`,
  `k6's \`load\` profile (ramp to ${users} users in 30 s, hold ${duration}) through the proxy (TLS) of a`,
  'rehearsal started for it. k6 runs on the same cores as the stack, so these are the whole machine’s figures.',
  '',
  `- Throughput: ${Math.round(result.throughput.perSecond ?? 0)} requests/s (${result.throughput.requests ?? 0} requests, ${result.iterations ?? 0} journeys)`,
  `- Failed requests: ${((result.failedRequests ?? 0) * 100).toFixed(2)}%; checks passed: ${((result.checks ?? 0) * 100).toFixed(2)}%`,
  `- Reconciliation with the database: ${reconciled}`,
  `- Default thresholds (p95 < 500 ms overall and per group, p99 < 1500 ms): ${result.thresholdsHeld ? 'held' : 'NOT held'}`,
  '',
  '| Requests | p50 | p95 | p99 | max |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((row) => `| ${row.name} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${ms(row.max)} |`),
  '',
  'Not measured yet: capacity (the arrival-rate profile) and the proxy’s added latency.',
  '',
].join('\n');

await writeResults('load', result, markdown);
