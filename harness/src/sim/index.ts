export { runSim } from './run.ts';
export type { SimLoad, SimOptions } from './setup.ts';
