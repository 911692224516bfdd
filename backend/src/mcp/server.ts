// The MCP server itself (the SDK), loaded on the first call to /api/mcp.
import type { IncomingHttpHeaders } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { toAppError } from '../errors/index.ts';
import {
  taskOperationInputs,
  taskOperationNames,
  taskOperations,
  runTaskOperation,
  type TaskService,
} from '../tasks/index.ts';

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

/**
 * One stateless request: its own server and transport (the SDK's way to keep
 * concurrent clients' JSON-RPC ids apart), acting for the signed-in user.
 */
export async function handleMcpRequest(input: {
  tasks: TaskService;
  version: string;
  userId: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** Registers what to do when the client's connection closes. */
  onClose: (close: () => void) => void;
}): Promise<Response> {
  const server = serverFor(input.tasks, input.userId, input.version);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  await server.connect(transport);
  const headers = new Headers();
  for (const [name, value] of Object.entries(input.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const webRequest = new Request(input.url, { method: 'POST', headers, body: JSON.stringify(input.body) });
  const response = await transport.handleRequest(webRequest, { parsedBody: input.body });
  input.onClose(() => {
    void transport.close();
    void server.close();
  });
  return response;
}
