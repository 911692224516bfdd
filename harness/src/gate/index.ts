export {
  defaultThresholds,
  judge,
  k6Thresholds,
  loadDefaults,
  resolveThresholds,
  trendStats,
  type GateResult,
} from './gate.ts';
export {
  Metrics,
  metricCatalogue,
  metricInfo,
  percentile,
  type K6MetricValues,
  type MetricInfo,
  type ThresholdResult,
} from './metrics.ts';
export { ThresholdError, parseThreshold, type Threshold } from './thresholds.ts';
