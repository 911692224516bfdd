export { runSim } from './run.ts';
export type { SimLoad, SimOptions } from './setup.ts';
export { describeScenarios, runScenarioRecords, type ScenarioOutcome } from './scenarios-phase.ts';
