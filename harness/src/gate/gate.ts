// The gate: which thresholds a run is held to, and whether it met them.
import { thresholdsFor } from '@todo/loadtests/thresholds';
import { metricInfo, validateThreshold, type Metrics, type ThresholdResult } from './metrics.ts';
import {
  ThresholdError,
  mergeThresholds,
  parseThreshold,
  parseThresholdList,
  type Threshold,
} from './thresholds.ts';

/** What `npm run sim` holds every release to: the scenarios and the services. */
export const defaultThresholds: readonly string[] = [
  'scenarios_failed=count==0',
  'scenario_checks=rate==1',
  'scenario_req_failed=rate==0',
  'scenario_req_duration=p(95)<500',
  'service_restarts=count==0',
  'service_oom_kills=count==0',
  'service_memory=max<0.9',
  'service_startup=max<60',
];

/** With the load: its profile's k6 thresholds (loadtests/lib/thresholds.ts) and nothing lost. */
export const loadDefaults = (profile: string): string[] => [
  'tasks_lost=count==0',
  'load_stopped_early=count==0',
  ...Object.entries(thresholdsFor(profile)).flatMap(([metric, expressions]) =>
    expressions.map((expression) => `${metric}=${expression}`),
  ),
];

/** Metrics only the load measures. */
const needsLoad = (threshold: Threshold) => {
  const info = metricInfo(threshold.metric);
  return info?.source === 'k6' || info?.afterLoad === true;
};

/**
 * Defaults (with the load's when `load` names its profile), then SIM_THRESHOLDS
 * (less its load thresholds when there is no load), then --threshold flags; a metric named in a later layer replaces the earlier
 * layers' thresholds for it. Throws ThresholdError (one line for the user) on
 * the first bad entry.
 */
export function resolveThresholds(options: {
  flags?: string[];
  env?: string;
  load: string | null;
}): Threshold[] {
  const defaults = [...defaultThresholds, ...(options.load ? loadDefaults(options.load) : [])];
  // SIM_THRESHOLDS is standing configuration: without the load, its load thresholds do not apply.
  const fromEnv = parseThresholdList(options.env);
  fromEnv.forEach(validateThreshold);
  const applicable = fromEnv.filter((threshold) => options.load || !needsLoad(threshold));
  const thresholds = mergeThresholds(
    defaults.map(parseThreshold),
    applicable,
    (options.flags ?? []).map(parseThreshold),
  );
  thresholds.forEach(validateThreshold);
  const orphan = options.load ? undefined : thresholds.find(needsLoad);
  if (orphan) {
    throw new ThresholdError(
      `threshold ${orphan.metric}=${orphan.expression}: the load measures it, and --no-load turns the load off`,
    );
  }
  return thresholds;
}

/** The thresholds k6 itself runs with (so it reports their submetrics and can abort early). */
export function k6Thresholds(thresholds: Threshold[]): Record<string, string[]> {
  const byMetric: Record<string, string[]> = {};
  for (const threshold of thresholds) {
    if (metricInfo(threshold.metric)?.source !== 'k6') continue;
    (byMetric[threshold.metric] ??= []).push(threshold.expression);
  }
  return byMetric;
}

/** Percentiles the thresholds name, for k6's summary to report them. */
export const trendStats = (thresholds: Threshold[]): string[] => [
  ...new Set(thresholds.map((t) => t.aggregation).filter((a) => a.startsWith('p('))),
];

export interface GateResult {
  ok: boolean;
  thresholds: ThresholdResult[];
}

export function judge(metrics: Metrics, thresholds: Threshold[]): GateResult {
  const results = thresholds.map((threshold) => metrics.evaluate(threshold));
  return { ok: results.every((result) => result.ok), thresholds: results };
}
