export {
  abortedEarly,
  acknowledgedWrites,
  findK6,
  k6Missing,
  loadProfiles,
  runK6,
  type K6Summary,
  type LoadOptions,
  type LoadProfile,
  type LoadResult,
} from './k6.ts';
export { reconcile, type Reconciliation, type Writes } from './reconcile.ts';
export { describeReconciliation, runLoad, tasksLost, type LoadOutcome } from './run.ts';
export { loadFigures, type LatencyRow, type LoadFigures } from './summary.ts';
