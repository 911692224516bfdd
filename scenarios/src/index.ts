// What the harness runs: each scenario takes a base URL (and optional credentials) only.
export { browserCandidates, chromiumMissingFor, findChromium, launchChromium } from './browser/chromium.ts';
export { runBrowserFlow, type BrowserFlowOptions, type BrowserFlowResult } from './browser/flow.ts';
export type { StepResult } from './browser/session.ts';
export { StepFailed } from './steps/index.ts';
export type { AccessibilityResult } from './browser/accessibility.ts';
export {
  apiScenarioNames,
  runApiScenarios,
  smokeScenarioNames,
  type ApiScenarioOptions,
  type HttpSample,
  type ScenarioFetch,
  type ScenarioResult,
  type ScenarioStep,
} from './api/index.ts';
