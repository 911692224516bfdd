import { CookieJar } from './cookie-jar.ts';
import type { HttpSample } from './results.ts';

export type ScenarioFetch = (url: string, init?: RequestInit) => Promise<Response>;

/** One request to the API; `T` types the body of its success answer. */
export interface ApiRequest<T = unknown> {
  /** The endpoint group the sample is counted under (k6 uses the same ones). */
  group: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'OPTIONS';
  /** From the API's root, e.g. /api/tasks?status=open. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The Origin sent instead of the stack's own (another site's page); null sends none. */
  origin?: string | null;
  /** What success answers with. */
  status: number;
  /** Never set: carries `T` only. */
  readonly success?: T;
}

export interface Answer<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when the answer is not JSON (the assistant's stream). */
  body: T;
}

/** The API's error answer: a stable code, a message for people, and the wrong fields. */
export interface ErrorBody {
  code?: string;
  message?: string;
  fields?: Record<string, string>;
}

/** Where a client's requests go and are counted: the running scenario. */
export interface Transport {
  readonly baseUrl: string;
  readonly fetch: ScenarioFetch;
  record(sample: Omit<HttpSample, 'scenario' | 'step'>): void;
}

// Long enough for a cold deployment or a slow model, short enough that a hung
// stack fails a step instead of the whole run.
const requestTimeoutMs = 30_000;

/**
 * One user agent: keeps its cookies and sends Origin, as a browser does (the
 * API refuses cookie-authenticated writes without a trusted Origin). Every
 * request is recorded; an answer with another status than expected throws an
 * error naming both, which fails the step.
 */
export class ApiClient {
  private readonly transport: Transport;
  private readonly jar: CookieJar;

  constructor(transport: Transport, jar = new CookieJar()) {
    this.transport = transport;
    this.jar = jar;
  }

  /** Whether the API has given this client a cookie (a session). */
  get hasCookies(): boolean {
    return this.jar.size > 0;
  }

  /** Another client holding the same cookies now: a copied session, to replay later. */
  copy(): ApiClient {
    return new ApiClient(this.transport, this.jar.copy());
  }

  /** Sends a request that must succeed; returns the body. */
  async send<T>(request: ApiRequest<T>): Promise<T> {
    return (await this.answer(request)).body;
  }

  /** Sends a request that must succeed; returns the whole answer (for its headers). */
  async answer<T>(request: ApiRequest<T>): Promise<Answer<T>> {
    return (await this.exchange(request, [request.status])) as Answer<T>;
  }

  /** Sends a request the API must refuse with `status` and, when given, `code`. */
  async refused(request: ApiRequest, status: number, code?: string): Promise<ErrorBody> {
    const answer = await this.exchange(request, [status]);
    const body = errorBody(answer.body);
    if (code !== undefined && body.code !== code) {
      throw new Error(
        `${describeRequest(request)}: expected ${status} ${code}, got ${describeAnswer(answer)}`,
      );
    }
    return body;
  }

  /** Sends a request whose answer may be any of `statuses`; the caller judges it. */
  async attempt(request: ApiRequest, statuses: readonly number[]): Promise<Answer<unknown>> {
    return this.exchange(request, statuses);
  }

  private async exchange(request: ApiRequest, expected: readonly number[]): Promise<Answer<unknown>> {
    const base = this.transport.baseUrl.replace(/\/+$/, '');
    const origin = request.origin === undefined ? new URL(base).origin : request.origin;
    const headers: Record<string, string> = { ...(origin === null ? {} : { origin }), ...request.headers };
    const cookie = this.jar.header();
    if (cookie) headers.cookie = cookie;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const record = (status: number, started: number) => {
      this.transport.record({
        group: request.group,
        method: request.method,
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        ok: expected.includes(status),
      });
    };

    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await this.transport.fetch(base + request.path, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      text = await response.text();
    } catch (error) {
      record(0, started);
      throw new Error(`${describeRequest(request)}: no answer (${reasonOf(error)})`, { cause: error });
    }
    record(response.status, started);
    this.jar.store(response.headers);
    const answer: Answer<unknown> = { status: response.status, headers: response.headers, body: parse(text) };
    if (!expected.includes(response.status)) {
      const wanted = expected.join(' or ');
      throw new Error(`${describeRequest(request)}: expected ${wanted}, got ${describeAnswer(answer)}`);
    }
    return answer;
  }
}

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

export function errorBody(body: unknown): ErrorBody {
  return typeof body === 'object' && body !== null ? body : {};
}

export function describeRequest(request: ApiRequest): string {
  return `${request.method} ${request.path}`;
}

/** "400 VALIDATION_FAILED: The request is invalid; see fields. (title: must not be empty)" */
export function describeAnswer(answer: Answer<unknown>): string {
  if (typeof answer.body === 'string') return `${answer.status} "${answer.body.slice(0, 200)}"`;
  const { code, message, fields } = errorBody(answer.body);
  const said = [code, message].filter(Boolean).join(': ');
  const wrong = fields
    ? ` (${Object.entries(fields)
        .map(([name, problem]) => `${name}: ${problem}`)
        .join('; ')})`
    : '';
  // better-auth's own limit says X-Retry-After; ours say Retry-After.
  const wait = answer.headers.get('retry-after') ?? answer.headers.get('x-retry-after');
  const retry = answer.status === 429 && wait ? ` (retry after ${wait} s)` : '';
  return `${answer.status}${said ? ` ${said}` : ''}${wrong}${retry}`;
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause ? `${error.message}: ${cause}` : error.message;
}
