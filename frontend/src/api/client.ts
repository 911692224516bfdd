import type { ErrorBody } from './types.ts';

/** A failed API call. `status` 0 means the server was not reached at all. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;
  readonly body: ErrorBody | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: ErrorBody | undefined, retryAfter?: string | null) {
    super(body?.message ?? describeStatus(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? (status === 0 ? 'NETWORK' : `HTTP_${status}`);
    this.fields = body?.fields ?? {};
    this.body = body;
    const seconds = retryAfter ? Number(retryAfter) : NaN;
    this.retryAfterSeconds = Number.isFinite(seconds) ? seconds : undefined;
  }
}

function describeStatus(status: number): string {
  if (status === 0) return 'Cannot reach the server; check your connection and try again.';
  if (status === 429) return 'Too many requests; wait a moment and try again.';
  if (status >= 500) return 'The server had a problem; try again shortly.';
  return `The request failed (HTTP ${status}).`;
}

/** Reads an error body whatever its shape: ours ({code, message}) or a proxy's HTML page. */
export function errorBodyOf(text: string): ErrorBody | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody> | null;
    if (parsed && typeof parsed.message === 'string') {
      return { ...parsed, code: typeof parsed.code === 'string' ? parsed.code : 'UNKNOWN' } as ErrorBody;
    }
  } catch {
    // not JSON
  }
  return undefined;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Let the request outlive the page (a pending delete sent while the tab closes). */
  keepalive?: boolean;
}

export interface ApiClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** The fetch this client uses, for libraries that make their own calls (the chat transport). */
  readonly fetch: typeof fetch;
}

export interface ApiClientOptions {
  fetch?: typeof fetch;
  /**
   * Called when the API answers 401: the session ended (expired, revoked, signed
   * out elsewhere). `sentAt` (performance.now()) is when that request was sent.
   */
  onUnauthenticated?: (sentAt: number) => void;
}

/** Same-origin JSON client of the API. Cookies travel by themselves. */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const watchedFetch: typeof fetch = async (input, init) => {
    const sentAt = performance.now();
    const response = await baseFetch(input, init);
    if (response.status === 401) options.onUnauthenticated?.(sentAt);
    return response;
  };

  return {
    fetch: watchedFetch,
    async request<T>(method: string, path: string, request: RequestOptions = {}): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
      let body: string | undefined;
      if (request.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(request.body);
      }
      let response: Response;
      try {
        response = await watchedFetch(path, {
          method,
          headers,
          body,
          credentials: 'same-origin',
          ...(request.signal ? { signal: request.signal } : {}),
          ...(request.keepalive ? { keepalive: true } : {}),
        });
      } catch (error) {
        if (request.signal?.aborted) throw error;
        throw new ApiError(0, undefined);
      }
      const text = await response.text();
      if (!response.ok) {
        throw new ApiError(response.status, errorBodyOf(text), response.headers.get('retry-after'));
      }
      return (text ? JSON.parse(text) : null) as T;
    },
  };
}
