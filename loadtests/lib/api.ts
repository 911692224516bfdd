// The API as the journey calls it: every request tagged with its endpoint group
// (the same groups as scenarios/), sending Origin as a browser does. k6 keeps
// each virtual user's cookies, so a sign-in holds for that user's later requests.
import http, { type RefinedResponse, type ResponseType } from 'k6/http';

export const baseUrl = (__ENV.BASE_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const origin = /^https?:\/\/[^/]+/.exec(baseUrl)?.[0] ?? baseUrl;

export type { Task } from '@todo/backend/contract';

type Response = RefinedResponse<ResponseType | undefined>;

// Fastify refuses a JSON content type with an empty body, so only requests with a body declare one.
const params = (group: string, headers: Record<string, string> = {}) => ({
  headers: { origin, ...headers },
  tags: { group, name: group },
  // A 4xx the journey expects must not count as a failed request.
  responseCallback: http.expectedStatuses({ min: 200, max: 399 }),
});

const json = (body: unknown) => JSON.stringify(body);

/**
 * Whether a request since the last call was refused for want of a session
 * (401): the app would show its sign-in page, so the user signs in again.
 */
let refused = false;
export function sessionRefused(): boolean {
  const was = refused;
  refused = false;
  return was;
}
const signedInAs = (response: Response): Response => {
  if (response.status === 401) refused = true;
  return response;
};
const withBody = { 'content-type': 'application/json' };

export const api = {
  // 422: the account exists. The journey then signs in: a sign-up whose answer was lost (the
  // replica died with it) may have gone through.
  signUp: (email: string, password: string): Response =>
    http.post(`${baseUrl}/api/auth/sign-up/email`, json({ email, password, name: 'Load User' }), {
      ...params('auth:sign-up', withBody),
      responseCallback: http.expectedStatuses({ min: 200, max: 399 }, 422),
    }),
  signIn: (email: string, password: string): Response =>
    http.post(
      `${baseUrl}/api/auth/sign-in/email`,
      json({ email, password }),
      params('auth:sign-in', withBody),
    ),
  signOut: (): Response =>
    http.post(`${baseUrl}/api/auth/sign-out`, json({}), params('auth:sign-out', withBody)),
  createTask: (body: Record<string, unknown>, idempotencyKey: string): Response =>
    signedInAs(
      http.post(
        `${baseUrl}/api/tasks`,
        json(body),
        params('tasks:create', { ...withBody, 'idempotency-key': idempotencyKey }),
      ),
    ),
  listTasks: (query: string): Response =>
    signedInAs(http.get(`${baseUrl}/api/tasks${query}`, params('tasks:list'))),
  updateTask: (id: string, changes: Record<string, unknown>): Response =>
    signedInAs(http.patch(`${baseUrl}/api/tasks/${id}`, json(changes), params('tasks:update', withBody))),
  completeTask: (id: string): Response =>
    signedInAs(http.post(`${baseUrl}/api/tasks/${id}/complete`, null, params('tasks:update'))),
  deleteTask: (id: string): Response =>
    signedInAs(http.del(`${baseUrl}/api/tasks/${id}`, null, params('tasks:delete'))),
  chat: (conversationId: string, messageId: string, text: string): Response =>
    signedInAs(
      http.post(
        `${baseUrl}/api/chat`,
        json({
          id: conversationId,
          message: { id: messageId, role: 'user', parts: [{ type: 'text', text }] },
          timeZone: 'UTC',
        }),
        params('chat', withBody),
      ),
    ),
};

/** The body as JSON, or undefined when it is not JSON. */
export function body(response: Response): unknown {
  try {
    return response.json();
  } catch {
    return undefined;
  }
}
