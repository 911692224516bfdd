import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { userOf } from '../auth/index.ts';
import { AppError, toAppError } from '../errors/index.ts';
import {
  taskOperationInputs,
  taskOperationNames,
  taskOperations,
  runTaskOperation,
  type TaskService,
} from '../tasks/index.ts';

export interface McpRoutesOptions {
  tasks: TaskService;
  version: string;
  /** Host names (no port) this endpoint answers to: DNS-rebinding protection. */
  allowedHosts: readonly string[];
  requireUser: preHandlerAsyncHookHandler;
}

/** An MCP server exposing the task operations, acting for one user. */
function serverFor(tasks: TaskService, userId: string, version: string): McpServer {
  const server = new McpServer({ name: 'todo-tasks', version });
  for (const name of taskOperationNames) {
    const operation = taskOperations[name];
    server.registerTool(
      name,
      {
        title: operation.title,
        description: operation.description,
        inputSchema: taskOperationInputs[name],
        annotations: { readOnlyHint: operation.readOnly, destructiveHint: name === 'delete_task' },
      },
      async (input: unknown) => {
        try {
          const result = await runTaskOperation(name, tasks, { userId }, input);
          return {
            content: [{ type: 'text' as const, text: JSON.stringify(result) }],
            structuredContent: result as Record<string, unknown>,
          };
        } catch (error) {
          const appError = toAppError(error);
          if (appError.status >= 500) throw error;
          return {
            isError: true,
            content: [{ type: 'text' as const, text: `${appError.code}: ${appError.message}` }],
          };
        }
      },
    );
  }
  return server;
}

function hostnameOf(request: FastifyRequest): string | undefined {
  const host = request.headers.host;
  if (!host) return undefined;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * POST /api/mcp: Model Context Protocol over Streamable HTTP, stateless (each
 * request gets its own server and transport). Authenticated like the rest of
 * the API: a session cookie, or `Authorization: Bearer <token>` with the token
 * from the sign-in response's set-auth-token header.
 */
export function mcpRoutes(
  app: FastifyInstance,
  { tasks, version, allowedHosts, requireUser }: McpRoutesOptions,
): void {
  const allowed = new Set(allowedHosts.map((host) => host.toLowerCase()));
  app.register(async (scope) => {
    scope.addHook('onRequest', async (request) => {
      const hostname = hostnameOf(request);
      if (!hostname || !allowed.has(hostname.toLowerCase())) throw new AppError('FORBIDDEN_HOST');
    });
    scope.addHook('preHandler', requireUser);

    scope.post(
      '/api/mcp',
      { schema: { tags: ['mcp'], summary: 'Model Context Protocol endpoint (Streamable HTTP, stateless)' } },
      async (request, reply) => {
        const server = serverFor(tasks, userOf(request).id, version);
        const transport = new WebStandardStreamableHTTPServerTransport({
          sessionIdGenerator: undefined,
          enableJsonResponse: true,
        });
        await server.connect(transport);
        const headers = new Headers();
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === 'string') headers.set(name, value);
        }
        const webRequest = new Request(`http://${request.headers.host ?? 'localhost'}${request.url}`, {
          method: 'POST',
          headers,
          body: JSON.stringify(request.body),
        });
        const response = await transport.handleRequest(webRequest, { parsedBody: request.body });
        reply.raw.once('close', () => {
          void transport.close();
          void server.close();
        });
        return reply.send(response);
      },
    );
    // Stateless: no server-initiated stream to open and no session to end.
    for (const method of ['GET', 'DELETE'] as const) {
      scope.route({
        method,
        url: '/api/mcp',
        schema: { hide: true },
        handler: async (_request, reply) =>
          reply
            .code(405)
            .header('allow', 'POST')
            .send({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed.' }, id: null }),
      });
    }
  });
}
