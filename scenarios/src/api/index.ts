// API scenarios: user flows written against a base URL only, so the same code
// runs against the developer stack, the rehearsal and a deployed URL.
export { apiScenarioNames, runApiScenarios, smokeScenarioNames } from './run.ts';
export type { ApiScenarioOptions } from './scenario.ts';
export type { ScenarioFetch } from './client.ts';
export type { HttpSample, ScenarioResult, ScenarioStep } from './results.ts';
