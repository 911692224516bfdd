import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectLeftovers } from '../src/index.ts';
import { runCli } from './cli.ts';

// npm run load with nothing running: it starts a rehearsal, runs the k6 smoke
// journey, reconciles with the database and removes the stack.
describe('npm run load', () => {
  let reportsDir: string;
  beforeAll(async () => {
    reportsDir = await mkdtemp(join(tmpdir(), 'load-reports-'));
  });
  afterAll(async () => {
    await rm(reportsDir, { recursive: true, force: true });
  });

  it('runs the smoke journey against a rehearsal it starts, keeps every write, and cleans up', async () => {
    const run = await runCli(['load', '--profile', 'smoke', '--reports-dir', reportsDir]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const project = /starting (todo-load-\S+)/.exec(run.stdout)?.[1] ?? '';
    expect(project).not.toBe('');
    expect(run.stdout).toMatch(/checks\s+rate>0\.99\s+1\s+pass/);
    const reconciled =
      /(\d+) creates, (\d+) edits and completions, (\d+) deletes acknowledged; 0 missing, 0 not deleted, 0 changed, 0 duplicated/.exec(
        run.stdout,
      );
    expect(reconciled, run.stdout).not.toBeNull();
    // The smoke journey's two visits: four creates, three edits and completions, one delete each.
    expect(reconciled?.slice(1).map(Number)).toEqual([8, 6, 2]);
    const summaryPath = /summary: (\S+)/.exec(run.stdout)?.[1] ?? '';
    const summary = JSON.parse(await readFile(summaryPath, 'utf8')) as { metrics: Record<string, unknown> };
    expect(Object.keys(summary.metrics)).toEqual(
      expect.arrayContaining([
        'http_req_duration{group:chat}',
        'http_req_duration{group:tasks:create}',
        'checks',
      ]),
    );
    expect(await readFile(/report: {2}(\S+)/.exec(run.stdout)?.[1] ?? '', 'utf8')).toContain('<html');
    expect(await projectLeftovers(project)).toEqual([]);
  });

  it('refuses an unknown profile, or users for the one-user profile, in one line', async () => {
    const run = await runCli(['load', '--profile', 'huge']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('--profile huge: one of smoke, load, spike, soak, capacity');
    const users = await runCli(['load', '--profile', 'smoke', '--users', '5']);
    expect(users.code).toBe(2);
    expect(users.stderr.trim()).toBe(
      '--users: the smoke profile is one user; choose --profile load, spike, soak or capacity',
    );
  });
});
