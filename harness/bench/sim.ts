/* eslint-disable no-console -- a benchmark reports on stdout */
// `npm run sim -- --no-load` wall time with cold images (none of ours built
// yet, no layer cache) and with warm ones (nothing changed), and each phase's
// share: the rehearsal's own cost. The load's figures are bench:load's.
// Writes results/sim.{json,md}. Removes every todo-backend/frontend/proxy image first.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { listImages, removeImages, repoRoot } from '../src/index.ts';
import { writeResults } from './results.ts';
import type { SimReport } from '../src/report/index.ts';

const warmRuns = Number(process.env.BENCH_WARM_RUNS ?? 3);
const aimWarmMs = 90_000;

async function removeOurImages(): Promise<void> {
  await removeImages(await listImages(/^todo-(backend|frontend|proxy):/));
}

async function sim(reportsDir: string): Promise<{ wallMs: number; report: SimReport }> {
  const started = performance.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['harness/src/cli/main.ts', 'sim', '--no-load', '--json', '--reports-dir', reportsDir],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`sim exited ${String(code)}`));
    });
  });
  return { wallMs: Math.round(performance.now() - started), report: JSON.parse(stdout) as SimReport };
}

const reportsDir = await mkdtemp(join(tmpdir(), 'bench-sim-'));
console.log('cold: removing our images, then npm run sim');
await removeOurImages();
const cold = await sim(reportsDir);
const warm: { wallMs: number; report: SimReport }[] = [];
for (let i = 0; i < warmRuns; i += 1) {
  console.log(`warm run ${i + 1}/${warmRuns}`);
  warm.push(await sim(reportsDir));
}
await rm(reportsDir, { recursive: true, force: true });

const sorted = [...warm].sort((a, b) => a.wallMs - b.wallMs);
const median = sorted[Math.floor(sorted.length / 2)] as { wallMs: number; report: SimReport };
const shares = (report: SimReport, wallMs: number) =>
  report.phases.map((phase) => ({
    phase: phase.name,
    ms: phase.durationMs,
    share: Math.round((phase.durationMs / wallMs) * 1000) / 10,
  }));
const result = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  aim: { warmWallMs: aimWarmMs },
  cold: { wallMs: cold.wallMs, phases: shares(cold.report, cold.wallMs) },
  warm: {
    runs: warm.map((w) => w.wallMs),
    medianWallMs: median.wallMs,
    phases: shares(median.report, median.wallMs),
  },
  scenarios: median.report.scenarios.map((s) => ({ name: s.name, ms: s.durationMs })),
};

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const phaseTable = (phases: { phase: string; ms: number; share: number }[], wallMs: number) =>
  [
    row(['Phase', 'Time', 'Share of wall time']),
    row(['---', '---', '---']),
    ...phases.map((p) => row([p.phase, `${(p.ms / 1000).toFixed(1)} s`, `${p.share}%`])),
    row([
      '(process start, Node, listr, report writing)',
      `${((wallMs - phases.reduce((a, p) => a + p.ms, 0)) / 1000).toFixed(1)} s`,
      '',
    ]),
  ].join('\n');
const markdown = [
  '# `npm run sim` wall time',
  '',
  `Measured ${result.measuredAt} on ${result.machine.cpus} cores (${result.machine.model}), by \`npm run bench:sim\`.`,
  'With `--no-load`: the API scenarios and the browser flow in Chromium; the k6 load (100 s by default) is measured by `npm run bench:load`.',
  '',
  `- Warm images (nothing changed), median of ${warm.length}: **${(median.wallMs / 1000).toFixed(1)} s** ` +
    `(runs: ${warm.map((w) => `${(w.wallMs / 1000).toFixed(1)} s`).join(', ')}; aim: under ${aimWarmMs / 1000} s) — ` +
    (median.wallMs < aimWarmMs ? 'met' : 'MISSED'),
  `- Cold images (ours removed, no layer cache; base images local): **${(cold.wallMs / 1000).toFixed(1)} s**`,
  '',
  '## Warm run (the median one)',
  '',
  phaseTable(result.warm.phases, median.wallMs),
  '',
  '## Cold run',
  '',
  phaseTable(result.cold.phases, cold.wallMs),
  '',
  '## Scenarios (warm run)',
  '',
  row(['Scenario', 'Time']),
  row(['---', '---']),
  ...result.scenarios.map((s) => row([s.name, `${(s.ms / 1000).toFixed(1)} s`])),
  '',
].join('\n');

await writeResults('sim', result, markdown);
