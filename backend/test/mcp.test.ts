import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './support/api.ts';
import { Client } from './support/client.ts';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ env: { MCP_ALLOWED_HOSTS: '127.0.0.1' } });
});
afterAll(() => api.close());

/** A user signed up over REST, with the bearer token the sign-up answered with. */
async function user(): Promise<{ rest: Client; token: string }> {
  const rest = new Client(api.url);
  const signedUp = await rest.signUp();
  const token = signedUp.headers.get('set-auth-token');
  expect(token).toBeTruthy();
  return { rest, token: token ?? '' };
}

async function connect(token: string, url = api.url): Promise<McpClient> {
  const client = new McpClient({ name: 'test-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/api/mcp', url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

const json = (result: Awaited<ReturnType<McpClient['callTool']>>) =>
  result.structuredContent as Record<string, any>;

describe('POST /api/mcp', () => {
  it('lists the task tools and runs them as the signed-in user', async () => {
    const { rest, token } = await user();
    const mcp = await connect(token);
    const { tools } = await mcp.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'complete_task',
      'create_task',
      'delete_task',
      'get_task',
      'list_tasks',
      'reopen_task',
      'update_task',
    ]);
    expect(tools.find((t) => t.name === 'list_tasks')?.annotations?.readOnlyHint).toBe(true);

    const created = json(
      await mcp.callTool({ name: 'create_task', arguments: { title: 'buy milk', priority: 'high' } }),
    );
    expect(created.task).toMatchObject({ title: 'buy milk', priority: 'high', status: 'open' });
    const id = created.task.id as string;
    expect(json(await mcp.callTool({ name: 'complete_task', arguments: { id } })).task.status).toBe('done');
    const listed = json(await mcp.callTool({ name: 'list_tasks', arguments: { status: 'done' } }));
    expect(listed.tasks.map((t: { id: string }) => t.id)).toEqual([id]);
    // The REST API sees the same task.
    expect((await rest.request('GET', `/api/tasks/${id}`)).body).toMatchObject({ status: 'done' });

    const invalid = await mcp.callTool({ name: 'create_task', arguments: { title: '' } });
    expect(invalid.isError).toBe(true);
    expect(JSON.stringify(invalid.content)).toMatch(/title/);
    const nul = await mcp.callTool({ name: 'create_task', arguments: { title: 'a\u0000b' } });
    expect(nul.isError).toBe(true);
    expect(JSON.stringify(nul.content)).toMatch(/NUL/);
    expect(json(await mcp.callTool({ name: 'delete_task', arguments: { id } })).deleted.id).toBe(id);
    await mcp.close();
  });

  it("cannot reach another user's tasks", async () => {
    const alice = await user();
    const bob = await user();
    const secret = await alice.rest.createTask({ title: 'alice only' });
    const mcp = await connect(bob.token);
    for (const name of ['get_task', 'complete_task', 'delete_task']) {
      const result = await mcp.callTool({ name, arguments: { id: secret.body.id } });
      expect(result.isError).toBe(true);
      expect(JSON.stringify(result.content)).toContain('TASK_NOT_FOUND');
    }
    expect(json(await mcp.callTool({ name: 'list_tasks', arguments: {} })).tasks).toEqual([]);
    expect((await alice.rest.request('GET', `/api/tasks/${secret.body.id}`)).body).toMatchObject({
      status: 'open',
    });
    await mcp.close();
  });

  it('needs a valid token and an allowed Host', async () => {
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const anonymous = await fetch(`${api.url}/api/mcp`, {
      method: 'POST',
      headers,
      body: JSON.stringify(initialize),
    });
    expect(anonymous.status).toBe(401);
    const forged = await fetch(`${api.url}/api/mcp`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer not-a-real-token.signature' },
      body: JSON.stringify(initialize),
    });
    expect(forged.status).toBe(401);

    const { token } = await user();
    // DNS rebinding: a page on another name resolving to us is refused.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${api.url}/api/mcp`,
        { method: 'POST', headers: { ...headers, host: 'evil.example', authorization: `Bearer ${token}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(initialize));
    });
    expect(status).toBe(403);
    expect(
      (await fetch(`${api.url}/api/mcp`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(405);
  });

  it('takes any JSON-RPC message its document admits: Accept */* and free-form params', async () => {
    const { token } = await user();
    const post = (body: string, accept?: string) =>
      fetch(`${api.url}/api/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(accept ? { accept } : {}),
        },
        body,
      });
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    // A client that accepts anything accepts JSON (was 406: the SDK looked for the names).
    for (const accept of [undefined, '*/*']) {
      const reply = await post(JSON.stringify(list), accept);
      expect(reply.status, String(accept)).toBe(200);
      expect(((await reply.json()) as { result: { tools: unknown[] } }).result.tools).toHaveLength(7);
    }
    expect((await post(JSON.stringify(list), 'text/html')).status).toBe(406);
    // "__proto__" in free-form params is dropped, not a 400 for the whole message.
    const poisoned = await post(
      '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{"__proto__":{"x":1}}}',
    );
    expect(poisoned.status).toBe(200);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    // What the document does not admit answers 400 naming the field.
    const wrong = await post(JSON.stringify({ jsonrpc: '1.0', id: 3, method: 'tools/list' }));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { code: string }).code).toBe('VALIDATION_FAILED');
  });
});
