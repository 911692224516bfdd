import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { userOf } from '../auth/index.ts';
import { AppError } from '../errors/index.ts';
import type { TaskService } from '../tasks/index.ts';

export interface McpRoutesOptions {
  tasks: TaskService;
  version: string;
  /** Host names (no port) this endpoint answers to: DNS-rebinding protection. */
  allowedHosts: readonly string[];
  requireUser: preHandlerAsyncHookHandler;
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
        // The MCP SDK loads with the first call: most replicas never serve one.
        const { handleMcpRequest } = await import('./server.ts');
        const response = await handleMcpRequest({
          tasks,
          version,
          userId: userOf(request).id,
          url: `http://${request.headers.host ?? 'localhost'}${request.url}`,
          headers: request.headers,
          body: request.body,
          onClose: (close) => reply.raw.once('close', close),
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
