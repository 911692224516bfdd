import { randomUUID } from 'node:crypto';
import { publicUrl } from './api.ts';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export const password = 'correct horse battery';

/**
 * A scripted client of the API, as a browser would be: it keeps cookies and
 * sends Origin (which the server requires of cookie-authenticated writes).
 */
export class Client {
  readonly baseUrl: string;
  readonly cookies = new Map<string, string>();
  origin: string | undefined = publicUrl;
  email = '';

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.origin && !('origin' in headers)) headers.origin = this.origin;
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === '' || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  async signUp(email = `user-${randomUUID()}@example.com`, pass = password): Promise<Reply> {
    this.email = email;
    return this.request('POST', '/api/auth/sign-up/email', {
      body: { email, password: pass, name: 'Test User' },
    });
  }

  signIn(email = this.email, pass = password): Promise<Reply> {
    return this.request('POST', '/api/auth/sign-in/email', { body: { email, password: pass } });
  }

  signOut(): Promise<Reply> {
    return this.request('POST', '/api/auth/sign-out', { body: {} });
  }

  session(): Promise<Reply> {
    return this.request('GET', '/api/auth/get-session');
  }

  createTask(body: Record<string, unknown>, headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', '/api/tasks', { body, ...(headers ? { headers } : {}) });
  }

  listTasks(query: Record<string, string | number> = {}): Promise<Reply> {
    const search = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    );
    return this.request('GET', `/api/tasks${search.size > 0 ? `?${search.toString()}` : ''}`);
  }

  getTask(id: string): Promise<Reply> {
    return this.request('GET', `/api/tasks/${id}`);
  }

  updateTask(id: string, body: Record<string, unknown>, headers?: Record<string, string>): Promise<Reply> {
    return this.request('PATCH', `/api/tasks/${id}`, { body, ...(headers ? { headers } : {}) });
  }

  setStatus(id: string, action: 'complete' | 'reopen', headers?: Record<string, string>): Promise<Reply> {
    return this.request('POST', `/api/tasks/${id}/${action}`, headers ? { headers } : {});
  }

  deleteTask(id: string, headers?: Record<string, string>): Promise<Reply> {
    return this.request('DELETE', `/api/tasks/${id}`, headers ? { headers } : {});
  }
}

/** A client that has signed up (and so is signed in). */
export async function signedUpClient(baseUrl: string): Promise<Client> {
  const client = new Client(baseUrl);
  const reply = await client.signUp();
  if (reply.status !== 200) throw new Error(`sign-up failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return client;
}
