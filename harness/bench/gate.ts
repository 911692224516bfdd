/* eslint-disable no-console -- a benchmark reports on stdout */
// The default `npm run sim` (no overrides: 100 users, every default threshold)
// run BENCH_RUNS times in a row (10 by default): does the gate pass a healthy
// app every time on this machine, and by how much? Each run's verdict, its
// worst endpoint group's p95 and the overall p95 and p99.
// Writes results/gate.{json,md}.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { writeResults } from './results.ts';

const runs = Number(process.env.BENCH_RUNS ?? 10);

async function sim(reportsDir: string): Promise<{ code: number; wallMs: number; report?: SimReport }> {
  const started = performance.now();
  // The user's environment as it is, without SIM_THRESHOLDS: the defaults are what is measured.
  const { SIM_THRESHOLDS: _ignored, ...env } = process.env;
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['harness/src/cli/main.ts', 'sim', '--json', '--reports-dir', reportsDir],
      { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (exit) => {
      resolve({ code: exit ?? 1, stdout: out });
    });
  });
  const wallMs = Math.round(performance.now() - started);
  try {
    return { code, wallMs, report: JSON.parse(stdout) as SimReport };
  } catch {
    return { code, wallMs };
  }
}

interface RunRow {
  run: number;
  verdict: string;
  wallMs: number;
  /** The slowest endpoint group of the load by p95. */
  worstGroup: string;
  worstGroupP95: number | null;
  p95: number | null;
  p99: number | null;
  signUpP95: number | null;
  signInP95: number | null;
  failedRate: number | null;
  breached: string[];
}

function row(run: number, result: Awaited<ReturnType<typeof sim>>): RunRow {
  const latency = result.report?.load?.latency ?? [];
  const groups = latency.filter((r) => r.metric.startsWith('http_req_duration{group:'));
  const worst = groups.reduce<(typeof groups)[number] | undefined>(
    (slowest, r) => ((r.p95 ?? 0) > (slowest?.p95 ?? -1) ? r : slowest),
    undefined,
  );
  const group = (name: string) =>
    latency.find((r) => r.metric === `http_req_duration{group:${name}}`)?.p95 ?? null;
  return {
    run,
    verdict: result.report?.verdict ?? `exit ${result.code}`,
    wallMs: result.wallMs,
    worstGroup: worst?.metric.replace(/^http_req_duration\{group:(.*)\}$/, '$1') ?? '–',
    worstGroupP95: worst?.p95 ?? null,
    p95: latency[0]?.p95 ?? null,
    p99: latency[0]?.p99 ?? null,
    signUpP95: group('auth:sign-up'),
    signInP95: group('auth:sign-in'),
    failedRate: result.report?.load?.failedRate ?? null,
    breached: (result.report?.thresholds ?? [])
      .filter((t) => !t.ok)
      .map((t) => `${t.metric} ${t.expression}`),
  };
}

const reportsDir = await mkdtemp(join(tmpdir(), 'bench-gate-'));
const rows: RunRow[] = [];
try {
  for (let i = 1; i <= runs; i += 1) {
    console.log(`default npm run sim, run ${i}/${runs}`);
    const result = row(i, await sim(reportsDir));
    rows.push(result);
    console.log(
      `  ${result.verdict}: worst group ${result.worstGroup} p95 ${result.worstGroupP95 ?? '–'} ms, overall p95 ${result.p95 ?? '–'} ms`,
    );
  }
} finally {
  await rm(reportsDir, { recursive: true, force: true });
}

const passed = rows.filter((r) => r.verdict === 'pass').length;
const worstOfAll = Math.max(...rows.map((r) => r.worstGroupP95 ?? 0));
const result = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  passed,
  runs: rows.length,
  worstGroupP95: worstOfAll,
  rows,
};
const ms = (value: number | null) => (value === null ? '–' : `${value} ms`);
const markdown = [
  '# The default gate, run after run',
  '',
  `Measured ${result.measuredAt} on ${result.machine.cpus} cores (${result.machine.model}) by \`npm run bench:gate\`:`,
  `the default \`npm run sim\` (100 users, every default threshold, no overrides), ${rows.length} times in a row.`,
  '',
  `- **${passed} of ${rows.length} passed.** The slowest endpoint group's p95 in the worst run: ${worstOfAll} ms (threshold 500 ms).`,
  '',
  '| Run | Verdict | Wall time | Worst group (p95) | sign-up p95 | sign-in p95 | p95 | p99 | Failed | Breached |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.run} | ${r.verdict} | ${(r.wallMs / 1000).toFixed(0)} s | ${r.worstGroup} (${ms(r.worstGroupP95)}) | ${ms(r.signUpP95)} | ${ms(r.signInP95)} | ${ms(r.p95)} | ${ms(r.p99)} | ${r.failedRate === null ? '–' : `${(r.failedRate * 100).toFixed(2)}%`} | ${r.breached.join(', ') || '–'} |`,
  ),
  '',
].join('\n');
await writeResults('gate', result, markdown);
process.exitCode = passed === rows.length ? 0 : 1;
