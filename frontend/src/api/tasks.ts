import type { ApiClient } from './client.ts';
import type { NewTask, Task, TaskChanges, TaskPage, TaskQuery } from './types.ts';

const path = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

/** The task endpoints, one function each. */
export function taskApi(client: ApiClient) {
  return {
    list(query: TaskQuery, signal?: AbortSignal): Promise<TaskPage> {
      const params = new URLSearchParams();
      // A field left undefined is not sent (Object.entries alone would type the values as never undefined).
      for (const [key, value] of Object.entries<TaskQuery[keyof TaskQuery]>(query)) {
        if (value !== undefined && value !== '') params.set(key, String(value));
      }
      const search = params.toString();
      return client.request('GET', `/api/tasks${search ? `?${search}` : ''}`, signal ? { signal } : {});
    },
    get(id: string): Promise<Task> {
      return client.request('GET', path(id));
    },
    /** With an idempotency key, a retry of the same create returns the first task instead of a second one. */
    create(input: NewTask, idempotencyKey: string): Promise<Task> {
      return client.request('POST', '/api/tasks', {
        body: input,
        headers: { 'idempotency-key': idempotencyKey },
      });
    },
    /** Answers 409 VERSION_CONFLICT (with the current task) when `version` is not the latest. */
    update(id: string, changes: TaskChanges, version: number): Promise<Task> {
      return client.request('PATCH', path(id), { body: { ...changes, version } });
    },
    setDone(id: string, done: boolean): Promise<Task> {
      return client.request('POST', `${path(id)}/${done ? 'complete' : 'reopen'}`);
    },
    remove(id: string, version: number, options: { keepalive?: boolean } = {}): Promise<void> {
      return client.request('DELETE', path(id), { headers: { 'if-match': `"${version}"` }, ...options });
    },
  };
}

export type TaskApi = ReturnType<typeof taskApi>;
