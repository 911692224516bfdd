export { rehearsalDefaults, runSim, type SimOptions } from './run.ts';
export { buildImagesPhase } from './phases.ts';
export { RunFailure } from './failure.ts';
