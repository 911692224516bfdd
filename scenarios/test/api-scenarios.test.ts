import { freePort, startLocalStack, type StartedLocalStack } from '@todo/harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiScenarioNames, runApiScenarios } from '../src/index.ts';

// Against BASE_URL when set (the developer stack, the rehearsal, a deployed
// URL); otherwise against the app started here from this checkout. Vitest sets
// BASE_URL to Vite's base ("/"), so only an absolute URL counts.
const given = /^https?:\/\//.test(process.env.BASE_URL ?? '') ? process.env.BASE_URL : undefined;
const lockoutScenario = 'repeated bad sign-ins are rate-limited';
// The local stack serves the SPA's files without the frontend image's web server and
// its headers: the headers scenario runs against the rehearsal (npm run sim) and a given URL.
const headersScenario = 'every answer carries the security headers';
const expectedNames = given ? apiScenarioNames : apiScenarioNames.filter((name) => name !== headersScenario);
// Many sign-ups from one address: the per-address limit (10 a minute) would refuse a second run.
const generousAuthLimit = { RATE_LIMIT_AUTH_MAX: '1000' };

type Run = Awaited<ReturnType<typeof runApiScenarios>>;
const failures = (run: Run) => run.scenarios.filter((scenario) => !scenario.ok);

describe('the API scenarios', () => {
  let stack: StartedLocalStack | undefined;
  let run: Run;
  const started: string[] = [];

  beforeAll(async () => {
    stack = given ? undefined : await startLocalStack({ frontend: false, backendEnv: generousAuthLimit });
    // A given stack may lock accounts after another number of failures than the default 5.
    const max = given ? process.env.RATE_LIMIT_SIGNIN_FAILURES_MAX : undefined;
    run = await runApiScenarios({
      baseUrl: given ?? (stack as StartedLocalStack).baseUrl,
      ...(stack ? { fetchFromAnotherAddress: stack.fetchFromAnotherAddress } : {}),
      onStep: (scenario, step) => started.push(`${scenario} / ${step}`),
      ...(max ? { signInFailuresMax: Number(max) } : {}),
      only: expectedNames,
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('all pass, in order, the lockout last', () => {
    expect(failures(run).map((scenario) => scenario.error)).toEqual([]);
    expect(run.scenarios.map((scenario) => scenario.name)).toEqual(expectedNames);
    expect(apiScenarioNames.at(-1)).toBe(lockoutScenario);
    const journey = run.scenarios[0]?.steps.map((step) => step.name);
    expect(journey).toEqual(
      expect.arrayContaining([
        'sign up',
        'the assistant completes it',
        'sign out: the session no longer works (401)',
      ]),
    );
  });

  it('records every request under its endpoint group, as the step expected', () => {
    const groups = new Set(run.requests.map((sample) => sample.group));
    for (const group of [
      'auth:sign-up',
      'auth:sign-in',
      'auth:sign-out',
      'tasks:list',
      'tasks:create',
      'tasks:update',
      'tasks:delete',
      'chat',
    ]) {
      expect(groups, group).toContain(group);
    }
    expect(run.requests.filter((sample) => !sample.ok)).toEqual([]);
    // Refusals the step expected count as ok: 401s, 404s, 409, 422, 429.
    const statuses = new Set(run.requests.map((sample) => sample.status));
    for (const status of [200, 201, 204, 400, 401, 404, 409, 422, 429]) expect(statuses).toContain(status);
    const stepsByScenario = new Map(
      run.scenarios.map((scenario) => [scenario.name, scenario.steps.map((step) => step.name)]),
    );
    for (const sample of run.requests) expect(stepsByScenario.get(sample.scenario)).toContain(sample.step);
  });

  it('announces each step as it starts', () => {
    const steps = run.scenarios.flatMap((scenario) =>
      scenario.steps.map((step) => `${scenario.name} / ${step.name}`),
    );
    expect(started).toEqual(steps);
  });
});

describe.skipIf(given)('the API scenarios as a gate', () => {
  it('fails the lockout scenario, naming its step, when the stack never locks an account', async () => {
    await using stack = await startLocalStack({
      frontend: false,
      backendEnv: { ...generousAuthLimit, RATE_LIMIT_SIGNIN_FAILURES_MAX: '1000' },
    });
    const run = await runApiScenarios({
      baseUrl: stack.baseUrl,
      fetchFromAnotherAddress: stack.fetchFromAnotherAddress,
      only: expectedNames,
    });
    expect(failures(run).map((scenario) => scenario.name)).toEqual([lockoutScenario]);
    const lockout = run.scenarios.at(-1);
    expect(lockout?.error).toMatch(
      /^wrong passwords: 401, then 429 by attempt 6 .*: 20 wrong passwords .* never locked/,
    );
    expect(lockout?.steps.map((step) => step.ok)).toEqual([true, false]);
  });

  it('reports a stack that does not answer, scenario by scenario, without throwing', async () => {
    const run = await runApiScenarios({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    expect(run.scenarios).toHaveLength(apiScenarioNames.length);
    for (const scenario of run.scenarios) {
      expect(scenario.ok).toBe(false);
      expect(scenario.error).toMatch(/: (POST|GET) \/api\/\S+: no answer \(fetch failed/);
      expect(scenario.steps).toHaveLength(1);
    }
    expect(run.requests.every((sample) => sample.status === 0 && !sample.ok)).toBe(true);
  });
});
