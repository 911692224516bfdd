import { randomUUID } from 'node:crypto';
import type { paths, Task, TaskPage } from '@todo/backend/contract';
import type { ApiRequest } from './client.ts';

// The API as a client sees it. Task shapes come from the API's own OpenAPI document;
// sign-up and sign-in are better-auth's endpoints, which the document does not cover.

export type { Task, TaskPage } from '@todo/backend/contract';

export interface Account {
  email: string;
  password: string;
  name: string;
}

export interface SignedIn {
  user: { id: string; email: string };
}

type Json<Answer> = Answer extends { content: { 'application/json': infer Body } } ? Body : never;
export type ConversationPage = Json<paths['/api/conversations']['get']['responses'][200]>;
export type Conversation = Json<paths['/api/conversations/{id}']['get']['responses'][200]>;

/** A JSON-RPC answer of the MCP endpoint to one tools/call. */
export interface McpToolAnswer {
  result?: {
    isError?: boolean;
    content?: { type: string; text?: string }[];
    structuredContent?: unknown;
  };
  error?: { code: number; message: string };
}

/** A new account each time, so repeated runs against one stack never collide. */
export function newAccount(): Account {
  return {
    email: `scenario-${randomUUID()}@example.com`,
    password: 'correct horse battery staple',
    name: 'Scenario User',
  };
}

type Method = ApiRequest['method'];
const request = <T>(
  group: string,
  method: Method,
  path: string,
  status: number,
  extra: Pick<ApiRequest, 'body' | 'headers'> = {},
): ApiRequest<T> => ({ group, method, path, status, ...extra });

const query = (filters: Record<string, string>) => {
  const search = new URLSearchParams(filters).toString();
  return search ? `?${search}` : '';
};

export const api = {
  signUp: (account: Account) =>
    request<SignedIn>('auth:sign-up', 'POST', '/api/auth/sign-up/email', 200, { body: account }),
  signIn: (email: string, password: string) =>
    request<SignedIn>('auth:sign-in', 'POST', '/api/auth/sign-in/email', 200, { body: { email, password } }),
  signOut: () => request<unknown>('auth:sign-out', 'POST', '/api/auth/sign-out', 200, { body: {} }),

  listTasks: (filters: Record<string, string> = {}) =>
    request<TaskPage>('tasks:list', 'GET', `/api/tasks${query(filters)}`, 200),
  /** Send an Idempotency-Key, as a client that retries should. */
  createTask: (body: Record<string, unknown>, idempotencyKey: string = randomUUID()) =>
    request<Task>('tasks:create', 'POST', '/api/tasks', 201, {
      body,
      headers: { 'idempotency-key': idempotencyKey },
    }),
  getTask: (id: string) => request<Task>('tasks:get', 'GET', `/api/tasks/${id}`, 200),
  /** `changes` carries the version last read; the API answers 409 when it is stale. */
  updateTask: (id: string, changes: Record<string, unknown>) =>
    request<Task>('tasks:update', 'PATCH', `/api/tasks/${id}`, 200, { body: changes }),
  completeTask: (id: string) => request<Task>('tasks:update', 'POST', `/api/tasks/${id}/complete`, 200),
  deleteTask: (id: string) => request<null>('tasks:delete', 'DELETE', `/api/tasks/${id}`, 204),

  listConversations: () => request<ConversationPage>('conversations', 'GET', '/api/conversations', 200),
  getConversation: (id: string) =>
    request<Conversation>('conversations', 'GET', `/api/conversations/${id}`, 200),

  /** One tool call through the MCP endpoint (JSON-RPC, stateless: no initialize needed). */
  mcpTool: (name: string, args: Record<string, unknown>) =>
    request<McpToolAnswer>('mcp', 'POST', '/api/mcp', 200, {
      body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
      headers: { accept: 'application/json, text/event-stream' },
    }),

  /** A page or file of the web app, or any path, as a browser gets it. */
  get: (group: string, path: string) => request<unknown>(group, 'GET', path, 200),

  /**
   * One message to the assistant, as the AI SDK's chat hook sends it: the
   * conversation id the client chose, the new message only, the user's time zone.
   * The answer is the UI message stream, as text.
   */
  chat: (conversationId: string, text: string) =>
    request<string>('chat', 'POST', '/api/chat', 200, {
      body: {
        id: conversationId,
        message: { id: randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
        timeZone: 'UTC',
      },
    }),
};
