// Black-box: a machine with Docker and no k6 on PATH runs the load from the
// k6 image, as Grafana documents (`docker run grafana/k6 run script.js`).
// No image registry answers here, so the image is a stand-in built from this
// machine's k6 binary on a local Debian base: a container with `k6` as its
// entrypoint, as grafana/k6 is. Where a registry answers, the same code pulls
// grafana/k6 itself.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseImages } from '../src/index.ts';
import { findK6 } from '../src/load/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { relaxedLatency, runCli } from './cli.ts';

const run = promisify(execFile);
const standIn = 'todo-test-k6:stand-in';

describe('k6 from its image when it is not on PATH', () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k6-image-'));
    const k6 = findK6();
    if (!k6) throw new Error('this test needs k6 on PATH to build its stand-in image (bash scripts/k6.sh)');
    const context = join(dir, 'context');
    await run('mkdir', ['-p', context]);
    await copyFile(k6, join(context, 'k6'));
    await writeFile(
      join(context, 'Dockerfile'),
      `FROM ${baseImages().NODE_IMAGE}\nCOPY k6 /usr/bin/k6\nENTRYPOINT ["k6"]\n`,
    );
    await run('docker', ['build', '--quiet', '--tag', standIn, context]);
    // PATH without k6: k6's folder again, less k6 (node, docker and the rest share it here).
    const shim = join(dir, 'bin');
    await run('mkdir', ['-p', shim]);
    const k6Dir = join(k6, '..');
    for (const name of await readdir(k6Dir))
      if (name !== 'k6' && name !== 'k6.exe') await symlink(join(k6Dir, name), join(shim, name));
    const path = (process.env.PATH ?? '')
      .split(delimiter)
      .map((entry) => (entry === k6Dir ? shim : entry))
      .join(delimiter);
    env = { PATH: path, K6_IMAGE: standIn };
  }, 180_000);
  afterAll(async () => {
    await run('docker', ['rmi', '--force', standIn]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('npm run doctor says where k6 comes from', async () => {
    const doctor = await runCli(['doctor'], env);
    expect(doctor.stdout).toContain(`not on PATH: the load runs from ${standIn} (Docker)`);
  });

  it('npm run sim runs its load in the container: every request measured, every write reconciled, nothing left', async () => {
    const sim = await runCli(
      ['sim', '--profile', 'smoke', '--no-browser', '--json', '--reports-dir', join(dir, 'reports')],
      { ...env, ...relaxedLatency },
    );
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stderr).toContain(`k6 is not on PATH: the load runs from ${standIn} (Docker)`);
    const report = JSON.parse(sim.stdout) as SimReport;
    expect(report.load).toMatchObject({ profile: 'smoke', k6ExitCode: 0, failedRate: 0 });
    expect(report.load?.requests).toBeGreaterThan(20);
    expect(report.load?.reconciliation).toMatchObject({ lost: 0, missing: [] });
    // k6 wrote its files where the harness reads them, as this user.
    expect(report.load?.series?.length).toBeGreaterThan(0);
    const { stdout: owner } = await run('stat', ['-c', '%u', report.artefacts.dashboard ?? '']);
    expect(Number(owner)).toBe(process.getuid?.());
    const { stdout: left } = await run('docker', [
      'ps',
      '--all',
      '--filter',
      'name=todo-k6-',
      '--format',
      '{{.Names}}',
    ]);
    expect(left.trim()).toBe('');
  });
});
