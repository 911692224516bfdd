import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppImages, projectLeftovers } from '../src/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { relaxedLatency, runCli, startCli } from './cli.ts';

// Black-box: `npm run sim` as a user runs it, judged by exit code, output, report and Docker.
describe('npm run sim', () => {
  let reportsDir: string;

  beforeAll(async () => {
    reportsDir = await mkdtemp(join(tmpdir(), 'sim-reports-'));
    // Warm images, so concurrent runs below do not both build them.
    await buildAppImages();
  });
  afterAll(async () => {
    await rm(reportsDir, { recursive: true, force: true });
  });

  // The one-user k6 profile: the 100-user default is bench:load's to measure.
  const sim = (...args: string[]) => ['sim', '--reports-dir', reportsDir, '--profile', 'smoke', ...args];
  const projectOf = (report: SimReport) => report.stack?.projectName ?? '';

  it('passes two runs at once, each with its own stack, report and clean teardown', async () => {
    // API scenarios only: Chromium aborts requests whenever the other run's Docker network
    // comes or goes (ERR_NETWORK_CHANGED). The browser flow runs in the --keep test below.
    const runs = await Promise.all([
      runCli(sim('--json', '--no-browser'), relaxedLatency),
      runCli(sim('--json', '--no-browser'), relaxedLatency),
    ]);
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const reports = runs.map((run) => JSON.parse(run.stdout) as SimReport);
    const [first, second] = reports as [SimReport, SimReport];
    expect(first.runId).not.toBe(second.runId);
    expect(projectOf(first)).not.toBe(projectOf(second));
    for (const report of reports) {
      expect(report.verdict).toBe('pass');
      expect(report.git.sha).toMatch(/^[0-9a-f]{40}$/);
      expect(report.configHash).toMatch(/^sha256:[0-9a-f]{64}$/);
      for (const image of ['backend', 'frontend', 'proxy'] as const) {
        expect(report.images[image]?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
      }
      expect(report.thresholds.map((t) => `${t.metric}=${t.expression}`)).toEqual(
        expect.arrayContaining([
          'http_req_duration=p(95)<3000',
          'http_req_duration{group:chat}=p(95)<3000',
          'http_req_failed=rate<0.01',
          'checks=rate>0.99',
          'tasks_lost=count==0',
          'service_memory=max<0.9',
          'scenario_req_duration=p(95)<3000',
        ]),
      );
      expect(report.thresholds.every((t) => t.ok && t.measured !== null)).toBe(true);
      // The load ran, and the database kept exactly what it was told.
      expect(report.load).toMatchObject({ profile: 'smoke', k6ExitCode: 0, failedRate: 0 });
      expect(report.load?.reconciliation).toMatchObject({ lost: 0, missing: [], undeleted: [] });
      expect(report.load?.reconciliation?.created).toBeGreaterThanOrEqual(8);
      expect(report.load?.latency.map((row) => row.metric)).toContain(
        'http_req_duration{group:tasks:create}',
      );
      expect(await readFile(report.artefacts.dashboard ?? '', 'utf8')).toContain('<html');
      expect(report.services.map((s) => s.service)).toEqual(
        expect.arrayContaining([
          'backend-1',
          'backend-2',
          'frontend',
          'migrate',
          'postgres',
          'proxy',
          'redis',
        ]),
      );
      expect(
        report.services.filter((s) => s.service !== 'migrate').every((s) => (s.memoryPeakBytes ?? 0) > 0),
      ).toBe(true);
      expect(report.phases.map((p) => p.name)).toEqual([
        'doctor',
        'images',
        'rehearsal up',
        'scenarios',
        'load',
        'collect',
        'teardown',
      ]);
      expect(await projectLeftovers(projectOf(report))).toEqual([]);
      const markdown = await readFile(report.artefacts.markdown, 'utf8');
      expect(markdown).toContain('Gate passed');
      expect(await readFile(report.artefacts.junit, 'utf8')).toMatch(/<testsuites[^>]*>[\s\S]*<testcase/);
      expect(await readFile(join(report.artefacts.dir, 'logs', 'backend-1.log'), 'utf8')).toContain('"msg"');
      // The scenarios signed in through the proxy: its access log has the requests, never their credentials.
      const proxyLog = await readFile(join(report.artefacts.dir, 'logs', 'proxy.log'), 'utf8');
      expect(proxyLog).toContain('/api/auth/sign-in/email');
      expect(proxyLog).not.toMatch(/set-auth-token|session_token|authorization|cookie/i);
    }
    expect(first.scenarios.filter((s) => s.kind === 'api' && s.ok).length).toBeGreaterThanOrEqual(6);
    expect(second.scenarios.find((s) => s.kind === 'browser')?.skipped).toMatch(/--no-browser/);
  });

  it('fails the gate (exit 1) on an impossible load threshold and a failed step, naming each with what was measured', async () => {
    // Brute-force protection switched off: the lockout scenario must catch it.
    const run = await runCli(sim('--no-browser', '--threshold', 'http_req_duration=p(95)<1'), {
      RATE_LIMIT_SIGNIN_FAILURES_MAX: '1000',
    });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/FAIL repeated bad sign-ins are rate-limited: [^\n]*429/);
    expect(run.stdout).toMatch(/breached: scenarios_failed count==0 \(measured 1\)/);
    const measured = /breached: http_req_duration p\(95\)<1 \(measured ([\d.]+) ms\)/.exec(run.stdout);
    expect(measured, run.stdout).not.toBeNull();
    expect(run.stdout).toContain('GATE FAILED');
    // The report says the same: the breached threshold with its measured value, from k6's summary.
    const markdown = await readFile(/report: (\S+report\.md)/.exec(run.stdout)?.[1] ?? '', 'utf8');
    expect(markdown).toContain(`| http_req_duration | p(95)<1 | ${measured?.[1]} ms | FAIL |`);
    const report = JSON.parse(
      await readFile(join(/report: (\S+)\/report\.md/.exec(run.stdout)?.[1] ?? '', 'report.json'), 'utf8'),
    ) as SimReport;
    const breached = report.thresholds.find((t) => t.metric === 'http_req_duration');
    expect(breached).toMatchObject({ expression: 'p(95)<1', ok: false });
    const summary = JSON.parse(
      await readFile(join(report.artefacts.dir, report.load?.files.summary ?? ''), 'utf8'),
    ) as { metrics: Record<string, { values: Record<string, number> }> };
    expect(breached?.measured).toBeCloseTo(summary.metrics.http_req_duration?.values['p(95)'] ?? -1, 2);
    expect(report.load?.k6ExitCode).toBe(99);
    const project = /starting (todo-sim-\S+)/.exec(run.stdout)?.[1] ?? '';
    expect(await projectLeftovers(project)).toEqual([]);
  });

  it('without a browser: a loud skip and a report warning on a laptop, a failed gate in CI', async () => {
    const noBrowser = { ...relaxedLatency, CHROMIUM_PATH: join(reportsDir, 'no-such-chrome') };
    const [laptop, ci] = await Promise.all([
      runCli(sim('--no-load'), { ...noBrowser, CI: '' }),
      runCli(sim('--no-load'), { ...noBrowser, CI: 'true' }),
    ]);
    const why = `CHROMIUM_PATH=${noBrowser.CHROMIUM_PATH} does not exist`;
    // On a laptop: the gate passes, and says in the output and the report that the flow did not run.
    expect(laptop.code, laptop.stdout + laptop.stderr).toBe(0);
    expect(laptop.stdout).toContain(`browser flow: SKIPPED, ${why}`);
    expect(laptop.stdout).toMatch(
      /WARNING browser_flow_skipped: the browser flow did not run: no browser \(CHROMIUM_PATH=/,
    );
    const reportOf = async (stdout: string) =>
      JSON.parse(
        await readFile(join(/report: (\S+)\/report\.md/.exec(stdout)?.[1] ?? '', 'report.json'), 'utf8'),
      ) as SimReport;
    const local = await reportOf(laptop.stdout);
    expect(local.verdict).toBe('pass');
    expect(local.warnings?.map((w) => w.name)).toEqual(['browser_flow_skipped']);
    expect(local.thresholds.map((t) => t.metric)).not.toContain('browser_flow_skipped');
    expect(await readFile(local.artefacts.markdown, 'utf8')).toMatch(
      /## Warnings[\s\S]*\| browser_flow_skipped \| the browser flow did not run: no browser/,
    );
    // In CI: the same skip breaches browser_flow_skipped, and the run exits 1.
    expect(ci.code, ci.stdout + ci.stderr).toBe(1);
    expect(ci.stdout).toContain('breached: browser_flow_skipped count==0 (measured 1)');
    expect(ci.stdout).toContain('GATE FAILED');
    const judged = await reportOf(ci.stdout);
    expect(judged.thresholds.find((t) => t.metric === 'browser_flow_skipped')).toMatchObject({
      measured: 1,
      ok: false,
    });
    expect(judged.thresholds.filter((t) => !t.ok).map((t) => t.metric)).toEqual(['browser_flow_skipped']);
    for (const report of [local, judged]) expect(await projectLeftovers(projectOf(report))).toEqual([]);
  });

  it('cannot run (exit 2) when a service never becomes healthy, naming it with its last log lines', async () => {
    const run = await runCli(sim('--no-browser'), { RATE_LIMIT_API_MAX: 'lots' });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stdout).toMatch(/could not run: rehearsal up — service backend-[12]: keeps exiting/);
    expect(run.stdout).toContain('RATE_LIMIT_API_MAX: must be a number');
    expect(run.stdout).toContain('COULD NOT RUN');
    const project = /starting (todo-sim-\S+)/.exec(run.stdout)?.[1] ?? '';
    expect(project).not.toBe('');
    expect(await projectLeftovers(project)).toEqual([]);
  });

  const secretDirs = async () =>
    (await readdir(tmpdir())).filter((name) => name.startsWith('todo-rehearsal-'));

  const k6Processes = async () => {
    const { stdout } = await promisify(execFile)('ps', ['-eo', 'args']);
    return stdout.split('\n').filter((line) => line.includes(reportsDir) && /\bk6 run\b/.test(line));
  };

  // Sent to the harness alone (as when CI cancels a job), or to `npm run sim`'s own process
  // (as `timeout`, CI runners and supervisors do): npm must hand it on (the script execs node).
  it.each([
    ['SIGTERM', 'while the stack starts', 'the harness', /starting todo-sim-/],
    ['SIGINT', 'during the scenarios', 'npm', /› user journey/],
    ['SIGTERM', 'during the load', 'npm', /❯ load|load \[started\]/],
  ] as const)(
    'leaves no container, network, volume, secrets file or k6 on %s %s (sent to %s)',
    async (signal, _, to, moment) => {
      const secretsBefore = await secretDirs();
      const run = startCli(sim('--no-browser'), {}, { via: to === 'npm' ? 'npm' : 'node' });
      const [, project = ''] = await run.waitFor(/starting (todo-sim-\S+)/);
      await run.waitFor(moment);
      await new Promise((resolve) => setTimeout(resolve, signal === 'SIGTERM' ? 3_000 : 500));
      // Only that process gets the signal, not the docker commands the harness runs.
      run.child.kill(signal);
      const result = await run.done;
      expect(result.code, result.stdout + result.stderr).toBe(2);
      expect(result.stdout).toContain(`interrupted by ${signal}`);
      expect(await projectLeftovers(project)).toEqual([]);
      expect((await secretDirs()).filter((dir) => !secretsBefore.includes(dir))).toEqual([]);
      expect(await k6Processes()).toEqual([]);
    },
  );

  it('refuses a load threshold without the load, and a bad profile, in one line', async () => {
    const noLoad = await runCli(sim('--no-load', '--threshold', 'checks=rate>0.9'));
    expect(noLoad.code).toBe(2);
    expect(noLoad.stderr.trim()).toBe(
      'threshold checks=rate>0.9: the load measures it, and --no-load turns the load off',
    );
    const profile = await runCli(['sim', '--profile', 'huge']);
    expect(profile.code).toBe(2);
    expect(profile.stderr.trim()).toBe('--profile huge: one of smoke, load, spike, soak, capacity');
  });

  it('refuses a bad threshold in one line before starting anything', async () => {
    const run = await runCli(sim('--threshold', 'http_req_duration=p95<300'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'threshold http_req_duration=p95<300: expected AGGREGATION OPERATOR NUMBER, e.g. p(95)<300, avg<200, rate<0.01, count==0',
    );
  });
});
