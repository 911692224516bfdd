import { ApiClient, type ScenarioFetch, type Transport } from './client.ts';
import { StepFailed } from '../steps/index.ts';
import { api, newAccount, type Account, type Task } from './endpoints.ts';
import type { HttpSample, ScenarioStep } from './results.ts';

export interface ApiScenarioOptions {
  baseUrl: string;
  /** Defaults to globalThis.fetch; the harness passes one trusting the rehearsal's CA. */
  fetch?: ScenarioFetch;
  /** Called as each step starts, for progress output. */
  onStep?: (scenario: string, step: string) => void;
  /**
   * The stack's RATE_LIMIT_SIGNIN_FAILURES_MAX (default 5): the account must lock
   * by the next attempt after this many wrong passwords.
   */
  signInFailuresMax?: number;
  /**
   * A fetch whose requests reach the stack from another client address (the
   * rehearsal's second way in, or another loopback address for a local stack).
   * Scenarios that show one address's refusals do not reach another need it.
   */
  fetchFromAnotherAddress?: ScenarioFetch;
  /** Only these scenarios (by name), e.g. smokeScenarioNames after a deploy. */
  only?: readonly string[];
}

/** One user flow: named steps against the API, stopping at the first that fails. */
export interface ApiScenario {
  name: string;
  run(scenario: ScenarioRun): Promise<void>;
}

/** Fails the step with `message` (what a user would find wrong) unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Checks a list of tasks holds exactly these titles, in any order. */
export function checkTitles(tasks: readonly Task[], expected: readonly string[], what: string): void {
  const listed = tasks.map((task) => task.title).sort();
  const wanted = [...expected].sort();
  check(
    listed.length === wanted.length && listed.every((title, i) => title === wanted[i]),
    `${what}: expected ${JSON.stringify(wanted)}, listed ${JSON.stringify(listed)}`,
  );
}

/** One scenario as it runs: its steps, and the transport its clients record into. */
export class ScenarioRun implements Transport {
  readonly name: string;
  readonly steps: ScenarioStep[] = [];
  readonly baseUrl: string;
  readonly fetch: ScenarioFetch;
  readonly signInFailuresMax: number;
  private readonly fetchFromAnotherAddress: ScenarioFetch | undefined;
  private readonly samples: HttpSample[];
  private readonly onStep: ApiScenarioOptions['onStep'];
  private currentStep = '(before the first step)';

  constructor(name: string, options: ApiScenarioOptions, samples: HttpSample[]) {
    this.name = name;
    this.baseUrl = options.baseUrl;
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.signInFailuresMax = options.signInFailuresMax ?? 5;
    this.fetchFromAnotherAddress = options.fetchFromAnotherAddress;
    this.samples = samples;
    this.onStep = options.onStep;
  }

  record(sample: Omit<HttpSample, 'scenario' | 'step'>): void {
    this.samples.push({ scenario: this.name, step: this.currentStep, ...sample });
  }

  /** A new user agent with no cookies. */
  client(): ApiClient {
    return new ApiClient(this);
  }

  /** A new user agent with no cookies at another client address; throws (failing the step) when this run has none. */
  clientFromAnotherAddress(): ApiClient {
    const fetch = this.fetchFromAnotherAddress;
    if (!fetch) {
      throw new Error(
        'this run has no second client address (fetchFromAnotherAddress): npm run sim and the local stack give one',
      );
    }
    return new ApiClient({
      baseUrl: this.baseUrl,
      fetch,
      record: (sample) => {
        this.record(sample);
      },
    });
  }

  /** Runs one step; a failure is recorded and ends the scenario. */
  async step<T>(name: string, body: () => Promise<T>): Promise<T> {
    this.currentStep = name;
    try {
      this.onStep?.(this.name, name);
    } catch {
      // Progress output must not change the outcome.
    }
    const started = performance.now();
    const durationMs = () => Math.round(performance.now() - started);
    try {
      const value = await body();
      this.steps.push({ name, ok: true, durationMs: durationMs() });
      return value;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.steps.push({ name, ok: false, durationMs: durationMs(), error: message });
      throw new StepFailed(name, message);
    }
  }

  /** A step that signs up a new account; returns its signed-in client. */
  async signedUpUser(stepName: string): Promise<{ user: ApiClient; account: Account }> {
    return this.step(stepName, async () => {
      const account = newAccount();
      const user = this.client();
      const signedUp = await user.send(api.signUp(account));
      check(
        signedUp.user.email === account.email,
        `sign-up answered for ${signedUp.user.email}, not ${account.email}`,
      );
      check(user.hasCookies, 'sign-up set no session cookie');
      return { user, account };
    });
  }
}
