import { crossSiteRefused } from './cross-site.ts';
import { forgedCredentialsRefused } from './forged-credentials.ts';
import { idempotentCreate } from './idempotency.ts';
import { invalidInputNamesField } from './invalid-input.ts';
import { userJourney } from './journey.ts';
import { massAssignmentRefused } from './mass-assignment.ts';
import { otherUsersDataOutOfReach } from './other-users-data.ts';
import { otherUsersTaskNotFound, unauthenticatedRefused } from './refusals.ts';
import type { HttpSample, ScenarioResult } from './results.ts';
import { StepFailed } from '../steps/index.ts';
import { ScenarioRun, type ApiScenario, type ApiScenarioOptions } from './scenario.ts';
import { securityHeadersEverywhere } from './security-headers.ts';
import { signInLockout } from './sign-in-lockout.ts';

// In this order. The lockout runs last: it spends sign-ins from this address,
// which the per-address limit (RATE_LIMIT_AUTH_MAX) also counts.
const scenarios: readonly ApiScenario[] = [
  userJourney,
  unauthenticatedRefused,
  otherUsersTaskNotFound,
  invalidInputNamesField,
  idempotentCreate,
  otherUsersDataOutOfReach,
  massAssignmentRefused,
  crossSiteRefused,
  forgedCredentialsRefused,
  securityHeadersEverywhere,
  signInLockout,
];

/** The security scenarios: a stranger's attempts, each a few more sign-ups. */
const securityScenarios: readonly ApiScenario[] = [
  otherUsersDataOutOfReach,
  massAssignmentRefused,
  crossSiteRefused,
  forgedCredentialsRefused,
  securityHeadersEverywhere,
];

export const apiScenarioNames: readonly string[] = scenarios.map((scenario) => scenario.name);

/**
 * After a deploy, against production: every scenario but the lockout, which
 * locks an account on purpose, and the security scenarios; together they
 * spend more sign-ins from one address than production's per-address limit
 * (RATE_LIMIT_AUTH_MAX, 10 a minute) allows. These make 7 sign-ups and sign-ins.
 */
export const smokeScenarioNames: readonly string[] = apiScenarioNames.filter(
  (name) => name !== signInLockout.name && !securityScenarios.some((scenario) => scenario.name === name),
);

/**
 * Runs every API scenario, one after another, against `baseUrl`. Never throws:
 * a failed step is recorded, ends its scenario, and the next scenario runs.
 */
export async function runApiScenarios(
  options: ApiScenarioOptions,
): Promise<{ scenarios: ScenarioResult[]; requests: HttpSample[] }> {
  const requests: HttpSample[] = [];
  const results: ScenarioResult[] = [];
  const badUrl = invalidBaseUrl(options.baseUrl);
  const chosen = options.only
    ? scenarios.filter((scenario) => options.only?.includes(scenario.name))
    : scenarios;
  for (const scenario of chosen) {
    if (badUrl) {
      results.push({ name: scenario.name, ok: false, durationMs: 0, steps: [], error: badUrl });
      continue;
    }
    results.push(await runScenario(scenario, options, requests));
  }
  return { scenarios: results, requests };
}

async function runScenario(
  scenario: ApiScenario,
  options: ApiScenarioOptions,
  requests: HttpSample[],
): Promise<ScenarioResult> {
  const run = new ScenarioRun(scenario.name, options, requests);
  const started = performance.now();
  let error: string | undefined;
  try {
    await scenario.run(run);
  } catch (thrown) {
    error =
      thrown instanceof StepFailed
        ? `${thrown.step}: ${thrown.message}`
        : `between steps: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
  }
  return {
    name: scenario.name,
    ok: error === undefined && run.steps.every((step) => step.ok),
    durationMs: Math.round(performance.now() - started),
    steps: run.steps,
    ...(error === undefined ? {} : { error }),
  };
}

function invalidBaseUrl(baseUrl: string): string | undefined {
  try {
    const { protocol } = new URL(baseUrl);
    if (protocol === 'http:' || protocol === 'https:') return undefined;
  } catch {
    // reported below
  }
  return `base URL: "${baseUrl}" is not an http(s) URL such as http://localhost:8080`;
}
