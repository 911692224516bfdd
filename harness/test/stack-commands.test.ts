import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectLeftovers } from '../src/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { relaxedLatency, runCli } from './cli.ts';

// sim --keep, then the commands a user has for a stack left running: status, logs, down.
describe('a rehearsal kept after sim', () => {
  let reportsDir: string;
  let report: SimReport;
  let project: string;

  beforeAll(async () => {
    reportsDir = await mkdtemp(join(tmpdir(), 'sim-keep-'));
    const run = await runCli(
      ['sim', '--keep', '--no-load', '--json', '--reports-dir', reportsDir],
      relaxedLatency,
    );
    expect(run.code, run.stderr).toBe(0);
    report = JSON.parse(run.stdout) as SimReport;
    project = report.stack?.projectName ?? '';
    expect(run.stderr).toContain(`the stack is still up at ${report.stack?.baseUrl ?? ''}`);
  });
  afterAll(async () => {
    await runCli(['down', '--rehearsal']);
    await rm(reportsDir, { recursive: true, force: true });
  });

  it('ran the browser flow as a scenario, its screenshots beside the report', async () => {
    const browser = report.scenarios.find((s) => s.kind === 'browser');
    expect(browser?.skipped).toBeUndefined();
    expect(browser?.ok, browser?.error).toBe(true);
    expect(browser?.steps.length).toBeGreaterThanOrEqual(14);
    expect((await readdir(report.artefacts.browser ?? '')).some((file) => file.endsWith('.png'))).toBe(true);
    // Its Playwright trace too, linked from report.md.
    expect(report.artefacts.trace).toBe(join(report.artefacts.browser ?? '', 'trace.zip'));
    expect((await readFile(report.artefacts.trace ?? '')).subarray(0, 2).toString()).toBe('PK');
    expect(await readFile(report.artefacts.markdown, 'utf8')).toContain(
      'Its Playwright trace: [browser-flow/trace.zip](browser-flow/trace.zip) (`npx playwright-core show-trace browser-flow/trace.zip`).',
    );
  });

  it('is still serving at the URL the report gives', async () => {
    expect(report.stack).toMatchObject({
      kept: true,
      baseUrl: expect.stringMatching(/^https:\/\/localhost:\d+$/),
    });
    const status = await runCli(['status']);
    expect(status.stdout).toContain(`${project}: rehearsal (kept)`);
    expect(status.stdout).toMatch(/proxy\s+running \(healthy\)\s+127\.0\.0\.1:\d+/);
    expect(status.stdout).toMatch(/migrate\s+exited exit 0/);
  });

  it('shows a service’s logs', async () => {
    const logs = await runCli(['logs', '--rehearsal', 'backend-1']);
    expect(logs.code).toBe(0);
    expect(logs.stdout + logs.stderr).toContain('"msg"');
    const unknown = await runCli(['logs', '--rehearsal', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(`${project} has no service "nope"`);
  });

  it('is removed by down, leaving nothing', async () => {
    const down = await runCli(['down', '--rehearsal']);
    expect(down.stdout).toContain(`removed ${project}`);
    expect(await projectLeftovers(project)).toEqual([]);
  });
});
