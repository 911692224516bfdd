// The load over time, from k6's log of every request: per period, how many
// requests ended, how many failed and how slow they were (p50, p95). The
// report charts it; the fault drills are drawn on the same time axis.
import { percentile } from '../gate/index.ts';

export interface SeriesRequest {
  /** Epoch ms the request ended. */
  at: number;
  ms: number;
  failed: boolean;
}

export interface LoadSeriesPoint {
  /** Epoch ms the period began. */
  at: number;
  requests: number;
  requestsPerSecond: number;
  failed: number;
  /** null: no request ended in the period. */
  p50Ms: number | null;
  p95Ms: number | null;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** The report's periods. */
export const seriesPeriodMs = 5_000;

/** Requests in periods of `periodMs` from the first one; a quiet period is a point with no requests. */
export function loadSeries(requests: readonly SeriesRequest[], periodMs = seriesPeriodMs): LoadSeriesPoint[] {
  if (!requests.length) return [];
  const first = requests.reduce((min, r) => Math.min(min, r.at), Infinity);
  const last = requests.reduce((max, r) => Math.max(max, r.at), -Infinity);
  // Sparse: a period in which no request ended is a hole.
  const periods: (SeriesRequest[] | undefined)[] = [];
  for (const request of requests) (periods[Math.floor((request.at - first) / periodMs)] ??= []).push(request);
  return Array.from(periods, (inPeriod, index) => {
    const period = inPeriod ?? [];
    const sorted = period.map((r) => r.ms).sort((a, b) => a - b);
    const at = first + index * periodMs;
    // The last period ends with the last request, not a full period later.
    const lengthMs = Math.max(Math.min(periodMs, last - at), 1_000);
    return {
      at,
      requests: period.length,
      requestsPerSecond: round1(period.length / (lengthMs / 1000)),
      failed: period.filter((r) => r.failed).length,
      p50Ms: sorted.length ? round1(percentile(sorted, 50)) : null,
      p95Ms: sorted.length ? round1(percentile(sorted, 95)) : null,
    };
  });
}
