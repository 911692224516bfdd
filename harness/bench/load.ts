/* eslint-disable no-console -- a benchmark reports on stdout */
// The rehearsal under load, three measurements on one rehearsal started for it:
// 1. the k6 `load` profile (100 users): latency per endpoint group, throughput,
//    failures, and the reconciliation with the database;
// 2. capacity: the `capacity` profile's staircase of arrival rates, each step's
//    p95 from k6's CSV output; the highest rate with p95 < 500 ms and < 1% failed;
// 3. the proxy's added latency: the same request at the same rate through the
//    proxy and straight to one replica, in one k6 run (loadtests/proxy-overhead.ts).
// Writes results/load.{json,md}.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { percentile } from '../src/gate/index.ts';
import {
  describeReconciliation,
  runK6,
  runLoad,
  type K6Summary,
  type LatencyRow,
} from '../src/load/index.ts';
import { ms, percent } from '../src/report/index.ts';
import { cloneWithPublishedPort } from '../src/docker/index.ts';
import { projectName as newProjectName } from '../src/projects/index.ts';
import { startRehearsalForCommand } from '../src/rehearsal/index.ts';
import { watchMachine } from './machine.ts';
import { writeResults } from './results.ts';

const users = Number(process.env.BENCH_USERS ?? 100);
const hold = process.env.BENCH_DURATION ?? '60s';
const step = Number(process.env.BENCH_CAPACITY_STEP ?? 3);
const steps = Number(process.env.BENCH_CAPACITY_STEPS ?? 10);
const stepHoldSeconds = 20;
const overheadRate = 20;
const aimP95 = 500;

const dir = await mkdtemp(join(tmpdir(), 'bench-load-'));
const projectName = newProjectName('bench');
const { rehearsal, interrupts } = await startRehearsalForCommand({
  projectName,
  step: 'bench:load',
  env: { RATE_LIMIT_AUTH_MAX: '100000' },
});
// An interrupt stops k6 at once; the rehearsal is removed below.
const stopK6 = new AbortController();
interrupts.interrupted.catch(() => {
  stopK6.abort();
});

/** Until a freshly started replica answers its health check (it migrates nothing; about a second). */
async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/health`).then(
      (reply) => reply.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the direct replica at ${url} did not become healthy in 30 s`);
}

interface CapacityStep {
  /** New visits per second k6 was asked to start. */
  visitsPerSecond: number;
  requestsPerSecond: number;
  p50: number | null;
  p95: number | null;
  failedRate: number;
  /** Visits k6 could not start for want of a free virtual user: the stack fell behind. */
  dropped: number;
  withinAim: boolean;
}

/** Each plateau of the staircase (its 5 s ramp left out), from k6's CSV lines. */
async function capacitySteps(csvPath: string): Promise<CapacityStep[]> {
  const stepMs = (5 + stepHoldSeconds) * 1000;
  const byStep = Array.from({ length: steps }, () => ({
    durations: [] as number[],
    requests: 0,
    failed: 0,
    dropped: 0,
  }));
  let start: number | undefined;
  let columns: string[] = [];
  for await (const line of createInterface({ input: createReadStream(csvPath) })) {
    const cells = line.split(',');
    if (!columns.length) {
      columns = cells;
      continue;
    }
    const cell = (name: string) => cells[columns.indexOf(name)] ?? '';
    const metric = cell('metric_name');
    const time = Number(cell('timestamp'));
    // k6 samples the virtual users from the first second: the staircase starts there.
    if (metric === 'vus') start ??= time;
    if (start === undefined) continue;
    const index = Math.floor((time - start) / stepMs);
    const into = (time - start) % stepMs;
    const bucket = byStep[index];
    if (!bucket || into < 5000) continue;
    const value = Number(cell('metric_value'));
    if (metric === 'http_req_duration') bucket.durations.push(value);
    if (metric === 'http_reqs') bucket.requests += value;
    if (metric === 'http_req_failed') bucket.failed += value;
    if (metric === 'dropped_iterations') bucket.dropped += value;
  }
  return byStep.map((bucket, index) => {
    const sorted = bucket.durations.sort((a, b) => a - b);
    const p95 = sorted.length ? Math.round(percentile(sorted, 95)) : null;
    const failedRate = bucket.requests ? bucket.failed / bucket.requests : 0;
    return {
      visitsPerSecond: (index + 1) * step,
      requestsPerSecond: Math.round((bucket.requests / stepHoldSeconds) * 10) / 10,
      p50: sorted.length ? Math.round(percentile(sorted, 50)) : null,
      p95,
      failedRate,
      dropped: bucket.dropped,
      withinAim: p95 !== null && p95 < aimP95 && failedRate < 0.01 && bucket.dropped === 0,
    };
  });
}

const pathFigures = (summary: K6Summary | undefined, path: string) => {
  const values = summary?.metrics[`http_req_duration{path:${path}}`]?.values ?? {};
  return {
    requests: values.count ?? 0,
    p50: values.med ?? null,
    p95: values['p(95)'] ?? null,
    p99: values['p(99)'] ?? null,
    failedRate: summary?.metrics[`http_req_failed{path:${path}}`]?.values.rate ?? null,
  };
};

try {
  const common = {
    baseUrl: rehearsal.baseUrl,
    caCertificate: rehearsal.caCertificate,
    signal: stopK6.signal,
  };

  console.log(`1/3 k6 load profile: ${users} users, hold ${hold}`);
  const machine = watchMachine();
  const load = await runLoad({
    ...common,
    profile: 'load',
    users,
    duration: hold,
    outDir: join(dir, 'load'),
    runTag: `bench${Date.now().toString(36)}`,
    projectName,
  });
  const machineCost = machine.stop();

  console.log(`2/3 capacity: ${steps} steps of ${step} more visits per second, ${stepHoldSeconds} s each`);
  const csvPath = join(dir, 'capacity.csv');
  const capacityRun = await runLoad({
    ...common,
    profile: 'capacity',
    users,
    outDir: join(dir, 'capacity'),
    runTag: `cap${Date.now().toString(36)}`,
    projectName,
    vars: { STEP: String(step), STEPS: String(steps), STEP_HOLD: `${stepHoldSeconds}s` },
    outputs: [`csv=${csvPath}`],
  });
  const staircase = await capacitySteps(csvPath);
  // The highest rate before the first step that misses: later steps may recover by chance.
  const firstMiss = staircase.findIndex((s) => !s.withinAim);
  const capacity = (firstMiss === -1 ? staircase : staircase.slice(0, firstMiss)).at(-1);

  console.log(`3/3 the proxy's added latency: ${overheadRate} lists per second on each path`);
  // A third replica like backend-1 (same image, settings and limits), published on 127.0.0.1:
  // both paths enter through Docker's port publishing, so only the proxy differs.
  const direct3 = await cloneWithPublishedPort(rehearsal.containerId('backend-1'), 3000, 'backend-direct');
  const directUrl = `http://127.0.0.1:${direct3.hostPort}`;
  await waitForHealth(directUrl);
  const overhead = await runK6({
    ...common,
    profile: 'smoke',
    script: 'proxy-overhead.ts',
    outDir: join(dir, 'overhead'),
    runTag: 'overhead',
    vars: { DIRECT_URL: directUrl, RATE: String(overheadRate), DURATION: '30s' },
  });
  const proxy = pathFigures(overhead.summary, 'proxy');
  const direct = pathFigures(overhead.summary, 'direct');
  const added = (a: number | null, b: number | null) =>
    a === null || b === null ? null : Math.round((a - b) * 10) / 10;

  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
    load: {
      profile: { users, ramp: '30s', hold },
      k6ExitCode: load.result.exitCode,
      ...load.figures,
      reconciliation: load.reconciliation,
      /** CPU of Docker's daemon, its port proxy, containerd and k6 over the load, in cores. */
      machine: machineCost,
    },
    capacity: {
      aim: `p95 < ${aimP95} ms, < 1% failed, no dropped visits`,
      visitsPerSecond: capacity?.visitsPerSecond ?? 0,
      requestsPerSecond: capacity?.requestsPerSecond ?? 0,
      steps: staircase,
      reconciliation: capacityRun.reconciliation,
    },
    proxyOverhead: {
      rate: overheadRate,
      proxy,
      direct,
      addedP50: added(proxy.p50, direct.p50),
      addedP95: added(proxy.p95, direct.p95),
    },
  };

  const latencyRow = (row: LatencyRow) =>
    `| ${row.metric} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${ms(row.max)} |`;
  const markdown = [
    '# The rehearsal under load',
    '',
    `Measured ${result.measuredAt} on ${result.machine.cpus} cores (${result.machine.model}) by \`npm run bench:load\`,`,
    'against one rehearsal started for it, through its proxy (TLS). k6 runs on the same two cores as the',
    'whole stack, so these are the machine’s figures, not the app’s alone.',
    '',
    `## ${users} concurrent users (the \`load\` profile: ramp 30 s, hold ${hold})`,
    '',
    `- Throughput: ${load.figures.requestsPerSecond} requests/s (${load.figures.requests} requests, ${load.figures.iterations} visits)`,
    `- Failed requests: ${percent(load.figures.failedRate)}; checks passed: ${percent(load.figures.checksRate)}`,
    `- Reconciliation with the database: ${load.reconciliation ? describeReconciliation(load.reconciliation) : 'not reconciled'}`,
    `- The default thresholds (p95 < 500 ms overall and per group, p99 < 1500 ms, < 1% failed, checks > 99%): ${load.result.exitCode === 0 ? 'held' : '**not held**'}`,
    `- What the machine spent beside the stack (CPU over the load, 1 = one core): ${
      machineCost
        ? `dockerd ${machineCost.cores.dockerd}, docker-proxy ${machineCost.cores['docker-proxy']}, containerd ${machineCost.cores.containerd}, k6 ${machineCost.cores.k6}`
        : 'not measured (no /proc)'
    }`,
    '',
    '| Requests | p50 | p95 | p99 | max |',
    '| --- | --- | --- | --- | --- |',
    ...load.figures.latency.map(latencyRow),
    '',
    `## Capacity: ${result.capacity.visitsPerSecond} new visits per second (${result.capacity.requestsPerSecond} requests/s)`,
    '',
    `The \`capacity\` profile starts visits at a fixed rate whatever the latency, ${step} more per second every`,
    `${5 + stepHoldSeconds} s; each step is judged on its last ${stepHoldSeconds} s. Capacity is the highest rate before the first`,
    `step that misses ${result.capacity.aim}. A visit is the whole journey (about 14 requests with think time).`,
    `Each of k6's ${users * 3} pre-allocated users signs up on its first visit (a password hash), so the lower steps`,
    'carry most of the sign-ups.',
    '',
    '| Visits/s | Requests/s | p50 | p95 | Failed | Dropped visits | Within the aim |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...staircase.map(
      (s) =>
        `| ${s.visitsPerSecond} | ${s.requestsPerSecond} | ${ms(s.p50)} | ${ms(s.p95)} | ${percent(s.failedRate)} | ${s.dropped} | ${s.withinAim ? 'yes' : 'no'} |`,
    ),
    '',
    `Reconciliation after the staircase: ${capacityRun.reconciliation ? describeReconciliation(capacityRun.reconciliation) : 'not reconciled'}.`,
    '',
    `## The proxy's added latency: ${ms(result.proxyOverhead.addedP50)} at p50, ${ms(result.proxyOverhead.addedP95)} at p95`,
    '',
    `One k6 run, two scenarios at ${overheadRate} signed-in lists of 20 tasks per second each, at the same time:`,
    'through the proxy (TLS and HTTP/2 from k6, Caddy, both replicas) and straight to a third replica like',
    'backend-1 (same image, settings and limits; plain HTTP), published on 127.0.0.1 as the proxy is, so both',
    'paths pass Docker’s port publishing once. The difference is what the proxy costs a request.',
    '',
    '| Path | Requests | p50 | p95 | p99 | Failed |',
    '| --- | --- | --- | --- | --- | --- |',
    `| through the proxy | ${proxy.requests} | ${ms(proxy.p50)} | ${ms(proxy.p95)} | ${ms(proxy.p99)} | ${percent(proxy.failedRate)} |`,
    `| straight to a replica | ${direct.requests} | ${ms(direct.p50)} | ${ms(direct.p95)} | ${ms(direct.p99)} | ${percent(direct.failedRate)} |`,
    '',
  ].join('\n');
  await writeResults('load', result, markdown);
} finally {
  interrupts[Symbol.dispose]();
  await rehearsal.down();
  await rm(dir, { recursive: true, force: true });
}
