// The MCP server itself (the SDK), loaded on the first call to /api/mcp.
import type { IncomingHttpHeaders } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { toAppError } from '../errors/index.ts';
import {
  taskOperationInputs,
  taskOperationNames,
  taskOperations,
  runTaskOperation,
  type TaskOperationName,
  type TaskService,
} from '../tasks/index.ts';

/**
 * The tools, described once per process: turning seven zod schemas into JSON
 * Schema on every request (as the SDK's McpServer does for each tools/list,
 * after registering them for each stateless request) cost more than the rest of
 * the request.
 */
const tools: Tool[] = taskOperationNames.map((name) => {
  const operation = taskOperations[name];
  return {
    name,
    title: operation.title,
    description: operation.description,
    inputSchema: z.toJSONSchema(taskOperationInputs[name], {
      target: 'draft-7',
      io: 'input',
    }) as Tool['inputSchema'],
    annotations: { readOnlyHint: operation.readOnly, destructiveHint: name === 'delete_task' },
  };
});
const known = new Set<string>(taskOperationNames);
const serverInfo = (version: string) => ({ name: 'todo-tasks', version });

const failed = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/** One tool call for one user: the operation's result, or a tool error the model can read. */
async function callTool(
  tasks: TaskService,
  userId: string,
  name: string,
  input: unknown,
): Promise<CallToolResult> {
  if (!known.has(name)) return failed(`UNKNOWN_TOOL: there is no tool named ${name}`);
  const toolName = name as TaskOperationName;
  const parsed = taskOperationInputs[toolName].safeParse(input ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`,
    );
    return failed(`VALIDATION_FAILED: invalid arguments for ${name}: ${problems.join('; ')}`);
  }
  try {
    const result = await runTaskOperation(toolName, tasks, { userId }, parsed.data);
    return {
      content: [{ type: 'text', text: JSON.stringify(result) }],
      structuredContent: result,
    };
  } catch (error) {
    const appError = toAppError(error);
    if (appError.status >= 500) throw error;
    return failed(`${appError.code}: ${appError.message}`);
  }
}

/**
 * A server acting for one user: two handlers over what was described once, on
 * the SDK's own protocol server (McpServer.server, its way in for handlers of
 * one's own) rather than per-request tool registrations.
 */
function serverFor(tasks: TaskService, userId: string, version: string): McpServer {
  const mcp = new McpServer(serverInfo(version));
  mcp.server.registerCapabilities({ tools: {} });
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  mcp.server.setRequestHandler(CallToolRequestSchema, (request) =>
    callTool(tasks, userId, request.params.name, request.params.arguments),
  );
  return mcp;
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
