// A user of the rehearsal during the drills, apart from k6's: signed in with a
// bearer token, asking for their tasks a few times a second, so each drill can
// tell when the app answered again and what it answered meanwhile.
import { randomBytes } from 'node:crypto';
import type { TrustedFetch } from '../rehearsal/index.ts';

export interface ProbeSample {
  /** Epoch ms when the answer (or the failure) came. */
  at: number;
  /** 0: no answer (refused, reset, timed out). */
  status: number;
  /** The API's error code, when it answered one. */
  code?: string;
  retryAfter?: string;
  ms: number;
}

export const sampleOk = (sample: ProbeSample): boolean => sample.status >= 200 && sample.status < 300;

/** A signed-in user of the rehearsal: requests with its bearer token. */
export interface ProbeUser {
  email: string;
  token: string;
  /** One request as this user; a failure to connect is status 0. */
  request(method: string, path: string, body?: unknown): Promise<ProbeSample>;
}

const requestTimeoutMs = 10_000;

/** Requests to the rehearsal with the headers a browser-like client sends. */
async function send(
  fetch: TrustedFetch,
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ sample: ProbeSample; response?: Response; json?: unknown }> {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        origin: baseUrl,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const code = (json as { code?: unknown } | undefined)?.code;
    const retryAfter = response.headers.get('retry-after');
    return {
      sample: {
        at: Date.now(),
        status: response.status,
        ms: Math.round(performance.now() - started),
        ...(typeof code === 'string' ? { code } : {}),
        ...(retryAfter ? { retryAfter } : {}),
      },
      response,
      json,
    };
  } catch {
    return { sample: { at: Date.now(), status: 0, ms: Math.round(performance.now() - started) } };
  }
}

/** Requests with no session. */
export const anonymousRequests =
  (fetch: TrustedFetch, baseUrl: string) =>
  async (method: string, path: string, body?: unknown): Promise<ProbeSample> =>
    (await send(fetch, baseUrl, method, path, {}, body)).sample;

/** Signs a new user up (retrying while the stack is failing); throws when it cannot within `withinMs`. */
export async function signUpProbeUser(
  fetch: TrustedFetch,
  baseUrl: string,
  label: string,
  withinMs = 30_000,
): Promise<ProbeUser> {
  const email = `drill-${label}-${randomBytes(4).toString('hex')}@example.com`;
  const password = `drill ${randomBytes(12).toString('hex')}`;
  const deadline = Date.now() + withinMs;
  for (;;) {
    const { sample, response } = await send(
      fetch,
      baseUrl,
      'POST',
      '/api/auth/sign-up/email',
      {},
      {
        email,
        password,
        name: `Drill ${label}`,
      },
    );
    const token = response?.headers.get('set-auth-token');
    if (sample.status === 200 && token) {
      return {
        email,
        token,
        request: async (method, path, body) =>
          (await send(fetch, baseUrl, method, path, { authorization: `Bearer ${token}` }, body)).sample,
      };
    }
    if (Date.now() > deadline) {
      throw new Error(
        `could not sign a drill user up (last answer ${sample.status}${sample.code ? ` ${sample.code}` : ''})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Asks for the user's tasks every `everyMs` until stopped; what it saw, in order. */
export class Probe {
  readonly samples: ProbeSample[] = [];
  readonly #user: ProbeUser;
  readonly #everyMs: number;
  #running = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(user: ProbeUser, everyMs = 250) {
    this.#user = user;
    this.#everyMs = everyMs;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        const next = Date.now() + this.#everyMs;
        this.samples.push(await this.#user.request('GET', '/api/tasks?limit=1'));
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** What it saw between two moments (epoch ms). */
  between(from: number, to: number): ProbeSample[] {
    return this.samples.filter((sample) => sample.at >= from && sample.at <= to);
  }

  /** The first answer in 2xx at or after `from`, waiting for it until `deadline`; undefined if none came. */
  async firstOkAfter(
    from: number,
    deadline: number,
    healthy: (s: ProbeSample) => boolean = sampleOk,
  ): Promise<ProbeSample | undefined> {
    for (;;) {
      const found = this.samples.find((sample) => sample.at >= from && healthy(sample));
      if (found) return found;
      if (Date.now() > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
