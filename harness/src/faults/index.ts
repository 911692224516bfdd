// Production's bad days, rehearsed under load: the fault drills, when they run,
// and what the load's requests say about each.
export {
  drillNames,
  type BackendPod,
  type KubernetesDrillStack,
  type ReleaseImage,
  type Drill,
  type DrillCheck,
  type DrillName,
  type Episode,
} from './drill.ts';
export { drills } from './drills/index.ts';
export {
  judgeFaults,
  settleMs,
  windowsOf,
  type DrillRecord,
  type FaultsRecord,
  type JudgedFaults,
} from './judge.ts';
export { drillVerdicts, measureFaults, type DrillVerdict } from './measure.ts';
export { runDrills, type DrillRun, type DrillsDone } from './run.ts';
export { DrillsFailed, runLoadWithDrills } from './under-load.ts';
export { drillThresholds, planDrills, platformDrills, quietBeforeMs, type DrillPlan } from './schedule.ts';
