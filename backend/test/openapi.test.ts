import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './support/api.ts';
import { Client, signedUpClient } from './support/client.ts';

// What GET /api/openapi.json says about signing in and methods, checked
// against what the API does.

interface OpenApiDocument {
  components: {
    securitySchemes: Record<string, { type: string; in?: string; name?: string; scheme?: string }>;
  };
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

let api: RunningApi;
let document: OpenApiDocument;
beforeAll(async () => {
  api = await startApi();
  document = (await new Client(api.url).request<OpenApiDocument>('GET', '/api/openapi.json')).body;
});
afterAll(async () => {
  await api.close();
});

describe('authentication, as the document describes it', () => {
  it('names both session cookies and the bearer token, any one of which signs a request in', () => {
    const schemes = Object.values(document.components.securitySchemes);
    expect(schemes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'todo.session_token' }),
        expect.objectContaining({ type: 'apiKey', in: 'cookie', name: '__Secure-todo.session_token' }),
        expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      ]),
    );
    expect(document.security).toHaveLength(3);
  });

  it('reads the __Secure- cookie behind https, and the set-auth-token header as a bearer token', async () => {
    const origin = 'https://todo.example';
    await using secure = await startApi({ env: { PUBLIC_URL: origin } });
    const browser = new Client(secure.url);
    browser.origin = origin;
    const signedUp = await browser.signUp();
    expect(signedUp.status).toBe(200);
    expect([...browser.cookies.keys()]).toContain('__Secure-todo.session_token');
    expect((await browser.request('GET', '/api/tasks')).status).toBe(200);

    const token = signedUp.headers.get('set-auth-token');
    expect(token).toBeTruthy();
    const scripted = new Client(secure.url);
    scripted.origin = undefined;
    const reply = await scripted.request('POST', '/api/tasks', {
      body: { title: 'from a script' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(reply.status).toBe(201);
    // The http cookie name means nothing behind https.
    const wrongName = await scripted.request('GET', '/api/tasks', {
      headers: { cookie: `todo.session_token=${browser.cookies.get('__Secure-todo.session_token')}` },
    });
    expect(wrongName.status).toBe(401);
  });

  it('documents the answers every signed-in route can give', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const status of ['400', '401', '403', '429', '503']) {
          expect(operation.responses, `${method.toUpperCase()} ${path}`).toHaveProperty(status);
        }
      }
    }
  });
});

describe('methods a resource does not have', () => {
  it('answer 405 with Allow, before authentication and before reading a body', async () => {
    const client = await signedUpClient(api.url);
    const { body: task } = await client.createTask({ title: 'methods' });
    for (const [method, path, allowed] of [
      ['PUT', '/api/tasks', ['GET', 'POST']],
      ['PUT', `/api/tasks/${task.id}`, ['DELETE', 'GET', 'PATCH']],
      ['QUERY', `/api/tasks/${task.id}/complete`, ['POST']],
      ['GET', '/api/mcp', ['POST']],
      ['DELETE', '/api/conversations', ['GET']],
    ] as const) {
      const reply = await new Client(api.url).request(method, path);
      expect(reply.status, `${method} ${path}`).toBe(405);
      expect(reply.body.code).toBe('METHOD_NOT_ALLOWED');
      const allow = (reply.headers.get('allow') ?? '').split(', ');
      expect(allow).toEqual(expect.arrayContaining([...allowed]));
      const documented = Object.keys(document.paths[path.replace(task.id, '{id}')] ?? {});
      for (const name of allow.filter((m) => m !== 'HEAD')) expect(documented).toContain(name.toLowerCase());
    }
    expect((await client.request('PUT', '/api/nothing-here')).status).toBe(404);
  });
});
