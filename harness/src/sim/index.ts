export { runSim } from './run.ts';
export { kindOfRun, type SimLoad, type SimOptions } from './setup.ts';
export {
  browserScenario,
  describeScenarios,
  runScenarioRecords,
  type ScenarioOutcome,
} from './scenarios-phase.ts';
