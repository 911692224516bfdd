/* eslint-disable no-console -- a benchmark reports on stdout */
// The same rehearsal on Compose and on Kubernetes, on this machine, one after
// the other: the default `npm run sim` (100 users, every default threshold),
// `npm run sim -- --platform kubernetes` (the chart on the local cluster, which
// the run starts and stops), and the Kubernetes drills (`--faults`). Each run's
// verdict, time to up, load figures and, for the drills, recovery and failures.
// Writes results/kubernetes.{json,md}.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../src/index.ts';
import { localClusterRunning } from '../src/kubernetes/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { writeResults } from './results.ts';

async function sim(
  args: string[],
  reportsDir: string,
): Promise<{ code: number; wallMs: number; report?: SimReport }> {
  const started = performance.now();
  // Default thresholds: what is measured is the gate as users get it.
  const { SIM_THRESHOLDS: _ignored, ...env } = process.env;
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['harness/src/cli/main.ts', 'sim', '--json', '--reports-dir', reportsDir, ...args],
      {
        cwd: repoRoot,
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
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

interface Row {
  run: string;
  verdict: string;
  wallMs: number;
  upSeconds: number | null;
  deploySeconds: number | null;
  requests: number | null;
  p95: number | null;
  signInP95: number | null;
  worstGroup: string;
  worstGroupP95: number | null;
  failedRate: number | null;
  lost: number | null;
  breached: string[];
  drills: {
    drill: string;
    ok: boolean;
    recoverySeconds: (number | null)[];
    failedInWindows: number;
    requests: number;
  }[];
}

function row(run: string, result: Awaited<ReturnType<typeof sim>>): Row {
  const report = result.report;
  const latency = report?.load?.latency ?? [];
  const groups = latency.filter((r) => r.metric.startsWith('http_req_duration{group:'));
  const worst = groups.reduce<(typeof groups)[number] | undefined>(
    (slowest, r) => ((r.p95 ?? 0) > (slowest?.p95 ?? -1) ? r : slowest),
    undefined,
  );
  const up = report?.phases.find((p) => p.name.startsWith('rehearsal up'));
  return {
    run,
    verdict: report?.verdict ?? `exit ${result.code}`,
    wallMs: result.wallMs,
    upSeconds: up ? Math.round(up.durationMs / 100) / 10 : null,
    deploySeconds: report?.kubernetes?.deploySeconds ?? null,
    requests: report?.load?.requests ?? null,
    p95: latency[0]?.p95 ?? null,
    signInP95: latency.find((r) => r.metric === 'http_req_duration{group:auth:sign-in}')?.p95 ?? null,
    worstGroup: worst?.metric.replace(/^http_req_duration\{group:(.*)\}$/, '$1') ?? '–',
    worstGroupP95: worst?.p95 ?? null,
    failedRate: report?.load?.failedRate ?? null,
    lost: report?.load?.reconciliation?.lost ?? null,
    breached: (report?.thresholds ?? []).filter((t) => !t.ok).map((t) => `${t.metric} ${t.expression}`),
    drills: (report?.faults?.drills ?? []).map((d) => ({
      drill: d.drill,
      ok: d.ok,
      recoverySeconds: d.episodes.map((e) => e.recoverySeconds),
      failedInWindows: d.requests.failedInWindows,
      requests: d.requests.inWindows,
    })),
  };
}

if (await localClusterRunning()) {
  console.error(
    'the local cluster is running: stop it first (npm run cluster -- down), so the Kubernetes run starts its own',
  );
  process.exit(2);
}
const reportsDir = await mkdtemp(join(tmpdir(), 'bench-kubernetes-'));
const rows: Row[] = [];
try {
  for (const [name, args] of [
    ['Compose (npm run sim)', []],
    ['Kubernetes (npm run sim -- --platform kubernetes)', ['--platform', 'kubernetes']],
    ['Kubernetes drills (--platform kubernetes --faults)', ['--platform', 'kubernetes', '--faults']],
  ] as const) {
    console.log(name);
    const result = row(name, await sim([...args], reportsDir));
    rows.push(result);
    console.log(`  ${result.verdict} in ${(result.wallMs / 1000).toFixed(0)} s`);
  }
} finally {
  await rm(reportsDir, { recursive: true, force: true });
}

const result = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  rows,
};
const ms = (value: number | null) => (value === null ? '–' : `${value} ms`);
const s = (value: number | null) => (value === null ? '–' : `${value} s`);
const markdown = [
  '# The rehearsal on Compose and on Kubernetes',
  '',
  `Measured ${result.measuredAt} on ${result.machine.cpus} cores (${result.machine.model}) by \`npm run bench:kubernetes\`,`,
  'one run after the other, default thresholds (100 users). The Kubernetes runs start the local cluster',
  'themselves (its time is in "up") and stop it after; "deploy" is helm\'s two releases until the app answered through the ingress.',
  '',
  '| Run | Verdict | Wall time | Up | Deploy | Requests | p95 | sign-in p95 | Worst group (p95) | Failed | Lost | Breached |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.run} | ${r.verdict} | ${(r.wallMs / 1000).toFixed(0)} s | ${s(r.upSeconds)} | ${s(r.deploySeconds)} | ${r.requests ?? '–'} | ${ms(r.p95)} | ${ms(r.signInP95)} | ${r.worstGroup} (${ms(r.worstGroupP95)}) | ${r.failedRate === null ? '–' : `${(r.failedRate * 100).toFixed(2)}%`} | ${r.lost ?? '–'} | ${r.breached.join(', ') || '–'} |`,
  ),
  '',
  '## The Kubernetes drills',
  '',
  '| Drill | Verdict | Recovery | Requests in its window | Failed in its window |',
  '| --- | --- | --- | --- | --- |',
  ...rows.flatMap((r) =>
    r.drills.map(
      (d) =>
        `| ${d.drill} | ${d.ok ? 'pass' : 'fail'} | ${d.recoverySeconds.map((x) => s(x)).join(', ')} | ${d.requests} | ${d.failedInWindows} |`,
    ),
  ),
  '',
].join('\n');
await writeResults('kubernetes', result, markdown);
process.exitCode = rows.every((r) => r.verdict === 'pass') ? 0 : 1;
