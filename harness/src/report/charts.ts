// The report's pictures, as Vega-Lite specs over the report's own figures:
// latency per endpoint group against its threshold, the load over time with
// the drills on its time axis, each service's CPU and memory against its
// limits, and the run's phases. Every time axis counts seconds from the run's start.
import { parseThreshold } from '../gate/index.ts';
import { seriesPeriodMs } from '../load/index.ts';
import type { ChartSpec } from './vega.ts';
import type { SimReport } from './types.ts';

export type ChartName = 'latency' | 'load' | 'services' | 'phases';

export const chartTitles: Record<ChartName, string> = {
  latency: 'Latency per endpoint group against its threshold',
  load: 'The load over time',
  services: 'CPU and memory of each service against its limits',
  phases: 'The run, phase by phase',
};

/** A chart's title is chartTitles[name] (also the image's alt text in report.md). */
export interface Chart {
  name: ChartName;
  spec: ChartSpec;
}

const verdictColours = {
  domain: ['within threshold', 'over threshold', 'no threshold'],
  range: ['#2e7d32', '#c62828', '#78909c'],
};

const secondsFrom = (start: number) => (at: number) => Math.round((at - start) / 100) / 10;

/** A threshold's bound when it is an upper one (`p(95)<300` → 300), the line a latency must stay under. */
const upperBound = (threshold: { metric: string; expression: string }): number | null => {
  const { operator, target } = parseThreshold(`${threshold.metric}=${threshold.expression}`);
  return operator === '<' || operator === '<=' ? target : null;
};

/** p95 and p99 of every request and of each endpoint group, each with its threshold where one applies. */
export function latencyRows(report: SimReport) {
  return (report.load?.latency ?? []).flatMap((row) => {
    const group = /\{group:(.+)\}$/.exec(row.metric)?.[1] ?? 'all requests';
    return (['p95', 'p99'] as const).flatMap((percentile) => {
      const ms = row[percentile];
      if (ms === null) return [];
      const aggregation = `p(${percentile.slice(1)})`;
      const threshold = report.thresholds.find(
        (t) => t.metric === row.metric && t.expression.startsWith(aggregation),
      );
      const target = threshold ? upperBound(threshold) : null;
      return [
        {
          group,
          percentile,
          ms,
          threshold: target,
          verdict: !threshold ? 'no threshold' : threshold.ok ? 'within threshold' : 'over threshold',
        },
      ];
    });
  });
}

function latencyChart(report: SimReport): Chart | undefined {
  const rows = latencyRows(report);
  if (!rows.length) return undefined;
  const y = { field: 'group', type: 'nominal', title: null, sort: null } as const;
  const yOffset = { field: 'percentile', type: 'nominal', title: null } as const;
  const tooltip = [
    { field: 'group', title: 'group' },
    { field: 'percentile', title: 'percentile' },
    { field: 'ms', title: 'ms' },
    { field: 'threshold', title: 'threshold (ms)' },
  ];
  return {
    name: 'latency',
    spec: {
      title: {
        text: chartTitles.latency,
        subtitle: 'p95 and p99 of the load, in ms (log scale); the black tick is the threshold',
      },
      width: 560,
      data: { values: rows },
      encoding: { y, yOffset },
      layer: [
        {
          mark: { type: 'bar', height: { band: 1 } },
          encoding: {
            x: { field: 'ms', type: 'quantitative', title: 'ms', scale: { type: 'log', domainMin: 1 } },
            // A log scale has no zero: the bars start at 1 ms.
            x2: { datum: 1 },
            color: { field: 'verdict', type: 'nominal', title: null, scale: verdictColours },
            opacity: {
              field: 'percentile',
              type: 'ordinal',
              sort: ['p95', 'p99'],
              scale: { range: [1, 0.55] },
              title: null,
            },
            tooltip,
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 },
          encoding: {
            x: { field: 'ms', type: 'quantitative' },
            text: { field: 'ms', type: 'quantitative', format: '.1f' },
          },
        },
        {
          transform: [{ filter: 'datum.threshold != null' }],
          mark: { type: 'tick', color: 'black', thickness: 2 },
          encoding: {
            x: { field: 'threshold', type: 'quantitative' },
            tooltip: [
              { field: 'group', title: 'group' },
              { field: 'percentile', title: 'percentile' },
              { field: 'threshold', title: 'threshold (ms)' },
            ],
          },
        },
      ],
    } as ChartSpec,
  };
}

/** The drills' windows (fault to recovery), in seconds from `start`. */
function drillWindows(report: SimReport, toSeconds: (at: number) => number) {
  return (report.faults?.drills ?? []).flatMap((drill) =>
    drill.episodes.map((episode) => ({
      drill: drill.drill,
      from: toSeconds(episode.injectedAt),
      to: toSeconds(episode.recoveredAt ?? episode.clearedAt),
    })),
  );
}

function loadChart(report: SimReport): Chart | undefined {
  const series = report.load?.series ?? [];
  if (!series.length) return undefined;
  const toSeconds = secondsFrom(Date.parse(report.startedAt));
  // Each period drawn at its middle: a fault's spike sits inside the fault's shading.
  const points = series.map((point) => ({ ...point, second: toSeconds(point.at + seriesPeriodMs / 2) }));
  const drills = drillWindows(report, toSeconds);
  // One time axis for the three panels, from the first period (or drill) to the last.
  const seconds = [...points.map((p) => p.second), ...drills.flatMap((d) => [d.from, d.to])];
  const domain = [
    Math.floor(Math.min(...seconds) / 10) * 10,
    Math.ceil((Math.max(...seconds) + 5) / 10) * 10,
  ];
  const x = {
    field: 'second',
    type: 'quantitative',
    title: 'seconds into the run',
    scale: { domain, nice: false, zero: false },
  } as const;
  const shading = {
    data: { values: drills },
    mark: { type: 'rect', color: '#ffb300', opacity: 0.2 },
    encoding: {
      x: { field: 'from', type: 'quantitative' },
      x2: { field: 'to' },
      tooltip: [{ field: 'drill' }, { field: 'from' }, { field: 'to' }],
    },
  };
  // Each drill named once, at its first window, along the top of a panel.
  const names = {
    data: { values: drills.filter((d, i) => drills.findIndex((other) => other.drill === d.drill) === i) },
    mark: {
      type: 'text',
      align: 'left',
      baseline: 'top',
      dx: 2,
      dy: 2,
      fontSize: 9,
      angle: 0,
      color: '#8d6e00',
    },
    encoding: { x: { field: 'from', type: 'quantitative' }, y: { value: 0 }, text: { field: 'drill' } },
  };
  const marks = drills.length ? [shading, names] : [];
  const panel = (title: string, layer: object) => ({
    height: 110,
    width: 560,
    layer: [...marks, { data: { values: points }, ...layer }],
    encoding: { x },
    title: { text: title, fontSize: 11 },
  });
  return {
    name: 'load',
    spec: {
      title: {
        text: chartTitles.load,
        subtitle: `per 5 s of the k6 load${drills.length ? '; shaded: a fault drill, from the fault until the app recovered' : ''}`,
      },
      vconcat: [
        panel('latency (ms)', {
          transform: [{ fold: ['p50Ms', 'p95Ms'], as: ['percentile', 'ms'] }],
          mark: { type: 'line', point: true },
          encoding: {
            y: { field: 'ms', type: 'quantitative', title: 'ms' },
            color: {
              field: 'percentile',
              type: 'nominal',
              title: null,
              scale: { domain: ['p50Ms', 'p95Ms'], range: ['#1e88e5', '#8e24aa'] },
              legend: { labelExpr: "datum.label == 'p50Ms' ? 'p50' : 'p95'" },
            },
            tooltip: [{ field: 'second' }, { field: 'percentile' }, { field: 'ms' }],
          },
        }),
        panel('requests per second', {
          mark: { type: 'area', line: true, point: { size: 8, filled: true }, opacity: 0.3 },
          encoding: {
            y: { field: 'requestsPerSecond', type: 'quantitative', title: 'requests/s' },
            tooltip: [{ field: 'second' }, { field: 'requestsPerSecond', title: 'requests/s' }],
          },
        }),
        panel('failed requests', {
          mark: { type: 'bar', color: '#c62828', width: 4 },
          encoding: {
            y: {
              field: 'failed',
              type: 'quantitative',
              title: 'failed',
              // Whole requests; a run without failures still shows its zero line.
              scale: { domain: [0, Math.max(1, ...points.map((point) => point.failed))] },
              axis: { format: 'd', tickMinStep: 1 },
            },
            tooltip: [{ field: 'second' }, { field: 'failed' }],
          },
        }),
      ],
      resolve: { scale: { x: 'shared' } },
    } as ChartSpec,
  };
}

function servicesChart(report: SimReport): Chart | undefined {
  const toSeconds = secondsFrom(Date.parse(report.startedAt));
  const cpu = 'CPU (% of one core)';
  const memory = 'memory (MiB)';
  const mebibytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  // One row per sample and resource, each with the container's limit for that resource.
  const samples = report.services.flatMap((service) =>
    (service.usage ?? []).flatMap((sample) => [
      {
        service: service.service,
        resource: cpu,
        second: toSeconds(sample.at),
        value: Math.round(sample.cpuPercent * 10) / 10,
        limit: service.cpuLimitPercent ?? null,
      },
      {
        service: service.service,
        resource: memory,
        second: toSeconds(sample.at),
        value: mebibytes(sample.memoryBytes),
        limit: service.memoryLimitBytes ? mebibytes(service.memoryLimitBytes) : null,
      },
    ]),
  );
  if (!samples.length) return undefined;
  return {
    name: 'services',
    spec: {
      title: {
        text: chartTitles.services,
        subtitle: 'sampled from docker stats every few seconds; dashed red: the container’s limit',
      },
      data: { values: samples },
      facet: {
        row: {
          field: 'service',
          type: 'nominal',
          title: null,
          header: { labelAngle: 0, labelAlign: 'left' },
        },
        column: { field: 'resource', type: 'nominal', title: null, sort: [cpu, memory] },
      },
      spec: {
        width: 270,
        height: 60,
        layer: [
          {
            // A point per sample: a reader (and a screen reader) finds each value, not only the line.
            mark: { type: 'line', interpolate: 'step-after', point: { filled: true, size: 5 } },
            encoding: {
              x: { field: 'second', type: 'quantitative', title: 'seconds into the run' },
              y: { field: 'value', type: 'quantitative', title: null, scale: { domainMin: 0 } },
              tooltip: [{ field: 'service' }, { field: 'resource' }, { field: 'second' }, { field: 'value' }],
            },
          },
          {
            transform: [{ filter: 'datum.limit != null' }],
            mark: { type: 'rule', strokeDash: [4, 3], color: '#c62828' },
            encoding: {
              y: { aggregate: 'max', field: 'limit', type: 'quantitative' },
              tooltip: [{ aggregate: 'max', field: 'limit', title: 'limit' }],
            },
          },
        ],
      },
      resolve: { scale: { y: 'independent' } },
    } as ChartSpec,
  };
}

function phasesChart(report: SimReport): Chart | undefined {
  const start = Date.parse(report.startedAt);
  const toSeconds = secondsFrom(start);
  const phases = report.phases
    .filter((phase) => phase.startedAt !== undefined && phase.status !== 'skipped')
    .map((phase) => ({
      phase: phase.name,
      status: phase.status,
      from: toSeconds(phase.startedAt ?? start),
      to: toSeconds((phase.startedAt ?? start) + phase.durationMs),
      seconds: Math.round(phase.durationMs / 100) / 10,
    }));
  if (!phases.length) return undefined;
  const y = { field: 'phase', type: 'nominal', title: null, sort: null } as const;
  return {
    name: 'phases',
    spec: {
      title: { text: chartTitles.phases, subtitle: 'seconds from the start of npm run sim' },
      width: 560,
      data: { values: phases },
      encoding: { y },
      layer: [
        {
          mark: { type: 'bar', height: 14 },
          encoding: {
            x: { field: 'from', type: 'quantitative', title: 'seconds into the run' },
            x2: { field: 'to' },
            color: {
              field: 'status',
              type: 'nominal',
              title: null,
              scale: { domain: ['passed', 'failed'], range: ['#1e88e5', '#c62828'] },
            },
            tooltip: [{ field: 'phase' }, { field: 'status' }, { field: 'seconds', title: 'seconds' }],
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 },
          encoding: { x: { field: 'to', type: 'quantitative' }, text: { field: 'seconds', format: '.1f' } },
        },
      ],
    } as ChartSpec,
  };
}

/** The charts this report has data for, in the order the report shows them. */
export const reportCharts = (report: SimReport): Chart[] =>
  [latencyChart(report), loadChart(report), servicesChart(report), phasesChart(report)].filter(
    (chart): chart is Chart => chart !== undefined,
  );
