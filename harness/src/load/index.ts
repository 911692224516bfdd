export {
  abortedEarly,
  loadProfiles,
  runK6,
  writeLog,
  type K6Summary,
  type LoadOptions,
  type LoadProfile,
  type LoadResult,
} from './k6.ts';
export {
  containerDatabase,
  reconcile,
  type Mismatch,
  type Reconciliation,
  type TaskDatabase,
} from './reconcile.ts';
export { describeReconciliation, runLoad, tasksLost, type LoadOutcome } from './run.ts';
export { loadFigures, type LatencyRow, type LoadFigures } from './summary.ts';
export { describeStalls, watchStalls, type MachineStall, type StallWatch } from './stalls.ts';
export {
  expectations,
  parseWriteLog,
  type Expectation,
  type Outcome,
  type TaskState,
  type WriteEvent,
  type WriteLog,
} from './writes.ts';
export { loadSeries, seriesPeriodMs, type LoadSeriesPoint, type SeriesRequest } from './series.ts';
export { readLoadSamples, type CheckSample, type LoadSamples, type RequestSample } from './requests.ts';
export { findK6, k6FromImage, k6Image, k6Missing, localK6, resolveK6, type K6Runner } from './k6-runner.ts';
