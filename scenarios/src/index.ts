// What the harness runs: each scenario takes a base URL (and optional credentials) only.
export { chromiumMissing, findChromium, launchChromium } from './browser/chromium.ts';
export { runBrowserFlow, type BrowserFlowOptions, type BrowserFlowResult } from './browser/flow.ts';
export { StepFailed, type StepResult } from './browser/session.ts';
export type { AccessibilityResult } from './browser/accessibility.ts';
export {
  apiScenarioNames,
  runApiScenarios,
  type ApiScenarioOptions,
  type HttpSample,
  type ScenarioFetch,
  type ScenarioResult,
  type ScenarioStep,
} from './api/index.ts';
