import type { LoadResult } from './load.ts';

export interface ScenarioResult {
  api: LoadResult;
  bare: LoadResult;
  /** Median of the per-block ratios, and their range. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  blockRatios: number[];
}

export interface BenchReport {
  date: string;
  gitSha: string;
  machine: { cpus: number; model: string; memoryGb: number; node: string };
  method: string;
  startup: {
    startToReadyMs: number;
    fastestMs: number;
    slowestMs: number;
    selfReportedMs: number;
    samples: number[];
  };
  memory: { idleRssMb: number; afterLoadRssMb: number };
  /** The backend image as an orchestrator starts it (1 CPU, 512 MiB). */
  image: { reference: string; startToReadyMs: number; samples: number[]; idleRssMb: number };
  load: Record<string, ScenarioResult>;
  aims: { ratio: number; startToReadyMs: number; idleRssMb: number };
}

const verdict = (ok: boolean) => (ok ? 'meets the aim' : '**misses the aim**');
const row = (label: string, r: LoadResult) =>
  `| ${label} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p95Ms} | ${r.p99Ms} | ${r.non2xx + r.errors} |`;
const titles: Record<string, string> = {
  list: 'List 50 tasks (GET /api/tasks?limit=50)',
  create: 'Create a task (POST /api/tasks)',
};

export function toMarkdown(report: BenchReport): string {
  const { startup, memory, aims } = report;
  const lines = [
    '# Backend benchmark',
    '',
    `Recorded ${report.date.slice(0, 10)} at ${report.gitSha} on ${report.machine.cpus} × ${report.machine.model}, ${report.machine.memoryGb} GiB, Node ${report.machine.node}.`,
    `Reproduce with \`npm run bench\` (about four minutes). Method: ${report.method}.`,
    '',
    '| | value | aim | |',
    '| --- | --- | --- | --- |',
    `| start to ready (spawn → first 200 on /ready), median of ${startup.samples.length} warm starts spread over the run | ${startup.startToReadyMs} ms (fastest ${startup.fastestMs}, slowest ${startup.slowestMs}) | < ${aims.startToReadyMs} ms | ${verdict(startup.startToReadyMs < aims.startToReadyMs)} |`,
    `| start-up reported by the process (process start → listening), median | ${startup.selfReportedMs} ms | | |`,
    `| idle memory (RSS, 2 s after ready) | ${memory.idleRssMb} MB | < ${aims.idleRssMb} MB | ${verdict(memory.idleRssMb < aims.idleRssMb)} |`,
    `| memory after the load (RSS; V8 keeps the heap it grew, it plateaus) | ${memory.afterLoadRssMb} MB | | |`,
    `| **the image**: process start → first 200 on /ready, median of ${report.image.samples.length} container starts (1 CPU, 512 MiB) | ${report.image.startToReadyMs} ms (${Math.min(...report.image.samples)}–${Math.max(...report.image.samples)}) | < ${aims.startToReadyMs} ms | ${verdict(report.image.startToReadyMs < aims.startToReadyMs)} |`,
    `| **the image**: idle memory (RSS of its process, 2 s after ready), median | ${report.image.idleRssMb} MB | < ${aims.idleRssMb} MB | ${verdict(report.image.idleRssMb < aims.idleRssMb)} |`,
    ...Object.entries(report.load).map(
      ([name, r]) =>
        `| ${name}: API / bare throughput, median of ${r.blockRatios.length} blocks | ${r.ratio}× (range ${r.ratioMin}–${r.ratioMax}) | ≥ ${aims.ratio}× | ${verdict(r.ratio >= aims.ratio)} |`,
    ),
  ];
  for (const [name, r] of Object.entries(report.load)) {
    lines.push(
      '',
      `## ${titles[name] ?? name}`,
      '',
      '| target | req/s | p50 ms | p95 ms | p99 ms | non-2xx + errors |',
      '| --- | --- | --- | --- | --- | --- |',
      row('API (signed in)', r.api),
      row('bare Fastify + pg', r.bare),
    );
  }
  return `${lines.join('\n')}\n`;
}
