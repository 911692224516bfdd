// The charts carry the run's measured numbers: each mark's aria-label (what
// Vega writes for screen readers) is read back from the SVG files.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../paths.ts';
import { reportCharts } from './charts.ts';
import { renderSummary, writeReport, type SimReport } from './index.ts';

const start = Date.parse('2026-12-04T10:00:00.000Z');

const measuredRun = (dir: string): SimReport => ({
  schemaVersion: 1,
  runId: 'run-charts',
  startedAt: new Date(start).toISOString(),
  finishedAt: new Date(start + 200_000).toISOString(),
  durationMs: 200_000,
  verdict: 'pass',
  exitCode: 0,
  git: { sha: 'c'.repeat(40), branch: 'main', dirty: false },
  images: {},
  configHash: `sha256:${'d'.repeat(64)}`,
  config: { composeFile: 'docker-compose.prod.yml', env: {}, thresholds: [] },
  platform: 'compose',
  runKind: 'compose; load load; no drills',
  thresholds: [
    {
      metric: 'http_req_duration{group:tasks:list}',
      expression: 'p(95)<500',
      measured: 11.04,
      unit: 'ms',
      ok: true,
    },
    {
      metric: 'http_req_duration{group:chat}',
      expression: 'p(95)<30',
      measured: 37.8,
      unit: 'ms',
      ok: false,
    },
  ],
  comparisons: [
    {
      metric: 'http_req_duration{group:tasks:list}',
      expression: 'p(95)<=+25%/+50%',
      measured: 11.04,
      baseline: null,
      changePercent: null,
      unit: 'ms',
      verdict: 'no baseline',
    },
  ],
  scenarios: [],
  services: [
    {
      service: 'backend-1',
      restarts: 0,
      oomKills: 0,
      memoryLimitBytes: 512 * 1024 * 1024,
      cpuLimitPercent: 100,
      usage: [
        { at: start + 60_000, cpuPercent: 38.7, memoryBytes: 207 * 1024 * 1024 },
        { at: start + 62_000, cpuPercent: 21.25, memoryBytes: 209 * 1024 * 1024 },
      ],
    },
  ],
  phases: [
    { name: 'images', status: 'passed', startedAt: start, durationMs: 37_100 },
    { name: 'load', status: 'passed', startedAt: start + 73_000, durationMs: 108_800 },
  ],
  load: {
    profile: 'load',
    users: 100,
    k6ExitCode: 0,
    abortedEarly: false,
    durationMs: 108_800,
    requests: 10_932,
    requestsPerSecond: 100.9,
    iterations: 953,
    failedRate: 0,
    checksRate: 1,
    latency: [
      { metric: 'http_req_duration{group:chat}', p50: 14.3, p95: 37.8, p99: 69.8, max: 204.7 },
      { metric: 'http_req_duration{group:tasks:list}', p50: 3.1, p95: 11.04, p99: 22, max: 170.1 },
    ],
    series: [
      { at: start + 75_000, requests: 300, requestsPerSecond: 60, failed: 0, p50Ms: 4.2, p95Ms: 21.7 },
      { at: start + 80_000, requests: 505, requestsPerSecond: 101, failed: 2, p50Ms: 4.9, p95Ms: 33.4 },
    ],
    reconciliation: null,
    files: {
      summary: 'load/summary.json',
      dashboard: 'load/dashboard.html',
      log: 'load/k6.log',
      console: 'load/console.log',
    },
  },
  faults: null,
  artefacts: { dir, json: `${dir}/report.json`, markdown: `${dir}/report.md`, junit: `${dir}/junit.xml` },
});

/** Every mark's aria-label of an SVG ("ms: 37.8; group: chat; …") as its fields. */
const marksOf = async (file: string) =>
  [...(await readFile(file, 'utf8')).matchAll(/aria-label="([^"]*)"/g)].map((match) =>
    Object.fromEntries(
      (match[1] ?? '').split('; ').map((pair) => {
        const at = pair.indexOf(': ');
        return [pair.slice(0, at), pair.slice(at + 2)];
      }),
    ),
  );

describe('the report’s charts', () => {
  let dir: string;
  let written: SimReport;
  let summaryFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'report-charts-'));
    summaryFile = join(dir, 'step-summary.md');
    await writeFile(summaryFile, '');
    written = await writeReport(measuredRun(join(dir, 'r')), { GITHUB_STEP_SUMMARY: summaryFile });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes one SVG per chart with data, and names them among the artefacts', () => {
    expect(Object.keys(written.artefacts.charts ?? {}).sort()).toEqual([
      'latency',
      'load',
      'phases',
      'services',
    ]);
    expect(written.artefacts.html).toBe(join(dir, 'r', 'report.html'));
    expect(renderSummary(written)).toContain(`(with its charts: ${join(dir, 'r', 'report.html')})`);
  });

  it('draws each group’s p95 and p99 against its threshold, coloured by the verdict', async () => {
    const marks = await marksOf(written.artefacts.charts?.latency ?? '');
    expect(marks).toContainEqual(
      expect.objectContaining({
        group: 'chat',
        percentile: 'p95',
        ms: '37.8',
        'threshold (ms)': '30',
        verdict: 'over threshold',
      }),
    );
    expect(marks).toContainEqual(
      expect.objectContaining({
        group: 'tasks:list',
        percentile: 'p95',
        ms: '11.04',
        verdict: 'within threshold',
      }),
    );
    expect(marks).toContainEqual(
      expect.objectContaining({ group: 'tasks:list', percentile: 'p99', ms: '22', verdict: 'no threshold' }),
    );
    // The threshold's own mark.
    expect(marks).toContainEqual(expect.objectContaining({ group: 'chat', threshold: '30' }));
  });

  it('draws the load over time, in seconds from the run’s start, each drill shaded and named', async () => {
    const marks = await marksOf(written.artefacts.charts?.load ?? '');
    // Each 5 s period at its middle.
    expect(marks).toContainEqual(
      expect.objectContaining({ second: '82.5', percentile: 'p95Ms', ms: '33.4' }),
    );
    expect(marks).toContainEqual(expect.objectContaining({ second: '77.5', 'requests/s': '60' }));
    expect(marks).toContainEqual(expect.objectContaining({ second: '82.5', failed: '2' }));
  });

  it('draws each service’s CPU and memory with its limits', async () => {
    const marks = await marksOf(written.artefacts.charts?.services ?? '');
    expect(marks).toContainEqual(
      expect.objectContaining({ resource: 'CPU (% of one core)', second: '60', value: '38.7' }),
    );
    expect(marks).toContainEqual(
      expect.objectContaining({ resource: 'memory (MiB)', second: '62', value: '209' }),
    );
    expect(marks).toContainEqual(expect.objectContaining({ limit: '512' }));
    expect(marks).toContainEqual(expect.objectContaining({ limit: '100' }));
  });

  it('draws the phases on the same time axis', async () => {
    const marks = await marksOf(written.artefacts.charts?.phases ?? '');
    expect(marks).toContainEqual(
      expect.objectContaining({
        phase: 'load',
        status: 'passed',
        seconds: '108.8',
        'seconds into the run': '73',
        to: '181.8',
      }),
    );
  });

  it('shows the charts in report.md as images, in report.html inline, in the CI summary as Mermaid', async () => {
    const markdown = await readFile(written.artefacts.markdown, 'utf8');
    expect(markdown).toContain('![Latency per endpoint group against its threshold](charts/latency.svg)');
    expect(markdown).toContain('![The run, phase by phase](charts/phases.svg)');
    const html = await readFile(written.artefacts.html ?? '', 'utf8');
    expect(html).not.toContain('charts/latency.svg');
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('<td>http_req_duration{group:tasks:list}</td>');
    const summary = await readFile(summaryFile, 'utf8');
    expect(summary).toContain('```mermaid\nxychart-beta');
    expect(summary).toContain('  bar [37.8, 11.04]\n  line [30, 500]');
    expect(summary).toContain('  load (109 s) :');
    expect(summary).not.toContain('.svg)');
  });

  it('says there was no baseline, and that nothing was compared', async () => {
    const markdown = await readFile(written.artefacts.markdown, 'utf8');
    expect(markdown).toContain('## Compared with the last good run');
    expect(markdown).toContain('No baseline: no passing run of this kind (compose; load load; no drills)');
    expect(markdown).toContain(
      '| http_req_duration{group:tasks:list} | p(95)<=+25%/+50% | 11.04 ms | – | – | no baseline |',
    );
    expect(renderSummary(written)).toContain(
      'relative objectives: no baseline yet (compose; load load; no drills), nothing compared',
    );
  });
});

describe('the committed example report (docs/example-report/)', () => {
  it('has every chart, each carrying the numbers its report.json measured', async () => {
    const root = join(repoRoot, 'docs', 'example-report');
    const runs = (await readdir(root, { withFileTypes: true })).filter((entry) => entry.isDirectory());
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      const dir = join(root, run.name);
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as SimReport;
      const chart = (name: string) => marksOf(join(dir, 'charts', `${name}.svg`));
      const latency = await chart('latency');
      for (const row of report.load?.latency ?? [])
        expect(latency).toContainEqual(expect.objectContaining({ percentile: 'p95', ms: String(row.p95) }));
      const load = await chart('load');
      for (const point of report.load?.series ?? [])
        expect(load).toContainEqual(
          expect.objectContaining({ 'requests/s': String(point.requestsPerSecond) }),
        );
      const services = await chart('services');
      const backend = report.services.find((service) => service.service === 'backend-1');
      expect(services).toContainEqual(
        expect.objectContaining({
          service: 'backend-1',
          value: String(Math.round((backend?.usage?.[0]?.cpuPercent ?? -1) * 10) / 10),
        }),
      );
      const phases = await chart('phases');
      for (const phase of report.phases.filter((p) => p.status !== 'skipped'))
        expect(phases).toContainEqual(
          expect.objectContaining({
            phase: phase.name,
            seconds: String(Math.round(phase.durationMs / 100) / 10),
          }),
        );
    }
  });
});

describe('the load chart with fault drills', () => {
  it('shades each drill from its fault to the recovery, on the run’s time axis, and names it once', () => {
    const dir = '/nowhere';
    const episode = (injected: number, recovered: number | null) => ({
      injectedAt: start + injected,
      clearedAt: start + injected + 1_000,
      recoveredAt: recovered === null ? null : start + recovered,
      recoverySeconds: null,
    });
    const faults = {
      drills: [
        { drill: 'postgres_restart', episodes: [episode(125_500, 126_700), episode(145_600, 147_100)] },
        { drill: 'redis_outage', episodes: [episode(185_800, null)] },
      ],
    } as unknown as SimReport['faults'];
    const load = reportCharts({ ...measuredRun(dir), faults }).find((chart) => chart.name === 'load');
    const spec = JSON.stringify(load?.spec);
    expect(spec).toContain(
      JSON.stringify([
        { drill: 'postgres_restart', from: 125.5, to: 126.7 },
        { drill: 'postgres_restart', from: 145.6, to: 147.1 },
        // Never recovered: shaded until the fault was cleared.
        { drill: 'redis_outage', from: 185.8, to: 186.8 },
      ]),
    );
    expect(spec).toContain(
      JSON.stringify([
        { drill: 'postgres_restart', from: 125.5, to: 126.7 },
        { drill: 'redis_outage', from: 185.8, to: 186.8 },
      ]),
    );
  });
});
