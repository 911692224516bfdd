/* eslint-disable no-console -- a benchmark reports on stdout */
// `npm run sim -- --no-load` wall time with cold images (none of ours built
// yet, no build cache) and with warm ones (nothing changed), and each phase's
// share: the rehearsal's own cost. The load's figures are bench:load's.
// Side by side for Compose v2 + BuildKit (the default) and Compose v1.29 + the
// classic builder (the fallback), in the same run; BENCH_TOOLCHAINS=v2 (or v1)
// measures one. Writes results/sim.{json,md}. Removes every
// todo-backend/frontend/proxy image and BuildKit's build cache before each cold run.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  composeFlavour,
  imageBuilder,
  listImages,
  pruneBuildCache,
  removeImages,
  repoRoot,
} from '../src/index.ts';
import { writeResults } from './results.ts';
import type { SimReport } from '../src/report/index.ts';

const warmRuns = Number(process.env.BENCH_WARM_RUNS ?? 3);
const aimWarmMs = 90_000;

const toolchains = [
  { key: 'v2', compose: 'v2', builder: 'buildkit', label: 'Compose v2 + BuildKit' },
  { key: 'v1', compose: 'v1', builder: 'classic', label: 'Compose v1.29 + classic builder' },
] as const;
const wanted = (process.env.BENCH_TOOLCHAINS ?? 'v2,v1').split(',');

async function removeOurImages(): Promise<void> {
  await removeImages(await listImages(/^todo-(backend|frontend|proxy):/));
}

async function sim(
  reportsDir: string,
  env: Record<string, string>,
): Promise<{ wallMs: number; report: SimReport }> {
  const started = performance.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['harness/src/cli/main.ts', 'sim', '--no-load', '--json', '--reports-dir', reportsDir],
      {
        cwd: repoRoot,
        env: { ...process.env, ...env },
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

const shares = (report: SimReport, wallMs: number) =>
  report.phases.map((phase) => ({
    phase: phase.name,
    ms: phase.durationMs,
    share: Math.round((phase.durationMs / wallMs) * 1000) / 10,
  }));

interface ToolchainRuns {
  key: string;
  label: string;
  toolchain: string;
  cold: { wallMs: number; phases: ReturnType<typeof shares> };
  warm: { runs: number[]; medianWallMs: number; phases: ReturnType<typeof shares> };
  scenarios: { name: string; ms: number }[];
}

const reportsDir = await mkdtemp(join(tmpdir(), 'bench-sim-'));
const measured: ToolchainRuns[] = [];
const notMeasured: { label: string; why: string }[] = [];
try {
  // The fallback first, so the images left at the end are the default builder's.
  for (const toolchain of [...toolchains].reverse()) {
    if (!wanted.includes(toolchain.key)) continue;
    const available = await Promise.all([
      composeFlavour(toolchain.compose),
      imageBuilder(toolchain.builder),
    ]).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    if (available instanceof Error) {
      console.log(`${toolchain.label}: not measured (${available.message})`);
      notMeasured.push({ label: toolchain.label, why: available.message });
      continue;
    }
    const env = { SIM_COMPOSE: toolchain.compose, SIM_BUILDER: toolchain.builder };
    console.log(`== ${toolchain.label}\ncold: removing our images and the build cache, then npm run sim`);
    await removeOurImages();
    await pruneBuildCache();
    const cold = await sim(reportsDir, env);
    const warm: { wallMs: number; report: SimReport }[] = [];
    for (let i = 0; i < warmRuns; i += 1) {
      console.log(`warm run ${i + 1}/${warmRuns}`);
      warm.push(await sim(reportsDir, env));
    }
    const median = [...warm].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(warm.length / 2)] as {
      wallMs: number;
      report: SimReport;
    };
    measured.unshift({
      key: toolchain.key,
      label: toolchain.label,
      toolchain: median.report.toolchain
        ? `Compose ${median.report.toolchain.compose}, ${median.report.toolchain.builder}`
        : '',
      cold: { wallMs: cold.wallMs, phases: shares(cold.report, cold.wallMs) },
      warm: {
        runs: warm.map((w) => w.wallMs),
        medianWallMs: median.wallMs,
        phases: shares(median.report, median.wallMs),
      },
      scenarios: median.report.scenarios.map((s) => ({ name: s.name, ms: s.durationMs })),
    });
  }
} finally {
  await rm(reportsDir, { recursive: true, force: true });
}
if (measured.length === 0) {
  console.error('bench:sim: nothing measured');
  process.exit(1);
}

const result = {
  measuredAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  aim: { warmWallMs: aimWarmMs },
  toolchains: measured,
  notMeasured,
};

const s = (ms: number | undefined) => (ms === undefined ? '' : `${(ms / 1000).toFixed(1)} s`);
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const header = (first: string) => [
  row([first, ...measured.map((t) => t.label)]),
  row(['---', ...measured.map(() => '---')]),
];
const phaseNames = [...new Set(measured.flatMap((t) => t.warm.phases.map((p) => p.phase)))];
const phaseTable = (which: 'warm' | 'cold') =>
  [
    ...header('Phase'),
    ...phaseNames.map((name) =>
      row([
        name,
        ...measured.map((t) => {
          const phase = t[which].phases.find((p) => p.phase === name);
          return phase ? `${s(phase.ms)} (${phase.share}%)` : '';
        }),
      ]),
    ),
    row([
      '(process start, Node, listr, report writing)',
      ...measured.map((t) => {
        const wall = which === 'warm' ? t.warm.medianWallMs : t.cold.wallMs;
        return s(wall - t[which].phases.reduce((a, p) => a + p.ms, 0));
      }),
    ]),
    row([
      `**wall time**`,
      ...measured.map((t) => `**${s(which === 'warm' ? t.warm.medianWallMs : t.cold.wallMs)}**`),
    ]),
  ].join('\n');
const primary = measured[0] as ToolchainRuns;

const markdown = [
  '# `npm run sim` wall time',
  '',
  `Measured ${result.measuredAt} on ${result.machine.cpus} cores (${result.machine.model}), by \`npm run bench:sim\`, every column in the same run.`,
  ...measured.map((t) => `- ${t.label}: ${t.toolchain}.`),
  ...notMeasured.map((n) => `- ${n.label}: not measured (${n.why}).`),
  '',
  'With `--no-load`: the API scenarios and the browser flow in Chromium; the k6 load (100 s by default) is measured by `npm run bench:load`.',
  '',
  ...header(''),
  row([
    `Warm images (nothing changed), median of ${warmRuns}`,
    ...measured.map(
      (t) =>
        `**${s(t.warm.medianWallMs)}** (${t.warm.runs.map(s).join(', ')}; aim under ${aimWarmMs / 1000} s: ${t.warm.medianWallMs < aimWarmMs ? 'met' : 'MISSED'})`,
    ),
  ]),
  row([
    'Cold images (ours removed, no build cache; base images local)',
    ...measured.map((t) => `**${s(t.cold.wallMs)}**`),
  ]),
  '',
  '## Warm run (the median one)',
  '',
  phaseTable('warm'),
  '',
  '## Cold run',
  '',
  phaseTable('cold'),
  '',
  `## Scenarios (warm run, ${primary.label})`,
  '',
  row(['Scenario', 'Time']),
  row(['---', '---']),
  ...primary.scenarios.map((sc) => row([sc.name, s(sc.ms)])),
  '',
].join('\n');

await writeResults('sim', result, markdown);
