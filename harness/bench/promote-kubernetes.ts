/* eslint-disable no-console -- a benchmark reports on stdout */
// Promotion to the local Kubernetes cluster, no stand-in: from a signed passing
// report to a passed smoke (API scenarios and the browser flow) through the
// ingress, and each step's share. The first release (a fresh environment), the
// same release again (the images are in the cluster already: helm upgrade and
// the smoke), and a release whose smoke fails, rolled back by Helm. Images
// already built; needs a clean checkout and root (the local cluster). The
// cluster is started and stopped here unless it runs already (then only the
// environment this makes is removed). Writes results/promote-kubernetes.{json,md}.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { localClusterRunning } from '../src/kubernetes/index.ts';
import type { PromotionRecord } from '../src/promote/index.ts';
import { newSigningKeys, type SimReport } from '../src/report/index.ts';
import { buildReleaseB, releaseBReport } from '../test/reports.ts';
import { docker } from '../test/docker.ts';
import { cli, writeResults } from './results.ts';

const dir = await mkdtemp(join(tmpdir(), 'bench-promote-kubernetes-'));
const keys = newSigningKeys();
await writeFile(join(dir, 'gate.pem'), keys.privateKeyPem);
await writeFile(join(dir, 'gate.pub'), keys.publicKeyPem);
const env = { GATE_PUBLIC_KEY: join(dir, 'gate.pub') };
const startedHere = !(await localClusterRunning());
let releaseB: { reference: string } | undefined;

interface Measured {
  run: string;
  exitCode: number;
  wallMs: number;
  record: PromotionRecord;
}

const must = async (what: string, args: string[], extra: Record<string, string> = {}) => {
  const run = await cli(args, extra);
  if (run.code !== 0) throw new Error(`${what}: npm run ${args.join(' ')} exited ${run.code}`);
  return run;
};

try {
  console.log('a signed rehearsal (smoke load, no browser)');
  const sim = await must(
    'the gate must pass to promote',
    ['sim', '--profile', 'smoke', '--no-browser', '--json', '--reports-dir', dir],
    { GATE_SIGNING_KEY: join(dir, 'gate.pem') },
  );
  const report = JSON.parse(sim.stdout) as SimReport;
  if (startedHere) await must('the local cluster', ['cluster', 'up']);
  await must('the environment', ['cluster', 'env', 'production']);

  const measured: Measured[] = [];
  const promote = async (run: string, reportPath: string) => {
    console.log(`promotion: ${run}`);
    const started = performance.now();
    const done = await cli(['promote', '--target', 'kubernetes', '--report', reportPath], env);
    const wallMs = Math.round(performance.now() - started);
    const record = JSON.parse(
      await readFile(join(reportPath, '..', 'promotion.json'), 'utf8'),
    ) as PromotionRecord;
    measured.push({ run, exitCode: done.code, wallMs, record });
    console.log(`  ${record.outcome} in ${(wallMs / 1000).toFixed(1)} s`);
  };
  await promote('first release (a fresh environment)', report.artefacts.json);
  await promote('the same release again (images in the cluster already)', report.artefacts.json);
  const b = await buildReleaseB(report, dir);
  releaseB = b;
  await promote(
    'release B, whose smoke fails: rolled back',
    await releaseBReport({ report, releaseB: b, dir, name: 'release-b', key: keys.privateKeyPem }),
  );

  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
    runs: measured.map(({ run, exitCode, wallMs, record }) => ({
      run,
      exitCode,
      outcome: record.outcome,
      serving: record.serving,
      wallMs,
      steps: record.steps.map((step) => ({ step: step.name, status: step.status, ms: step.durationMs })),
      smoke: record.smoke?.scenarios.map(
        (s) => `${s.name}: ${s.skipped ? 'skipped' : s.ok ? 'pass' : 'FAIL'}`,
      ),
      rollback: record.rollback?.backend ?? null,
    })),
  };
  const expected = ['promoted', 'promoted', 'rolled back'];
  const ok = result.runs.every((r, i) => r.outcome === expected[i]);
  const markdown = [
    '# `npm run promote -- --target kubernetes` on the local cluster',
    '',
    `Measured ${result.measuredAt} on ${result.machine.cpus} cores (${result.machine.model}) by \`npm run bench:promote-kubernetes\`:`,
    'from a signed passing report to a passed smoke (API scenarios and the browser flow) through the ingress; no stand-in.',
    `Outcomes as expected (promoted, promoted, rolled back): ${ok ? 'yes' : 'NO'}.`,
    '',
    '| Run | Outcome | Serving after | Wall time |',
    '| --- | --- | --- | --- |',
    ...result.runs.map(
      (r) =>
        `| ${r.run} | ${r.outcome} (exit ${r.exitCode}) | ${r.serving} | ${(r.wallMs / 1000).toFixed(1)} s |`,
    ),
    '',
    ...result.runs.flatMap((r) => [
      `## ${r.run}`,
      '',
      '| Step | Status | Time |',
      '| --- | --- | --- |',
      ...r.steps.map((s) => `| ${s.step} | ${s.status} | ${(s.ms / 1000).toFixed(1)} s |`),
      '',
      `Smoke: ${r.smoke?.join('; ') ?? 'not run'}${r.rollback ? `. Rollback: ${r.rollback}` : ''}`,
      '',
    ]),
  ].join('\n');
  await writeResults('promote-kubernetes', result, markdown);
  if (!ok) process.exitCode = 1;
} finally {
  if (startedHere) await cli(['cluster', 'down'], {});
  else await cli(['cluster', 'env', 'production', '--remove'], {});
  if (releaseB) await docker('rmi', releaseB.reference).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
