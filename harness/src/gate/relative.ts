// Objectives relative to the last good run, as Keptn's quality gates write
// them: `http_req_duration{group:tasks:list}=p(95)<=+10%` fails when the p95
// grew by more than 10% over the baseline's; `p(95)<=+25%/+50%` passes up to
// +25%, warns up to +50%, fails beyond. `>=-10%` is the same for a figure that
// must not fall (requests per second). Without a baseline nothing is compared
// and nothing fails.
import { metricInfo, validateThreshold, type Metrics } from './metrics.ts';
import { ThresholdError, normaliseTags, type Aggregation } from './thresholds.ts';

export interface RelativeObjective {
  metric: string;
  /** As written: `p(95)<=+25%/+50%`. */
  expression: string;
  aggregation: Aggregation;
  /** 1: a rise is worse (latency, failures); -1: a fall is worse (throughput). */
  worse: 1 | -1;
  /** Up to this change (percent, in the worse direction) it passes; beyond it, a warning. null: no warning band. */
  warnPercent: number | null;
  /** Beyond this change it fails. */
  failPercent: number;
}

export type ComparisonVerdict = 'pass' | 'warning' | 'fail' | 'no baseline';

export interface Comparison {
  metric: string;
  expression: string;
  /** This run's value; null: not measured. */
  measured: number | null;
  /** The baseline's value; null: no baseline, or it did not measure this. */
  baseline: number | null;
  /** (measured - baseline) / baseline, in percent. */
  changePercent: number | null;
  unit: string;
  verdict: ComparisonVerdict;
  /** Why nothing was compared, or why a change within the bands was let pass. */
  note?: string;
}

/**
 * Latency changes smaller than this pass whatever their percentage: a p95 of
 * 8 ms that becomes 11 ms is +38% and still run-to-run noise on a laptop.
 */
export const noiseFloorMs = 5;

const expressionPattern =
  /^\s*(avg|min|max|med|rate|p\((\d+(?:\.\d+)?)\))\s*(<=|>=)\s*([+-]\d+(?:\.\d+)?)%(?:\s*\/\s*([+-]\d+(?:\.\d+)?)%)?\s*$/;

/** `NAME=EXPR` as --relative takes it; throws ThresholdError naming what is wrong. */
export function parseRelative(entry: string): RelativeObjective {
  const at = entry.indexOf('=');
  const metric = at > 0 ? normaliseTags(entry.slice(0, at).trim()) : '';
  const expression = entry.slice(at + 1).replace(/\s+/g, '');
  const match = expressionPattern.exec(expression);
  if (!metric || !match) {
    throw new ThresholdError(
      `relative objective "${entry}": expected NAME=AGGREGATION<=+N% or NAME=AGGREGATION<=+WARN%/+FAIL%, e.g. http_req_duration{group:tasks:list}=p(95)<=+10%`,
    );
  }
  const [, name = '', percentile, operator, first = '', second] = match;
  const worse = operator === '<=' ? 1 : -1;
  const bands = [first, second].filter((band) => band !== undefined).map(Number);
  if (bands.some((band) => Math.sign(band) !== worse || band === 0)) {
    throw new ThresholdError(
      `relative objective "${entry}": ${operator} takes ${worse === 1 ? 'rises (+N%)' : 'falls (-N%)'} above zero`,
    );
  }
  const [warn, fail] = bands.length === 2 ? (bands as [number, number]) : [null, bands[0] as number];
  if (warn !== null && Math.abs(warn) >= Math.abs(fail)) {
    throw new ThresholdError(
      `relative objective "${entry}": the warning band (${warn}%) must be within the failing one (${fail}%)`,
    );
  }
  const aggregation = (percentile === undefined ? name : `p(${Number(percentile)})`) as Aggregation;
  validateThreshold({ metric, expression, aggregation, operator: '<', target: 0 });
  return {
    metric,
    expression,
    aggregation,
    worse,
    warnPercent: warn === null ? null : Math.abs(warn),
    failPercent: Math.abs(fail),
  };
}

/**
 * The load's default bands: a warning from half as slow again, a failure at
 * twice as slow. Narrower ones flap: nine identical default runs on the
 * two-core machine measured sign-in's p95 from 92 to 170 ms, two in a row
 * 112 then 156 ms (+39%) (docs/example-report/ and README, "Compared with the
 * last good run"). `--relative` sets tighter ones where a metric is steadier.
 */
export const defaultBands = '<=+50%/+100%';

/**
 * A load's defaults: the p95 of every request and of each endpoint group
 * (defaultBands). The smoke profile (one user, a few visits) measures too few
 * requests for a p95 worth comparing: none there.
 */
export function relativeDefaults(options: {
  profile: string | null;
  drills: boolean;
  groups: readonly string[];
}): string[] {
  if (!options.profile || options.profile === 'smoke') return [];
  // With drills the load's figures include the faults: its steady state is what compares.
  if (options.drills) return [`steady_req_duration=p(95)${defaultBands}`];
  return [
    `http_req_duration=p(95)${defaultBands}`,
    ...options.groups.map((group) => `http_req_duration{group:${group}}=p(95)${defaultBands}`),
  ];
}

/** Defaults, then --relative flags; a metric named by a flag replaces the defaults for it. */
export function resolveRelative(defaults: string[], flags: string[]): RelativeObjective[] {
  const named = flags.map(parseRelative);
  const replaced = new Set(named.map((objective) => objective.metric));
  return [...defaults.map(parseRelative).filter((objective) => !replaced.has(objective.metric)), ...named];
}

/** Milliseconds to a tenth (as the report shows latency), anything else to a thousandth. */
const rounder = (unit: string) => (value: number) =>
  unit === 'ms' ? Math.round(value * 10) / 10 : Math.round(value * 1000) / 1000;

/** One objective: this run's value against the baseline's (`baselineValue`, null when it has none). */
export function compareWithBaseline(
  objective: RelativeObjective,
  measured: number | null,
  baseline: number | null | undefined,
): Comparison {
  const unit = metricInfo(objective.metric)?.unit ?? '';
  const round = rounder(unit);
  const base = { metric: objective.metric, expression: objective.expression, unit };
  const shown = { measured: measured === null ? null : round(measured) };
  if (baseline === undefined)
    return { ...base, ...shown, baseline: null, changePercent: null, verdict: 'no baseline' };
  if (baseline === null || measured === null || baseline === 0) {
    const note =
      baseline === null
        ? 'the baseline did not measure it'
        : measured === null
          ? 'this run did not measure it'
          : 'the baseline measured 0';
    return { ...base, ...shown, baseline, changePercent: null, verdict: 'no baseline', note };
  }
  const changePercent = Math.round(((measured - baseline) / baseline) * 1000) / 10;
  const worse = changePercent * objective.worse;
  const compared = { ...base, ...shown, baseline: round(baseline), changePercent };
  if (
    unit === 'ms' &&
    Math.abs(measured - baseline) < noiseFloorMs &&
    worse > (objective.warnPercent ?? objective.failPercent)
  )
    return { ...compared, verdict: 'pass', note: `within ${noiseFloorMs} ms of the baseline` };
  if (worse <= (objective.warnPercent ?? objective.failPercent)) return { ...compared, verdict: 'pass' };
  return { ...compared, verdict: worse <= objective.failPercent ? 'warning' : 'fail' };
}

/** Every objective against the baseline's values (`baselineValue` gives one; undefined: there is no baseline). */
export function compareRun(
  objectives: RelativeObjective[],
  metrics: Metrics,
  baselineValue: ((objective: RelativeObjective) => number | null) | undefined,
): Comparison[] {
  return objectives.map((objective) =>
    compareWithBaseline(
      objective,
      metrics.measure(objective.metric, objective.aggregation),
      baselineValue?.(objective),
    ),
  );
}
