// Black-box: two real runs, the second of a change that makes one endpoint
// slower (a checkout of HEAD whose task list waits 200 ms more), compared with
// the first by its relative objective — as a pull request is compared with main.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { relaxedLatency, runCli } from './cli.ts';

const run = promisify(execFile);
const listObjective = 'http_req_duration{group:tasks:list}=p(95)<=+25%/+50%';
const slowedMs = 200;

describe('npm run sim against the last good run', () => {
  let reportsDir: string;
  let slowed: string;
  let slowedParent: string;
  let slowedImage: string | undefined;

  beforeAll(async () => {
    reportsDir = await mkdtemp(join(tmpdir(), 'baseline-reports-'));
    slowedParent = await mkdtemp(join(tmpdir(), 'baseline-slowed-'));
    slowed = join(slowedParent, 'checkout');
    await run('git', ['worktree', 'add', '--detach', slowed, 'HEAD'], { cwd: repoRoot });
    await symlink(join(repoRoot, 'node_modules'), join(slowed, 'node_modules'));
    // This machine's base images (scripts/base-images.sh writes their names; not committed).
    if (existsSync(join(repoRoot, '.images.env')))
      await copyFile(join(repoRoot, '.images.env'), join(slowed, '.images.env'));
    const service = join(slowed, 'backend/src/tasks/service.ts');
    const source = await readFile(service, 'utf8');
    const listing = 'async list(ctx, query) {';
    expect(source).toContain(listing);
    await writeFile(
      service,
      source.replace(
        listing,
        `${listing}\n      await new Promise((resolve) => setTimeout(resolve, ${slowedMs}));`,
      ),
    );
  });
  afterAll(async () => {
    await run('git', ['worktree', 'remove', '--force', slowed], { cwd: repoRoot }).catch(() => undefined);
    // The slowed backend's image is this test's alone.
    if (slowedImage) await run('docker', ['rmi', '--force', slowedImage]).catch(() => undefined);
    await rm(reportsDir, { recursive: true, force: true });
    await rm(slowedParent, { recursive: true, force: true });
  });

  const sim = [
    'sim',
    '--reports-dir',
    '',
    '--profile',
    'smoke',
    '--no-browser',
    '--json',
    '--relative',
    listObjective,
  ];
  const simIn = (dir: string) => sim.map((arg) => arg || dir);

  it('refuses a named baseline that is missing before anything starts; one of another kind compares nothing', async () => {
    const missing = await runCli(['sim', '--baseline', join(reportsDir, 'nothing-here')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(/--baseline .*nothing-here: no report\.json there$/);
    const other = join(reportsDir, 'a-smoke-run');
    await mkdir(other, { recursive: true });
    await writeFile(
      join(other, 'report.json'),
      JSON.stringify({ runId: 'a-smoke-run', thresholds: [], runKind: 'compose; load smoke; no drills' }),
    );
    // --no-load: a quick run of another kind (no load) than the named one.
    const mismatched = await runCli(
      ['sim', '--no-load', '--no-browser', '--json', '--reports-dir', reportsDir, '--baseline', other],
      relaxedLatency,
    );
    expect(mismatched.code, mismatched.stderr).toBe(0);
    expect(mismatched.stderr).toContain(
      `--baseline ${other}: that run was compose; load smoke; no drills, this one is compose; no load; no drills: nothing will be compared`,
    );
    expect((JSON.parse(mismatched.stdout) as SimReport).baseline).toBeUndefined();
    await rm(other, { recursive: true });
  });

  it('fails the slowed run on its relative line, side by side with the baseline, while its thresholds hold', async () => {
    const first = await runCli(simIn(reportsDir), relaxedLatency);
    expect(first.code, first.stderr).toBe(0);
    const baseline = JSON.parse(first.stdout) as SimReport;
    expect(baseline.comparisons).toEqual([
      expect.objectContaining({ verdict: 'no baseline', baseline: null }),
    ]);
    expect(first.stderr).toContain('relative objectives: no baseline yet (compose; load smoke; no drills)');

    // The latest passing run of the same kind in the folder is the baseline.
    const second = await runCli(simIn(reportsDir), relaxedLatency, slowed);
    const report = JSON.parse(second.stdout) as SimReport;
    slowedImage = report.images.backend?.reference;
    expect(slowedImage).not.toBe(baseline.images.backend?.reference);
    expect(second.code, second.stderr).toBe(1);
    expect(report.verdict).toBe('fail');
    expect(report.thresholds.every((threshold) => threshold.ok)).toBe(true);
    expect(report.baseline).toMatchObject({ runId: baseline.runId, chosen: 'the latest passing run' });
    const listed = (run: SimReport) =>
      run.comparisons?.find((c) => c.metric === 'http_req_duration{group:tasks:list}');
    const compared = listed(report);
    const before = listed(baseline)?.measured ?? 0;
    expect(compared).toMatchObject({
      metric: 'http_req_duration{group:tasks:list}',
      verdict: 'fail',
      baseline: before,
    });
    expect(compared?.measured).toBeGreaterThan(slowedMs);
    expect(compared?.changePercent).toBeGreaterThan(50);
    expect(second.stderr).toContain(
      `regressed: ${listObjective.replace('=', ' ')}: ${compared?.measured} ms against ${before} ms`,
    );
    const markdown = await readFile(report.artefacts.markdown, 'utf8');
    expect(markdown).toContain(`Baseline: run ${baseline.runId}`);
    expect(markdown).toContain(
      `| http_req_duration{group:tasks:list} | p(95)<=+25%/+50% | ${compared?.measured} ms | ${before} ms | +${compared?.changePercent}% | FAIL |`,
    );
    expect(await readFile(report.artefacts.junit, 'utf8')).toMatch(
      /<testsuite name="baseline" tests="1" failures="1"/,
    );
  });
});
