// The charts as Mermaid, for GitHub's job summary: it shows no local images,
// but it draws Mermaid blocks itself. The same figures as the SVGs, coarser.
import { latencyRows, type ChartName } from './charts.ts';
import type { SimReport } from './types.ts';

const quoted = (label: string) => `"${label.replace(/"/g, "'")}"`;
const list = (values: (number | string)[]) => `[${values.join(', ')}]`;

function latency(report: SimReport): string[] {
  const rows = latencyRows(report).filter((row) => row.percentile === 'p95');
  if (!rows.length) return [];
  const thresholds = rows.map((row) => row.threshold ?? 0);
  const top = Math.max(...rows.map((row) => row.ms), ...thresholds);
  return [
    'xychart-beta',
    '  title "p95 per endpoint group (bars) and its threshold (line), ms"',
    `  x-axis ${list(rows.map((row) => quoted(row.group)))}`,
    `  y-axis "ms" 0 --> ${Math.ceil(top * 1.1)}`,
    `  bar ${list(rows.map((row) => row.ms))}`,
    ...(rows.some((row) => row.threshold !== null) ? [`  line ${list(thresholds)}`] : []),
  ];
}

function load(report: SimReport): string[] {
  const series = report.load?.series ?? [];
  if (series.length < 2) return [];
  const start = series[0]?.at ?? 0;
  const p95 = series.map((point) => point.p95Ms ?? 0);
  return [
    'xychart-beta',
    '  title "p95 (line) and requests per second (bars) per 5 s of the load"',
    `  x-axis "seconds into the load" ${list(series.map((point) => Math.round((point.at - start) / 1000)))}`,
    `  y-axis "ms, requests/s" 0 --> ${Math.ceil(Math.max(...p95, ...series.map((p) => p.requestsPerSecond)) * 1.1)}`,
    `  bar ${list(series.map((point) => point.requestsPerSecond))}`,
    `  line ${list(p95)}`,
  ];
}

function phases(report: SimReport): string[] {
  const ran = report.phases.filter((phase) => phase.startedAt !== undefined && phase.status !== 'skipped');
  if (!ran.length) return [];
  return [
    'gantt',
    '  title The run, phase by phase',
    '  dateFormat x',
    '  axisFormat %M:%S',
    ...ran.map(
      (phase) =>
        `  ${phase.name.replace(/[:#]/g, ' ')} (${Math.round(phase.durationMs / 1000)} s) :${phase.status === 'failed' ? 'crit, ' : ''}${phase.startedAt}, ${(phase.startedAt ?? 0) + Math.max(phase.durationMs, 1)}`,
    ),
  ];
}

const builders: Partial<Record<ChartName, (report: SimReport) => string[]>> = { latency, load, phases };

/** A chart as a Mermaid block; nothing for a chart Mermaid cannot draw well (the services' small multiples). */
export function mermaidChart(report: SimReport, name: ChartName): string[] {
  const lines = builders[name]?.(report) ?? [];
  return lines.length ? ['```mermaid', ...lines, '```', ''] : [];
}
