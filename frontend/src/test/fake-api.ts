import type { Task } from '../api/index.ts';

interface Failure {
  status: number;
  delayMs: number;
  body?: unknown;
  /** Matches "METHOD /path" (the path without the query). */
  match: RegExp;
}

export interface RecordedRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Headers;
  body: unknown;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

const errorBody = (code: string, message: string, extra: Record<string, unknown> = {}) => ({
  code,
  message,
  requestId: 'req-test',
  ...extra,
});

/**
 * The API in memory, at the fetch level, following the server's shapes: the
 * better-auth endpoints, tasks with versions (409 with `current`), 401 when
 * signed out. Tests change its state directly (`tasks`, `signedIn`) to act as
 * "someone else", and queue failures with failNext().
 */
export class FakeApi {
  user: { id: string; email: string; name: string } | null = null;
  readonly accounts = new Map<string, { id: string; name: string; password: string }>();
  /** Each user's tasks; `tasks` is the signed-in user's (or the last one's). */
  readonly tasksByUser = new Map<string, Map<string, Task>>();
  private lastUserId = 'user-1';
  readonly requests: RecordedRequest[] = [];
  /** Chat replies, as UI message stream chunks, taken one per POST /api/chat; `before` runs as the server would. */
  readonly chatReplies: { chunks: unknown[]; before?: () => void }[] = [];
  readonly conversations: {
    id: string;
    title: string;
    messages: { id: string; role: string; parts: unknown[] }[];
  }[] = [];
  private failures: Failure[] = [];
  private counter = 0;

  constructor(options: { signedInAs?: string } = {}) {
    if (options.signedInAs) {
      this.accounts.set(options.signedInAs, { id: 'user-1', name: 'Test User', password: 'a long password' });
      this.user = { id: 'user-1', email: options.signedInAs, name: 'Test User' };
    }
  }

  get tasks(): Map<string, Task> {
    const id = this.user?.id ?? this.lastUserId;
    let tasks = this.tasksByUser.get(id);
    if (!tasks) this.tasksByUser.set(id, (tasks = new Map()));
    return tasks;
  }

  addTask(fields: Partial<Task> & { title: string }): Task {
    const now = new Date().toISOString();
    const task: Task = {
      id: `00000000-0000-4000-8000-${String(++this.counter).padStart(12, '0')}`,
      notes: '',
      status: 'open',
      priority: 'medium',
      dueDate: null,
      completedAt: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
      ...fields,
    };
    this.tasks.set(task.id, task);
    return task;
  }

  /** The next request matching `match` fails with this status (and body), after `delayMs`. */
  failNext(match: RegExp, status: number, body?: unknown, delayMs = 0): void {
    this.failures.push({ match, status, body, delayMs });
  }

  calls(method: string, pathPattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(
      new URL(String(input instanceof Request ? input.url : input), 'http://localhost:3000'),
      init,
    );
    const url = new URL(request.url);
    const text = request.body ? await request.text() : '';
    const body: unknown = text ? JSON.parse(text) : undefined;
    this.requests.push({
      method: request.method,
      path: url.pathname,
      search: url.searchParams,
      headers: request.headers,
      body,
    });
    const key = `${request.method} ${url.pathname}`;
    const failure = this.failures.find((f) => f.match.test(key));
    if (failure) {
      this.failures.splice(this.failures.indexOf(failure), 1);
      if (failure.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));
      return json(failure.status, failure.body ?? errorBody(`HTTP_${failure.status}`, 'Injected failure.'));
    }
    await Promise.resolve();
    return this.route(request.method, url, body, request.headers);
  };

  private route(method: string, url: URL, body: unknown, headers: Headers): Response {
    const path = url.pathname;
    if (path.startsWith('/api/auth/')) return this.auth(path.slice('/api/auth/'.length), body);
    if (!this.user) return json(401, errorBody('UNAUTHENTICATED', 'Sign in to continue.'));
    if (path === '/api/tasks' && method === 'GET') return this.list(url.searchParams);
    if (path === '/api/tasks' && method === 'POST') {
      const input = body as Partial<Task>;
      if (!input.title?.trim()) {
        return json(
          400,
          errorBody('VALIDATION_FAILED', 'The request is invalid; see fields.', {
            fields: { title: 'must not be empty' },
          }),
        );
      }
      return json(201, this.addTask({ ...input, title: input.title.trim() }));
    }
    if (path === '/api/conversations') {
      return json(200, {
        items: this.conversations.map(({ id, title }) => ({ id, title, createdAt: '', updatedAt: '' })),
        nextCursor: null,
      });
    }
    const conversation = this.conversations.find((c) => path === `/api/conversations/${c.id}`);
    if (conversation) return json(200, { ...conversation, createdAt: '', updatedAt: '', nextCursor: null });
    if (path === '/api/chat' && method === 'POST') return this.chat();
    const match = /^\/api\/tasks\/([^/]+)(?:\/(complete|reopen))?$/.exec(path);
    const task = match ? this.tasks.get(match[1] ?? '') : undefined;
    if (!match || !task) return json(404, errorBody('TASK_NOT_FOUND', 'Task not found.'));
    const ifMatch = headers.get('if-match');
    const version =
      (body as { version?: number } | undefined)?.version ??
      (ifMatch ? Number(ifMatch.replace(/\D/g, '')) : undefined);
    if (version !== undefined && version !== task.version) {
      return json(
        409,
        errorBody('VERSION_CONFLICT', 'The task was changed by someone else; reload it and retry.', {
          current: task,
        }),
      );
    }
    if (method === 'DELETE') {
      this.tasks.delete(task.id);
      return new Response(null, { status: 204 });
    }
    const { version: _v, ...changes } = (body ?? {}) as Partial<Task>;
    const status =
      match[2] === 'complete' ? 'done' : match[2] === 'reopen' ? 'open' : (changes.status ?? task.status);
    const updated: Task = {
      ...task,
      ...changes,
      status,
      version: task.version + 1,
      updatedAt: new Date().toISOString(),
    };
    this.tasks.set(task.id, updated);
    return json(200, updated);
  }

  private list(search: URLSearchParams): Response {
    const q = search.get('q')?.toLowerCase();
    const items = [...this.tasks.values()]
      .filter((t) => !search.get('status') || t.status === search.get('status'))
      .filter((t) => !search.get('priority') || t.priority === search.get('priority'))
      .filter((t) => !q || `${t.title} ${t.notes}`.toLowerCase().includes(q))
      .reverse();
    return json(200, { items, nextCursor: null });
  }

  private auth(endpoint: string, body: unknown): Response {
    const input = (body ?? {}) as { email?: string; password?: string; name?: string };
    if (endpoint === 'get-session')
      return json(200, this.user ? { user: this.user, session: { id: 's' } } : null);
    if (endpoint === 'sign-out') {
      this.user = null;
      return json(200, { success: true });
    }
    if (endpoint === 'sign-up/email') {
      if (this.accounts.has(input.email ?? '')) {
        return json(422, {
          code: 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL',
          message: 'User already exists. Use another email.',
        });
      }
      const id = `user-${this.accounts.size + 1}`;
      this.accounts.set(input.email ?? '', { id, name: input.name ?? '', password: input.password ?? '' });
      this.user = { id, email: input.email ?? '', name: input.name ?? '' };
      this.lastUserId = id;
      return json(200, { token: 't', user: this.user });
    }
    if (endpoint === 'sign-in/email') {
      const account = this.accounts.get(input.email ?? '');
      if (!account || account.password !== input.password) {
        return json(401, { code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' });
      }
      this.user = { id: account.id, email: input.email ?? '', name: account.name };
      this.lastUserId = account.id;
      return json(200, { token: 't', user: this.user });
    }
    return json(404, { code: 'NOT_FOUND', message: 'No such route.' });
  }

  private chat(): Response {
    const reply = this.chatReplies.shift() ?? { chunks: [] };
    reply.before?.();
    const chunks = reply.chunks;
    const text = [...chunks, 'done']
      .map((c) => (c === 'done' ? 'data: [DONE]\n\n' : `data: ${JSON.stringify(c)}\n\n`))
      .join('');
    return new Response(text, {
      status: 200,
      headers: {
        'content-type': 'text/event-stream',
        'x-vercel-ai-ui-message-stream': 'v1',
        'conversation-id': 'c1',
      },
    });
  }
}
