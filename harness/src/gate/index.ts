export {
  ciThresholds,
  defaultThresholds,
  inCi,
  judge,
  k6Thresholds,
  loadDefaults,
  resolveThresholds,
  steadyDefaults,
  trendStats,
  type GateResult,
} from './gate.ts';
export { metricCatalogue, type MetricInfo } from './catalogue.ts';
export { Metrics, metricInfo, percentile, type K6MetricValues, type ThresholdResult } from './metrics.ts';
export { ThresholdError, parseThreshold, type Threshold } from './thresholds.ts';
export {
  compareRun,
  noiseFloorMs,
  parseRelative,
  relativeDefaults,
  resolveRelative,
  type Comparison,
  type ComparisonVerdict,
  type RelativeObjective,
} from './relative.ts';
