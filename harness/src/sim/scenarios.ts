// Runs the user flows against a base URL and turns them into report records and
// gate metrics: every request a duration and a failed-or-not, every step a check.
import { join } from 'node:path';
import {
  findChromium,
  runApiScenarios,
  runBrowserFlow,
  StepFailed,
  type ScenarioFetch,
} from '@todo/scenarios';
import type { Metrics } from '../gate/index.ts';
import type { ScenarioRecord } from '../report/index.ts';

export interface ScenarioRunOptions {
  baseUrl: string;
  fetch: ScenarioFetch;
  metrics: Metrics;
  /** Where the browser flow's screenshots go. */
  artefactsDir: string;
  /** off: API scenarios only; auto: the browser flow too when Chromium is installed. */
  browser: 'auto' | 'off';
  onProgress: (line: string) => void;
  /** The stack's RATE_LIMIT_SIGNIN_FAILURES_MAX: the lockout scenario expects the account locked after it. */
  signInFailuresMax: number;
}

async function browserScenario(options: ScenarioRunOptions): Promise<ScenarioRecord> {
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
  if (!findChromium()) {
    return {
      name,
      kind: 'browser',
      ok: true,
      skipped: 'Chromium not found (npm run provision installs it)',
      durationMs: 0,
      steps: [],
    };
  }
  const started = performance.now();
  const dir = join(options.artefactsDir, 'browser-flow');
  try {
    options.onProgress('browser flow: starting Chromium');
    const result = await runBrowserFlow({ baseUrl: options.baseUrl, artefactsDir: dir });
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

/** The API scenarios, then the browser flow; never throws for a failing flow. */
export async function runScenarios(options: ScenarioRunOptions): Promise<ScenarioRecord[]> {
  const { metrics } = options;
  const api = await runApiScenarios({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    signInFailuresMax: options.signInFailuresMax,
    onStep: (scenario, step) => {
      options.onProgress(`${scenario}: ${step}`);
    },
  });
  for (const request of api.requests) {
    const tags = { group: request.group, scenario: request.scenario };
    metrics.trend('scenario_req_duration', request.durationMs, tags);
    metrics.rate('scenario_req_failed', !request.ok, tags);
  }
  const records: ScenarioRecord[] = api.scenarios.map((scenario) => ({ ...scenario, kind: 'api' }));
  records.push(await browserScenario(options));
  for (const record of records) {
    for (const step of record.steps) metrics.rate('scenario_checks', step.ok, { scenario: record.name });
    metrics.count('scenarios_failed', record.ok ? 0 : 1, { scenario: record.name });
  }
  return records;
}
