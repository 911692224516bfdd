// The figures people read from a k6 summary: throughput, failures, checks and
// latency overall and per endpoint group.
import type { K6Summary } from './k6.ts';

export interface LatencyRow {
  /** `http_req_duration` or `http_req_duration{group:chat}`. */
  metric: string;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface LoadFigures {
  requests: number;
  requestsPerSecond: number;
  /** Visits completed. */
  iterations: number;
  failedRate: number | null;
  checksRate: number | null;
  /** Overall and per endpoint group, in ms. */
  latency: LatencyRow[];
}

const round = (value: number | undefined): number | null =>
  value === undefined ? null : Math.round(value * 10) / 10;

export function loadFigures(summary: K6Summary | undefined): LoadFigures {
  const metrics = summary?.metrics ?? {};
  const groups = Object.keys(metrics)
    .filter((name) => name.startsWith('http_req_duration{group:'))
    .sort();
  const latency = ['http_req_duration', ...groups]
    .filter((name) => metrics[name]?.values.count !== 0)
    .map((metric) => {
      const values = metrics[metric]?.values ?? {};
      return {
        metric,
        p50: round(values.med),
        p95: round(values['p(95)']),
        p99: round(values['p(99)']),
        max: round(values.max),
      };
    });
  return {
    requests: metrics.http_reqs?.values.count ?? 0,
    requestsPerSecond: round(metrics.http_reqs?.values.rate) ?? 0,
    iterations: metrics.iterations?.values.count ?? 0,
    failedRate: metrics.http_req_failed?.values.rate ?? null,
    checksRate: metrics.checks?.values.rate ?? null,
    latency,
  };
}
