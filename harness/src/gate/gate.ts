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

/**
 * In CI (CI=true) the browser flow must run: a machine without a browser fails
 * the gate there, while on a laptop it is a loud skip and a report warning.
 */
export const ciThresholds: readonly string[] = ['browser_flow_skipped=count==0'];

/** CI=true or CI=1, as CI services set it. */
export const inCi = (env: NodeJS.ProcessEnv = process.env): boolean =>
  ['true', '1'].includes((env.CI ?? '').toLowerCase());

/** With the load: its profile's k6 thresholds (loadtests/lib/thresholds.ts) and nothing lost. */
export const loadDefaults = (profile: string): string[] => [
  'tasks_lost=count==0',
  'load_stopped_early=count==0',
  ...Object.entries(thresholdsFor(profile)).flatMap(([metric, expressions]) =>
    expressions.map((expression) => `${metric}=${expression}`),
  ),
];

/** k6's metrics and what the harness measures of the same requests outside the drills. */
const steadyNames: Record<string, string> = {
  http_req_duration: 'steady_req_duration',
  http_req_failed: 'steady_req_failed',
  checks: 'steady_checks',
};

/**
 * With fault drills: the load's thresholds hold for its steady state (every
 * request outside the drills' windows, judged by the harness from k6's
 * request log), and each drill is held to its own.
 */
export const steadyDefaults = (profile: string): string[] =>
  loadDefaults(profile).map((entry) => {
    const base = /^[a-z_]+/.exec(entry)?.[0] ?? '';
    return steadyNames[base] ? `${steadyNames[base]}${entry.slice(base.length)}` : entry;
  });

/** Metrics only the load measures. */
const needsLoad = (threshold: Threshold) => {
  const info = metricInfo(threshold.metric);
  return info?.source === 'k6' || info?.afterLoad === true || info?.faults === true;
};
const needsFaults = (threshold: Threshold) => metricInfo(threshold.metric)?.faults === true;

/**
 * Defaults (with the load's when `load` names its profile, the drills'
 * when `drills` lists their thresholds, and CI's when `ci`), then SIM_THRESHOLDS (less what the run
 * does not measure), then --threshold flags; a metric named in a later layer
 * replaces the earlier layers' thresholds for it. Throws ThresholdError (one
 * line for the user) on the first bad entry.
 */
export function resolveThresholds(options: {
  flags?: string[];
  env?: string;
  load: string | null;
  /** The drills' default thresholds; null: no drills. */
  drills?: string[] | null;
  /** A CI run: the browser flow is held to have run (ciThresholds). */
  ci?: boolean;
}): Threshold[] {
  const drills = options.load ? (options.drills ?? null) : null;
  const defaults = [
    ...defaultThresholds,
    ...(options.ci ? ciThresholds : []),
    ...(options.load && drills ? [...steadyDefaults(options.load), ...drills] : []),
    ...(options.load && !drills ? loadDefaults(options.load) : []),
  ];
  // SIM_THRESHOLDS is standing configuration: what this run does not measure does not apply.
  const fromEnv = parseThresholdList(options.env);
  fromEnv.forEach(validateThreshold);
  const applicable = fromEnv.filter(
    (threshold) => (options.load || !needsLoad(threshold)) && (drills || !needsFaults(threshold)),
  );
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
  const undrilled = drills ? undefined : thresholds.find(needsFaults);
  if (undrilled) {
    throw new ThresholdError(
      `threshold ${undrilled.metric}=${undrilled.expression}: the fault drills measure it; add --faults`,
    );
  }
  return thresholds;
}

/**
 * The thresholds k6 itself runs with (so it reports their submetrics and can
 * abort early). k6 reports a submetric only when a threshold names it: one a
 * relative objective needs gets a threshold that always holds.
 */
export function k6Thresholds(
  thresholds: Threshold[],
  relative: { metric: string; aggregation: string }[] = [],
): Record<string, string[]> {
  const byMetric: Record<string, string[]> = {};
  for (const threshold of thresholds) {
    if (metricInfo(threshold.metric)?.source !== 'k6') continue;
    (byMetric[threshold.metric] ??= []).push(threshold.expression);
  }
  for (const objective of relative) {
    if (metricInfo(objective.metric)?.source !== 'k6' || byMetric[objective.metric]) continue;
    byMetric[objective.metric] = [`${objective.aggregation}>=0`];
  }
  return byMetric;
}

/** Percentiles the thresholds and relative objectives name, for k6's summary to report them. */
export const trendStats = (thresholds: { aggregation: string }[]): string[] => [
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
