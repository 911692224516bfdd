// The scenarios phase: the user flows against the rehearsal's URL, as report
// records, with every request they made (the gate's scenario_* metrics).
import { join } from 'node:path';
import {
  chromiumMissingFor,
  findChromium,
  runApiScenarios,
  runBrowserFlow,
  StepFailed,
  type HttpSample,
  type ScenarioFetch,
} from '@todo/scenarios';
import type { ScenarioRecord } from '../report/index.ts';
import type { Phase } from '../pipeline/index.ts';

export interface ScenarioRunOptions {
  baseUrl: string;
  fetch: ScenarioFetch;
  /** The same stack from another client address (the lockout and security scenarios need one). */
  fetchFromAnotherAddress?: ScenarioFetch;
  /** Where the browser flow's screenshots go. */
  artefactsDir: string;
  /** off: API scenarios only; auto: the browser flow too when Chromium is installed. */
  browser: 'auto' | 'off';
  /** The stack's RATE_LIMIT_SIGNIN_FAILURES_MAX: the lockout scenario expects the account locked after it. */
  signInFailuresMax: number;
  /** Only these API scenarios (the smoke after a deploy); all of them by default. */
  only?: readonly string[];
}

export interface ScenarioOutcome {
  records: ScenarioRecord[];
  /** Every request the API scenarios made. */
  requests: HttpSample[];
}

/** The browser flow as a record: skipped (and why) when turned off or Chromium is missing. */
export async function browserScenario(
  options: Pick<ScenarioRunOptions, 'baseUrl' | 'artefactsDir' | 'browser'>,
  onProgress: (line: string) => void,
): Promise<ScenarioRecord> {
  const name = 'browser flow';
  if (options.browser === 'off') {
    return {
      name,
      kind: 'browser',
      ok: true,
      skipped: 'turned off (--no-browser)',
      durationMs: 0,
      steps: [],
    };
  }
  const chromiumPath = findChromium();
  if (!chromiumPath) {
    // Not a silent pass: the report carries browser_flow_skipped, which fails the gate in CI.
    const why = chromiumMissingFor();
    onProgress(`browser flow: SKIPPED, ${why}`);
    return {
      name,
      kind: 'browser',
      ok: true,
      skipped: `no browser (${why})`,
      noBrowser: true,
      durationMs: 0,
      steps: [],
    };
  }
  const started = performance.now();
  const dir = join(options.artefactsDir, 'browser-flow');
  try {
    onProgress('browser flow: starting Chromium');
    const result = await runBrowserFlow({ baseUrl: options.baseUrl, artefactsDir: dir, chromiumPath });
    const steps = result.steps.map((step) => ({ name: step.name, ok: true, durationMs: step.ms }));
    const problems = [
      ...result.consoleErrors.map((line) => `console error: ${line}`),
      ...result.accessibility
        .filter((page) => page.blocking.length > 0)
        .map(
          (page) =>
            `accessibility: ${page.page} has ${page.blocking.length} serious or critical violation(s)`,
        ),
    ];
    if (problems.length)
      steps.push({
        name: 'no console errors or blocking accessibility violations',
        ok: false,
        durationMs: 0,
      });
    return {
      name,
      kind: 'browser',
      ok: problems.length === 0,
      durationMs: Math.round(performance.now() - started),
      steps: steps.map((step) => (step.ok ? step : { ...step, error: problems.join('; ') })),
      ...(problems.length ? { error: problems.join('; ') } : {}),
    };
  } catch (error) {
    const step = error instanceof StepFailed ? error.step : 'start';
    const message = (error as Error).message;
    return {
      name,
      kind: 'browser',
      ok: false,
      durationMs: Math.round(performance.now() - started),
      steps: [{ name: step, ok: false, durationMs: 0, error: message }],
      error: `${step}: ${message}`,
    };
  }
}

/** The API scenarios, then the browser flow; a failing flow is a record, never a throw. */
export async function runScenarioRecords(
  options: ScenarioRunOptions,
  output: (line: string) => void,
): Promise<ScenarioOutcome> {
  const api = await runApiScenarios({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    ...(options.fetchFromAnotherAddress ? { fetchFromAnotherAddress: options.fetchFromAnotherAddress } : {}),
    signInFailuresMax: options.signInFailuresMax,
    ...(options.only ? { only: options.only } : {}),
    onStep: (scenario, step) => {
      output(`${scenario}: ${step}`);
    },
  });
  const records: ScenarioRecord[] = api.scenarios.map((scenario) => ({ ...scenario, kind: 'api' }));
  records.push(await browserScenario(options, output));
  return { records, requests: api.requests };
}

export const describeScenarios = (records: ScenarioRecord[]): string => {
  const failed = records.filter((s) => !s.ok).length;
  const skipped = records.filter((s) => s.skipped).length;
  return `${records.length - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
};

export const scenariosPhase: Phase<ScenarioRunOptions, ScenarioOutcome> = {
  name: 'scenarios',
  run: runScenarioRecords,
  detail: ({ records }) => describeScenarios(records),
};
