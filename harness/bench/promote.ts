/* eslint-disable no-console -- a benchmark reports on stdout */
// Promotion's wall time against the stand-ins, from a signed passing report to
// a passed smoke, and each step's share: the first promotion (every layer
// pushed to an empty registry) and the next ones (the registry has the layers;
// a team promotes a release its registry has mostly seen). Images already built.
// Needs a clean checkout (promotion refuses a report made with uncommitted changes).
// Writes results/promote.{json,md}.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PromotionRecord } from '../src/promote/index.ts';
import { newSigningKeys } from '../src/report/index.ts';
import type { SimReport } from '../src/report/index.ts';
import { startPlatforms } from '../src/standins/index.ts';
import { cli, writeResults } from './results.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const aimMs = 60_000;

const dir = await mkdtemp(join(tmpdir(), 'bench-promote-'));
const keys = newSigningKeys();
await writeFile(join(dir, 'gate.pem'), keys.privateKeyPem);
await writeFile(join(dir, 'gate.pub'), keys.publicKeyPem);
await using platforms = await startPlatforms({
  log: (line) => {
    console.log(`platforms: ${line}`);
  },
});
try {
  console.log('a signed rehearsal (smoke load, no browser)');
  const sim = await cli(['sim', '--profile', 'smoke', '--no-browser', '--json', '--reports-dir', dir], {
    GATE_SIGNING_KEY: join(dir, 'gate.pem'),
  });
  if (sim.code !== 0) throw new Error(`npm run sim exited ${sim.code}: the gate must pass to promote`);
  const report = JSON.parse(sim.stdout) as SimReport;
  const measured: { wallMs: number; record: PromotionRecord }[] = [];
  for (let i = 0; i < runs; i += 1) {
    console.log(`promotion ${i + 1}/${runs}`);
    const started = performance.now();
    // No browser flow: the committed figures measure the API smoke.
    const run = await cli(['promote', '--report', report.artefacts.json, '--no-browser'], {
      ...platforms.env,
      GATE_PUBLIC_KEY: join(dir, 'gate.pub'),
    });
    const wallMs = Math.round(performance.now() - started);
    if (run.code !== 0) throw new Error(`npm run promote exited ${run.code}`);
    const record = JSON.parse(
      await readFile(join(report.artefacts.dir, 'promotion.json'), 'utf8'),
    ) as PromotionRecord;
    measured.push({ wallMs, record });
    console.log(`  ${(wallMs / 1000).toFixed(1)} s`);
  }
  const steps = (record: PromotionRecord, wallMs: number) =>
    record.steps.map((step) => ({
      step: step.name,
      ms: step.durationMs,
      share: Math.round((step.durationMs / wallMs) * 1000) / 10,
    }));
  const later = measured.slice(1);
  const median = [...later].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(later.length / 2)] ?? measured[0];
  const first = measured[0];
  if (!first || !median) throw new Error('no promotion was measured');
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
    aim: { wallMs: aimMs },
    first: { wallMs: first.wallMs, steps: steps(first.record, first.wallMs) },
    next: {
      runs: later.map((m) => m.wallMs),
      medianWallMs: median.wallMs,
      steps: steps(median.record, median.wallMs),
    },
  };
  const table = (rows: { step: string; ms: number; share: number }[], wallMs: number) =>
    [
      '| Step | Time | Share of wall time |',
      '| --- | --- | --- |',
      ...rows.map((r) => `| ${r.step} | ${(r.ms / 1000).toFixed(1)} s | ${r.share}% |`),
      `| (process start, output, record) | ${((wallMs - rows.reduce((a, r) => a + r.ms, 0)) / 1000).toFixed(1)} s | |`,
    ].join('\n');
  const markdown = [
    '# `npm run promote` wall time',
    '',
    `Measured ${result.measuredAt} on ${result.machine.cpus} cores (${result.machine.model}) by \`npm run bench:promote\`,`,
    'against the stand-ins (`npm run platforms`): from a signed passing report to a passed smoke, images already built.',
    '',
    `- First promotion (an empty registry: every layer pushed): **${(first.wallMs / 1000).toFixed(1)} s**`,
    `- Next ones, median of ${later.length} (the registry has the layers): **${(median.wallMs / 1000).toFixed(1)} s** ` +
      `(runs: ${later.map((m) => `${(m.wallMs / 1000).toFixed(1)} s`).join(', ')}; aim: under ${aimMs / 1000} s) — ` +
      (median.wallMs < aimMs && first.wallMs < aimMs ? 'met' : 'MISSED'),
    '',
    '## The first promotion',
    '',
    table(result.first.steps, first.wallMs),
    '',
    '## A later one (the median)',
    '',
    table(result.next.steps, median.wallMs),
    '',
  ].join('\n');
  await writeResults('promote', result, markdown);
} finally {
  await rm(dir, { recursive: true, force: true });
}
