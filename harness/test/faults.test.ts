import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listImages, projectLeftovers, removeImages, repoRoot } from '../src/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { relaxedLatency, type CliResult } from './cli.ts';

/**
 * A copy of the repository as it is now (tracked and new files), sharing its
 * node_modules, with `change` applied to one file: the app with a defect put back.
 */
async function copyWithDefect(file: string, change: (text: string) => string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'todo-defect-'));
  const { stdout } = await promisify(execFile)(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard'],
    {
      cwd: repoRoot,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const files = stdout.split('\n').filter(Boolean);
  for (const path of files) {
    if (!existsSync(join(repoRoot, path))) continue; // deleted, not yet committed
    await mkdir(dirname(join(copy, path)), { recursive: true });
    await cp(join(repoRoot, path), join(copy, path));
  }
  // The offline base images' names, where no registry answers.
  if (existsSync(join(repoRoot, '.images.env')))
    await cp(join(repoRoot, '.images.env'), join(copy, '.images.env'));
  await symlink(join(repoRoot, 'node_modules'), join(copy, 'node_modules'));
  const before = await readFile(join(copy, file), 'utf8');
  const after = change(before);
  expect(after, `the defect could not be put back into ${file}`).not.toBe(before);
  await writeFile(join(copy, file), after);
  return copy;
}

function simIn(root: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'harness/src/cli/main.ts'), 'sim', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
}

// The drills must be able to fail: the app with a defect the Postgres restart
// drill exists for (no listener for errors of pooled connections, so a
// connection Postgres ends takes the process down) fails that drill, by name.
describe('npm run sim -- --faults', () => {
  let copy: string;
  let reportsDir: string;
  const imagesBefore = new Set<string>();

  beforeAll(async () => {
    for (const image of await listImages(/^todo-backend:/)) imagesBefore.add(image);
    copy = await copyWithDefect('backend/src/db/pool.ts', (text) =>
      text
        .replace(/\n {2}pool\.on\('error', \(error\) => \{\n[\s\S]*?\n {2}\}\);/, '')
        .replace(/\n {2}pool\.on\('connect', \(client\) => \{\n[\s\S]*?\n {2}\}\);/, ''),
    );
    // No error listener left, on the pool or on its clients.
    expect(await readFile(join(copy, 'backend/src/db/pool.ts'), 'utf8')).not.toMatch(/\.on\('error'/);
    reportsDir = await mkdtemp(join(tmpdir(), 'faults-reports-'));
  });
  afterAll(async () => {
    await rm(copy, { recursive: true, force: true });
    await rm(reportsDir, { recursive: true, force: true });
    // The defective backend's image is this test's own.
    const made = (await listImages(/^todo-backend:/)).filter((image) => !imagesBefore.has(image));
    await removeImages(made);
  });

  it('fails the Postgres restart drill, naming it and what broke, when pooled connections’ errors end the process', async () => {
    const result = await simIn(
      copy,
      [
        '--faults',
        '--drills',
        'postgres_restart',
        '--users',
        '20',
        '--no-browser',
        '--json',
        '--reports-dir',
        reportsDir,
      ],
      relaxedLatency,
    );
    expect(result.code, result.stderr.slice(-3000)).toBe(1);
    const report = JSON.parse(result.stdout) as SimReport;
    const drill = report.faults?.drills.find((d) => d.drill === 'postgres_restart');
    expect(drill?.ok).toBe(false);
    expect(drill?.checks.find((check) => check.name === 'both replicas stayed up')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^restarted or down: backend-/),
    });
    expect(result.stderr).toMatch(
      /drill postgres_restart: FAIL, .*both replicas stayed up \(restarted or down: backend-/,
    );
    expect(report.thresholds.find((t) => t.metric.startsWith('service_restarts') && !t.ok)).toBeDefined();
    const junit = await readFile(report.artefacts.junit, 'utf8');
    expect(junit).toMatch(/<testsuite name="faults" tests="1" failures="1"/);
    expect(junit).toContain('both replicas stayed up');
    expect(await projectLeftovers(report.stack?.projectName ?? '')).toEqual([]);
    // The defective backend's image is built from nothing (about 2 minutes on two cores), then the rehearsal and the drill.
  }, 900_000);
});
