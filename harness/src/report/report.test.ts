import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJunit, renderMarkdown, renderSummary, writeReport, type SimReport } from './index.ts';

const report = (overrides: Partial<SimReport> = {}): SimReport => ({
  schemaVersion: 1,
  runId: 'run-1',
  startedAt: '2026-11-23T00:00:00.000Z',
  finishedAt: '2026-11-23T00:01:00.000Z',
  durationMs: 60_000,
  verdict: 'fail',
  exitCode: 1,
  git: { sha: 'a'.repeat(40), branch: 'main', dirty: false },
  images: {},
  configHash: `sha256:${'b'.repeat(64)}`,
  config: { composeFile: 'docker-compose.prod.yml', env: {}, thresholds: [] },
  platform: 'compose',
  thresholds: [
    { metric: 'http_req_duration', expression: 'p(95)<1', measured: 42.5, unit: 'ms', ok: false },
    { metric: 'checks', expression: 'rate==1', measured: 1, unit: 'share', ok: true },
  ],
  scenarios: [
    {
      name: 'sign-in <lockout> & co',
      kind: 'api',
      ok: false,
      durationMs: 1200,
      steps: [
        { name: 'sign up', ok: true, durationMs: 200 },
        { name: 'wrong passwords', ok: false, durationMs: 1000, error: 'expected 429, got "401"' },
      ],
      error: 'wrong passwords: expected 429, got "401"',
    },
    { name: 'browser flow', kind: 'browser', ok: true, skipped: 'turned off', durationMs: 0, steps: [] },
  ],
  services: [],
  phases: [{ name: 'scenarios', status: 'passed', durationMs: 30_000 }],
  load: null,
  faults: null,
  artefacts: { dir: 'r', json: 'r/report.json', markdown: 'r/report.md', junit: 'r/junit.xml' },
  ...overrides,
});

describe('the report for people and for CI', () => {
  it('summary names the failed step and each breached threshold with its measured value', () => {
    const summary = renderSummary(report());
    expect(summary).toContain('scenarios: 0 passed, 1 failed, 1 skipped');
    expect(summary).toContain('FAIL sign-in <lockout> & co: wrong passwords: expected 429, got "401"');
    expect(summary).toContain('breached: http_req_duration p(95)<1 (measured 42.5 ms)');
    expect(summary).toContain('GATE FAILED in 60.0 s — report: r/report.md');
  });

  it('says when the whole machine stopped during the load, in the summary and report.md', () => {
    const load = {
      profile: 'load',
      users: 100,
      k6ExitCode: 99,
      abortedEarly: false,
      durationMs: 110_000,
      machineStalls: [{ at: '2026-12-03T14:51:13.000Z', seconds: 10.8 }],
      reconciliation: null,
      files: { summary: 's.json', dashboard: 'd.html', log: 'k6.log', console: 'c.log' },
      requests: 10_000,
      requestsPerSecond: 90,
      iterations: 900,
      failedRate: 0,
      checksRate: 1,
      latency: [],
    } as unknown as NonNullable<SimReport['load']>;
    const note =
      /the machine stopped once during the load \(10\.8 s in all, the longest 10\.8 s at 2026-12-03T14:51:13\.000Z\)/;
    expect(renderSummary(report({ load }))).toMatch(note);
    expect(renderMarkdown(report({ load }))).toMatch(note);
    expect(renderSummary(report({ load: { ...load, machineStalls: [] } }))).not.toMatch(/machine stopped/);
  });

  it('JUnit has a failing case per failed step and threshold, escaped, and skips', () => {
    const xml = renderJunit(report());
    expect(xml).toContain(
      '<testsuite name="scenario: sign-in &lt;lockout&gt; &amp; co" tests="2" failures="1"',
    );
    expect(xml).toContain(
      'name="wrong passwords" time="1.000"><failure message="expected 429, got &quot;401&quot;"/>',
    );
    expect(xml).toContain('<skipped message="turned off"/>');
    expect(xml).toContain(
      'name="http_req_duration p(95)&lt;1" time="0.000"><failure message="measured 42.5"/>',
    );
  });

  it('a run that could not finish says where, on which service, and what to try', () => {
    const failed = report({
      verdict: 'error',
      exitCode: 2,
      thresholds: [],
      scenarios: [],
      error: {
        step: 'rehearsal up',
        service: 'backend-1',
        message: 'keeps exiting',
        hint: 'fix what its last log lines say',
        logTail: ['config: RATE_LIMIT_API_MAX: must be a number'],
      },
    });
    expect(renderSummary(failed)).toContain(
      'could not run: rehearsal up — service backend-1: keeps exiting\n  try: fix what its last log lines say\n  last log lines:\n    config: RATE_LIMIT_API_MAX: must be a number',
    );
    const markdown = renderMarkdown(failed);
    expect(markdown).toContain('# Rehearsal run-1: Could not run');
    expect(markdown).toContain('**rehearsal up** (service `backend-1`): keeps exiting');
    expect(renderJunit(failed)).toContain('<testsuite name="run" tests="1" failures="1"');
  });

  it('shows the load: throughput, what the database kept, latency per group, k6’s own report', () => {
    const withLoad = report({
      load: {
        profile: 'load',
        users: 100,
        k6ExitCode: 99,
        abortedEarly: false,
        durationMs: 100_000,
        requests: 9000,
        requestsPerSecond: 90,
        iterations: 700,
        failedRate: 0.001,
        checksRate: 0.999,
        latency: [
          { metric: 'http_req_duration', p50: 40, p95: 612.3, p99: 900, max: 1500 },
          { metric: 'http_req_duration{group:chat}', p50: 80, p95: 300, p99: 400, max: 500 },
        ],
        reconciliation: {
          created: 2000,
          updated: 1500,
          deleted: 500,
          inDoubt: 1,
          changed: [],
          lost: 1,
          missing: ['id-1'],
          undeleted: [],
          duplicated: [],
        },
        files: {
          summary: 'load/summary.json',
          dashboard: 'load/dashboard.html',
          log: 'load/k6.log',
          console: 'load/console.log',
        },
      },
      artefacts: {
        dir: 'r',
        json: 'r/report.json',
        markdown: 'r/report.md',
        junit: 'r/junit.xml',
        dashboard: 'r/load/dashboard.html',
      },
    });
    const summary = renderSummary(withLoad);
    expect(summary).toContain(
      'load: load, 100 users: 9000 requests (90/s), p95 612.3 ms, 0.10% failed, 1 lost',
    );
    expect(summary).toContain('k6 report: r/load/dashboard.html');
    const markdown = renderMarkdown(withLoad);
    expect(markdown).toContain('## Load');
    expect(markdown).toContain('1 missing, 0 not deleted, 0 changed, 0 duplicated; **1 lost**');
    expect(markdown).toContain('(1 writes unanswered: either outcome accepted)');
    expect(markdown).toContain('| http_req_duration{group:chat} | 80 ms | 300 ms | 400 ms | 500 ms |');
    expect(markdown).toContain('[load/dashboard.html](load/dashboard.html)');
  });

  it('reaches the CI job summary: the verdict and each breached threshold, after what was there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-summary-'));
    try {
      const summaryFile = join(dir, 'step-summary.md');
      await writeFile(summaryFile, 'an earlier step wrote this\n');
      const artefacts = {
        dir: join(dir, 'r'),
        json: join(dir, 'r', 'report.json'),
        markdown: join(dir, 'r', 'report.md'),
        junit: join(dir, 'r', 'junit.xml'),
      };
      await writeReport(report({ artefacts }), { GITHUB_STEP_SUMMARY: summaryFile });
      const summary = await readFile(summaryFile, 'utf8');
      expect(summary.startsWith('an earlier step wrote this\n')).toBe(true);
      expect(summary).toContain('# Rehearsal run-1: Gate FAILED');
      expect(summary).toContain('| http_req_duration | p(95)<1 | 42.5 ms | FAIL |');
      expect(summary).toContain('FAIL: wrong passwords: expected 429, got "401"');
      expect(summary).toContain(await readFile(artefacts.markdown, 'utf8'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
