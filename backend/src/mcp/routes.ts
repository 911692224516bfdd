import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { userOf } from '../auth/index.ts';
import { z } from 'zod';
import { AppError, errorBody, errorResponses } from '../errors/index.ts';
import type { TaskService } from '../tasks/index.ts';

export interface McpRoutesOptions {
  tasks: TaskService;
  version: string;
  /** Host names (no port) this endpoint answers to: DNS-rebinding protection. */
  allowedHosts: readonly string[];
  requireUser: preHandlerAsyncHookHandler;
}

// JSON-RPC 2.0 as the MCP transport takes it: one message or a batch of at most 100.
const rpcId = z.union([z.string(), z.int()]);
const rpcParams = z.record(z.string(), z.unknown()).optional();
const rpcMessage = z.union([
  z.strictObject({ jsonrpc: z.literal('2.0'), id: rpcId, method: z.string(), params: rpcParams }),
  z.strictObject({ jsonrpc: z.literal('2.0'), method: z.string(), params: rpcParams }),
  z.strictObject({ jsonrpc: z.literal('2.0'), id: rpcId, result: z.record(z.string(), z.unknown()) }),
  z.strictObject({
    jsonrpc: z.literal('2.0'),
    id: rpcId,
    error: z.strictObject({ code: z.int(), message: z.string(), data: z.unknown().optional() }),
  }),
]);
const rpcBody = z.union([rpcMessage, z.array(rpcMessage).min(1).max(100)]).meta({
  examples: [{ jsonrpc: '2.0', id: 1, method: 'tools/list' }],
});
/** The transport's own refusals (a JSON-RPC error, no id). */
const rpcError = z.looseObject({
  jsonrpc: z.literal('2.0'),
  error: z.looseObject({ code: z.int(), message: z.string() }),
});
const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

/**
 * An Accept header that takes anything (absent, or * / *) takes both answers the
 * transport can give; the SDK looks for both names literally and would answer 406.
 */
function acceptingBoth(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const accept = headers.accept;
  if (accept && !/(^|,)\s*\*\/\*/.test(accept)) return headers;
  return { ...headers, accept: 'application/json, text/event-stream' };
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
    // JSON-RPC params are free-form: a "__proto__" (or constructor.prototype) key in them is
    // dropped, as nothing reads it, rather than refusing the whole message as the default does.
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'string' },
      scope.getDefaultJsonParser('remove', 'remove'),
    );

    scope.post(
      '/api/mcp',
      {
        schema: {
          tags: ['mcp'],
          summary: 'Model Context Protocol endpoint (Streamable HTTP, stateless)',
          description:
            'JSON-RPC 2.0 messages of the Model Context Protocol; answers in JSON. The Host header must be ' +
            "one of PUBLIC_URL's, TRUSTED_ORIGINS' or MCP_ALLOWED_HOSTS' (403 otherwise). An Accept header " +
            'that names neither application/json nor text/event-stream (nor */*) answers 406.',
          body: rpcBody,
          response: {
            200: { description: 'The JSON-RPC answer(s)', ...json(z.unknown()) },
            202: z.null().describe('Only notifications or responses were sent: nothing to answer'),
            ...errorResponses(413, 415),
            400: json(z.union([errorBody, rpcError])),
            406: json(rpcError),
            415: json(z.union([errorBody, rpcError])),
          },
        },
      },
      async (request, reply) => {
        // The MCP SDK loads with the first call: most replicas never serve one.
        const { handleMcpRequest } = await import('./server.ts');
        const response = await handleMcpRequest({
          tasks,
          version,
          userId: userOf(request).id,
          url: `http://${request.headers.host ?? 'localhost'}${request.url}`,
          headers: acceptingBoth(request.headers),
          body: request.body,
          onClose: (close) => reply.raw.once('close', close),
        });
        return reply.send(response);
      },
    );
    // Stateless: no server-initiated stream to open (GET) and no session to end (DELETE); those
    // methods answer 405 with Allow: POST (http/method-not-allowed.ts), as the transport's spec asks.
  });
}
