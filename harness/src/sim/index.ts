export { rehearsalDefaults, runSim, type SimOptions } from './run.ts';
export type { SimLoad } from './load.ts';
export { buildImagesPhase, startFailure } from './phases.ts';
export { startStandaloneRehearsal } from './standalone.ts';
export { listenForInterrupts } from './signals.ts';
export { RunFailure } from './failure.ts';
