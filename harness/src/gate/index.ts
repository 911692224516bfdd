// The gate: which thresholds a run is held to, and whether it met them.
import { validateThreshold, type Metrics, type ThresholdResult } from './metrics.ts';
import { mergeThresholds, parseThreshold, parseThresholdList, type Threshold } from './thresholds.ts';

export { Metrics, metricCatalogue, percentile, type MetricInfo, type ThresholdResult } from './metrics.ts';
export { ThresholdError, parseThreshold, type Threshold } from './thresholds.ts';

/** What `npm run sim` holds a release to unless told otherwise. */
export const defaultThresholds: readonly string[] = [
  'scenarios_failed=count==0',
  'checks=rate==1',
  'http_req_failed=rate<0.01',
  'http_req_duration=p(95)<500',
  'http_req_duration=p(99)<1500',
  'service_restarts=count==0',
  'service_oom_kills=count==0',
  'service_startup=max<60',
];

/**
 * Defaults, then SIM_THRESHOLDS, then --threshold flags; a metric named in a
 * later layer replaces the earlier layers' thresholds for it. Throws
 * ThresholdError (one line for the user) on the first bad entry.
 */
export function resolveThresholds(options: { flags?: string[]; env?: string }): Threshold[] {
  const thresholds = mergeThresholds(
    defaultThresholds.map(parseThreshold),
    parseThresholdList(options.env),
    (options.flags ?? []).map(parseThreshold),
  );
  thresholds.forEach(validateThreshold);
  return thresholds;
}

export interface GateResult {
  ok: boolean;
  thresholds: ThresholdResult[];
}

export function judge(metrics: Metrics, thresholds: Threshold[]): GateResult {
  const results = thresholds.map((threshold) => metrics.evaluate(threshold));
  return { ok: results.every((result) => result.ok), thresholds: results };
}
