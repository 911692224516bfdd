export { runSim } from './run.ts';
export type { SimLoad, SimOptions } from './setup.ts';
export {
  browserScenario,
  describeScenarios,
  runScenarioRecords,
  type ScenarioOutcome,
} from './scenarios-phase.ts';
